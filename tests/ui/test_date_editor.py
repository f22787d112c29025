"""A date field as a clerk fills it: typed in any form it reads back as 2026年11月30日 once the
clerk moves on; 今天 and the 日历 popup fill it from the service's clock; the examples agree."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QLabel

from desktop.book.procedures import FieldSpec
from desktop.dates import DATE_EXAMPLE
from desktop.ui.field_editor import FieldEditor
from desktop.ui.record_dialogs import EnterpriseDialog, PersonDialog
from tests.conftest import Clock

VISIT = FieldSpec("visit_date", "走访日期", "date", not_future=True)


@pytest.fixture
def dated_office(office):
    office.cases.clock = Clock(datetime(2026, 11, 30, 9, 0))
    return office


def editor_for(qtbot, office, spec: FieldSpec, value=None) -> FieldEditor:
    editor = FieldEditor(spec, value, office)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def test_a_saved_date_opens_as_it_reads(qtbot, dated_office):
    editor = editor_for(qtbot, dated_office, VISIT, "2026-11-03")
    assert editor.input.text() == "2026年11月3日"
    # Kept by an earlier version as typed: still shown as its day.
    old = editor_for(qtbot, dated_office, VISIT, "2026.11.03")
    assert old.input.text() == "2026年11月3日"


@pytest.mark.parametrize("typed", ["2026.11.30", "20261130", "2026/11/30", "２０２６－１１－３０"])
def test_a_date_typed_in_another_form_reads_back_in_chinese_when_the_clerk_is_done(
    qtbot, dated_office, typed
):
    editor = editor_for(qtbot, dated_office, VISIT)
    editor.input.insert(typed)  # as an input method hands it over (keyClicks is Latin-1 only)
    assert editor.input.text() == typed  # nothing rewritten under the clerk's fingers
    qtbot.keyClick(editor.input, Qt.Key.Key_Return)
    assert editor.input.text() == "2026年11月30日"
    assert editor.raw() == "2026年11月30日"


def test_what_is_no_date_is_left_as_typed_for_saving_to_explain(qtbot, dated_office):
    editor = editor_for(qtbot, dated_office, VISIT)
    editor.input.setText("2026-02-30")
    editor.input.editingFinished.emit()
    assert editor.input.text() == "2026-02-30"


def test_the_placeholder_gives_the_one_example(qtbot, dated_office):
    editor = editor_for(qtbot, dated_office, VISIT)
    assert editor.input.placeholderText() == f"如 {DATE_EXAMPLE}"
    assert "20261130" in editor.input.toolTip()


def test_today_comes_from_the_services_clock(qtbot, dated_office):
    editor = editor_for(qtbot, dated_office, VISIT)
    qtbot.mouseClick(editor.today_button, Qt.MouseButton.LeftButton)
    assert editor.input.text() == "2026年11月30日"


def test_the_calendar_pops_up_at_the_date_and_a_day_clicked_fills_the_line(qtbot, dated_office):
    editor = editor_for(qtbot, dated_office, VISIT, "2026-11-03")
    button = editor.calendar_button
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    calendar = button.calendar
    assert calendar.isVisible()
    assert calendar.selectedDate().toPython() == date(2026, 11, 3)
    # A visit is something done: the days after today cannot be picked.
    assert calendar.maximumDate().toPython() == date(2026, 11, 30)
    with qtbot.waitSignal(editor.changed):
        calendar.clicked.emit(QDate(2026, 11, 27))
    assert not calendar.isVisible()
    assert editor.input.text() == "2026年11月27日"


def test_an_empty_date_opens_the_calendar_at_today(qtbot, dated_office):
    meeting = FieldSpec("meeting_date", "会议日期", "date")
    editor = editor_for(qtbot, dated_office, meeting)
    qtbot.mouseClick(editor.calendar_button, Qt.MouseButton.LeftButton)
    calendar = editor.calendar_button.calendar
    assert calendar.selectedDate().toPython() == date(2026, 11, 30)
    # A meeting may be planned: the calendar goes on past today.
    assert calendar.maximumDate().toPython() > date(2027, 1, 1)
    calendar.hide()


def test_the_register_dialogs_take_dates_the_same_way(qtbot, dated_office):
    dialog = PersonDialog(dated_office)
    qtbot.addWidget(dialog)
    assert dialog.review_edit.placeholderText() == f"如 {DATE_EXAMPLE}，可不填"
    dialog.review_edit.setText("2027.3.1")
    dialog.review_edit.editingFinished.emit()
    assert dialog.review_edit.text() == "2027年3月1日"

    enterprise = EnterpriseDialog(dated_office)
    qtbot.addWidget(enterprise)
    enterprise.show()
    enterprise.name_edit.setText("示例恒通机械有限公司")
    enterprise.headcount_edit.setText("30")
    enterprise.member_edit.setText("10")
    enterprise.since_edit.setText("2026年12月1日")
    enterprise.save()
    error = enterprise.errors["headcount_25_since"]
    assert error.isVisible()
    assert error.text() == (
        "职工人数达到 25 人的日期 2026年12月1日 还没到（今天是 2026年11月30日），"
        "请填写已经发生的日期。"
    )
    labels = [label.text() for label in enterprise.findChildren(QLabel)]
    assert "职工达到 25 人的日期：" in labels


def test_the_calendar_of_a_field_low_on_the_screen_opens_above_it(qtbot):
    from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QWidget

    from desktop.ui.date_input import CalendarButton

    holder = QWidget()
    qtbot.addWidget(holder)
    line = QLineEdit()
    button = CalendarButton(line, lambda: date(2026, 11, 30))
    row = QHBoxLayout(holder)
    row.addWidget(line)
    row.addWidget(button)
    room = holder.screen().availableGeometry()
    holder.show()
    holder.move(room.right() - 120, room.bottom() - holder.height())  # bottom right corner
    qtbot.waitExposed(holder)
    button.open_calendar()
    shown = button.calendar.frameGeometry()
    assert room.contains(shown), (room, shown)  # every day can be clicked
    button.calendar.hide()

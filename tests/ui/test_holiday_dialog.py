"""设置 → 节假日表: the office types next year's holidays and deadlines follow."""

from __future__ import annotations

from datetime import date, datetime

from desktop.cases.calendar import OfficeDay
from desktop.ui import holiday_dialog
from desktop.ui.holiday_dialog import HolidayDialog


def test_typed_days_are_saved_and_used_for_deadlines(qtbot, small_office):
    calendar = small_office.cases.calendar
    before = calendar.add(datetime(2026, 12, 31, 9, 0), 1, "工作日")
    assert before.due_date == date(2027, 1, 1) and before.uncovered_years == (2027,)

    dialog = HolidayDialog(small_office)
    qtbot.addWidget(dialog)
    assert "收录到 2026 年" in dialog.intro.text()
    dialog.editor.setPlainText("2027-01-01 休 元旦\n")
    dialog.accept()
    assert small_office.cases.repo.office_days() == [OfficeDay(date(2027, 1, 1), False, "元旦")]
    after = small_office.cases.calendar.add(datetime(2026, 12, 31, 9, 0), 1, "工作日")
    assert after.due_date == date(2027, 1, 4) and after.uncovered_years == ()


def test_a_wrong_line_is_named_and_nothing_is_saved(qtbot, small_office):
    dialog = HolidayDialog(small_office)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.editor.setPlainText("2027-01-01 休\n2027-02-30 休\n")
    dialog.accept()
    assert dialog.isVisible() and dialog.error_label.isVisible()
    assert dialog.error_label.text().startswith("节假日表第 2 行")
    assert small_office.cases.repo.office_days() == []


def test_a_file_is_read_into_the_editor(qtbot, small_office, tmp_path, monkeypatch):
    table = tmp_path / "2027.txt"
    table.write_text("2027-02-07 班 春节调休\n", encoding="utf-8")
    monkeypatch.setattr(holiday_dialog, "choose_table_file", lambda _parent: str(table))
    dialog = HolidayDialog(small_office)
    qtbot.addWidget(dialog)
    dialog.import_file()
    assert dialog.editor.toPlainText() == "2027-02-07 班 春节调休\n"

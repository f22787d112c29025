"""人员/单位 as a clerk uses it: register a worker or a firm, find them, edit, open their cases."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from desktop.identity import make_credit_code, make_id_number, mask_id_number
from desktop.registry import clean_enterprise, clean_person
from desktop.ui.people_page import PeoplePage
from desktop.ui.record_dialogs import EnterpriseDialog, PersonDialog
from desktop.ui.settings import PEOPLE_SPLITTER, WindowSettings
from desktop.ui.theme import RED

CLERK = "李红梅"
TODAY = date(2026, 3, 2)  # the case_office clock
REVIEW_COLUMN = 8


def add_person(office, name: str, sequence: int, **fields) -> int:
    raw = {"name": name, "id_number": make_id_number("620102", date(1980, 5, 6), sequence)}
    values = clean_person({**raw, **fields}, TODAY)
    return office.registry.add_person(values, CLERK, datetime(2026, 1, 5, 9, 0))


def other_character(char: str) -> str:
    return "1" if char != "1" else "2"


@pytest.fixture
def settings() -> WindowSettings:
    return WindowSettings(None)


@pytest.fixture
def page(qtbot, case_office, settings):
    people_page = PeoplePage(case_office, settings)
    qtbot.addWidget(people_page)
    people_page.resize(1100, 720)
    people_page.show()
    qtbot.waitExposed(people_page)
    return people_page


def column_texts(model, column: int) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


# A wrong check digit is refused under the ID field; the corrected number is saved and listed
# masked.
def test_person_with_wrong_id_number_is_refused_then_saved_when_fixed(qtbot, page, case_office):
    tab = page.people
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, PersonDialog)
    good = make_id_number("620102", date(1980, 5, 6), 11)
    wrong = good[:-1] + other_character(good[-1])
    dialog.name_edit.setText("张三")
    dialog.id_edit.setText(wrong)
    dialog.income_edit.setText("650")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    message = dialog.errors["id_number"]
    assert not message.isHidden()
    assert "校验位" in message.text()
    assert f"最后一位应为 {good[-1]}" in message.text()
    assert dialog.focusWidget() is dialog.id_edit
    assert dialog.isVisible()
    assert case_office.registry.count_people() == 0

    dialog.id_edit.setText(good)
    assert "1980-05-06" in dialog.id_hint.text()
    assert "男" in dialog.id_hint.text()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert case_office.registry.count_people() == 1
    assert tab.count_label.text() == "共 1 人"
    assert column_texts(tab.model, 0) == ["张三"]
    assert column_texts(tab.model, 2) == [mask_id_number(good)]
    assert good not in tab.detail.toPlainText()
    tab.reveal.setChecked(True)
    assert good in tab.detail.toPlainText()


# Pinyin initials typed in the search box find the person; the count follows.
def test_search_by_pinyin_initials(qtbot, page, case_office):
    add_person(case_office, "张三", 1)
    add_person(case_office, "李四", 2)
    page.refresh()
    tab = page.people
    assert tab.model.total == 2

    tab.search_box.setFocus()
    qtbot.keyClicks(tab.search_box, "zs")
    qtbot.waitUntil(lambda: tab.model.total == 1)
    assert column_texts(tab.model, 0) == ["张三"]
    assert tab.count_label.text() == "共 1 人"
    assert "张三" in tab.detail.toPlainText()


# Only active hardship files are listed with the box ticked; a review date passed shows red.
def test_hardship_filter_and_overdue_review(page, case_office):
    add_person(case_office, "张三", 1, hardship_status="在档", hardship_review_due="2026-01-10")
    add_person(case_office, "李四", 2)
    page.refresh()
    tab = page.people
    tab.hardship_only.setChecked(True)
    assert column_texts(tab.model, 0) == ["张三"]
    review = tab.model.index(0, REVIEW_COLUMN)
    assert review.data() == "2026-01-10"
    assert review.data(Qt.ItemDataRole.ForegroundRole) == QColor(RED)


# Sorting runs in SQL by the column's key; a column without one leaves the order alone.
def test_sorting_by_review_date_and_unsortable_columns(page, case_office):
    add_person(case_office, "张三", 1, hardship_status="在档", hardship_review_due="2026-09-01")
    add_person(case_office, "李四", 2, hardship_status="建档", hardship_review_due="2026-04-01")
    wang = add_person(case_office, "王五", 3)
    page.refresh()
    tab = page.people
    header = tab.table.horizontalHeader()
    assert tab.select_id(wang)
    tab.table.sortByColumn(REVIEW_COLUMN, Qt.SortOrder.AscendingOrder)
    assert column_texts(tab.model, 0) == ["李四", "张三", "王五"]
    assert tab.table.currentIndex().row() == 2  # still on 王五
    header.setSortIndicator(1, Qt.SortOrder.DescendingOrder)  # 性别: no key
    assert header.sortIndicatorSection() == REVIEW_COLUMN
    assert column_texts(tab.model, 0) == ["李四", "张三", "王五"]


# Editing the income saves it and writes exactly one audit row naming the operator.
def test_editing_income_writes_an_audit_row(qtbot, page, case_office):
    case_office.set_operator(CLERK)
    person_id = add_person(case_office, "张三", 1, income_per_head="600", household_size="3")
    page.refresh()
    tab = page.people
    assert tab.current_id == person_id
    qtbot.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert dialog.income_edit.text() == "600.00"
    dialog.income_edit.setText("812.50")
    qtbot.keyClick(dialog.income_edit, Qt.Key.Key_Return)  # Enter saves

    assert case_office.registry.person(person_id).income_per_head == 81_250
    changes = case_office.db.execute(
        "SELECT actor, field, old_value, new_value FROM audit_log"
        " WHERE entity = 'person' AND entity_id = ? AND action = '修改'",
        [person_id],
    ).fetchall()
    assert changes == [(CLERK, "income_per_head", "60000", "81250")]
    assert "812.50 元" in tab.detail.toPlainText()


CODE = make_credit_code("91", "620102", "MA7K3P2B")


# A wrong credit code is refused with the message naming the wrong part; nothing is saved.
@pytest.mark.parametrize(
    ("typed", "named_part"),
    [
        (CODE[:-1] + other_character(CODE[-1]), "最后一位校验码应为"),
        (CODE[:16] + other_character(CODE[16]) + CODE[17], "第 9–17 位是组织机构代码"),
    ],
)
def test_enterprise_with_bad_credit_code_is_refused(qtbot, page, case_office, typed, named_part):
    tab = page.enterprises
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, EnterpriseDialog)
    dialog.name_edit.setText("恒通机械有限公司")
    dialog.credit_edit.setText(typed)
    dialog.headcount_edit.setText("30")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert named_part in dialog.errors["credit_code"].text()
    assert dialog.focusWidget() is dialog.credit_edit
    assert case_office.registry.count_enterprises() == 0

    dialog.credit_edit.setText(CODE)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert case_office.registry.count_enterprises() == 1
    assert column_texts(tab.model, 1) == [CODE]


# Stable 30 staff since 2025 and 5 joint activities meet two of the four criteria.
def test_growth_progress_of_an_enterprise(page, case_office):
    values = clean_enterprise(
        {
            "name": "示例机械厂",
            "headcount": "30",
            "member_count": "20",
            "union_status": "联合建会",
            "headcount_25_since": "2025-01-01",
            "management_sound": False,
            "joint_activities_year": "5",
        },
        TODAY,
    )
    enterprise_id = case_office.registry.add_enterprise(values, CLERK, datetime(2026, 1, 5))
    page.refresh()
    tab = page.enterprises
    assert tab.select_id(enterprise_id)
    text = tab.detail.toPlainText()
    assert "已满足 2 / 4 项" in text
    assert "会员 20 人 / 职工 30 人 = 67%" in text


# Double-clicking one of the person's cases hands its id to the window.
def test_double_click_on_a_case_requests_it(qtbot, page, case_office, settings):
    person_id = add_person(case_office, "张三", 1, household_size="3", income_per_head="600")
    case = case_office.cases.open_case("BF-01", CLERK, person_id=person_id)
    page.refresh()
    cases = page.people.cases
    assert column_texts(cases.model, 0) == [case.number]

    viewport = cases.table.viewport()
    centre = cases.table.visualRect(cases.model.index(0, 1)).center()
    with qtbot.waitSignal(page.case_requested, timeout=1000) as requested:
        # A real double-click starts with a press; QTest's mouseDClick alone sends no press.
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=centre)
        qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=centre)
    assert requested.args == [case.id]

    page.save_state()
    assert not settings.value(PEOPLE_SPLITTER).isEmpty()


def test_showing_the_whole_number_is_kept_in_the_trail(qtbot, page, case_office):
    case_office.set_operator(CLERK)
    person_id = add_person(case_office, "张三", 1)
    tab = page.people
    tab.run_search()
    assert tab.select_id(person_id)
    tab.reveal.setChecked(True)
    (actor, action, detail) = case_office.db.execute(
        "SELECT actor, action, new_value FROM audit_log WHERE entity = 'person'"
        " AND entity_id = ? ORDER BY id DESC LIMIT 1",
        [person_id],
    ).fetchone()
    assert (actor, action) == (CLERK, "查看完整证件号码") and "人员档案" in detail

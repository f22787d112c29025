"""事项办理 as a clerk uses it: the to-do numbers, the case list, and opening a new case."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget

from desktop.identity import make_id_number
from desktop.registry import clean_person
from desktop.ui import cases_page
from desktop.ui.cases_page import CasesPage, NewCaseDialog
from desktop.ui.lazy_model import PAGE_SIZE
from desktop.ui.settings import WindowSettings

CLERK = "李红梅"


class FakeWorkspace(QWidget):
    """Stands in for desktop.ui.case_workspace.CaseWorkspace, whose own tests cover it."""

    rule_link_activated = Signal(str)

    def __init__(self, office, parent=None, events=None):
        super().__init__(parent)
        self.shown: list[int] = []

    def show_case(self, case_id: int) -> None:
        self.shown.append(case_id)


@pytest.fixture
def page(qtbot, case_office, monkeypatch):
    monkeypatch.setattr(cases_page, "_load_workspace_class", lambda: FakeWorkspace)
    case_office.set_operator(CLERK)
    widget = CasesPage(case_office, WindowSettings(None))
    qtbot.addWidget(widget)
    widget.resize(1200, 760)
    widget.show()
    return widget


def add_person(office, name: str, sequence: int) -> int:
    values = clean_person(
        {
            "name": name,
            "id_number": make_id_number("620102", date(1980, 5, 6), sequence),
            "household_size": 3,
            "income_per_head": "600",
        },
        date(2026, 1, 1),
    )
    return office.registry.add_person(values, CLERK, datetime(2026, 1, 1))


def numbers(page: CasesPage) -> list[str]:
    model = page.case_list.model
    return [model.row_object(row).number for row in range(model.rowCount())]


def test_dashboard_counts_follow_the_clock_and_tiles_open_the_list(page, case_office, clock):
    case_office.book.set_responsible_person("BF-01", CLERK)
    people = [add_person(case_office, name, n) for n, name in enumerate(["张三", "李四"], 1)]
    for person in people:
        case_office.cases.open_case("BF-01", CLERK, person_id=person)
    case_office.cases.open_case("BF-02", CLERK, person_id=people[0])
    # Opened Monday 2 March; the first step is due in 2 working days, Wednesday 4 March.
    moments = {
        datetime(2026, 3, 2, 9, 0): {"overdue": 0, "due_today": 0, "due_soon": 3, "open": 3},
        datetime(2026, 3, 4, 10, 0): {"overdue": 0, "due_today": 3, "due_soon": 0, "open": 3},
        datetime(2026, 3, 5, 10, 0): {"overdue": 3, "due_today": 0, "due_soon": 0, "open": 3},
    }
    for moment, expected in moments.items():
        clock.now = moment
        page.refresh()
        shown = {key: tile.count() for key, tile in page.dashboard.tiles.items()}
        assert shown == expected
        service = case_office.cases.dashboard()
        assert shown == {key: service[key] for key in shown}

    people_model = page.dashboard.people_model
    rows = {people_model.row_object(r)[0]: people_model.row_object(r) for r in range(2)}
    assert rows[CLERK] == (CLERK, 2, 2)
    # BF-02 is the chair's item by post (服务清单 责任岗位): his since he was registered.
    assert rows["王建国"] == ("王建国", 1, 1)

    page.dashboard.tiles["overdue"].click()
    assert page.tabs.currentIndex() == CasesPage.LIST
    assert page.case_list.status_combo.currentData() == "overdue"
    assert page.case_list.count_label.text() == "共 3 件"
    assert page.case_list.model.index(0, 4).data() == "已超期"

    # The other tiles open lists that hold exactly what they counted.
    clock.now = datetime(2026, 3, 4, 10, 0)
    page.show_dashboard()
    page.refresh()
    page.dashboard.tiles["due_today"].click()
    assert page.case_list.status_combo.currentText() == "今日到期"
    assert page.case_list.count_label.text() == "共 3 件"
    page.show_dashboard()
    page.dashboard.tiles["due_soon"].click()
    assert page.case_list.status_combo.currentText() == "3 个工作日内到期"
    assert page.case_list.count_label.text() == "共 0 件"


def test_on_time_rate_and_reviews_due(page, case_office, clock):
    person = add_person(case_office, "王五", 3)
    case_office.registry.update_person(
        person, {"hardship_status": "在档", "hardship_review_due": date(2026, 3, 20)}, CLERK,
        datetime(2026, 3, 1),
    )  # fmt: skip
    case = case_office.cases.open_case("BF-01", CLERK, person_id=person)
    service = case_office.cases
    service.save_step(case.id, "application", CLERK, {"income_per_head": "900"}, ["id_copy"])
    service.complete_step(case.id, "application", CLERK)
    service.complete_step(case.id, "assessment", CLERK)
    service.save_step(case.id, "refusal", CLERK, {"told_on": "2026-03-02"})
    service.complete_step(case.id, "refusal", CLERK)
    page.refresh()
    rates = page.dashboard.rates_model
    assert [rates.index(0, c).data() for c in range(4)] == ["困难职工生活救助", "1", "1", "100.0%"]
    reviews = page.dashboard.reviews_model
    assert reviews.rowCount() == 1
    assert reviews.index(0, 0).data() == "王五"
    assert (
        reviews.index(0, 1).data()
        == "6201**********" + make_id_number("620102", date(1980, 5, 6), 3)[-4:]
    )
    assert reviews.index(0, 2).data() == "2026-03-20"


def test_list_filters_by_status_and_item_and_sorts_by_number(page, case_office, qtbot):
    people = [
        add_person(case_office, name, n) for n, name in enumerate(["张一", "张二", "王三"], 1)
    ]
    opened = [
        case_office.cases.open_case(item, CLERK, person_id=person)
        for person in people
        for item in ("BF-01", "BF-02")
    ]
    case_office.cases.terminate(opened[1].id, "申请人撤回申请", CLERK)
    page.refresh()
    case_list = page.case_list
    page.tabs.setCurrentIndex(CasesPage.LIST)
    assert case_list.model.total == 6

    case_list.status_combo.setCurrentIndex(case_list.status_combo.findData("terminated"))
    assert numbers(page) == [opened[1].number]
    assert case_list.model.index(0, 4).data() == "已终止"

    case_list.status_combo.setCurrentIndex(case_list.status_combo.findData("open"))
    case_list.item_combo.setCurrentIndex(case_list.item_combo.findData("BF-02"))
    assert sorted(numbers(page)) == [opened[3].number, opened[5].number]
    assert case_list.count_label.text() == "共 2 件"

    case_list.status_combo.setCurrentIndex(0)
    case_list.item_combo.setCurrentIndex(0)
    case_list.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert numbers(page) == [f"XA-2026-{n:04d}" for n in range(1, 7)]
    case_list.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert numbers(page) == [f"XA-2026-{n:04d}" for n in range(6, 0, -1)]
    # 时限 has no SQL order: clicking it leaves rows and arrow where they were.
    case_list.table.horizontalHeader().setSortIndicator(7, Qt.SortOrder.AscendingOrder)
    assert case_list.table.horizontalHeader().sortIndicatorSection() == 0
    assert numbers(page)[0] == "XA-2026-0006"

    # Typing is debounced, then the list narrows to the matching number or name.
    case_list.search_box.setText("张二")
    qtbot.waitUntil(lambda: case_list.model.total == 2, timeout=2000)
    case_list.search_box.setText("XA-2026-0005")
    qtbot.waitUntil(lambda: numbers(page) == ["XA-2026-0005"], timeout=2000)

    case_list.search_box.clear()
    case_list.apply_filters()
    case_list.any_date.setChecked(False)
    case_list.from_date.setDate(date(2026, 3, 3))
    case_list.apply_filters()
    assert case_list.model.total == 0
    case_list.any_date.setChecked(True)
    assert case_list.model.total == 6


def test_enter_opens_the_case_in_the_workspace(page, case_office, qtbot):
    person = add_person(case_office, "张三", 1)
    case = case_office.cases.open_case("BF-01", CLERK, person_id=person)
    page.show_list()
    page.refresh()
    table = page.case_list.table
    table.setFocus()
    table.setCurrentIndex(page.case_list.model.index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert page.tabs.currentIndex() == CasesPage.CASE
    assert page.workspace.shown == [case.id]
    assert case.number in page.tabs.tabText(CasesPage.CASE)
    page.back_button.click()
    assert page.tabs.currentIndex() == CasesPage.LIST


def choose_person(dialog: NewCaseDialog, text: str) -> None:
    dialog.search_box.setText(text)
    dialog.search_subjects()
    dialog.subject_table.selectRow(0)


def test_new_case_dialog_opens_a_case_and_asks_why_for_a_repeat(page, case_office):
    person = add_person(case_office, "张三", 1)
    add_person(case_office, "李四", 2)

    dialog = page.new_case()
    dialog.submit()
    assert dialog.item_error.text() == "请先选择服务项目。"
    assert dialog.isVisible()
    dialog.choose_item("BF-01")
    assert "15 个工作日" in dialog.item_details.text()
    assert dialog.subject_title.text() == "2. 办理对象（职工）"
    choose_person(dialog, "zs")
    assert dialog.subject_model.rowCount() == 1
    assert dialog.subject_model.index(0, 1).data().startswith("6201*")
    dialog.accept_button.click()
    assert not dialog.isVisible()
    first = dialog.created
    assert first is not None and first.person_id == person
    assert page.workspace.shown == [first.id]
    assert page.case_list.model.total == 1

    dialog = page.new_case()
    dialog.choose_item("BF-01")
    choose_person(dialog, "张三")
    dialog.accept_button.click()
    assert dialog.isVisible() and dialog.repeat_box.isVisibleTo(dialog)
    assert first.number in dialog.repeat_text.text()
    assert "2026-03-02" in dialog.repeat_text.text()
    dialog.accept_button.click()
    assert dialog.reason_error.text() == "请填写再次办理的理由。"
    dialog.reason_box.setText("家中再次遭遇火灾")
    dialog.accept_button.click()
    assert not dialog.isVisible()
    second = dialog.created
    assert second is not None and second.repeat_reason == "家中再次遭遇火灾"
    assert second.repeat_of == first.id
    assert page.workspace.shown == [first.id, second.id]
    assert page.case_list.model.total == 2


def test_new_case_errors_show_in_red_in_the_dialog(page, case_office):
    add_person(case_office, "张三", 1)
    case_office.set_operator("")
    dialog = NewCaseDialog(case_office, page, service_item_id="BF-02")
    choose_person(dialog, "张三")
    dialog.submit()
    assert dialog.error_label.isVisibleTo(dialog)
    assert "当前经办人" in dialog.error_label.text()
    assert dialog.created is None


def test_list_fetches_pages_lazily(page, case_office):
    person = add_person(case_office, "张三", 1)
    first = case_office.cases.open_case("BF-02", CLERK, person_id=person)
    # The rest are copies written straight to the store: fast, and the list only reads rows.
    values = dataclasses.asdict(first)
    del values["id"]
    with case_office.db.atomic():
        for serial in range(2, 451):
            case_office.cases.repo.insert_case(
                {**values, "number": f"XA-2026-{serial:04d}", "prefix": "XA", "year": 2026,
                 "serial": serial}
            )  # fmt: skip
    page.show_list()
    page.refresh()
    model = page.case_list.model
    assert model.total == 450
    assert model.rowCount() == PAGE_SIZE
    assert page.case_list.count_label.text() == "共 450 件"
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 2 * PAGE_SIZE
    model.fetchMore()
    assert model.rowCount() == 450
    assert not model.canFetchMore()


def test_list_model_passes_the_model_tester(page, case_office, qtmodeltester):
    add_person(case_office, "张三", 1)
    case_office.cases.open_case("BF-01", CLERK, person_id=1)
    page.refresh()
    qtmodeltester.check(page.case_list.model)


def test_column_layout_is_kept(qtbot, case_office, monkeypatch):
    settings = WindowSettings(None)
    first = CasesPage(case_office, settings)
    qtbot.addWidget(first)
    # A new office lists the newest cases first.
    assert first.case_list.model.sort_key == "opened" and first.case_list.model.descending
    first.case_list.table.setColumnWidth(1, 233)
    first.case_list.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    first.tabs.setCurrentIndex(CasesPage.LIST)
    first.save_state()
    second = CasesPage(case_office, settings)
    qtbot.addWidget(second)
    assert second.case_list.table.columnWidth(1) == 233
    assert second.case_list.model.sort_key == "number"
    assert not second.case_list.model.descending
    assert second.tabs.currentIndex() == CasesPage.LIST


def test_ctrl_n_opens_the_new_case_dialog(page, qtbot):
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=2000)
    qtbot.keyClick(page.case_list.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert page.new_case_dialog is not None and page.new_case_dialog.isVisible()
    qtbot.keyClick(page.new_case_dialog, Qt.Key.Key_Escape)
    assert not page.new_case_dialog.isVisible()


def test_typing_initials_in_the_search_box_finds_the_case_by_its_subjects_pinyin(
    page, case_office, qtbot
):
    for sequence, name in enumerate(["丁华", "王丁", "张三"], start=1):
        case_office.cases.open_case(
            "BF-01", CLERK, person_id=add_person(case_office, name, sequence)
        )
    page.refresh()
    page.tabs.setCurrentIndex(CasesPage.LIST)
    case_list = page.case_list
    assert case_list.model.total == 3
    assert "拼音" in case_list.search_box.placeholderText()

    case_list.search_box.setFocus()
    qtbot.keyClicks(case_list.search_box, "dh")
    qtbot.waitUntil(lambda: case_list.model.total == 1, timeout=2000)
    assert case_list.model.row_object(0).subject_name == "丁华"
    assert case_list.count_label.text() == "共 1 件"

    # The number without its hyphens finds the case just as well.
    case_list.search_box.setText("xa20260003")
    qtbot.waitUntil(lambda: numbers(page) == ["XA-2026-0003"], timeout=2000)

"""Every open view is current after any write, in any order of opening: each refreshes itself
from the office's change reports, none is refreshed by another page."""

from __future__ import annotations

import sys
from datetime import date, datetime

import pytest

from desktop.errors import DiskFull
from desktop.identity import make_id_number
from desktop.registry import clean_person
from desktop.ui import app
from desktop.ui.main_window import MainWindow

CLERK = "李红梅"


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


@pytest.fixture
def window(qtbot, case_office):
    case_office.set_operator(CLERK)
    main_window = MainWindow(case_office)
    qtbot.addWidget(main_window)
    main_window.resize(1200, 760)
    main_window.show()
    qtbot.waitExposed(main_window)
    return main_window


def test_the_case_list_has_its_cases_the_first_time_it_is_shown(qtbot, case_office):
    person_id = add_person(case_office, "赵六", 4)
    case = case_office.cases.open_case("BF-01", CLERK, person_id=person_id)
    window = MainWindow(case_office)  # opened on cases written before it existed
    qtbot.addWidget(window)
    window.show()
    window.show_section("cases")
    window.cases_page.show_list()
    assert window.cases_page.case_list.model.rowCount() == 1
    assert window.cases_page.case_list.model.row_object(0).id == case.id


def test_the_workers_page_lists_a_case_opened_after_it_was_shown(window, case_office):
    person_id = add_person(case_office, "张三", 1)
    window.show_section("people")
    tab = window.people_page.people
    assert tab.select_id(person_id)
    assert tab.cases.title.text() == "办理记录：还没有办理过事项"

    case = case_office.cases.open_case("BF-01", CLERK, person_id=person_id)
    # No search typed, no page switched: the list beside the worker already has the case.
    assert tab.cases.title.text() == "办理记录：共 1 件（双击打开）"
    assert tab.cases.model.row_object(0).id == case.id


def test_a_page_not_on_screen_catches_up_when_shown(window, case_office):
    person_id = add_person(case_office, "李四", 2)
    window.show_section("cases")
    assert window.cases_page.dashboard.tiles["open"].count() == 0
    window.show_section("people")
    case_office.cases.open_case("BF-01", CLERK, person_id=person_id)
    window.show_section("cases")
    window.cases_page.show_dashboard()
    assert window.cases_page.dashboard.tiles["open"].count() == 1


def test_the_dashboard_on_screen_counts_a_case_closed_elsewhere(window, case_office, clock):
    person_id = add_person(case_office, "王五", 3)
    window.show_section("cases")
    window.cases_page.show_dashboard()
    case = case_office.cases.open_case("BF-01", CLERK, person_id=person_id)
    dashboard = window.cases_page.dashboard
    assert dashboard.tiles["open"].count() == 1
    case_office.cases.terminate(case.id, "申请人撤回申请", CLERK)
    assert dashboard.tiles["open"].count() == 0


def test_the_window_title_and_operator_follow_the_settings(window, case_office):
    case_office.set_name("城关镇总工会")
    # The office once, then the program once: the system adds the program's name to a title
    # that does not end with it, which once made it appear twice.
    assert window.windowTitle() == "城关镇总工会 — 基层工会工作台"
    case_office.set_operator("王建国")
    assert "经办人：王建国" in window.operator_label.text()


def test_a_data_folder_fault_gets_a_plain_message_not_the_crash_report(
    qtbot, monkeypatch, tmp_path
):
    faults, bugs = [], []
    monkeypatch.setattr(app, "show_fault", faults.append)
    monkeypatch.setattr(app, "show_bug", lambda details, log: bugs.append(details))
    error = DiskFull("磁盘空间已满，刚才的操作没有保存。")
    app.handle_uncaught(DiskFull, error, None, tmp_path / "uniondesk.log")
    app.handle_uncaught(DiskFull, error, None, tmp_path / "uniondesk.log")  # met twice
    assert faults == []  # not inside whatever met it: once back in the event loop, once
    qtbot.waitUntil(lambda: faults == [error])
    assert bugs == []

    try:
        raise KeyError("a bug")
    except KeyError:
        app.handle_uncaught(*sys.exc_info(), tmp_path / "uniondesk.log")
    assert len(bugs) == 1 and "KeyError" in bugs[0]


def test_the_worker_chosen_far_down_the_list_stays_chosen_after_a_write(
    qtbot, demo_dir, monkeypatch
):
    from desktop.office import Office
    from desktop.ui import lazy_model
    from tests.shared import DEMO_NOW

    monkeypatch.setattr(lazy_model, "PAGE_SIZE", 20)  # the demo's 240 people: twelve pages
    office = Office.open(demo_dir)
    office.cases.clock = lambda: DEMO_NOW
    window = MainWindow(office)
    qtbot.addWidget(window)
    window.show()
    window.show_section("people")
    tab = window.people_page.people
    while tab.model.canFetchMore():
        tab.model.fetchMore()
    last = tab.model.row_object(tab.model.rowCount() - 1)
    assert tab.select_id(last.id) and tab.current_id == last.id

    (case_id,) = office.db.execute("SELECT id FROM cases WHERE status = 'open' LIMIT 1").fetchone()
    office.cases.terminate(case_id, "申请人撤回申请", "李红梅")
    assert tab.current_id == last.id
    assert last.name in tab.detail.toPlainText()
    window.close()
    office.close()

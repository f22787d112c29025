"""The window on the screens offices have: a 1366×768 laptop with its taskbar, the same laptop at
150% (910×512 points), a 1920×1080 monitor; the keyboard in the dashboard's tables; the list a
dashboard tile opens; the step list of a long procedure."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from desktop.identity import make_id_number
from desktop.office import Office
from desktop.registry import clean_person
from desktop.ui import cases_page
from desktop.ui.case_workspace import CaseWorkspace
from desktop.ui.cases_page import CasesPage
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import (
    TITLE_BAR_ALLOWANCE,
    PreserveGeometry,
    WindowSettings,
    first_window_geometry,
)
from desktop.ui.step_list import STEP_ROLE, StepList
from desktop.ui.widgets import FoldingSplitter
from tests.shared import DEMO_NOW

CLERK = "李红梅"

# QScreen.availableGeometry of the screens offices have: the screen less its taskbar.
LAPTOP = QRect(0, 0, 1366, 728)  # 1366×768, a 40-pixel taskbar at the bottom
LAPTOP_AT_150 = QRect(0, 0, 910, 485)  # the same laptop at 150% scaling, in points
MONITOR = QRect(0, 0, 1920, 1040)
TASKBAR_ON_TOP = QRect(0, 40, 1366, 728)


@pytest.mark.parametrize("available", [LAPTOP, LAPTOP_AT_150, MONITOR, TASKBAR_ON_TOP])
def test_the_first_window_fits_the_screen_with_its_title_bar(available):
    window = first_window_geometry(available)
    with_title_bar = window.adjusted(0, -TITLE_BAR_ALLOWANCE, 0, 0)
    assert available.contains(with_title_bar), (window, available)
    # Most of the screen, not a postage stamp.
    assert window.width() >= available.width() * 0.8 or window.width() == 1440


def test_the_first_window_on_a_laptop_and_on_a_monitor():
    assert first_window_geometry(LAPTOP).size() == QSize(1229, 655)
    # Beyond 1440×900 a window is only emptier.
    assert first_window_geometry(MONITOR).size() == QSize(1440, 900)


class Window(PreserveGeometry, QWidget):
    pass


def test_a_saved_size_is_restored_only_while_it_fits_the_screen(qtbot):
    settings = WindowSettings(None)
    saved = Window()
    qtbot.addWidget(saved)
    saved.resize(700, 500)  # small enough for the test's own screen too (Qt checks that one)
    saved.save_geometry(settings)
    again = Window()
    qtbot.addWidget(again)
    again.place_window(settings, LAPTOP)
    assert again.size() == QSize(700, 500)

    # Saved on a large monitor, opened on the laptop: sized for the laptop instead.
    saved.resize(1700, 950)
    saved.save_geometry(settings)
    on_laptop = Window()
    qtbot.addWidget(on_laptop)
    on_laptop.place_window(settings, LAPTOP)
    assert on_laptop.geometry() == first_window_geometry(LAPTOP)

    # A layout saved by an older version, whose size is not known, is not trusted either.
    settings.set_value(Window.size_setting, "")
    old = Window()
    qtbot.addWidget(old)
    old.place_window(settings, LAPTOP)
    assert old.geometry() == first_window_geometry(LAPTOP)


def test_nothing_saved_opens_the_first_size(qtbot):
    window = Window()
    qtbot.addWidget(window)
    window.setMinimumSize(760, 520)
    window.place_window(WindowSettings(None), LAPTOP_AT_150)
    # Smaller than the usual least size, which would not fit this screen.
    assert window.geometry() == first_window_geometry(LAPTOP_AT_150)


# --- a long hardship-aid case in the window --------------------------------------------------


@pytest.fixture
def hardship_window(qtbot, tmp_path: Path, clock, monkeypatch):
    monkeypatch.setattr(cases_page.QMessageBox, "warning", lambda *args: None)
    office = Office.open(tmp_path / "office")
    office.cases.clock = clock
    office.staff.add(CLERK, "工会专干")
    office.staff.add("王建国", "工会主席")
    office.set_operator(CLERK)
    values = clean_person(
        {
            "name": "张秀英",
            "id_number": make_id_number("620102", date(1978, 4, 9), 11),
            "household_size": 3,
            "income_per_head": "600",
        },
        date(2026, 1, 1),
    )
    person = office.registry.add_person(values, CLERK, datetime(2026, 1, 1))
    case = office.cases.open_case("BF-01", CLERK, person_id=person)
    window = MainWindow(office)
    qtbot.addWidget(window)
    yield window, case.id
    window.skip_exit_backup()
    window.close()
    office.close()


def inside(widget: QWidget, outer: QWidget) -> bool:
    top_left = widget.mapTo(outer, QPoint(0, 0))
    return outer.rect().contains(QRect(top_left, widget.size()))


@pytest.mark.parametrize("available", [LAPTOP, LAPTOP_AT_150, MONITOR])
def test_save_and_complete_are_on_screen_and_the_step_is_not_cut_off(
    qtbot, hardship_window, available
):
    window, case_id = hardship_window
    window.place_window(WindowSettings(None), available)
    window.show()
    qtbot.waitExposed(window)
    window.open_case(case_id)
    workspace: CaseWorkspace = window.cases_page.workspace
    QApplication.processEvents()
    assert window.frameGeometry().height() + TITLE_BAR_ALLOWANCE <= available.height()
    for button in (workspace.save_button, workspace.complete_button):
        assert button.isVisible() and inside(button, window), button.text()
    # The step page is as wide as the column it sits in, so no line runs off its right edge.
    scroll = workspace.active_scroll
    page, viewport = scroll.widget(), scroll.viewport()
    assert page.width() <= viewport.width()
    for label in page.findChildren(QLabel):
        if label.isVisibleTo(page):
            right = label.mapTo(viewport, QPoint(label.width(), 0)).x()
            assert right <= viewport.width(), label.text()
    if available == LAPTOP_AT_150:
        # Too narrow for three columns: the record folds away, the step keeps its room.
        assert workspace.splitter.side_folded()
    else:
        assert not workspace.splitter.side_folded()


def test_the_chosen_step_of_a_long_procedure_is_in_view(qtbot, hardship_window):
    window, case_id = hardship_window
    view = window.office.cases.view(case_id)
    assert len(view.steps) >= 13
    steps = StepList()
    qtbot.addWidget(steps)
    # Filled before it is shown, as the workspace does, then shown in a short window.
    steps.show_steps(view, select=view.steps[-1].step.id)
    steps.resize(240, 300)
    steps.show()
    qtbot.waitExposed(steps)
    last = steps.visualItemRect(steps.item(steps.count() - 1))
    assert steps.viewport().rect().contains(last)
    steps.resize(240, 200)
    QApplication.processEvents()
    last = steps.visualItemRect(steps.item(steps.count() - 1))
    assert steps.viewport().rect().contains(last)


# --- the step list: done steps say when they were done -----------------------------------------


def test_done_steps_show_the_day_they_were_done_and_others_their_deadline(
    qtbot, case_office, clock
):
    case_office.set_operator(CLERK)
    values = clean_person(
        {
            "name": "张三",
            "id_number": make_id_number("620102", date(1980, 5, 6), 1),
            "household_size": 3,
            "income_per_head": "600",
        },
        date(2026, 1, 1),
    )
    person = case_office.registry.add_person(values, CLERK, datetime(2026, 1, 1))
    case_id = case_office.cases.open_case("BF-01", CLERK, person_id=person).id
    cases = case_office.cases
    cases.save_step(case_id, "application", CLERK, {"medical": "否"}, ["id_copy"])
    cases.complete_step(case_id, "application", CLERK)  # Monday 2 March, due 4 March
    clock.now = datetime(2026, 3, 3, 9, 0)
    workspace = CaseWorkspace(case_office)
    qtbot.addWidget(workspace)
    workspace.show_case(case_id)
    lines = [workspace.stepper.item(row).data(STEP_ROLE) for row in range(2)]
    assert lines[0].date_text == "3月2日完成"
    assert lines[1].date_text.endswith("前")  # the step in hand: its deadline


# --- the dashboard and the list it opens -------------------------------------------------------


def test_tab_leaves_the_dashboard_tables(qtbot, demo_dir: Path, monkeypatch):
    monkeypatch.setattr(cases_page, "_load_workspace_class", lambda: None)
    with Office.open(demo_dir) as office:
        office.cases.clock = lambda: DEMO_NOW
        page = CasesPage(office, WindowSettings(None))
        qtbot.addWidget(page)
        page.resize(1229, 600)
        page.show()
        page.activateWindow()
        qtbot.waitUntil(page.isActiveWindow, timeout=2000)
        dashboard = page.dashboard
        rates = dashboard.rates_table
        assert rates.isVisible() and dashboard.rates_model.rowCount() > 10
        rates.setFocus()
        qtbot.waitUntil(rates.hasFocus, timeout=2000)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is dashboard.people_table
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is dashboard.reviews_table
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert not dashboard.isAncestorOf(QApplication.focusWidget())
        # Ctrl+Tab and the arrows still move inside a table.
        rates.setFocus()
        rates.setCurrentIndex(dashboard.rates_model.index(0, 0))
        qtbot.keyClick(rates, Qt.Key.Key_Down)
        assert QApplication.focusWidget() is rates and rates.currentIndex().row() == 1


@pytest.fixture
def page(qtbot, case_office, monkeypatch):
    monkeypatch.setattr(cases_page, "_load_workspace_class", lambda: None)
    case_office.set_operator(CLERK)
    settings = WindowSettings(None)
    widget = CasesPage(case_office, settings)
    qtbot.addWidget(widget)
    widget.resize(1229, 600)
    widget.show()
    return widget


def reopened(qtbot, page: CasesPage) -> CasesPage:
    """The page as the next start of the program shows it."""
    page.save_state()
    again = CasesPage(page.office, page.settings)
    qtbot.addWidget(again)
    return again


def sort_of(page: CasesPage) -> tuple[str | None, bool]:
    return page.case_list.model.sort_key, page.case_list.model.descending


def test_a_tile_sorts_the_list_for_the_moment_only(qtbot, page: CasesPage):
    # A new office lists the newest cases first; the 已超期 tile lists the most overdue first.
    assert sort_of(page) == ("opened", True)
    page.dashboard.tiles["overdue"].click()
    assert page.tabs.currentIndex() == CasesPage.LIST
    assert sort_of(page) == ("due", False)
    assert sort_of(reopened(qtbot, page)) == ("opened", True)


def test_the_clerks_own_sort_is_kept_across_tiles(qtbot, page: CasesPage):
    table = page.case_list.table
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # the clerk clicks 案件编号
    page.dashboard.tiles["open"].click()
    assert sort_of(page) == ("due", False)
    assert sort_of(reopened(qtbot, page)) == ("number", False)
    # Clicking a header in the tile's list is the clerk's own choice again, and is kept.
    table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert sort_of(reopened(qtbot, page)) == ("subject", True)


# --- the record folds away rather than squeezing the step ------------------------------------


def test_the_side_panel_folds_when_narrow_and_comes_back(qtbot):
    splitter = FoldingSplitter(main=1, side=2, main_least=360)
    for _ in range(3):
        panel = QWidget()
        panel.setMinimumWidth(100)
        splitter.addWidget(panel)
    splitter.setChildrenCollapsible(False)
    qtbot.addWidget(splitter)
    splitter.resize(1100, 400)
    splitter.setSizes([250, 550, 300])
    splitter.show()
    qtbot.waitExposed(splitter)
    assert not splitter.side_folded()
    splitter.resize(680, 400)
    assert splitter.side_folded() and splitter.sizes()[1] >= 360
    # Saved open, so a larger screen shows the record next time.
    state = splitter.saveState()
    splitter.resize(1100, 400)
    assert not splitter.side_folded() and splitter.sizes()[2] > 0
    other = FoldingSplitter(main=1, side=2, main_least=360)
    for _ in range(3):
        other.addWidget(QWidget())
    qtbot.addWidget(other)
    other.restoreState(state)
    assert other.sizes()[2] > 0

"""Shared fixtures. Qt runs offscreen so the suite needs no display and no system libraries."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desktop.office import Office  # noqa: E402
from desktop.paths import default_book_dir  # noqa: E402
from tests.shared import (  # noqa: E402
    Background,
    DemoTemplate,
    copy_demo,
    finished_demo,
    start_demo_build,
    start_first_start,
)

DATA = Path(__file__).parent / "data"

# Fixtures whose work runs in a process of its own, started as soon as a collected test needs it.
BACKGROUND = {"demo_template": start_demo_build, "first_start": start_first_start}
STARTED = pytest.StashKey[dict[str, Background]]()


# After pytest's own -k/-m deselection, so deselected tests start no background work.
@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    # Any test that drives widgets is a GUI test, so `-m "not gui"` runs the rest anywhere.
    for item in items:
        if "qtbot" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.gui)
    wanted = {name for item in items for name in getattr(item, "fixturenames", ())}
    started = config.stash.setdefault(STARTED, {})
    for name, start in BACKGROUND.items():
        if name in wanted and name not in started:
            started[name] = start()
    # The tests that wait for those processes go last, by when the processes are done.
    items.sort(key=lambda item: bool(BACKGROUND.keys() & set(getattr(item, "fixturenames", ()))))


def pytest_unconfigure(config):
    for process in config.stash.get(STARTED, {}).values():
        process.close()


def background(config, name: str) -> Background:
    started = config.stash.setdefault(STARTED, {})
    if name not in started:
        started[name] = BACKGROUND[name]()
    return started[name]


@pytest.fixture
def first_start(request) -> Background:
    """The program's first start on an empty data folder (see tests.shared.start_first_start)."""
    return background(request.config, "first_start")


@pytest.fixture
def small_book_dir(tmp_path: Path) -> Path:
    """A writable copy of a four-rule book, for tests that edit book files."""
    target = tmp_path / "book"
    shutil.copytree(DATA / "small_book", target)
    return target


@pytest.fixture
def small_office(small_book_dir: Path):
    with Office.open(None, small_book_dir) as office:
        yield office


@pytest.fixture
def office():
    """An in-memory office with the shipped default book."""
    with Office.open(None) as office:
        yield office


@pytest.fixture
def shipped_book_dir() -> Path:
    return default_book_dir()


class Clock:
    """A settable clock for casework tests: deadlines depend on the day."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, **delta):
        from datetime import timedelta

        self.now += timedelta(**delta)


@pytest.fixture
def clock():
    from datetime import datetime

    return Clock(datetime(2026, 3, 2, 9, 0))  # a Monday with no holiday near


@pytest.fixture
def case_office(tmp_path: Path, small_book_dir: Path, clock):
    """The small book in a real data folder, with a test clock and a demo operator."""
    with Office.open(tmp_path / "data", small_book_dir) as office:
        office.cases.clock = clock
        office.staff.add("李红梅", "工会专干")
        office.staff.add("王建国", "工会主席")
        yield office


@pytest.fixture(scope="session")
def demo_template(request) -> DemoTemplate:
    """The full demo office, built once per session (seconds of work) by `uniondesk demo --now`;
    tests get copies of its folder, never the folder itself."""
    return finished_demo(background(request.config, "demo_template"))


@pytest.fixture
def demo_dir(demo_template: DemoTemplate, tmp_path: Path) -> Path:
    """A data folder of the test's own holding the demo office as built at DEMO_NOW."""
    return copy_demo(demo_template, tmp_path / "demo")

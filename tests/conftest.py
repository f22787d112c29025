"""Shared fixtures. Qt runs offscreen so the suite needs no display and no system libraries."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desktop.office import Office  # noqa: E402
from desktop.paths import default_book_dir  # noqa: E402

DATA = Path(__file__).parent / "data"


def pytest_collection_modifyitems(items):
    # Any test that drives widgets is a GUI test, so `-m "not gui"` runs the rest anywhere.
    for item in items:
        if "qtbot" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.gui)


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
        office.registry.add_staff("李红梅", "工会专干")
        office.registry.add_staff("王建国", "工会主席")
        yield office

"""The office database: writes report what they changed once committed, and faults of the data
folder come out as StoreError subclasses with words a clerk can act on."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest

from desktop.changes import CALENDAR, OFFICE_NAME, Changes
from desktop.cli import main
from desktop.errors import DamagedStore, DiskFull, ReadOnlyStore, StoreBusy, StoreError
from desktop.identity import make_id_number
from desktop.office import Office
from desktop.registry import clean_person
from desktop.store import database, schema
from desktop.store.database import sorted_error

NOW = datetime(2026, 3, 2, 9, 0)


def add_person(office: Office, sequence: int = 1) -> int:
    values = clean_person(
        {"name": "张三", "id_number": make_id_number("620102", date(1980, 5, 6), sequence)},
        NOW.date(),
    )
    return office.registry.add_person(values, "李红梅", NOW)


@pytest.fixture
def heard(office: Office) -> list[Changes]:
    reports: list[Changes] = []
    office.subscribe(reports.append)
    return reports


# --- change reports --------------------------------------------------------------------------


def test_a_write_is_reported_once_after_it_commits(office: Office, heard):
    person_id = add_person(office)
    assert heard == [Changes.of(people=[person_id])]


def test_a_write_rolled_back_reports_nothing(office: Office, heard):
    with pytest.raises(RuntimeError), office.db.atomic():
        add_person(office)
        assert heard == []  # nothing is told before the commit
        raise RuntimeError("the clerk's action failed half-way")
    assert heard == []
    assert office.registry.count_people() == 0


def test_writes_in_one_transaction_are_one_report(office: Office, heard):
    with office.db.atomic():
        first = add_person(office, 1)
        second = add_person(office, 2)
        office.set_name("城关镇总工会")
    assert heard == [Changes.of(people=[first, second], settings=[OFFICE_NAME])]


def test_casework_reports_the_case(case_office, heard_case_office):
    person_id = add_person(case_office)
    heard_case_office.clear()
    case = case_office.cases.open_case("BF-01", "李红梅", person_id=person_id)
    assert [c.cases for c in heard_case_office] == [frozenset({case.id})]
    case_office.cases.save_step(case.id, "application", "李红梅", {"household_size": 4})
    case_office.cases.set_office_days([])
    assert heard_case_office[-2].cases == {case.id}
    assert CALENDAR in heard_case_office[-1].settings and heard_case_office[-1].deadlines


@pytest.fixture
def heard_case_office(case_office) -> list[Changes]:
    reports: list[Changes] = []
    case_office.subscribe(reports.append)
    return reports


def test_an_unsubscribed_listener_hears_no_more(office: Office, heard):
    office.unsubscribe(heard.append)
    add_person(office)
    assert heard == []


# --- faults in plain words -------------------------------------------------------------------


def test_a_read_only_database_says_so_and_keeps_what_was_saved(tmp_path: Path):
    with Office.open(tmp_path) as office:
        add_person(office, 1)
        office.db.execute("PRAGMA query_only = ON")  # what a read-only folder does to writes
        with pytest.raises(ReadOnlyStore, match="数据文件夹是只读的") as raised:
            add_person(office, 2)
        assert "已有的数据不受影响" in str(raised.value)
        office.db.execute("PRAGMA query_only = OFF")
        assert office.registry.count_people() == 1


def test_a_full_disk_says_so_and_nothing_is_half_written(tmp_path: Path):
    with Office.open(tmp_path) as office:
        pages = office.db.execute("PRAGMA page_count").fetchone()[0]
        office.db.execute(f"PRAGMA max_page_count = {pages}")  # no room for one more page
        with pytest.raises(DiskFull, match="磁盘空间已满"), office.db.atomic():
            for sequence in range(1, 400):
                add_person(office, sequence)
        assert office.registry.count_people() == 0


def test_another_writer_holding_the_lock_is_named(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(schema, "BUSY_TIMEOUT_MS", 100)
    with Office.open(tmp_path) as office:
        other = sqlite3.connect(tmp_path / "uniondesk.sqlite3")
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StoreBusy, match="另一个窗口或程序正在写入数据"):
                add_person(office)
        finally:
            other.rollback()
            other.close()
        add_person(office)  # once the other writer is done, writing works again
        assert office.registry.count_people() == 1


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("database disk image is malformed", DamagedStore),
        ("file is not a database", DamagedStore),
        ("database or disk is full", DiskFull),
        ("attempt to write a readonly database", ReadOnlyStore),
        ("database is locked", StoreBusy),
    ],
)
def test_sqlite_messages_are_sorted_even_without_error_names(message, kind):
    # Python 3.10 has no sqlite_errorname; the message decides.
    assert isinstance(sorted_error(sqlite3.OperationalError(message)), kind)


def test_a_bug_is_not_dressed_up_as_a_fault(office: Office):
    assert sorted_error(sqlite3.OperationalError("no such column: nmae")) is None
    with pytest.raises(sqlite3.OperationalError):
        office.db.execute("SELECT nmae FROM people")


def test_the_command_line_prints_a_fault_and_exits_1(tmp_path: Path, capsys, monkeypatch):
    monkeypatch.setattr(schema, "BUSY_TIMEOUT_MS", 100)
    with Office.open(tmp_path):
        pass
    other = sqlite3.connect(tmp_path / "uniondesk.sqlite3")
    other.execute("BEGIN IMMEDIATE")
    number = make_id_number("620102", date(1985, 7, 1), 24)
    try:
        code = main(
            ["--data-dir", str(tmp_path), "person", "add", "--name", "张三", "--id-number", number]
        )
    finally:
        other.rollback()
        other.close()
    captured = capsys.readouterr()
    assert code == 1 and captured.out == ""
    assert captured.err.startswith("错误：另一个窗口或程序正在写入数据")
    assert "Traceback" not in captured.err


def test_every_fault_is_a_store_error():
    for kind in (DamagedStore, DiskFull, ReadOnlyStore, StoreBusy):
        assert issubclass(kind, StoreError)
    assert database.StoreError is StoreError


def test_a_damaged_page_met_while_reading_is_sorted(tmp_path: Path):
    with Office.open(tmp_path) as office:
        for sequence in range(1, 300):
            add_person(office, sequence)
        office.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (root,) = office.db.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'people'"
        ).fetchone()
        (page_size,) = office.db.execute("PRAGMA page_size").fetchone()
    path = tmp_path / "uniondesk.sqlite3"
    content = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    content[start : start + page_size] = b"\xff" * page_size  # the people table's first page
    path.write_bytes(bytes(content))
    with pytest.raises(DamagedStore, match="已损坏"), Office.open(tmp_path) as office:
        office.db.execute("SELECT name FROM people ORDER BY id").fetchall()


@pytest.mark.parametrize(
    ("writable", "message", "kind"),
    [
        (False, "unable to open database file", ReadOnlyStore),
        (True, "database or disk is full", DiskFull),
        (True, "database disk image is malformed", DamagedStore),
        (True, "file is not a database", DamagedStore),
    ],
)
def test_a_file_that_cannot_be_opened_gets_the_right_word(
    tmp_path: Path, monkeypatch, writable, message, kind
):
    # A read-only folder or a full disk must not be called damaged: a clerk might "restore"
    # over good data.
    monkeypatch.setattr(schema.os, "access", lambda _path, _mode: writable)
    fault = schema._open_fault(tmp_path / "uniondesk.sqlite3", sqlite3.OperationalError(message))
    assert isinstance(fault, kind)
    if kind is ReadOnlyStore:
        assert "只读" in str(fault) and "数据没有受影响" in str(fault)


def test_a_fault_met_while_fetching_rows_is_sorted_too():
    # A damaged page deep in a table is met on a later row, after execute() returned.
    class Cursor:
        description = (("name",),)

        def fetchall(self):
            raise sqlite3.DatabaseError("database disk image is malformed")

        fetchone = fetchall

    cursor = database.SortedCursor(Cursor())
    assert cursor.description == (("name",),)
    with pytest.raises(DamagedStore):
        cursor.fetchall()
    with pytest.raises(DamagedStore):
        list(cursor)

"""Every fault of the data folder gets its own word and leaves nothing half-written: a damaged
file found on open, a 0-byte file, somebody else's database or folder, a first start that was
interrupted."""

from __future__ import annotations

import json
import sqlite3
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.errors import DamagedStore, StoreError
from desktop.identity import make_id_number
from desktop.office import Office
from desktop.registry import clean_person

NOW = datetime(2026, 3, 2, 9, 0)


def add_person(office: Office, sequence: int) -> int:
    values = clean_person(
        {"name": "张三", "id_number": make_id_number("620102", date(1980, 5, 6), sequence)},
        NOW.date(),
    )
    return office.registry.add_person(values, "李红梅", NOW)


def damage_table(folder: Path, table: str) -> None:
    with Office.open(folder) as office:
        office.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (root,) = office.db.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", [table]
        ).fetchone()
        (page_size,) = office.db.execute("PRAGMA page_size").fetchone()
    path = folder / "uniondesk.sqlite3"
    content = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    content[start : start + page_size] = b"\xff" * page_size
    path.write_bytes(bytes(content))


def test_a_damaged_file_is_found_on_open_and_writes_are_refused(tmp_path: Path, capsys):
    folder = tmp_path / "data"
    with Office.open(folder) as office:
        office.set_name("城关镇总工会")
        for sequence in range(1, 50):
            add_person(office, sequence)
    damage_table(folder, "enterprises")
    with Office.open(folder) as office:
        assert office.db.damaged  # noticed on open
        assert office.name == "城关镇总工会"  # what is whole can still be read
        with pytest.raises(DamagedStore, match="不再写入") as refused:
            add_person(office, 60)
        assert "从备份恢复" in str(refused.value)
        assert office.registry.count_people() == 49
        assert not office.check(quick=True).ok
    code = main(["--data-dir", str(folder), "person", "add", "--name", "李四",
                 "--id-number", make_id_number("620102", date(1981, 1, 1), 70)])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1 and "已损坏" in err and "Traceback" not in err


def test_check_reports_each_part_of_a_damaged_file(tmp_path: Path, capsys):

    folder = tmp_path / "data"
    with Office.open(folder) as office:
        for sequence in range(1, 50):
            add_person(office, sequence)
    damage_table(folder, "people")
    code = main(["--data-dir", str(folder), "check", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and not report["ok"]
    found = {check["name"]: check for check in report["checks"]}
    assert not found["sqlite"]["ok"] and found["sqlite"]["problems"]
    assert found["audit_complete"]["detail"] == "没能检查完：数据文件有损坏，这部分读不出来。"
    assert found["triggers"]["ok"]  # what could be checked was


def test_a_trail_cut_short_is_found_from_the_records(tmp_path: Path, capsys):
    folder = tmp_path / "data"
    with Office.open(folder) as office:
        for sequence in range(1, 4):
            add_person(office, sequence)
        assert office.check().ok
        # Somebody with another tool drops the protection, deletes the newest entries and puts
        # the protection back: what is left still links up.
        office.db.execute("DROP TRIGGER audit_log_no_delete")
        office.db.execute("DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)")
        office.db.execute(
            "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
            " BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
        )
    code = main(["--data-dir", str(folder), "check"])
    out = capsys.readouterr().out
    assert code == 1
    assert "✓ 办理记录链" in out
    assert "✗ 办理记录是否完整：1 名职工在办理记录里没有登记的记录" in out


@pytest.mark.qt_no_exception_capture  # the application's own hook sorts what reaches it
def test_the_window_opens_on_a_damaged_file_and_says_so(qtbot, tmp_path: Path, monkeypatch):
    # Built as run_app builds it; run_app itself is not called, because once its event loop
    # has quit, no later test's event loop would run in this process.
    from desktop.ui import app
    from desktop.ui.main_window import MainWindow

    folder = tmp_path / "data"
    with Office.open(folder) as office:
        office.set_name("城关镇总工会")
        for sequence in range(1, 50):
            add_person(office, sequence)
    damage_table(folder, "people")
    faults: list[StoreError] = []
    monkeypatch.setattr(app, "show_fault", faults.append)
    monkeypatch.setattr(app, "show_bug", lambda details, _log: pytest.fail(details))
    monkeypatch.setattr(
        sys, "excepthook", lambda *error: app.handle_uncaught(*error, log_file=tmp_path / "log")
    )
    with app.open_office_for_window(folder) as office:
        window = MainWindow(office)
        qtbot.addWidget(window)
        window.skip_exit_backup()
        window.show()
        window.show_section("people")  # the damaged table's list
        qtbot.waitUntil(lambda: bool(faults))
        qtbot.wait(200)
        assert len(faults) == 1 and "有一部分数据读不出来" in str(faults[0])  # said once
        assert not office.check(quick=True).ok
        window.close()


def test_a_zero_byte_database_is_not_taken_for_an_empty_office(tmp_path: Path, capsys):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "uniondesk.sqlite3").write_bytes(b"")
    with pytest.raises(DamagedStore, match="0 字节"):
        Office.open(folder)
    code = main(["--data-dir", str(folder), "case", "list"])
    assert code == 1 and "0 字节" in capsys.readouterr().err
    # A script checking it still gets a JSON answer.
    code = main(["--data-dir", str(folder), "check", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and report["ok"] is False and "0 字节" in report["error"]
    # Setting up over it says what is wrong with the file, not "already has data".
    code = main(["--data-dir", str(folder), "init", "--office-name", "城关镇总工会",
                 "--staff", "李红梅:工会专干", "--staff", "王建国:工会主席"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1 and "0 字节" in err and "已经有办公数据" not in err
    assert (folder / "uniondesk.sqlite3").stat().st_size == 0  # left as it was


def test_somebody_elses_database_is_left_alone(tmp_path: Path):
    folder = tmp_path / "data"
    folder.mkdir()
    other = sqlite3.connect(folder / "uniondesk.sqlite3")
    other.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    other.commit()
    other.close()
    before = (folder / "uniondesk.sqlite3").read_bytes()
    with pytest.raises(StoreError, match="不是 UnionDesk 的数据文件"):
        Office.open(folder)
    assert (folder / "uniondesk.sqlite3").read_bytes() == before


def test_a_folder_of_other_files_is_not_made_a_data_folder(tmp_path: Path, capsys):
    folder = tmp_path / "我的文档"
    folder.mkdir()
    (folder / "工作总结.docx").write_bytes(b"PK")
    code = main(["--data-dir", str(folder), "demo"])
    err = capsys.readouterr().err
    assert code == 1 and "不像是 UnionDesk 的数据文件夹" in err and "工作总结.docx" in err
    assert sorted(p.name for p in folder.iterdir()) == ["工作总结.docx"]


def test_a_first_start_that_was_interrupted_can_be_done_again(tmp_path: Path, capsys):
    folder = tmp_path / "data"
    with Office.open(folder):
        pass  # the schema and the book are there, the office's own data never came
    assert Office.folder_is_new(folder)
    code = main(["--data-dir", str(folder), "init", "--office-name", "城关镇总工会",
                 "--staff", "李红梅:工会专干", "--staff", "王建国:工会主席"])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    assert not Office.folder_is_new(folder)
    with Office.open(folder) as office:
        assert office.name == "城关镇总工会"


def test_a_full_disk_at_open_is_not_called_a_damaged_file(tmp_path: Path, monkeypatch):
    import shutil
    from collections import namedtuple

    from desktop.errors import DiskFull
    from desktop.store import schema

    folder = tmp_path / "data"
    with Office.open(folder):
        pass
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda _folder: usage(10**9, 10**9, 4096))
    # What SQLite says when it cannot create its journal on a full disk.
    io_error = sqlite3.OperationalError("disk I/O error")
    fault = schema._open_fault(folder / "uniondesk.sqlite3", io_error)
    assert isinstance(fault, DiskFull) and "磁盘空间已满" in str(fault)
    assert "损坏" not in str(fault) and "从备份恢复" not in str(fault)


def test_a_first_start_that_fails_on_a_full_disk_leaves_no_empty_file(
    tmp_path: Path, capsys, monkeypatch
):
    from desktop.store import schema

    folder = tmp_path / "data"
    real_migrate = schema.migrate

    def disk_full(_db, *_args):  # what a write on a full disk raises (database.sorted_error)
        from desktop.errors import DiskFull

        raise DiskFull("磁盘空间已满，刚才的操作没有保存，已有的数据不受影响。")

    monkeypatch.setattr(schema, "migrate", disk_full)
    init = ["--data-dir", str(folder), "init", "--office-name", "城关镇总工会",
            "--staff", "李红梅:工会专干", "--staff", "王建国:工会主席"]  # fmt: skip
    assert main(init) == 1
    assert "磁盘空间已满" in capsys.readouterr().err
    assert not list(folder.glob("uniondesk.sqlite3*"))  # nothing half-made left behind
    monkeypatch.setattr(schema, "migrate", real_migrate)  # room again: set up as if new
    assert main(init) == 0, capsys.readouterr().err

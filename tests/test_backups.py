"""Backups: made while the program runs, with the attachments; restored only after the same
check as `uniondesk check`, keeping what they replace; rotated by day, week and month."""

from __future__ import annotations

import json
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from desktop import backups
from desktop.backups import BackupError
from desktop.cli import main
from desktop.office import Office
from tests.shared import DEMO_NOW

NOW = datetime(2026, 11, 30, 17, 0)


@pytest.fixture
def office_with_scan(demo_dir: Path, tmp_path: Path):
    """The demo office with one scanned page attached, opened as a window would have it."""
    scan = tmp_path / "签字页.pdf"
    scan.write_bytes(b"%PDF-1.4 " + b"x" * 5000)
    office = Office.open(demo_dir)
    office.cases.clock = lambda: DEMO_NOW
    (case_id,) = office.db.execute("SELECT id FROM cases WHERE status = 'open' LIMIT 1").fetchone()
    view = office.cases.view(case_id)
    office.cases.attach_file(case_id, view.current.id, scan, "李红梅")
    yield office
    office.close()


def test_a_backup_made_while_open_restores_into_a_new_folder_whole(
    office_with_scan: Office, tmp_path: Path, capsys
):
    target = tmp_path / "备份.udbak"
    info = backups.make_backup(office_with_scan, target, NOW)
    # Files, not listings: the demo's higher-union approvals all carry the same scanned page.
    assert info.cases >= 500 and info.attachments == 2 and info.office_name == "示例镇总工会"
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
    assert backups.MANIFEST in names and "uniondesk.sqlite3" in names
    assert any(name.startswith("attachments/") for name in names)

    elsewhere = tmp_path / "另一台电脑"
    code = main(["--data-dir", str(elsewhere), "restore", str(target), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["safety_copy"] is None and report["cases"] == info.cases
    with Office.open(elsewhere) as restored:
        assert restored.check().ok  # attachments included and matching their SHA-256
        assert (
            restored.cases.count_cases(
                __import__("desktop.cases.records", fromlist=["CaseFilter"]).CaseFilter()
            )
            == info.cases
        )
        (action,) = restored.db.execute(
            "SELECT action FROM audit_log ORDER BY id DESC LIMIT 1"
        ).fetchone()
        assert action == "从备份恢复"


def test_restoring_over_data_keeps_a_safety_copy(office_with_scan, tmp_path: Path):
    target = tmp_path / "早先的.udbak"
    backups.make_backup(office_with_scan, target, NOW)
    office_with_scan.set_name("城关镇总工会")  # changed after the backup
    data_dir = office_with_scan.data_dir
    office_with_scan.close()
    restored = backups.restore_backup(target, data_dir, NOW + timedelta(hours=1))
    assert restored.safety_copy is not None and restored.safety_copy.parent.name == "备份"
    assert backups.read_backup(restored.safety_copy).office_name == "城关镇总工会"
    with Office.open(data_dir) as office:
        assert office.name == "示例镇总工会"


def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(demo_dir, tmp_path, capsys):
    fake = tmp_path / "不是备份.udbak"
    fake.write_text("hello", encoding="utf-8")
    before = (demo_dir / "uniondesk.sqlite3").read_bytes()
    code = main(["--data-dir", str(demo_dir), "restore", str(fake)])
    err = capsys.readouterr().err
    assert code == 1 and "不是 UnionDesk 的备份文件" in err
    assert (demo_dir / "uniondesk.sqlite3").read_bytes() == before


def test_a_damaged_backup_is_refused(office_with_scan, tmp_path: Path):
    good = tmp_path / "好的.udbak"
    backups.make_backup(office_with_scan, good, NOW)
    damaged = tmp_path / "坏的.udbak"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(damaged, "w") as copy:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "uniondesk.sqlite3":
                data = data[:4096] + b"\0" * 512 + data[4608:]
            copy.writestr(item, data)
    with pytest.raises(BackupError, match="已损坏"):
        backups.verify_backup(damaged)
    assert backups.verify_backup(good).cases > 500


def test_a_backup_to_a_missing_folder_says_so(office_with_scan, tmp_path: Path):
    with pytest.raises(BackupError, match="不存在"):
        backups.make_backup(office_with_scan, tmp_path / "U盘" / "b.udbak", NOW)
    assert not (tmp_path / "U盘").exists()


def test_a_damaged_office_is_not_backed_up_over_its_good_backups(tmp_path: Path, capsys):
    from tests.store.test_faults import add_person, damage_table

    folder = tmp_path / "data"
    with Office.open(folder) as office:
        for sequence in range(1, 50):
            add_person(office, sequence)
        good = backups.automatic_backup(office, NOW)
    damage_table(folder, "people")
    with Office.open(folder) as office:
        assert office.is_damaged
        with pytest.raises(BackupError, match="数据文件已损坏，备份出来的也不能用"):
            backups.automatic_backup(office, NOW.replace(hour=17))
    assert [b.path for b in backups.list_backups(good.path.parent)] == [good.path]
    code = main(["--data-dir", str(folder), "backup", "-o", str(tmp_path / "坏.udbak")])
    assert code == 1 and "原有的备份都保留着" in capsys.readouterr().err
    assert not (tmp_path / "坏.udbak").exists()


def fake_backup(folder: Path, moment: datetime, automatic: bool = True) -> Path:
    """A backup file as far as listing and rotating read it: its manifest."""
    kind = backups.AUTOMATIC if automatic else "备份"
    path = folder / backups.backup_name("示例镇总工会", moment, kind)
    manifest = {
        "program": "UnionDesk", "format": 1, "schema_version": 1, "created": moment.isoformat(),
        "office_name": "示例镇总工会", "automatic": automatic,
    }  # fmt: skip
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(backups.MANIFEST, json.dumps(manifest))
    return path


def test_automatic_backups_keep_the_last_days_weeks_and_months(tmp_path: Path):
    folder = tmp_path / "备份"
    folder.mkdir()
    for days in range(0, 120, 2):  # every other day for four months, twice a day
        fake_backup(folder, NOW - timedelta(days=days))
        fake_backup(folder, NOW - timedelta(days=days, hours=6))
    by_hand = fake_backup(folder, NOW - timedelta(days=200), automatic=False)
    backups.rotate(folder, 3, NOW)
    kept = sorted(info.created for info in backups.list_backups(folder) if info.automatic)
    # The newest of each of the last 3 days, weeks and months: at most 9, at least the days.
    assert {NOW, NOW - timedelta(days=2), NOW - timedelta(days=4)} <= set(kept)
    assert NOW - timedelta(hours=6) not in kept  # not the newest of its day
    assert len({(d.year, d.month) for d in kept}) == 3 and len(kept) <= 9
    assert by_hand.exists()  # made by hand: never rotated away
    assert not backups.automatic_backup_due(folder, NOW)
    assert backups.automatic_backup_due(folder, NOW + timedelta(days=1))

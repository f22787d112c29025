"""The audit trail can be trusted: an edit, a removal or a row slipped in with another SQLite
tool breaks its hash chain at that row, dropped triggers are put back and reported, and
`uniondesk check` says what it found in Chinese and exits 1 on any failure."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.identity import make_id_number
from desktop.office import Office
from desktop.registry import clean_person
from desktop.store import audit
from desktop.store.schema import SCHEMA_VERSION, migrate

NOW = datetime(2026, 3, 2, 9, 0)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    with Office.open(tmp_path) as office:
        for n in range(1, 6):
            values = clean_person(
                {"name": "张三", "id_number": make_id_number("620102", date(1980, 5, 6), n)},
                NOW.date(),
            )
            office.registry.add_person(values, "李红梅", NOW)
    return tmp_path


def tamper(data_dir: Path, *statements: str) -> None:
    """What someone with a SQLite tool could do behind the program's back."""
    connection = sqlite3.connect(data_dir / "uniondesk.sqlite3")
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()


def check(capsys, data_dir: Path) -> tuple[int, dict]:
    code = main(["--data-dir", str(data_dir), "check", "--json"])
    return code, json.loads(capsys.readouterr().out)


def finding(report: dict, name: str) -> dict:
    return next(c for c in report["checks"] if c["name"] == name)


def test_an_untouched_office_passes(capsys, data_dir: Path):
    code, report = check(capsys, data_dir)
    assert code == 0 and report["ok"]
    assert {c["name"] for c in report["checks"]} == {
        "sqlite", "foreign_keys", "triggers", "audit_chain", "audit_complete", "attachments",
    }  # fmt: skip
    assert finding(report, "audit_chain")["entries"] == 5

    main(["--data-dir", str(data_dir), "check"])
    out = capsys.readouterr().out
    assert "✓ 办理记录链" in out and out.rstrip().endswith("全部通过。")


def test_an_edited_entry_is_named(capsys, data_dir: Path):
    tamper(
        data_dir,
        "DROP TRIGGER audit_log_no_update",
        "UPDATE audit_log SET new_value = '李四' WHERE id = 3",
    )
    code, report = check(capsys, data_dir)
    assert code == 1 and not report["ok"]
    chain = finding(report, "audit_chain")
    assert chain["first_bad_entry"]["id"] == 3
    assert "第 3 条办理记录" in chain["detail"] and "请从备份恢复" in chain["detail"]
    triggers = finding(report, "triggers")
    assert not triggers["ok"] and triggers["missing"] == ["audit_log_no_update"]

    # The trigger is back, and its removal stays in the trail.
    with Office.open(data_dir) as office:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            office.db.execute("UPDATE audit_log SET actor = 'x' WHERE id = 1")
        (action,) = office.db.execute(
            "SELECT action FROM audit_log ORDER BY id DESC LIMIT 1"
        ).fetchone()
    assert action == "发现办理记录的保护被删除，已恢复"


@pytest.mark.parametrize(
    ("statements", "first_bad"),
    [
        (["DROP TRIGGER audit_log_no_delete", "DELETE FROM audit_log WHERE id = 2"], 3),
        (
            [
                "INSERT INTO audit_log (at, actor, entity, entity_id, action, hash)"
                " VALUES ('2026-03-02T09:30:00', '李红梅', 'person', 1, '新增职工', 'forged')"
            ],
            6,
        ),
    ],
    ids=["removed", "slipped-in"],
)
def test_a_removed_or_inserted_entry_breaks_the_chain(capsys, data_dir, statements, first_bad):
    tamper(data_dir, *statements)
    code, report = check(capsys, data_dir)
    assert code == 1
    assert finding(report, "audit_chain")["first_bad_entry"]["id"] == first_bad


def test_a_changed_attachment_file_is_found(capsys, data_dir: Path, small_book_dir, tmp_path):
    scan = tmp_path / "签字页.pdf"
    scan.write_bytes(b"%PDF-1.4 signed page")
    with Office.open(data_dir, small_book_dir) as office:
        office.staff.add("李红梅", "工会专干")
        case = office.cases.open_case("BF-01", "李红梅", person_id=1)
        office.cases.attach_file(case.id, "application", scan, "李红梅")
        (stored,) = office.db.execute("SELECT stored_name FROM attachments").fetchone()
    (data_dir / "attachments" / stored).write_bytes(b"%PDF-1.4 another page")
    code, report = check(capsys, data_dir)
    assert code == 1
    detail = finding(report, "attachments")["detail"]
    assert f"{case.number} 的附件" in detail and "内容与登记时不同" in detail


def test_an_older_trail_is_chained_when_the_file_is_upgraded():
    import sqlite_utils

    db = sqlite_utils.Database(memory=True)
    migrate(db, target=10)  # before the chain
    for n in range(3):
        db.execute(
            "INSERT INTO audit_log (at, actor, entity, entity_id, action)"
            " VALUES (?, '李红梅', 'person', ?, '新增职工')",
            [f"2026-03-0{n + 1}T09:00:00", n + 1],
        )
    migrate(db, target=SCHEMA_VERSION)
    columns = ", ".join(audit.VERIFIED_COLUMNS)
    rows = db.execute(f"SELECT {columns}, hash FROM audit_log ORDER BY id").fetchall()
    assert len(rows) == 3 and audit.verify_chain(rows) is None
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("DELETE FROM audit_log WHERE id = 1")


def test_check_on_a_folder_without_data_says_so(capsys, tmp_path: Path):
    code = main(["--data-dir", str(tmp_path / "没有"), "check"])
    assert code == 1 and "不存在" in capsys.readouterr().err
    assert not (tmp_path / "没有").exists()

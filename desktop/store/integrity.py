"""Whether the office's database is whole: SQLite's own checks, the audit trail's hash chain and
its protecting triggers. Each check says in Chinese what it found; desktop.office adds the
attachment files and puts the report together."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from desktop.formatting import chinese_moment
from desktop.store import audit
from desktop.store.database import OfficeDatabase

# The window's start-up check verifies the newest entries of the trail (all of them for years
# of a township office's work: 200,000 entries take about half a second); `uniondesk check`
# verifies every one.
QUICK_TRAIL_ENTRIES = 200_000


@dataclass(frozen=True)
class Finding:
    name: str  # a short key for scripts: sqlite, foreign_keys, audit_chain, triggers, attachments
    title: str  # what was checked, in Chinese
    ok: bool
    detail: str  # what was found, in Chinese
    data: dict[str, Any] = field(default_factory=dict)


def sqlite_check(db: OfficeDatabase, quick: bool) -> Finding:
    pragma = "quick_check" if quick else "integrity_check"
    try:
        rows = [r[0] for r in db.execute(f"PRAGMA {pragma}").fetchall()]
    except Exception as error:  # a damaged file may fail the check itself
        rows = [str(error.__cause__ or error)]
    if rows == ["ok"]:
        return Finding("sqlite", "数据库文件", True, "数据库文件完好。")
    # SQLite's own words are English and technical: counted here, kept whole for the
    # maintainer in the JSON report (problems).
    return Finding(
        "sqlite", "数据库文件", False,
        f"数据库文件有损坏：检查发现 {len(rows)} 处问题（详情在 uniondesk check --json 的"
        " problems 里，供维护人员查看）。请不要继续在这个文件上办理，从备份恢复。",
        {"problems": rows[:20]},
    )  # fmt: skip


def foreign_key_check(db: OfficeDatabase) -> Finding:
    rows = db.execute("PRAGMA foreign_key_check").fetchall()
    if not rows:
        return Finding("foreign_keys", "记录之间的关联", True, "各记录之间的关联完整。")
    tables = sorted({row[0] for row in rows})
    return Finding(
        "foreign_keys", "记录之间的关联", False,
        f"有 {len(rows)} 条记录指向已不存在的记录（{'、'.join(tables)}），可能被其他工具改过。"
        "请从备份恢复，或联系维护人员。",
        {"rows": len(rows), "tables": tables},
    )  # fmt: skip


def trigger_check(db: OfficeDatabase) -> Finding:
    missing = list(db.missing_triggers)
    if not missing:
        return Finding("triggers", "办理记录的保护", True, "办理记录只能追加、不能修改或删除。")
    return Finding(
        "triggers", "办理记录的保护", False,
        "打开数据时发现保护办理记录的设置被删除过（已重新加上）：有人用其他工具改动过数据库。"
        "请核对下面办理记录链的检查结果。",
        {"missing": missing},
    )  # fmt: skip


def _moment_text(stored: str) -> str:
    """A stored moment as the clerk reads it; as stored when it is not one (it was forged)."""
    try:
        return chinese_moment(datetime.fromisoformat(stored))
    except (TypeError, ValueError):
        return str(stored)


def audit_chain_check(db: OfficeDatabase, quick: bool) -> Finding:
    columns = ", ".join(audit.VERIFIED_COLUMNS)
    total = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    previous, start = audit.GENESIS, 0
    if quick and total > QUICK_TRAIL_ENTRIES:
        start_row = db.execute(
            "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1 OFFSET ?",
            [QUICK_TRAIL_ENTRIES],
        ).fetchone()
        start, previous = start_row[0], start_row[1] or audit.GENESIS
    rows = db.execute(
        f"SELECT {columns}, hash FROM audit_log WHERE id > ? ORDER BY id", [start]
    ).fetchall()
    broken = audit.verify_chain(rows, previous)
    checked = "最近 " + str(len(rows)) + " 条" if start else f"全部 {len(rows)} 条"
    if broken is None:
        return Finding(
            "audit_chain", "办理记录链", True, f"办理记录（{checked}）前后衔接，没有被改动。",
            {"entries": len(rows)},
        )  # fmt: skip
    return Finding(
        "audit_chain", "办理记录链", False,
        f"第 {broken.id} 条办理记录（{_moment_text(broken.at)}　{broken.actor}　{broken.action}）"
        f"{broken.reason}。这一条及以后的记录不可信，请从备份恢复，并查明是谁改动了数据库。",
        {"first_bad_entry": {"id": broken.id, "at": broken.at, "actor": broken.actor,
                             "action": broken.action}},
    )  # fmt: skip


def attachment_rows(db: OfficeDatabase) -> list[tuple[int, str, str, str]]:
    """(id, case number, stored name, recorded SHA-256) of every attachment."""
    return [
        (row[0], row[1], row[2], row[3])
        for row in db.execute(
            "SELECT a.id, c.number, a.stored_name, a.sha256 FROM attachments a"
            " JOIN cases c ON c.id = a.case_id ORDER BY a.id"
        ).fetchall()
    ]


# Where each kind of record keeps the moment it last changed; the trail must reach that far.
LATEST_CHANGES = (
    ("cases", "opened_at"),
    ("case_steps", "completed_at"),
    ("attachments", "added_at"),
    ("people", "updated_at"),
    ("enterprises", "updated_at"),
)


def trail_covers_data(db: OfficeDatabase) -> Finding:
    """Whether the trail still records what the records show was done. The chain cannot see its
    newest entries cut off (what is left still links up); the records can: a case with no entry
    at all, a worker never entered, or a step completed after the trail's last entry."""
    (last_at,) = db.execute("SELECT max(at) FROM audit_log").fetchone()
    problems: list[str] = []
    (cases,) = db.execute(
        "SELECT count(*) FROM cases c"
        " WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.case_id = c.id)"
    ).fetchone()
    if cases:
        problems.append(f"{cases} 件案件在办理记录里找不到任何一条")
    (people,) = db.execute(
        "SELECT count(*) FROM people p WHERE NOT EXISTS (SELECT 1 FROM audit_log a"
        " WHERE a.entity = 'person' AND a.entity_id = p.id)"
    ).fetchone()
    if people:
        problems.append(f"{people} 名职工在办理记录里没有登记的记录")
    latest = max(
        (
            row[0]
            for table, column in LATEST_CHANGES
            for row in [db.execute(f"SELECT max({column}) FROM {table}").fetchone()]
            if row[0]
        ),
        default=None,
    )
    if latest and (last_at is None or latest > last_at):
        problems.append(f"数据里有 {latest[:16].replace('T', ' ')} 的办理，办理记录却只到 "
                        f"{(last_at or '（空）')[:16].replace('T', ' ')}")  # fmt: skip
    if not problems:
        return Finding(
            "audit_complete", "办理记录是否完整", True, "每件案件、每名职工和最近的办理都有记录。"
        )
    return Finding(
        "audit_complete", "办理记录是否完整", False,
        f"{'；'.join(problems)}：办理记录可能被人用其他工具删去了最近的部分。"
        "请从备份恢复，或联系维护人员。",
        {"problems": problems},
    )  # fmt: skip

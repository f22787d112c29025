"""The audit trail: who changed what, when, from what to what; written with the change itself.

Personal numbers (ID numbers, phones) are written masked: a row can never be changed or removed,
so a whole number written here would stay for good, in every backup, after the record it
belonged to was corrected.

The trail is append-only twice over: triggers refuse an UPDATE or DELETE of its rows (and are
put back whenever the database is opened), and each row carries a SHA-256 over its own fields
and the hash of the row before it, so a row edited, removed or slipped in with another tool
breaks the chain at that row (``verify_chain``; `uniondesk check`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlite_utils

from desktop.identity import mask_personal

GENESIS = "0" * 64
CHAINED_COLUMNS = (
    "id", "at", "actor", "entity", "entity_id", "case_id", "action", "field", "old_value",
    "new_value",
)  # fmt: skip
# Added in version 12: the staff id of the actor. Chained when present, so rows written before
# it (NULL) keep their hashes and a row given or stripped of an id afterwards breaks the chain.
VERIFIED_COLUMNS = (*CHAINED_COLUMNS, "actor_id")
TRIGGERS = {
    "audit_log_no_update": "BEFORE UPDATE ON audit_log",
    "audit_log_no_delete": "BEFORE DELETE ON audit_log",
}


def entry_hash(previous: str, values: Sequence[Any], actor_id: int | None = None) -> str:
    """The hash of one audit row: its fields (in CHAINED_COLUMNS order) after the one before."""
    chained = [previous, *values] + ([actor_id] if actor_id is not None else [])
    text = json.dumps(chained, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def ensure_triggers(db: sqlite_utils.Database) -> list[str]:
    """Put back any trigger that protects the trail; the names of those that were missing."""
    present = {
        row[0]
        for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
    }
    missing = [name for name in TRIGGERS if name not in present]
    for name in missing:
        db.execute(
            f"CREATE TRIGGER {name} {TRIGGERS[name]} BEGIN"
            " SELECT RAISE(ABORT, 'audit_log is append-only'); END"
        )
    return missing


@dataclass(frozen=True)
class BrokenEntry:
    """The first audit row whose hash does not follow from the rows before it."""

    id: int
    at: str
    actor: str
    action: str
    reason: str


def verify_chain(rows: Iterable[Sequence[Any]], previous: str = GENESIS) -> BrokenEntry | None:
    """Walk rows of (VERIFIED_COLUMNS..., hash) in id order; the first that breaks the chain.

    A changed row gives a different hash; a removed row leaves the next one's hash not
    following from its new predecessor; a row added with another tool has no valid hash.
    """
    last_id = 0
    for row in rows:
        *values, actor_id, stored = row
        expected = entry_hash(previous, values, actor_id)
        row_id, at, actor, action = values[0], values[1], values[2], values[6]
        if stored != expected:
            reason = "记录内容与其校验值不符（被修改、删除了前一条，或由其他工具插入）"
            return BrokenEntry(row_id, at, actor, action, reason)
        if row_id <= last_id:  # pragma: no cover - ids only grow
            return BrokenEntry(row_id, at, actor, action, "记录顺序被打乱")
        last_id, previous = row_id, stored
    return None


def as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (dict, list, tuple, set)):
        return json.dumps(sorted(value) if isinstance(value, set) else value, ensure_ascii=False)
    return str(value)


def record(
    db: sqlite_utils.Database,
    *,
    at: datetime,
    actor: str,
    entity: str,
    entity_id: int,
    action: str,
    field: str = "",
    old: Any = None,
    new: Any = None,
    case_id: int | None = None,
) -> None:
    """One audit row, chained to the one before; the caller is inside the transaction of the
    change it describes (the write lock keeps the chain's last row where it is).

    The actor is a name as people read it; the row also keeps the staff id of the staff member
    of that name (none for 系统 or 命令行), which stays right when two people share a name
    over the years or a name is later spelled differently."""
    with db.atomic():
        staff = db.execute("SELECT id FROM office_staff WHERE name = ?", [actor]).fetchone()
        actor_id = staff[0] if staff else None
        last = db.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        row_id = (last[0] + 1) if last else 1
        values = [
            row_id, at.isoformat(timespec="seconds"), actor, entity, entity_id, case_id,
            action, field, as_text(old), as_text(new),
        ]  # fmt: skip
        digest = entry_hash(last[1] if last and last[1] else GENESIS, values, actor_id)
        db.execute(
            "INSERT INTO audit_log (id, at, actor, entity, entity_id, case_id, action, field,"
            " old_value, new_value, actor_id, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [*values, actor_id, digest],
        )


def record_changes(
    db: sqlite_utils.Database,
    *,
    at: datetime,
    actor: str,
    entity: str,
    entity_id: int,
    old: dict[str, Any],
    new: dict[str, Any],
    case_id: int | None = None,
    action: str = "修改",
    personal: Mapping[str, str] | None = None,
) -> int:
    """An audit row per field whose value changed; returns how many changed.

    ``personal`` names the fields holding personal numbers, with their kind (``{"phone":
    "phone"}``): their old and new values are written masked (desktop.identity.mask_personal).
    """
    personal = personal or {}
    changed = 0
    for key, value in new.items():
        before, after = as_text(old.get(key)), as_text(value)
        if before != after:
            if key in personal:
                before = mask_personal(personal[key], before) if before is not None else None
                after = mask_personal(personal[key], after) if after is not None else None
            record(
                db,
                at=at,
                actor=actor,
                entity=entity,
                entity_id=entity_id,
                action=action,
                field=key,
                old=before,
                new=after,
                case_id=case_id,
            )
            changed += 1
    return changed

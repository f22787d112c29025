"""The audit trail: who changed what, when, from what to what; written with the change itself."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import sqlite_utils


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
    """One audit row; the caller is inside the transaction of the change it describes."""
    db.execute(
        "INSERT INTO audit_log (at, actor, entity, entity_id, case_id, action, field,"
        " old_value, new_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            at.isoformat(timespec="seconds"),
            actor,
            entity,
            entity_id,
            case_id,
            action,
            field,
            as_text(old),
            as_text(new),
        ],
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
) -> int:
    """An audit row per field whose value changed; returns how many changed."""
    changed = 0
    for key, value in new.items():
        if as_text(old.get(key)) != as_text(value):
            record(
                db,
                at=at,
                actor=actor,
                entity=entity,
                entity_id=entity_id,
                action=action,
                field=key,
                old=old.get(key),
                new=value,
                case_id=case_id,
            )
            changed += 1
    return changed

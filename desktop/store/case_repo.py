"""Cases, their steps, logs, attachments and the office calendar in the database.

Callers (desktop.cases.service) open the transaction; these methods only read and write rows.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import sqlite_utils

from desktop.book.loader import read_stored_procedure
from desktop.book.procedures import Procedure
from desktop.book.search import subject_name_keys
from desktop.cases.calendar import OfficeDay
from desktop.cases.engine import CaseState, StepRecord
from desktop.cases.records import (
    Attachment,
    AuditEntry,
    CaseFilter,
    CaseRow,
    CaseSearch,
    EarlierPayment,
    LogEntry,
    case_search,
    from_iso,
)
from desktop.changes import CALENDAR, Changes

CASE_ORDER: dict[str, tuple[str, ...]] = {
    "number": ("c.prefix", "c.year", "c.serial"),
    "opened": ("c.opened_at",),
    # What the 到期日 column shows; matches the cases_by_shown_due index expression.
    "due": ("coalesce(c.next_due_at, c.due_at)",),
    "subject": ("c.subject_pinyin",),
    "service_item": ("c.service_item_id",),
    "status": ("c.status",),
    "current_step": ("c.current_step_title",),
    "responsible": ("c.responsible",),
}


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment is not None else None


_STEP_COLUMNS = (
    "case_id", "step_id", "position", "status", "started_at", "completed_at", "completed_by",
    "edited_by", "due_at", "field_values", "materials", "note", "eligibility", "approval",
    "completed_by_id", "editor_ids",
)  # fmt: skip
_SAVE_STEP_SQL = (
    f"INSERT INTO case_steps ({', '.join(_STEP_COLUMNS)})"
    f" VALUES ({', '.join('?' for _ in _STEP_COLUMNS)})"
    " ON CONFLICT (case_id, step_id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _STEP_COLUMNS if c not in ("case_id", "step_id"))
)


def _step_row(
    case_id: int, position: int, record: StepRecord, due: datetime | None
) -> tuple[Any, ...]:
    """A step as its case_steps row holds it, column for column with _STEP_COLUMNS."""
    return (
        case_id, record.step_id, position, record.status, iso(record.started_at),
        iso(record.completed_at), record.completed_by, record.edited_by, iso(due),
        json.dumps(record.values, ensure_ascii=False),
        json.dumps(sorted(record.materials), ensure_ascii=False), record.note,
        json.dumps(record.eligibility, ensure_ascii=False)
        if record.eligibility is not None else None,
        json.dumps(record.approval, ensure_ascii=False) if record.approval is not None else None,
        record.completed_by_id, json.dumps(sorted(record.editor_ids)),
    )  # fmt: skip


def _like_pattern(text: str, anywhere: bool) -> str:
    """A LIKE pattern (ESCAPE '\\') finding ``text`` as typed: % and _ are not wildcards."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%" if anywhere else f"{escaped}%"


def _search_clause(search: CaseSearch) -> tuple[str, list[Any]]:
    """The SQL for desktop.cases.records.CaseSearch: any one way of naming a case matches.

    Every part reads a stored column (the pinyin keys are written with the case), so a search
    costs one pass over the cases and no pinyin is worked out per row.
    """
    parts = ["c.subject_name LIKE ? ESCAPE '\\'"]
    params: list[Any] = [_like_pattern(search.name, anywhere=True)]
    if search.number is not None:
        parts.append("replace(c.number, '-', '') LIKE ?")
        params.append(f"%{search.number}%")
    if search.serial is not None:
        prefix, year, serial = search.serial
        parts.append("(c.year = ? AND c.serial = ?" + (" AND c.prefix = ?)" if prefix else ")"))
        params += [year, serial, *([prefix] if prefix else [])]
    if search.pinyin is not None:
        # As the people page finds them: a person's name from its start, a firm's anywhere.
        # (Pinyin is plain letters, with no wildcard to escape.)
        parts.append(
            "(c.person_id IS NOT NULL AND (c.subject_initials LIKE ? OR c.subject_pinyin LIKE ?))"
            " OR (c.person_id IS NULL AND (c.subject_initials LIKE ? OR c.subject_pinyin LIKE ?))"
        )
        params += [f"{search.pinyin}%"] * 2 + [f"%{search.pinyin}%"] * 2
    return "(" + " OR ".join(parts) + ")", params


class CaseRepository:
    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        self._procedures: dict[str, Procedure] = {}

    def _rows(self, sql: str, params: list[Any] | tuple = ()) -> list[dict]:
        cursor = self.db.execute(sql, list(params))
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    # --- procedure versions ------------------------------------------------------------------

    def remember_procedure(self, procedure: Procedure, now: datetime) -> str:
        self.db.execute(
            "INSERT INTO procedure_versions (hash, procedure_id, version, title, source_text,"
            " first_seen) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING",
            [
                procedure.source_hash, procedure.id, procedure.version, procedure.title,
                procedure.source_text, iso(now),
            ],
        )  # fmt: skip
        self._procedures[procedure.source_hash] = procedure
        return procedure.source_hash

    def procedure(self, source_hash: str) -> Procedure:
        if source_hash not in self._procedures:
            row = self.db.execute(
                "SELECT source_text FROM procedure_versions WHERE hash = ?", [source_hash]
            ).fetchone()
            if row is None:
                raise KeyError(source_hash)
            self._procedures[source_hash] = read_stored_procedure(row[0])
        return self._procedures[source_hash]

    # --- cases -------------------------------------------------------------------------------

    def next_serial(self, prefix: str, year: int) -> int:
        row = self.db.execute(
            "SELECT max(serial) FROM cases WHERE prefix = ? AND year = ?", [prefix, year]
        ).fetchone()
        return (row[0] or 0) + 1

    def insert_case(self, values: dict[str, Any]) -> int:
        row = {k: iso(v) if isinstance(v, datetime) else v for k, v in values.items()}
        row["subject_initials"], row["subject_pinyin"] = subject_name_keys(
            values["subject_name"], values.get("person_id") is not None
        )
        cursor = self.db.execute(
            f"INSERT INTO cases ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )
        self.db.report(Changes.of(cases=[cursor.lastrowid]))
        return cursor.lastrowid

    def update_case(self, case_id: int, values: dict[str, Any]) -> None:
        row = {k: iso(v) if isinstance(v, datetime) else v for k, v in values.items()}
        assignments = ", ".join(f"{k} = ?" for k in row)
        self.db.execute(f"UPDATE cases SET {assignments} WHERE id = ?", [*row.values(), case_id])
        self.db.report(Changes.of(cases=[case_id]))

    def bump_version(self, case_id: int) -> None:
        """Count one more change of the case, for the next writer to compare against."""
        self.db.execute("UPDATE cases SET version = version + 1 WHERE id = ?", [case_id])

    def last_change(self, case_id: int) -> AuditEntry | None:
        rows = self._rows(
            "SELECT * FROM audit_log WHERE case_id = ? ORDER BY id DESC LIMIT 1", [case_id]
        )
        if not rows:
            return None
        r = rows[0]
        return AuditEntry(
            from_iso(r["at"]), r["actor"], r["entity"], r["action"], r["field"],
            r["old_value"], r["new_value"],
        )  # fmt: skip

    def case(self, case_id: int) -> CaseRow | None:
        rows = self._rows("SELECT * FROM cases WHERE id = ?", [case_id])
        return CaseRow.from_row(rows[0]) if rows else None

    def case_by_number(self, number: str) -> CaseRow | None:
        rows = self._rows("SELECT * FROM cases WHERE number = ?", [number.strip().upper()])
        return CaseRow.from_row(rows[0]) if rows else None

    def save_steps(self, case_id: int, state: CaseState, due: dict[str, datetime | None]) -> None:
        """Write the steps whose row differs from what was read (a save touches one or two)."""
        for position, step in enumerate(state.procedure.steps):
            record = state.record(step.id)
            row = _step_row(case_id, position, record, due.get(step.id))
            if row == record.stored_row:
                continue
            self.db.execute(_SAVE_STEP_SQL, list(row))
            record.stored_row = row
            self.db.report(Changes.of(cases=[case_id]))

    def earlier_payments(
        self, row: CaseRow, paid_fields: dict[str, set[str]]
    ) -> list[EarlierPayment]:
        """What the other cases of this person, procedure and kind opened in the same year
        paid, from their completed steps' ``paid`` fields (``paid_fields``: step id → field
        ids). Refused and terminated cases count only if they got as far as paying."""
        if row.person_id is None or not paid_fields:
            return []
        marks = ", ".join("?" * len(paid_fields))
        found = []
        for r in self._rows(
            "SELECT c.number, s.step_id, s.completed_at, s.field_values FROM cases c"
            " JOIN case_steps s ON s.case_id = c.id"
            " WHERE c.person_id = ? AND c.procedure_id = ? AND c.kind = ? AND c.year = ?"
            f" AND c.id != ? AND s.status = 'done' AND s.step_id IN ({marks})"
            " ORDER BY s.completed_at",
            [row.person_id, row.procedure_id, row.kind, row.opened_at.year, row.id,
             *paid_fields],
        ):  # fmt: skip
            values = json.loads(r["field_values"] or "{}")
            for field_id in sorted(paid_fields[r["step_id"]]):
                amount = values.get(field_id)
                if isinstance(amount, int) and not isinstance(amount, bool) and amount > 0:
                    found.append(EarlierPayment(r["number"], from_iso(r["completed_at"]), amount))
        return found

    def step_records(self, case_id: int) -> tuple[dict[str, StepRecord], dict[str, datetime]]:
        records: dict[str, StepRecord] = {}
        due: dict[str, datetime] = {}
        for row in self._rows("SELECT * FROM case_steps WHERE case_id = ?", [case_id]):
            record = StepRecord(
                step_id=row["step_id"],
                status=row["status"],
                started_at=from_iso(row["started_at"]),
                completed_at=from_iso(row["completed_at"]),
                completed_by=row["completed_by"],
                edited_by=row["edited_by"],
                values=json.loads(row["field_values"]),
                materials=set(json.loads(row["materials"])),
                note=row["note"],
                eligibility=json.loads(row["eligibility"]) if row["eligibility"] else None,
                approval=json.loads(row["approval"]) if row["approval"] else None,
                completed_by_id=row["completed_by_id"],
                editor_ids=set(json.loads(row["editor_ids"])),
            )
            record.stored_row = tuple(row[column] for column in _STEP_COLUMNS)
            records[row["step_id"]] = record
            if row["due_at"]:
                due[row["step_id"]] = from_iso(row["due_at"])
        return records, due

    def _where(self, filter: CaseFilter) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if filter.status == "overdue":
            clauses.append("c.status = 'open' AND c.next_due_at < ?")
            params.append(iso(filter.now or datetime.now()))
        elif filter.status in ("due_today", "due_soon"):
            # The same bounds as due_counts, so a tile's figure and its list agree.
            lower = ">=" if filter.status == "due_today" else ">"
            clauses.append(f"c.status = 'open' AND c.next_due_at {lower} ? AND c.next_due_at <= ?")
            params += [iso(filter.due_after), iso(filter.due_until)]
        elif filter.status:
            clauses.append("c.status = ?")
            params.append(filter.status)
        if filter.service_item_id:
            clauses.append("c.service_item_id = ?")
            params.append(filter.service_item_id)
        if filter.person_id is not None:
            clauses.append("c.person_id = ?")
            params.append(filter.person_id)
        if filter.enterprise_id is not None:
            clauses.append("c.enterprise_id = ?")
            params.append(filter.enterprise_id)
        if filter.responsible:
            clauses.append("c.responsible = ?")
            params.append(filter.responsible)
        if filter.opened_from is not None:
            clauses.append("c.opened_at >= ?")
            params.append(filter.opened_from.isoformat())
        if filter.opened_to is not None:
            clauses.append("c.opened_at < date(?, '+1 day')")
            params.append(filter.opened_to.isoformat())
        search = case_search(filter.text)
        if search is not None:
            clause, values = _search_clause(search)
            clauses.append(clause)
            params += values
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def count_cases(self, filter: CaseFilter = CaseFilter()) -> int:
        where, params = self._where(filter)
        return self.db.execute(f"SELECT count(*) FROM cases c{where}", params).fetchone()[0]

    def cases(
        self,
        filter: CaseFilter = CaseFilter(),
        order: str = "opened",
        descending: bool = True,
        offset: int = 0,
        limit: int = 200,
    ) -> list[CaseRow]:
        where, params = self._where(filter)
        parts = CASE_ORDER.get(order, CASE_ORDER["opened"])
        direction = " DESC" if descending else ""
        # A search keeps few of the cases: reading them in one pass and sorting those beats
        # walking the order's index through every case to find them (unary + is a no-op that
        # keeps SQLite off the index: 10,000 cases, 30 ms → 6–20 ms).
        plus = "+" if case_search(filter.text) is not None else ""
        order_sql = ", ".join(f"{plus}{p}{direction}" for p in parts) + f", c.id{direction}"
        rows = self._rows(
            f"SELECT c.* FROM cases c{where} ORDER BY {order_sql} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [CaseRow.from_row(r) for r in rows]

    def earlier_cases(
        self, person_id: int, procedure_id: str, kind: str, year: int
    ) -> list[CaseRow]:
        rows = self._rows(
            "SELECT * FROM cases WHERE person_id = ? AND procedure_id = ? AND kind = ?"
            " AND year = ? AND status != 'terminated' ORDER BY opened_at",
            [person_id, procedure_id, kind, year],
        )
        return [CaseRow.from_row(r) for r in rows]

    # --- the to-do dashboard -----------------------------------------------------------------

    def due_counts(self, now: datetime, end_of_today: datetime, soon: datetime) -> dict[str, int]:
        row = self.db.execute(
            "SELECT"
            " sum(next_due_at < ?),"
            " sum(next_due_at >= ? AND next_due_at <= ?),"
            " sum(next_due_at > ? AND next_due_at <= ?),"
            " count(*)"
            " FROM cases WHERE status = 'open'",
            [iso(now), iso(now), iso(end_of_today), iso(end_of_today), iso(soon)],
        ).fetchone()
        return {
            "overdue": row[0] or 0,
            "due_today": row[1] or 0,
            "due_soon": row[2] or 0,
            "open": row[3] or 0,
        }

    def open_by_responsible(self, now: datetime) -> list[tuple[str, int, int]]:
        """(responsible person, open cases, of which overdue), busiest first."""
        return [
            (row[0] or "（未指定）", row[1], row[2] or 0)
            for row in self.db.execute(
                "SELECT responsible, count(*), sum(next_due_at < ?) FROM cases"
                " WHERE status = 'open' GROUP BY responsible ORDER BY count(*) DESC",
                [iso(now)],
            ).fetchall()
        ]

    def on_time_by_service_item(self) -> list[tuple[str, int, int]]:
        """(service item, served cases, of which on time) from cases whose service ended."""
        return [
            (row[0], row[1], row[2] or 0)
            for row in self.db.execute(
                "SELECT service_item_id, count(*), sum(served_at <= due_at) FROM cases"
                " WHERE served_at IS NOT NULL GROUP BY service_item_id ORDER BY service_item_id"
            ).fetchall()
        ]

    # --- logs, attachments, audit ------------------------------------------------------------

    def add_log(self, case_id: int, step_id: str, at: datetime, author: str, text: str) -> int:
        cursor = self.db.execute(
            "INSERT INTO step_log (case_id, step_id, at, author, text) VALUES (?, ?, ?, ?, ?)",
            [case_id, step_id, iso(at), author, text],
        )
        self.db.report(Changes.of(cases=[case_id]))
        return cursor.lastrowid

    def logs(self, case_id: int) -> list[LogEntry]:
        return [
            LogEntry(r["id"], r["step_id"], from_iso(r["at"]), r["author"], r["text"])
            for r in self._rows("SELECT * FROM step_log WHERE case_id = ? ORDER BY id", [case_id])
        ]

    def add_attachment(self, case_id: int, values: dict[str, Any]) -> int:
        row = {"case_id": case_id, **values, "added_at": iso(values["added_at"])}
        cursor = self.db.execute(
            f"INSERT INTO attachments ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )
        self.db.report(Changes.of(cases=[case_id]))
        return cursor.lastrowid

    def attachments(self, case_id: int) -> list[Attachment]:
        return [
            Attachment(
                r["id"],
                r["step_id"],
                r["file_name"],
                r["stored_name"],
                r["sha256"],
                r["size"],
                r["purpose"],
                from_iso(r["added_at"]),
                r["added_by"],
            )  # fmt: skip
            for r in self._rows(
                "SELECT * FROM attachments WHERE case_id = ? ORDER BY id", [case_id]
            )
        ]

    def attachment_names(self) -> list[str]:
        return [
            row[0]
            for row in self.db.execute(
                "SELECT DISTINCT stored_name FROM attachments ORDER BY stored_name"
            ).fetchall()
        ]

    def timeline(self, case_id: int) -> list[AuditEntry]:
        return [
            AuditEntry(
                from_iso(r["at"]),
                r["actor"],
                r["entity"],
                r["action"],
                r["field"],
                r["old_value"],
                r["new_value"],
            )  # fmt: skip
            for r in self._rows("SELECT * FROM audit_log WHERE case_id = ? ORDER BY id", [case_id])
        ]

    # --- the office's holiday table ----------------------------------------------------------

    def office_days(self) -> list[OfficeDay]:
        return [
            OfficeDay(date.fromisoformat(r[0]), bool(r[1]), r[2])
            for r in self.db.execute(
                "SELECT day, working, note FROM calendar_days ORDER BY day"
            ).fetchall()
        ]

    def replace_office_days(self, days: list[OfficeDay]) -> None:
        self.db.report(Changes.of(settings=[CALENDAR]))
        self.db.execute("DELETE FROM calendar_days")
        for day in days:
            self.db.execute(
                "INSERT INTO calendar_days (day, working, note) VALUES (?, ?, ?)",
                [day.day.isoformat(), int(day.working), day.note],
            )

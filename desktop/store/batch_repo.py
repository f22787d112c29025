"""The batch numbers of sign-off sheets and the cases each lists (schema version 14)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlite_utils

from desktop.changes import Changes


@dataclass(frozen=True)
class SignoffBatch:
    number: str  # FF-2026-003
    form_id: str
    case_ids: tuple[int, ...]  # in the order the sheet lists them
    created_at: datetime
    created_by: str


def case_set(case_ids: Sequence[int]) -> str:
    return ",".join(str(i) for i in sorted(set(case_ids)))


class SignoffBatchRepository:
    def __init__(self, db: sqlite_utils.Database):
        self.db = db

    def find(self, form_id: str, case_ids: Sequence[int]) -> SignoffBatch | None:
        """The latest batch of the sheet ``form_id`` over exactly these cases."""
        row = self.db.execute(
            "SELECT id, number, created_at, created_by FROM signoff_batches"
            " WHERE form_id = ? AND case_set = ? ORDER BY id DESC LIMIT 1",
            [form_id, case_set(case_ids)],
        ).fetchone()
        return self._batch(row, form_id) if row else None

    def _batch(self, row, form_id: str) -> SignoffBatch:
        batch_id, number, created_at, created_by = row
        listed = self.db.execute(
            "SELECT case_id FROM signoff_batch_cases WHERE batch_id = ? ORDER BY position",
            [batch_id],
        ).fetchall()
        return SignoffBatch(
            number,
            form_id,
            tuple(r[0] for r in listed),
            datetime.fromisoformat(created_at),
            created_by,
        )

    def create(
        self,
        form_id: str,
        prefix: str,
        year: int,
        case_ids: Sequence[int],
        at: datetime,
        by: str,
    ) -> SignoffBatch:
        """A new batch, numbered next after the last of its prefix and year; the caller is
        inside the transaction that records it on the cases."""
        with self.db.atomic():
            last = self.db.execute(
                "SELECT max(serial) FROM signoff_batches WHERE prefix = ? AND year = ?",
                [prefix, year],
            ).fetchone()[0]
            serial = (last or 0) + 1
            number = f"{prefix}-{year}-{serial:03d}"
            self.db.execute(
                "INSERT INTO signoff_batches (number, form_id, prefix, year, serial, case_set,"
                " created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    number, form_id, prefix, year, serial, case_set(case_ids),
                    at.isoformat(timespec="seconds"), by,
                ],
            )  # fmt: skip
            [batch_id] = self.db.execute(
                "SELECT id FROM signoff_batches WHERE number = ?", [number]
            ).fetchone()
            self.db.conn.executemany(
                "INSERT INTO signoff_batch_cases (batch_id, case_id, position) VALUES (?, ?, ?)",
                [(batch_id, case_id, i) for i, case_id in enumerate(case_ids, 1)],
            )
            self.db.report(Changes.of(cases=case_ids))
        return SignoffBatch(number, form_id, tuple(case_ids), at, by)

    def of_case(self, case_id: int) -> list[SignoffBatch]:
        """Every batch of any sheet that lists the case, the first printed first."""
        rows = self.db.execute(
            "SELECT b.id, b.number, b.created_at, b.created_by, b.form_id FROM signoff_batches b"
            " JOIN signoff_batch_cases c ON c.batch_id = b.id WHERE c.case_id = ? ORDER BY b.id",
            [case_id],
        ).fetchall()
        return [self._batch(row[:4], row[4]) for row in rows]

    def earlier_batches(self, form_id: str, case_ids: Sequence[int]) -> dict[int, list[str]]:
        """For each of the cases listed on an earlier batch of the sheet, those batches' numbers."""
        if not case_ids:
            return {}
        marks = ",".join("?" * len(case_ids))
        rows = self.db.execute(
            "SELECT c.case_id, b.number FROM signoff_batch_cases c"
            " JOIN signoff_batches b ON b.id = c.batch_id"
            f" WHERE b.form_id = ? AND c.case_id IN ({marks}) ORDER BY b.id",
            [form_id, *case_ids],
        ).fetchall()
        found: dict[int, list[str]] = {}
        for case_id, number in rows:
            found.setdefault(case_id, []).append(number)
        return found

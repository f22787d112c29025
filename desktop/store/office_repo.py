"""The office's own settings (its name, whether it holds demo data), kept in the database."""

from __future__ import annotations

import sqlite_utils

from desktop.changes import Changes


class OfficeSettingsRepository:
    def __init__(self, db: sqlite_utils.Database):
        self.db = db

    def get(self, key: str, default: str = "") -> str:
        row = self.db.execute("SELECT value FROM office_settings WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_many(self, values: dict[str, str]) -> None:
        with self.db.atomic():
            for key, value in values.items():
                self.db.execute(
                    "INSERT INTO office_settings (key, value) VALUES (?, ?)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [key, value],
                )
            self.db.report(Changes.of(settings=values))

    def has_office_data(self) -> bool:
        """Whether anything of the office's own has been saved (beyond the imported book)."""
        return any(
            self.db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone()
            for table in ("office_settings", "service_responsibles")
        )

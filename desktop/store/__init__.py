"""Persistence: the SQLite database, its schema and migrations, and the repositories (no Qt)."""

from desktop.store.database import (
    DamagedStore,
    DiskFull,
    OfficeDatabase,
    ReadOnlyStore,
    StoreBusy,
    StoreError,
    StoreUnavailable,
)
from desktop.store.schema import SCHEMA_VERSION, open_database

__all__ = [
    "SCHEMA_VERSION", "DamagedStore", "DiskFull", "OfficeDatabase", "ReadOnlyStore", "StoreBusy",
    "StoreError", "StoreUnavailable", "open_database",
]  # fmt: skip

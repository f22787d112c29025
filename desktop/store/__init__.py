"""Persistence: the SQLite database, its schema and migrations, and the repositories (no Qt)."""

from desktop.errors import (
    DamagedStore,
    DiskFull,
    ReadOnlyStore,
    StoreBusy,
    StoreError,
    StoreUnavailable,
)
from desktop.store.database import OfficeDatabase
from desktop.store.schema import SCHEMA_VERSION, open_database

__all__ = [
    "SCHEMA_VERSION", "DamagedStore", "DiskFull", "OfficeDatabase", "ReadOnlyStore", "StoreBusy",
    "StoreError", "StoreUnavailable", "open_database",
]  # fmt: skip

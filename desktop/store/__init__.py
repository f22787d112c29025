"""Persistence: the SQLite database, its schema and migrations, and the repositories (no Qt)."""

from desktop.store.schema import SCHEMA_VERSION, StoreError, open_database

__all__ = ["SCHEMA_VERSION", "StoreError", "open_database"]

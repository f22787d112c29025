"""A consistent copy of the office database while the program may be writing to it.

SQLite's online backup API copies page by page on a connection of its own, so a copy taken
while a window is open is a moment's state, with the write-ahead log folded in.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from desktop.errors import StoreError
from desktop.store.database import sorted_error

PAGES_PER_STEP = 256


def copy_database(
    source: Path, target: Path, progress: Callable[[int, int], None] | None = None
) -> None:
    """Copy the database file ``source`` to ``target`` (which must not exist yet)."""
    try:
        reader = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise sorted_error(error, str(source)) or StoreError(str(error)) from error
    try:
        writer = sqlite3.connect(target)
        try:

            def report(_status: int, remaining: int, total: int) -> None:
                if progress is not None:
                    progress(total - remaining, total)

            reader.backup(writer, pages=PAGES_PER_STEP, progress=report)
            writer.execute("PRAGMA journal_mode = DELETE")  # one file, no -wal beside it
        finally:
            writer.close()
    except sqlite3.Error as error:
        raise sorted_error(error, str(target)) or StoreError(str(error)) from error
    finally:
        reader.close()

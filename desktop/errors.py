"""Faults of the data folder the clerk can do something about, each with a Chinese message that
says what happened and what to do. The store raises them (desktop.store.database sorts SQLite's
errors into these); the window shows them in a message box and the command line prints them and
exits 1. Anything else that goes wrong is a bug and goes to the crash report.
"""

from __future__ import annotations


class StoreError(Exception):
    """The data file cannot be used as asked; the message tells the clerk what to do."""


class StoreBusy(StoreError):
    """Another window or program held the write lock for longer than the busy timeout."""


class DiskFull(StoreError):
    pass


class ReadOnlyStore(StoreError):
    pass


class DamagedStore(StoreError):
    """The file is damaged or is not a UnionDesk database."""


class StoreUnavailable(StoreError):
    """The file could not be read or written at all (a removed disk, a network share gone)."""

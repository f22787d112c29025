"""Faults of the data folder the clerk can do something about, each with a Chinese message that
says what happened and what to do. The store raises them (desktop.store.database sorts SQLite's
errors into these); the window shows them in a message box and the command line prints them and
exits 1. Anything else that goes wrong is a bug and goes to the crash report.
"""

from __future__ import annotations

import errno


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


class NoOfficeHere(StoreError):
    """A folder opened only to read (Office.open(create=False)) holds no office: it does not
    exist, is a file, or has no UnionDesk data in it. Nothing was created."""


def os_error_text(error: OSError) -> str:
    """What went wrong with a file or folder, in Chinese (the system's own words are often
    English)."""
    known = {
        errno.EROFS: "磁盘或 U 盘是只读的（写保护）",
        errno.EACCES: "没有写入的权限",
        errno.EPERM: "没有写入的权限",
        errno.ENOSPC: "磁盘空间已满",
        errno.ENOENT: "找不到这个文件或文件夹",
        errno.EIO: "读写磁盘出错（磁盘或 U 盘可能已拔出）",
    }
    return known.get(error.errno or -1, error.strerror or str(error))

"""The office's SQLite connection: write transactions, faults sorted into plain words, and the
report of what each committed write changed.

Three things every write needs, kept in one place so no caller can forget them:
- a write transaction takes the write lock when it begins (BEGIN IMMEDIATE) and waits for it
  up to the busy timeout, instead of failing half-way when another window writes too;
- a failure the clerk can do something about (busy, disk full, read-only folder, damaged or
  foreign file, a disk gone) becomes a StoreError subclass with a Chinese message saying what
  happened and what to do; anything else is a bug and propagates as it is (qutebrowser sorts
  its SQL errors the same way, misc/sql.py);
- what the repositories report having changed is collected while the transaction runs and
  handed to the listeners after it commits (desktop.changes).
"""

from __future__ import annotations

import contextlib
import secrets
import sqlite3
from collections.abc import Generator, Sequence
from typing import Any

import sqlite_utils

from desktop.changes import NO_CHANGES, Changes, Listener
from desktop.errors import (
    DamagedStore,
    DiskFull,
    ReadOnlyStore,
    StoreBusy,
    StoreError,
    StoreUnavailable,
)

BUSY_TIMEOUT_MS = 5000
WRITING = frozenset({"INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER"})
READING = frozenset({"SELECT", "WITH", "PRAGMA"})


def _sqlite_code(error: sqlite3.Error) -> str:
    name = getattr(error, "sqlite_errorname", "") or ""  # Python 3.11+; e.g. SQLITE_IOERR_WRITE
    if name.startswith("SQLITE_"):
        return "_".join(name.split("_")[:2])
    text = str(error).lower()
    for needle, code in (
        ("locked", "SQLITE_BUSY"),
        ("busy", "SQLITE_BUSY"),
        ("disk is full", "SQLITE_FULL"),
        ("readonly", "SQLITE_READONLY"),
        ("read-only", "SQLITE_READONLY"),
        ("malformed", "SQLITE_CORRUPT"),
        ("not a database", "SQLITE_NOTADB"),
        ("disk i/o", "SQLITE_IOERR"),
        ("unable to open", "SQLITE_CANTOPEN"),
    ):
        if needle in text:
            return code
    return ""


def sorted_error(error: sqlite3.Error, where: str = "", reading: bool = False) -> StoreError | None:
    """The StoreError the clerk should see for ``error``, or None when it is a bug.
    ``reading``: met while reading, so nothing the clerk did was lost."""
    code = _sqlite_code(error)
    place = f"（{where}）" if where else ""
    if reading and code in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
        return DamagedStore(
            f"数据文件已损坏{place}，有一部分数据读不出来，程序只能显示读得出来的部分。"
            "请不要继续在这个文件上办理：用“文件 → 备份与恢复”从备份恢复，或联系维护人员。"
        )
    if code in ("SQLITE_BUSY", "SQLITE_LOCKED"):
        return StoreBusy(
            f"另一个窗口或程序正在写入数据{place}，等了 {BUSY_TIMEOUT_MS // 1000} 秒仍未完成，"
            "刚才的操作没有保存。请稍候再试；若一直如此，请关闭其他打开同一数据文件夹的窗口。"
        )
    if code == "SQLITE_FULL":
        return DiskFull(
            f"磁盘空间已满{place}，刚才的操作没有保存，已有的数据不受影响。"
            "请清理磁盘空间（或把数据文件夹移到空间充足的磁盘）后再试。"
        )
    if code == "SQLITE_READONLY":
        return ReadOnlyStore(
            f"数据文件夹是只读的{place}，刚才的操作没有保存，已有的数据不受影响。"
            "请检查文件夹的权限（或 U 盘的写保护开关），或换一个可以写入的数据文件夹。"
        )
    if code in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
        return DamagedStore(
            f"数据文件已损坏或不是 UnionDesk 的数据文件{place}，刚才的操作没有保存。"
            "请不要继续在这个文件上办理，从备份恢复，或联系维护人员。"
        )
    if code in ("SQLITE_IOERR", "SQLITE_CANTOPEN"):
        return StoreUnavailable(
            f"读写数据文件时出错{place}，刚才的操作可能没有保存。"
            "请检查存放数据的磁盘或 U 盘是否还连着，然后重新打开程序。"
        )
    return None


class SortedCursor:
    """A cursor whose reads sort faults too: a damaged page is often met while rows are
    fetched, after the statement itself was accepted."""

    def __init__(self, cursor: sqlite3.Cursor):
        self._cursor = cursor

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)

    def _sorted(self, read):
        try:
            return read()
        except sqlite3.Error as error:
            sorted_ = sorted_error(error, reading=True)
            if sorted_ is None:
                raise
            raise sorted_ from error

    def fetchone(self) -> Any:
        return self._sorted(self._cursor.fetchone)

    def fetchall(self) -> list[Any]:
        return self._sorted(self._cursor.fetchall)

    def fetchmany(self, size: int = 1) -> list[Any]:
        return self._sorted(lambda: self._cursor.fetchmany(size))

    def __iter__(self):
        while True:
            row = self.fetchone()
            if row is None:
                return
            yield row


class OfficeDatabase(sqlite_utils.Database):
    """sqlite_utils.Database with immediate write transactions, sorted errors and change
    reports. Repositories call ``report(Changes...)`` for what they write."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._pending = NO_CHANGES
        self._listeners: list[Listener] = []
        # Names of the audit trail's triggers that were gone when the file was opened.
        self.missing_triggers: list[str] = []
        # What PRAGMA quick_check found when the file was opened; nothing is written then.
        self.damaged: list[str] = []
        super().__init__(*args, **kwargs)

    # --- who hears about changes ------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        with contextlib.suppress(ValueError):
            self._listeners.remove(listener)

    def report(self, changes: Changes) -> None:
        """What a write changed; told to listeners when its transaction commits."""
        if self.conn.in_transaction:
            self._pending = self._pending | changes
        else:
            self._publish(changes)

    def _publish(self, changes: Changes) -> None:
        if not changes:
            return
        for listener in list(self._listeners):
            listener(changes)

    # --- transactions and errors ------------------------------------------------------------

    def _refuse_writes_if_damaged(self) -> None:
        if self.damaged:
            raise DamagedStore(
                f"数据文件已损坏（{self.damaged[0]}），为免把损坏扩大，程序不再写入。"
                "已有的内容仍可查看、打印和备份；请从备份恢复（文件 → 备份与恢复）。"
            )

    def execute(
        self, sql: str, parameters: Sequence | dict[str, Any] | None = None
    ) -> sqlite3.Cursor:
        verb = sql.lstrip().split(None, 1)[0].upper()
        if self.damaged and verb in WRITING:
            self._refuse_writes_if_damaged()
        try:
            return SortedCursor(super().execute(sql, parameters))  # type: ignore[return-value]
        except sqlite3.Error as error:
            sorted_ = sorted_error(error, reading=verb in READING)
            if sorted_ is None:
                raise
            raise sorted_ from error

    @contextlib.contextmanager
    def atomic(self) -> Generator[OfficeDatabase, None, None]:
        """One transaction for everything inside; nested blocks are savepoints. The write lock
        is taken at the start, so a transaction that has begun is not refused half-way."""
        self._refuse_writes_if_damaged()
        if self.conn.in_transaction:
            savepoint = f"uniondesk_{secrets.token_hex(8)}"
            self.execute(f"SAVEPOINT {savepoint}")
            try:
                yield self
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                    self.conn.execute(f"RELEASE SAVEPOINT {savepoint}")
                raise
            else:
                self.execute(f"RELEASE SAVEPOINT {savepoint}")
            return
        self.execute("BEGIN IMMEDIATE")
        try:
            yield self
            self.execute("COMMIT")
        except BaseException:
            self._pending = NO_CHANGES
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        changes, self._pending = self._pending, NO_CHANGES
        self._publish(changes)

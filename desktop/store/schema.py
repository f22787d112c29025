"""The one module that owns the database schema and its migrations.

Each migration is a function registered in order; the database's ``PRAGMA user_version``
says how many have run. Opening a database runs the missing ones, each inside one
transaction with its version bump, so a power cut leaves the file at the old version or the
new, never between. A file written by a newer UnionDesk is refused before anything is
written to it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from desktop.book.search import index_tokens, pinyin_keys

Migration = Callable[[sqlite_utils.Database], None]
MIGRATIONS: list[Migration] = []


class StoreError(Exception):
    """The data file cannot be used; the message tells the clerk what to do."""


def run_script(db: sqlite_utils.Database, script: str) -> None:
    """Run several statements inside the caller's transaction.

    sqlite3's executescript() would COMMIT first, breaking a migration's all-or-nothing.
    """
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement: {statement!r}")


def migration(function: Migration) -> Migration:
    MIGRATIONS.append(function)
    return function


@migration
def create_book_and_office(db: sqlite_utils.Database) -> None:
    """Version 1: the imported book, and the office's own settings kept beside it."""
    run_script(
        db,
        """
        CREATE TABLE book_meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE work_items (
            id TEXT PRIMARY KEY,
            position INTEGER NOT NULL,
            title TEXT NOT NULL,
            section TEXT NOT NULL,
            summary TEXT NOT NULL
        );
        CREATE TABLE rules (
            id TEXT PRIMARY KEY,
            work_item_id TEXT NOT NULL REFERENCES work_items(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            source TEXT NOT NULL,
            effective TEXT NOT NULL,
            tags TEXT NOT NULL DEFAULT '[]',
            local_default INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX rules_by_work_item ON rules(work_item_id, position);
        CREATE TABLE service_categories (
            id TEXT PRIMARY KEY,
            position INTEGER NOT NULL,
            name TEXT NOT NULL
        );
        CREATE TABLE service_items (
            id TEXT PRIMARY KEY,
            category_id TEXT NOT NULL REFERENCES service_categories(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            standard TEXT NOT NULL,
            time_limit INTEGER NOT NULL CHECK (time_limit > 0),
            time_limit_unit TEXT NOT NULL CHECK (time_limit_unit IN ('工作日', '自然日', '小时')),
            responsible_role TEXT NOT NULL,
            work_item_id TEXT NOT NULL REFERENCES work_items(id),
            local_default INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE service_item_rules (
            service_item_id TEXT NOT NULL REFERENCES service_items(id) ON DELETE CASCADE,
            rule_id TEXT NOT NULL REFERENCES rules(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            PRIMARY KEY (service_item_id, rule_id)
        );
        -- The office's own choices. No foreign key to the book on purpose: a book update
        -- replaces the book tables and must not take the office's choices with it.
        CREATE TABLE office_settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE service_responsibles (
            service_item_id TEXT PRIMARY KEY,
            person_name TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        """,
    )


@migration
def add_chinese_search_index(db: sqlite_utils.Database) -> None:
    """Version 2: a character-pair full-text index and pinyin keys for Chinese search."""
    run_script(
        db,
        """
        ALTER TABLE rules ADD COLUMN title_initials TEXT NOT NULL DEFAULT '';
        ALTER TABLE rules ADD COLUMN title_pinyin TEXT NOT NULL DEFAULT '';
        CREATE VIRTUAL TABLE rules_search USING fts5(
            title_tokens, text_tokens, tokenize = 'unicode61'
        );
        """,
    )
    # Rules imported by version 1 get their index entries now, so search works at once.
    for row in db.query("SELECT rowid, title, text FROM rules"):
        index_rule(db, row["rowid"], row["title"], row["text"])


def index_rule(db: sqlite_utils.Database, rowid: int, title: str, text: str) -> None:
    initials, full = pinyin_keys(title)
    db.execute(
        "UPDATE rules SET title_initials = ?, title_pinyin = ? WHERE rowid = ?",
        [initials, full, rowid],
    )
    db.execute(
        "INSERT INTO rules_search (rowid, title_tokens, text_tokens) VALUES (?, ?, ?)",
        [rowid, index_tokens(title), index_tokens(text)],
    )


SCHEMA_VERSION = len(MIGRATIONS)


def _stored_version(path: Path) -> int:
    """Read user_version without writing anything: not even WAL mode may touch a newer file."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        probe = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as error:
        raise StoreError(
            f"无法读取数据文件 {path}：{error}。请检查文件是否被其他程序占用。"
        ) from error
    try:
        return probe.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise StoreError(
            f"数据文件 {path} 已损坏或不是 UnionDesk 的数据文件（{error}）。"
            "请从备份恢复，或换一个数据文件夹。"
        ) from error
    finally:
        probe.close()


def open_database(path: Path | str | None) -> sqlite_utils.Database:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date.

    ``None`` opens a private in-memory database, for tests and benchmarks.
    """
    if path is None:
        db = sqlite_utils.Database(memory=True)
    else:
        path = Path(path)
        if path.exists():
            version = _stored_version(path)
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"数据文件 {path} 由更新版本的 UnionDesk 创建（数据版本 {version}），"
                    f"本程序只认识到版本 {SCHEMA_VERSION}。请先升级 UnionDesk 再打开；"
                    "文件没有被改动。"
                )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite_utils.Database(path)
        except (OSError, sqlite3.Error) as error:
            raise StoreError(f"无法打开数据文件 {path}：{error}。请检查文件夹是否可写。") from error
        db.enable_wal()
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 5000")
    migrate(db)
    return db


def schema_version(db: sqlite_utils.Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: sqlite_utils.Database, target: int = SCHEMA_VERSION) -> None:
    """Run the migrations the database has not had yet, each in its own transaction."""
    current = schema_version(db)
    for version, step in enumerate(MIGRATIONS[current:target], start=current + 1):
        with db.atomic():
            step(db)
            db.execute(f"PRAGMA user_version = {version}")

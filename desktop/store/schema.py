"""The one module that owns the database schema and its migrations.

Each migration is a function registered in order; the database's ``PRAGMA user_version``
says how many have run. Opening a database runs the missing ones, each inside one
transaction with its version bump, so a power cut leaves the file at the old version or the
new, never between. A file written by a newer UnionDesk is refused before anything is
written to it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import sqlite_utils

from desktop.book.search import index_tokens, pinyin_keys
from desktop.errors import DamagedStore, DiskFull, ReadOnlyStore, StoreError, os_error_text
from desktop.store import audit
from desktop.store.database import BUSY_TIMEOUT_MS, OfficeDatabase, sorted_error

Migration = Callable[[sqlite_utils.Database], None]
MIGRATIONS: list[Migration] = []


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


@migration
def add_registry_and_casework(db: sqlite_utils.Database) -> None:
    """Version 3: people, enterprises, staff, cases with their steps, and the audit trail."""
    run_script(
        db,
        """
        CREATE TABLE office_staff (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE enterprises (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            name_initials TEXT NOT NULL DEFAULT '',
            credit_code TEXT UNIQUE,
            address TEXT NOT NULL DEFAULT '',
            contact TEXT NOT NULL DEFAULT '',
            phone TEXT NOT NULL DEFAULT '',
            headcount INTEGER NOT NULL DEFAULT 0,
            member_count INTEGER NOT NULL DEFAULT 0,
            union_status TEXT NOT NULL DEFAULT '未建会',
            headcount_25_since TEXT,
            management_sound INTEGER NOT NULL DEFAULT 0,
            joint_activities_year INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX enterprises_by_name ON enterprises(name);
        CREATE TABLE people (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            name_initials TEXT NOT NULL DEFAULT '',
            id_number TEXT NOT NULL UNIQUE,
            gender TEXT NOT NULL,
            birth_date TEXT NOT NULL,
            phone TEXT NOT NULL DEFAULT '',
            enterprise_id INTEGER REFERENCES enterprises(id),
            union_name TEXT NOT NULL DEFAULT '',
            household_size INTEGER,
            income_per_head INTEGER,
            hardship_status TEXT NOT NULL DEFAULT '',
            hardship_review_due TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX people_by_name ON people(name);
        CREATE INDEX people_by_initials ON people(name_initials);
        CREATE INDEX people_by_enterprise ON people(enterprise_id);
        CREATE INDEX people_by_review ON people(hardship_review_due)
            WHERE hardship_status IN ('建档', '在档');

        -- Every version of a procedure a case has started with, as its source text, so a case
        -- keeps running by the version it started with when the book changes.
        CREATE TABLE procedure_versions (
            hash TEXT PRIMARY KEY,
            procedure_id TEXT NOT NULL,
            version TEXT NOT NULL,
            title TEXT NOT NULL,
            source_text TEXT NOT NULL,
            first_seen TEXT NOT NULL
        );
        CREATE TABLE cases (
            id INTEGER PRIMARY KEY,
            number TEXT NOT NULL UNIQUE,
            prefix TEXT NOT NULL,
            year INTEGER NOT NULL,
            serial INTEGER NOT NULL,
            procedure_id TEXT NOT NULL,
            procedure_hash TEXT NOT NULL REFERENCES procedure_versions(hash),
            procedure_title TEXT NOT NULL,
            service_item_id TEXT NOT NULL,
            service_item_name TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT '',
            person_id INTEGER REFERENCES people(id),
            enterprise_id INTEGER REFERENCES enterprises(id),
            subject_name TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open',
            current_step_id TEXT,
            current_step_title TEXT NOT NULL DEFAULT '',
            responsible TEXT NOT NULL DEFAULT '',
            opened_at TEXT NOT NULL,
            opened_by TEXT NOT NULL,
            time_limit INTEGER NOT NULL,
            time_limit_unit TEXT NOT NULL,
            due_at TEXT NOT NULL,
            step_due_at TEXT,
            next_due_at TEXT,
            served_at TEXT,
            closed_at TEXT,
            repeat_of INTEGER REFERENCES cases(id),
            repeat_reason TEXT NOT NULL DEFAULT '',
            UNIQUE (prefix, year, serial),
            CHECK ((person_id IS NULL) <> (enterprise_id IS NULL))
        );
        CREATE INDEX cases_by_status_due ON cases(status, next_due_at);
        CREATE INDEX cases_by_opened ON cases(opened_at);
        CREATE INDEX cases_by_service_item ON cases(service_item_id, opened_at);
        CREATE INDEX cases_by_person ON cases(person_id, kind, year);
        CREATE INDEX cases_by_enterprise ON cases(enterprise_id);
        CREATE INDEX cases_by_responsible ON cases(responsible, status);
        CREATE INDEX cases_by_subject ON cases(subject_name);
        CREATE TABLE case_steps (
            case_id INTEGER NOT NULL REFERENCES cases(id),
            step_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',
            started_at TEXT,
            completed_at TEXT,
            completed_by TEXT NOT NULL DEFAULT '',
            edited_by TEXT NOT NULL DEFAULT '',
            due_at TEXT,
            field_values TEXT NOT NULL DEFAULT '{}',
            materials TEXT NOT NULL DEFAULT '[]',
            note TEXT NOT NULL DEFAULT '',
            eligibility TEXT,
            approval TEXT,
            PRIMARY KEY (case_id, step_id)
        ) WITHOUT ROWID;
        CREATE TABLE step_log (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES cases(id),
            step_id TEXT NOT NULL,
            at TEXT NOT NULL,
            author TEXT NOT NULL,
            text TEXT NOT NULL
        );
        CREATE INDEX step_log_by_case ON step_log(case_id, step_id);
        CREATE TABLE attachments (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES cases(id),
            step_id TEXT NOT NULL,
            file_name TEXT NOT NULL,
            stored_name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            purpose TEXT NOT NULL DEFAULT '',
            added_at TEXT NOT NULL,
            added_by TEXT NOT NULL
        );
        CREATE INDEX attachments_by_case ON attachments(case_id);
        CREATE TABLE calendar_days (
            day TEXT PRIMARY KEY,
            working INTEGER NOT NULL,
            note TEXT NOT NULL DEFAULT ''
        );

        -- Append-only: the triggers make an edit or a deletion fail, so the trail can be trusted.
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id INTEGER NOT NULL,
            case_id INTEGER,
            action TEXT NOT NULL,
            field TEXT NOT NULL DEFAULT '',
            old_value TEXT,
            new_value TEXT
        );
        CREATE INDEX audit_by_case ON audit_log(case_id, id);
        CREATE INDEX audit_by_entity ON audit_log(entity, entity_id, id);
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN
            SELECT RAISE(ABORT, 'audit_log is append-only');
        END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN
            SELECT RAISE(ABORT, 'audit_log is append-only');
        END;
        """,
    )


@migration
def index_case_list_and_on_time_rates(db: sqlite_utils.Database) -> None:
    """The list sorts by the due date it shows (the next step's, else the service's), and the
    dashboard's on-time rates read served cases from an index instead of every row."""
    run_script(
        db,
        """
        CREATE INDEX cases_by_shown_due ON cases(coalesce(next_due_at, due_at), id);
        CREATE INDEX cases_served_by_item ON cases(service_item_id, served_at, due_at)
            WHERE served_at IS NOT NULL;
        """,
    )


@migration
def add_full_pinyin_to_names(db: sqlite_utils.Database) -> None:
    """Clerks type 'wang' as often as 'wjg': names get their full pinyin beside the initials,
    and lists sort by it (initials alone leave 王建国 and 吴佳 in no useful order)."""
    from desktop.book.search import pinyin_keys

    for table in ("people", "enterprises"):
        db.execute(f"ALTER TABLE {table} ADD COLUMN name_pinyin TEXT NOT NULL DEFAULT ''")
        rows = db.execute(f"SELECT id, name FROM {table}").fetchall()
        db.conn.executemany(
            f"UPDATE {table} SET name_pinyin = ? WHERE id = ?",
            [(pinyin_keys(name)[1], row_id) for row_id, name in rows],
        )
    run_script(
        db,
        """
        CREATE INDEX people_by_pinyin ON people(name_pinyin, id);
        CREATE INDEX enterprises_by_pinyin ON enterprises(name_pinyin, id);
        """,
    )


@migration
def sort_case_subjects_by_pinyin(db: sqlite_utils.Database) -> None:
    """The case list sorts 办理对象 as a clerk reads them (by pinyin), not by code point."""
    from desktop.book.search import pinyin_keys

    db.execute("ALTER TABLE cases ADD COLUMN subject_pinyin TEXT NOT NULL DEFAULT ''")
    names = db.execute("SELECT DISTINCT subject_name FROM cases").fetchall()
    db.conn.executemany(
        "UPDATE cases SET subject_pinyin = ? WHERE subject_name = ?",
        [(pinyin_keys(name)[1], name) for (name,) in names],
    )
    run_script(db, "CREATE INDEX cases_by_subject_pinyin ON cases(subject_pinyin, id);")


@migration
def read_surnames_as_surnames(db: sqlite_utils.Database) -> None:
    """曾 in a name is zeng, not ceng: re-key the names that start with such a surname."""
    from desktop.book.search import SURNAME_READINGS, name_keys

    marks = ", ".join("?" * len(SURNAME_READINGS))
    surnames = list(SURNAME_READINGS)
    people = db.execute(
        f"SELECT id, name FROM people WHERE substr(name, 1, 1) IN ({marks})", surnames
    ).fetchall()
    db.conn.executemany(
        "UPDATE people SET name_initials = ?, name_pinyin = ? WHERE id = ?",
        [(*name_keys(name), row_id) for row_id, name in people],
    )
    cases = db.execute(
        "SELECT DISTINCT subject_name FROM cases WHERE person_id IS NOT NULL"
        f" AND substr(subject_name, 1, 1) IN ({marks})",
        surnames,
    ).fetchall()
    db.conn.executemany(
        "UPDATE cases SET subject_pinyin = ? WHERE subject_name = ? AND person_id IS NOT NULL",
        [(name_keys(name)[1], name) for (name,) in cases],
    )


@migration
def add_rule_status(db: sqlite_utils.Database) -> None:
    """Version 8: each rule says how sure the book is of it (国家规定 / 地方默认 / 待核实).

    A book imported before knew only local_default: its local rules stay 地方默认, and the
    others are 待核实 until the next book import says which are national law.
    """
    run_script(
        db,
        """
        ALTER TABLE rules ADD COLUMN status TEXT NOT NULL DEFAULT '待核实'
            CHECK (status IN ('国家规定', '地方默认', '待核实'));
        UPDATE rules SET status = '地方默认' WHERE local_default;
        """,
    )


@migration
def add_case_outcome(db: sqlite_utils.Database) -> None:
    """Version 9: how a case ended (done / refused / terminated), kept beside its status so lists
    and scripts read it without loading every step. Existing cases get it the way
    desktop.cases.engine.case_outcome decides it: refused when a completed step is one its
    procedure version marks ``refuses``. A terminated case is no longer on any step."""
    from desktop.book.loader import read_stored_procedure
    from desktop.cases.engine import refusing_steps

    db.execute(
        "ALTER TABLE cases ADD COLUMN outcome TEXT"
        " CHECK (outcome IN ('done', 'refused', 'terminated'))"
    )
    db.execute(
        "UPDATE cases SET outcome = 'terminated', current_step_id = NULL,"
        " current_step_title = '', step_due_at = NULL WHERE status = 'terminated'"
    )
    refusing: dict[str, set[str]] = {}
    for hash_, text in db.execute("SELECT hash, source_text FROM procedure_versions").fetchall():
        refusing[hash_] = refusing_steps(read_stored_procedure(text))
    rows = db.execute(
        "SELECT c.id, c.procedure_hash, group_concat(s.step_id, char(31)) FROM cases c"
        " LEFT JOIN case_steps s ON s.case_id = c.id AND s.status = 'done'"
        " WHERE c.status = 'closed' GROUP BY c.id"
    ).fetchall()
    db.conn.executemany(
        "UPDATE cases SET outcome = ? WHERE id = ?",
        [
            (
                "refused"
                if refusing.get(hash_, set()) & set((done or "").split(chr(31)))
                else "done",
                case_id,
            )
            for case_id, hash_, done in rows
        ],
    )


@migration
def count_case_versions(db: sqlite_utils.Database) -> None:
    """Version 10: a case counts its changes, so a save from a screen that read an older
    version (another window saved in between) is refused instead of overwriting it."""
    db.execute("ALTER TABLE cases ADD COLUMN version INTEGER NOT NULL DEFAULT 0")


@migration
def chain_the_audit_trail(db: sqlite_utils.Database) -> None:
    """Version 11: every audit row carries a hash over itself and the row before, so an edit,
    a removal or a row slipped in with another tool shows (desktop.store.audit)."""
    from desktop.store import audit

    db.execute("ALTER TABLE audit_log ADD COLUMN hash TEXT")
    columns = ", ".join(audit.CHAINED_COLUMNS)
    previous = audit.GENESIS
    hashes = []
    for row in db.execute(f"SELECT {columns} FROM audit_log ORDER BY id").fetchall():
        previous = audit.entry_hash(previous, row)
        hashes.append((previous, row[0]))
    # The trail refuses updates; this one time, its own migration fills the new column.
    db.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    db.conn.executemany("UPDATE audit_log SET hash = ? WHERE id = ?", hashes)
    audit.ensure_triggers(db)


@migration
def staff_roles_and_ids(db: sqlite_utils.Database) -> None:
    """Version 12: staff hold roles (经办, 审核, 审批) beside their post and may have a password;
    names are unique as people read them (desktop.validation.name_key); steps record the
    staff id of who completed them and of everyone who edited them; audit rows the actor's id.

    Existing staff get their post's default roles; existing steps and audit rows get the id of
    the staff member whose name they carry, where there is one."""
    from desktop.staff import default_roles
    from desktop.validation import name_key

    run_script(
        db,
        """
        ALTER TABLE office_staff ADD COLUMN roles TEXT NOT NULL DEFAULT '';
        ALTER TABLE office_staff ADD COLUMN password_hash TEXT;
        ALTER TABLE office_staff ADD COLUMN name_key TEXT;
        ALTER TABLE case_steps ADD COLUMN completed_by_id INTEGER REFERENCES office_staff(id);
        ALTER TABLE case_steps ADD COLUMN editor_ids TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE audit_log ADD COLUMN actor_id INTEGER;
        """,
    )
    ids: dict[str, int] = {}
    updates = []
    for staff_id, name, post in db.execute(
        "SELECT id, name, role FROM office_staff ORDER BY active DESC, id"
    ).fetchall():
        key = name_key(name)
        # Two old entries that read the same keep apart by id; the first keeps the name's key.
        unique = key if key not in ids else f"{key}#{staff_id}"
        ids.setdefault(key, staff_id)
        updates.append((",".join(sorted(default_roles(post))), unique, staff_id))
    db.conn.executemany("UPDATE office_staff SET roles = ?, name_key = ? WHERE id = ?", updates)
    db.execute("CREATE UNIQUE INDEX office_staff_by_key ON office_staff(name_key)")
    for name in {
        row[0] for row in db.execute("SELECT DISTINCT completed_by FROM case_steps").fetchall()
    }:
        if name and name_key(name) in ids:
            db.execute(
                "UPDATE case_steps SET completed_by_id = ? WHERE completed_by = ?",
                [ids[name_key(name)], name],
            )
    for name in {
        row[0] for row in db.execute("SELECT DISTINCT edited_by FROM case_steps").fetchall()
    }:
        if name and name_key(name) in ids:
            db.execute(
                "UPDATE case_steps SET editor_ids = ? WHERE edited_by = ?",
                [f"[{ids[name_key(name)]}]", name],
            )
    # Audit rows keep what they said; the actor id stays empty on rows written before it.


@migration
def names_compared_as_simplified(db: sqlite_utils.Database) -> None:
    """Version 13: staff names are compared with traditional characters read as simplified
    (desktop.validation.name_key), so 王建國 cannot be registered beside 王建国. Two entries
    that now read the same keep apart by id, as in version 12."""
    from desktop.validation import name_key

    seen: set[str] = set()
    updates = []
    for staff_id, name in db.execute(
        "SELECT id, name FROM office_staff ORDER BY active DESC, id"
    ).fetchall():
        key = name_key(name)
        updates.append((key if key not in seen else f"{key}#{staff_id}", staff_id))
        seen.add(key)
    db.execute("UPDATE office_staff SET name_key = '#' || id")  # free every key first
    db.conn.executemany("UPDATE office_staff SET name_key = ? WHERE id = ?", updates)


@migration
def keep_typed_employers(db: sqlite_utils.Database) -> None:
    """Version 14: a worker's 工作单位 may be a firm the office has not registered (a new office
    has none): the name as typed is kept beside the link to a registered enterprise, and
    printed where the enterprise's name would be."""
    db.execute("ALTER TABLE people ADD COLUMN employer_name TEXT NOT NULL DEFAULT ''")


@migration
def give_every_item_and_open_case_a_responsible_person(db: sqlite_utils.Database) -> None:
    """Version 15: nothing filled in 责任人 before, so an office's lists said （未指定）. Each
    service item nobody answers for gets the registered person of its responsible post
    (desktop.staff.responsible_for), and each open case without one gets whoever opened it (the
    rule for new cases). Closed cases keep their record as it was. Each is in the trail."""
    from desktop.staff import ROLES, Staff, responsible_for

    now = datetime.now().replace(microsecond=0)
    members = [
        Staff(
            id=staff_id,
            name=name,
            post=post,
            active=bool(active),
            roles=frozenset(r for r in roles.split(",") if r in ROLES),
        )
        for staff_id, name, post, roles, active in db.execute(
            "SELECT id, name, role, roles, active FROM office_staff ORDER BY id"
        ).fetchall()
    ]
    unanswered = db.execute(
        "SELECT s.id, s.name, s.responsible_role FROM service_items s"
        " JOIN service_categories c ON c.id = s.category_id"
        " WHERE s.id NOT IN (SELECT service_item_id FROM service_responsibles)"
        " ORDER BY c.position, s.position"
    ).fetchall()
    for item_id, item_name, post in unanswered:
        member = responsible_for(post, members)
        if member is None:
            continue
        db.execute(
            "INSERT INTO service_responsibles (service_item_id, person_name, updated_at)"
            " VALUES (?, ?, ?)",
            [item_id, member.name, now.isoformat(timespec="seconds")],
        )
        audit.record(
            db, at=now, actor="系统", entity="office", entity_id=0,
            action="按岗位填写服务项目责任人", field=f"{item_id} {item_name}",
            new=f"{member.name}（{member.post}）",
        )  # fmt: skip
    for case_id, opened_by in db.execute(
        "SELECT id, opened_by FROM cases WHERE status = 'open' AND responsible = ''"
        " AND opened_by != '' ORDER BY id"
    ).fetchall():
        db.execute("UPDATE cases SET responsible = ? WHERE id = ?", [opened_by, case_id])
        audit.record(
            db, at=now, actor="系统", entity="case", entity_id=case_id, case_id=case_id,
            action="补填责任人", field="责任人",
            new=f"{opened_by}（受理人；受理时服务项目没有责任人）",
        )  # fmt: skip


@migration
def key_case_subjects_by_initials(db: sqlite_utils.Database) -> None:
    """Version 16: the case list finds a case by its subject's pinyin initials (dh for 丁华)
    as the people page finds people, from a stored key rather than pinyin worked out for every
    row at each search. Existing cases get theirs from the name they carry."""
    from desktop.book.search import subject_name_keys

    db.execute("ALTER TABLE cases ADD COLUMN subject_initials TEXT NOT NULL DEFAULT ''")
    subjects = db.execute(
        "SELECT DISTINCT subject_name, person_id IS NOT NULL FROM cases"
    ).fetchall()
    db.conn.executemany(
        "UPDATE cases SET subject_initials = ?"
        " WHERE subject_name = ? AND (person_id IS NOT NULL) = ?",
        [
            (subject_name_keys(name, bool(is_person))[0], name, is_person)
            for name, is_person in subjects
        ],
    )


@migration
def add_signoff_batches(db: sqlite_utils.Database) -> None:
    """Version 17: the batch numbers of sign-off sheets (FF-2026-003), one per sheet printed
    over a set of cases, with the cases it lists, so the sheet's number is a real one, a reprint
    of the same cases keeps it, and each case knows the batches it was listed on."""
    run_script(
        db,
        """
        CREATE TABLE signoff_batches (
            id INTEGER PRIMARY KEY,
            number TEXT NOT NULL UNIQUE,
            form_id TEXT NOT NULL,
            prefix TEXT NOT NULL,
            year INTEGER NOT NULL,
            serial INTEGER NOT NULL CHECK (serial > 0),
            -- The listed case ids, sorted and comma-joined: how a reprint finds its batch.
            case_set TEXT NOT NULL,
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            UNIQUE (prefix, year, serial)
        );
        CREATE INDEX signoff_batches_by_set ON signoff_batches(form_id, case_set);
        CREATE TABLE signoff_batch_cases (
            batch_id INTEGER NOT NULL REFERENCES signoff_batches(id),
            case_id INTEGER NOT NULL REFERENCES cases(id),
            position INTEGER NOT NULL,
            PRIMARY KEY (batch_id, case_id)
        ) WITHOUT ROWID;
        CREATE INDEX signoff_batch_cases_by_case ON signoff_batch_cases(case_id);
        """,
    )


@migration
def add_family_details(db: sqlite_utils.Database) -> None:
    """Version 18: what the county union's aid forms ask of a worker and their family: 家庭住址,
    民族, 政治面貌, 婚姻状况, 健康状况 (with 残疾等级), 户口类型, 住房, 开户银行 and 账号, and
    the household members, as many as the family has. Workers saved before have them blank."""
    for column in (
        "address", "ethnicity", "political_status", "marital_status", "health",
        "disability_grade", "hukou_type", "housing", "bank_name", "bank_account",
    ):  # fmt: skip
        db.execute(f"ALTER TABLE people ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")
    run_script(
        db,
        """
        CREATE TABLE household_members (
            person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            position INTEGER NOT NULL CHECK (position > 0),
            name TEXT NOT NULL,
            relation TEXT NOT NULL,
            id_number TEXT NOT NULL DEFAULT '',
            health TEXT NOT NULL DEFAULT '',
            disability_grade TEXT NOT NULL DEFAULT '',
            work TEXT NOT NULL DEFAULT '',
            monthly_income INTEGER CHECK (monthly_income IS NULL OR monthly_income >= 0),
            PRIMARY KEY (person_id, position)
        ) WITHOUT ROWID;
        """,
    )


SCHEMA_VERSION = len(MIGRATIONS)


def _stored_version(path: Path) -> int:
    """Read user_version without writing anything: not even WAL mode may touch a newer file."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        probe = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as error:
        raise _open_fault(path, error) from error
    try:
        return probe.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.Error as error:
        raise _open_fault(path, error) from error
    finally:
        probe.close()


def _is_empty_database(path: Path) -> bool:
    probe = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return probe.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    finally:
        probe.close()


# Less free space than this and SQLite cannot create its journal files or grow the file.
NEARLY_FULL_BYTES = 1024 * 1024


def _disk_nearly_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < NEARLY_FULL_BYTES
    except OSError:
        return False


def _open_fault(path: Path, error: sqlite3.Error) -> StoreError:
    """Why the data file cannot be opened, in words that send the clerk the right way: a
    read-only or full disk is not a damaged file (restoring over good data would be wrong)."""
    if not os.access(path.parent, os.W_OK):
        return ReadOnlyStore(
            f"数据文件夹 {path.parent} 是只读的，程序不能在里面保存。数据没有受影响。"
            "请检查文件夹的权限（或 U 盘的写保护开关），或换一个可以写入的数据文件夹。"
        )
    if _disk_nearly_full(path.parent):
        # A full disk fails opening with an I/O error or "cannot open", which would send the
        # clerk to check the cable or, worse, to restore.
        return DiskFull(
            f"数据文件夹 {path.parent} 所在的磁盘空间已满，程序打不开数据文件。数据没有受影响。"
            "请清理磁盘空间（或把数据文件夹移到空间充足的磁盘）后再打开。"
        )
    sorted_ = sorted_error(error, str(path))
    if sorted_ is not None and not isinstance(sorted_, DamagedStore):
        return sorted_
    return DamagedStore(
        f"数据文件 {path} 已损坏或不是 UnionDesk 的数据文件。"
        "请不要在这个文件上办理，从备份恢复，或换一个数据文件夹。"
    )


# The database and its -wal/-shm files, the demo put aside by 开始正式使用, what a restore
# replaced, hidden files.
OWN_PREFIXES = ("uniondesk.sqlite3", "演示数据备份", "恢复前的安全副本", ".")
# What UnionDesk itself keeps in a data folder besides its database.
OWN_ENTRIES = frozenset({"window.ini", "logs", "attachments", "备份", "open-windows", "cache"})


def holds_office_data(path: Path) -> bool:
    """Whether the database at ``path`` holds anything of an office's own. A file left by a
    first start that was interrupted holds only the schema and the book: the folder can be
    set up again. Reads without writing."""
    if not path.exists() or path.stat().st_size == 0:
        return path.exists()  # a 0-byte file is a fault, reported when it is opened
    try:
        probe = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return True  # cannot tell: treat it as data, never overwrite it
    try:
        tables = {r[0] for r in probe.execute("SELECT name FROM sqlite_master").fetchall()}
        if "office_settings" not in tables:
            return bool(tables)  # someone else's database is not ours to fill
        return any(
            probe.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone()
            for table in ("office_settings", "service_responsibles", "people", "cases")
            if table in tables
        )
    except sqlite3.Error:
        return True
    finally:
        probe.close()


def _check_new_folder(folder: Path) -> None:
    """A data folder is UnionDesk's own: refuse to start one among somebody else's files."""
    if not folder.is_dir():
        return
    others = sorted(
        entry.name
        for entry in folder.iterdir()
        if entry.name not in OWN_ENTRIES and not entry.name.startswith(OWN_PREFIXES)
    )  # fmt: skip
    if others:
        shown = "、".join(others[:3]) + ("等" if len(others) > 3 else "")
        raise StoreError(
            f"文件夹 {folder} 里已经有别的文件（{shown}），不像是 UnionDesk 的数据文件夹。"
            "为免和其他文件混在一起，请用一个空文件夹或新的文件夹名作为数据文件夹。"
        )


def open_database(path: Path | str | None) -> OfficeDatabase:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date.

    ``None`` opens a private in-memory database, for tests and benchmarks. A file this call
    creates is removed again if setting it up fails (a full disk): a half-made empty file
    would otherwise stop the folder from ever being set up.
    """
    created = path is not None and not Path(path).exists()
    try:
        return _open_database(path)
    except BaseException:
        if created:
            assert path is not None
            for suffix in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(OSError):
                    Path(f"{path}{suffix}").unlink()
        raise


def _open_database(path: Path | str | None) -> OfficeDatabase:
    if path is None:
        db = OfficeDatabase(memory=True)
    else:
        path = Path(path)
        if path.exists() and path.stat().st_size == 0:
            raise DamagedStore(
                f"数据文件 {path} 是空的（0 字节），可能在写入时被中断，或磁盘出了错。"
                "请从备份恢复；若这是刚建的文件夹，删除这个空文件后再打开即可。"
            )
        if not path.exists():
            _check_new_folder(path.parent)
        if path.exists():
            version = _stored_version(path)
            if version == 0 and not _is_empty_database(path):
                raise StoreError(
                    f"{path} 不是 UnionDesk 的数据文件（里面是别的程序的数据）。"
                    "文件没有被改动；请换一个数据文件夹。"
                )
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"数据文件 {path} 由更新版本的 UnionDesk 创建（数据版本 {version}），"
                    f"本程序只认识到版本 {SCHEMA_VERSION}。请先升级 UnionDesk 再打开；"
                    "文件没有被改动。"
                )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = OfficeDatabase(path)
        except OSError as error:
            raise StoreError(
                f"无法使用数据文件夹 {path.parent}：{os_error_text(error)}。"
                "请检查文件夹是否可以写入，或换一个数据文件夹。"
            ) from error
        except sqlite3.Error as error:
            raise _open_fault(path, error) from error
        try:
            db.enable_wal()
        except StoreError:
            db.close()
            if not os.access(path.parent, os.W_OK):
                raise _open_fault(path, sqlite3.OperationalError("readonly")) from None
            raise
    db.execute("PRAGMA foreign_keys = ON")
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if path is not None:
        # A damaged page is noticed now, not after more is written on top of it: the office
        # can still be read (and backed up, and printed from) but not written until restored.
        try:
            problems = [row[0] for row in db.execute("PRAGMA quick_check").fetchall()]
        except DamagedStore as error:  # so damaged the check itself cannot finish
            problems = [str(error.__cause__ or error)]
        if problems != ["ok"]:
            db.damaged = problems
            if schema_version(db) < SCHEMA_VERSION:
                db.close()
                raise DamagedStore(
                    f"数据文件 {path} 已损坏，不能升级到新版本的格式。"
                    "请从备份恢复，或联系维护人员。"
                )
            return db
    try:
        migrate(db)
        # Someone may have dropped the trail's triggers with another tool: put them back before
        # anything else is written, tell this session's check, and keep it in the trail itself.
        with db.atomic():
            db.missing_triggers = audit.ensure_triggers(db)
            if db.missing_triggers:
                audit.record(
                    db, at=datetime.now(), actor="系统", entity="office", entity_id=0,
                    action="发现办理记录的保护被删除，已恢复", new="、".join(db.missing_triggers),
                )  # fmt: skip
    except BaseException:
        db.close()
        raise
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
    if current < target:
        # An upgrade can rewrite every row (a backfill); fold the write-ahead log into the file
        # now, or the clerk's first list after the upgrade reads through all of it.
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

"""Opening data files: upgrades in place, refuses newer ones untouched, explains broken ones."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from desktop.office import Office
from desktop.paths import DATABASE_FILE_NAME
from desktop.store import SCHEMA_VERSION, StoreError, open_database
from desktop.store.schema import schema_version

DATA = Path(__file__).parents[1] / "data"


def test_new_database_has_current_schema_wal_and_foreign_keys(tmp_path: Path):
    db = open_database(tmp_path / DATABASE_FILE_NAME)
    assert schema_version(db) == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    db.close()


def test_version_1_file_upgrades_in_place_and_keeps_office_data(tmp_path: Path, small_book_dir):
    shutil.copy(DATA / "uniondesk-v1.sqlite3", tmp_path / DATABASE_FILE_NAME)
    db = open_database(tmp_path / DATABASE_FILE_NAME)
    assert schema_version(db) == SCHEMA_VERSION
    # The old rules became searchable by the migration itself, before any book re-import.
    from desktop.store.book_repo import BookRepository

    hits = BookRepository(db).search("帮扶").hits
    assert [h.rule_id for h in hits] == ["W06-01"]
    assert [h.rule_id for h in BookRepository(db).search("knzg").hits] == ["W06-01"]
    db.close()

    # Opening it as an office then imports the current book; the office's choices survive.
    with Office.open(tmp_path, small_book_dir) as office:
        assert office.name == "老城镇总工会"
        assert office.book.stats().book_version == "test-1"
        responsible = {item.id: item.responsible_person for item in office.book.service_items()}
        assert responsible["BF-01"] == "刘芳"


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_database_from_newer_version_is_refused_and_left_untouched(tmp_path: Path):
    path = tmp_path / DATABASE_FILE_NAME
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE future (x)")
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    connection.commit()
    connection.close()
    before = file_digest(path)
    with pytest.raises(StoreError) as caught:
        open_database(path)
    assert "更新版本" in str(caught.value) and "没有被改动" in str(caught.value)
    assert file_digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [DATABASE_FILE_NAME]  # no -wal/-shm


def test_file_that_is_not_a_database_gets_a_clear_message(tmp_path: Path):
    path = tmp_path / DATABASE_FILE_NAME
    path.write_text("这不是数据库", encoding="utf-8")
    with pytest.raises(StoreError) as caught:
        open_database(path)
    assert "已损坏或不是 UnionDesk 的数据文件" in str(caught.value)


def test_failed_migration_leaves_the_old_version(tmp_path: Path, monkeypatch):
    from desktop.store import schema

    shutil.copy(DATA / "uniondesk-v1.sqlite3", tmp_path / DATABASE_FILE_NAME)

    def broken(db):
        db.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("power cut")

    monkeypatch.setattr(schema, "MIGRATIONS", [schema.MIGRATIONS[0], broken])
    with pytest.raises(RuntimeError):
        open_database(tmp_path / DATABASE_FILE_NAME)
    connection = sqlite3.connect(tmp_path / DATABASE_FILE_NAME)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == 1
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert "half_done" not in tables
    connection.close()


def test_people_saved_before_full_pinyin_are_found_by_it_after_the_upgrade(tmp_path: Path):
    from desktop.store.registry_repo import PeopleFilter, RegistryRepository
    from desktop.store.schema import MIGRATIONS, add_full_pinyin_to_names, migrate

    path = tmp_path / DATABASE_FILE_NAME
    db = sqlite_utils.Database(path)
    # The schema just before names had their full pinyin.
    migrate(db, target=MIGRATIONS.index(add_full_pinyin_to_names))
    db.execute(
        "INSERT INTO people (name, name_initials, id_number, gender, birth_date,"
        " created_at, updated_at) VALUES ('王建国', 'wjg', '620102198005060013', '男',"
        " '1980-05-06', '2026-01-01T00:00:00', '2026-01-01T00:00:00')"
    )
    db.conn.commit()
    db.close()

    db = open_database(path)
    people = RegistryRepository(db)
    for typed in ("wang", "wangjian", "wjg", "王建"):
        assert [p.name for p in people.people(PeopleFilter(text=typed))] == ["王建国"], typed
    assert people.people(PeopleFilter(text="wu")) == []
    db.close()


def test_firms_are_found_by_pinyin_anywhere_in_their_name(small_office):
    from datetime import date, datetime

    from desktop.identity import make_credit_code
    from desktop.registry import clean_enterprise

    values = clean_enterprise(
        {
            "name": "示例华欣电子有限公司",
            "credit_code": make_credit_code("91", "620102", "MA0005GR"),
        },
        date(2026, 1, 1),
    )
    small_office.registry.add_enterprise(values, "李红梅", datetime(2026, 1, 1))
    for typed in ("huaxin", "hx", "华欣", "dianzi"):
        assert [e.name for e in small_office.registry.enterprises(typed)] == [
            "示例华欣电子有限公司"
        ], typed
        assert small_office.registry.count_enterprises(typed) == 1
    assert small_office.registry.enterprises("hengtong") == []


def test_names_are_keyed_with_the_surname_reading(small_office):
    from datetime import date, datetime

    from desktop.identity import make_id_number
    from desktop.registry import clean_person
    from desktop.store.registry_repo import PeopleFilter

    for sequence, name in enumerate(["曾辉伟", "单小红", "蔡明"], start=1):
        values = clean_person(
            {"name": name, "id_number": make_id_number("620102", date(1980, 5, 6), sequence)},
            date(2026, 1, 1),
        )
        small_office.registry.add_person(values, "李红梅", datetime(2026, 1, 1))
    people = small_office.registry
    assert [p.name for p in people.people(PeopleFilter(text="zhw"))] == ["曾辉伟"]
    assert [p.name for p in people.people(PeopleFilter(text="zeng"))] == ["曾辉伟"]
    assert [p.name for p in people.people(PeopleFilter(text="shanxiao"))] == ["单小红"]
    # Sorted as read: cai, shan, zeng (not ceng and dan).
    assert [p.name for p in people.people()] == ["蔡明", "单小红", "曾辉伟"]


def test_surnames_saved_with_the_word_reading_are_re_keyed_on_upgrade(tmp_path: Path):
    from desktop.store.registry_repo import PeopleFilter, RegistryRepository
    from desktop.store.schema import MIGRATIONS, migrate, read_surnames_as_surnames

    path = tmp_path / DATABASE_FILE_NAME
    db = sqlite_utils.Database(path)
    migrate(db, target=MIGRATIONS.index(read_surnames_as_surnames))
    db.execute(
        "INSERT INTO people (name, name_initials, name_pinyin, id_number, gender, birth_date,"
        " created_at, updated_at) VALUES ('曾辉伟', 'chw', 'cenghuiwei', '620102198005060013',"
        " '男', '1980-05-06', '2026-01-01T00:00:00', '2026-01-01T00:00:00')"
    )
    db.conn.commit()
    db.close()

    db = open_database(path)
    found = RegistryRepository(db).people(PeopleFilter(text="zeng"))
    assert [p.name for p in found] == ["曾辉伟"]
    db.close()


def test_rules_imported_before_statuses_keep_local_and_are_otherwise_unverified(tmp_path: Path):
    from desktop.store.schema import MIGRATIONS, add_rule_status, migrate

    path = tmp_path / DATABASE_FILE_NAME
    db = sqlite_utils.Database(path)
    # A book imported when rules knew only local_default.
    migrate(db, target=MIGRATIONS.index(add_rule_status))
    db.execute("INSERT INTO work_items VALUES ('W01', 0, '工会组建', '组织建设', '概述')")
    for position, (rule_id, local) in enumerate([("W01-01", 0), ("W01-02", 1)]):
        db.execute(
            "INSERT INTO rules (id, work_item_id, position, title, text, source, effective,"
            " local_default) VALUES (?, 'W01', ?, '标题', '正文', '依据', '2026-01-01', ?)",
            [rule_id, position, local],
        )
    db.conn.commit()
    db.close()

    db = open_database(path)
    statuses = dict(db.execute("SELECT id, status FROM rules").fetchall())
    # Not claimed as national law until the next book import says so.
    assert statuses == {"W01-01": "待核实", "W01-02": "地方默认"}
    db.close()


def test_cases_saved_before_subject_initials_are_found_by_them_after_the_upgrade(tmp_path: Path):
    from desktop.cases.records import CaseFilter
    from desktop.store.case_repo import CaseRepository
    from desktop.store.schema import MIGRATIONS, key_case_subjects_by_initials, migrate

    path = tmp_path / DATABASE_FILE_NAME
    db = sqlite_utils.Database(path)
    # The schema just before cases kept their subject's initials: one case for a person, one
    # for a firm, as version 13 wrote them (full pinyin only).
    migrate(db, target=MIGRATIONS.index(key_case_subjects_by_initials))
    db.execute(
        "INSERT INTO people (id, name, name_initials, name_pinyin, id_number, gender, birth_date,"
        " created_at, updated_at) VALUES (1, '曾辉伟', 'zhw', 'zenghuiwei', '620102198005060013',"
        " '男', '1980-05-06', '2026-01-01T00:00:00', '2026-01-01T00:00:00')"
    )
    db.execute(
        "INSERT INTO enterprises (id, name, name_initials, name_pinyin, created_at, updated_at)"
        " VALUES (1, '示例华欣电子', 'slhxdz', 'shilihuaxindianzi', '2026-01-01T00:00:00',"
        " '2026-01-01T00:00:00')"
    )
    db.execute(
        "INSERT INTO procedure_versions VALUES ('h', 'p', '1', '流程', '', '2026-01-01T00:00:00')"
    )
    for serial, (person, firm, name, pinyin) in enumerate(
        [(1, None, "曾辉伟", "zenghuiwei"), (None, 1, "示例华欣电子", "shilihuaxindianzi")], 1
    ):
        db.execute(
            "INSERT INTO cases (number, prefix, year, serial, procedure_id, procedure_hash,"
            " procedure_title, service_item_id, service_item_name, person_id, enterprise_id,"
            " subject_name, subject_pinyin, opened_at, opened_by, time_limit, time_limit_unit,"
            " due_at) VALUES (?, 'BF', 2026, ?, 'p', 'h', '流程', 'BF-01', '帮扶', ?, ?, ?, ?,"
            " '2026-01-05T09:00:00', '李红梅', 10, '工作日', '2026-01-19T09:00:00')",
            [f"BF-2026-{serial:04d}", serial, person, firm, name, pinyin],
        )
    db.conn.commit()
    db.close()

    db = open_database(path)
    cases = CaseRepository(db)
    for typed, subject in (("zhw", "曾辉伟"), ("hx", "示例华欣电子"), ("xdz", "示例华欣电子")):
        assert [row.subject_name for row in cases.cases(CaseFilter(text=typed))] == [subject]
    db.close()

"""The stored book: search as a clerk uses it, and the office's choices across updates."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.book.loader import BookError
from desktop.office import Office
from desktop.paths import DATABASE_FILE_NAME
from desktop.store import open_database
from desktop.store.book_repo import BookRepository


@pytest.mark.parametrize("word", ["帮扶", "慰问", "会员", "协商", "审计"])
def test_two_character_words_find_rules_containing_them(office, word):
    result = office.book.search(word)
    assert result.hits, word
    for hit in result.hits:
        rule = office.book.rule(hit.rule_id)
        assert word in rule.title + rule.text, hit.rule_id
        assert f"【{word}】" in hit.snippet.marked() or hit.matched_in == "title"


def test_search_finds_every_rule_that_contains_the_word(office):
    every_rule = [r for item in office.book.work_items() for r in item.rules]
    expected = {r.id for r in every_rule if "慰问" in r.title or "慰问" in r.text}
    found = {hit.rule_id for hit in office.book.search("慰问", limit=1000).hits}
    assert found == expected


def test_title_hits_rank_before_body_hits(office):
    hits = office.book.search("帮扶", limit=1000).hits
    in_title = ["帮扶" in hit.title for hit in hits]
    assert any(in_title) and not all(in_title)
    assert in_title == sorted(in_title, reverse=True), "a body-only hit came before a title hit"


def test_pinyin_initials_find_titles(office):
    hits = office.book.search("knzg").hits
    assert hits
    assert all(hit.matched_in == "pinyin" for hit in hits)
    assert hits[0].title.startswith("困难职工")


def test_longer_query_matches_only_where_it_stands_whole(small_office):
    # 困难职工 appears whole in three rules; 职工困难 in none.
    assert small_office.book.search("困难职工").total == 3
    assert small_office.book.search("职工困难").total == 0


def test_nothing_found_is_an_empty_result(small_office):
    result = small_office.book.search("航天飞机")
    assert result.total == 0 and result.hits == ()


def test_responsible_person_survives_restart_and_book_update(tmp_path: Path, small_book_dir: Path):
    with Office.open(tmp_path / "data", small_book_dir) as office:
        office.book.set_responsible_person("BF-01", "李红梅")
    # The county publishes a new version of the book: text changes, the item stays.
    book_file = small_book_dir / "book.toml"
    book_file.write_text(
        book_file.read_text(encoding="utf-8").replace('"test-1"', '"test-2"'), encoding="utf-8"
    )
    with Office.open(tmp_path / "data", small_book_dir) as office:
        assert office.book.stats().book_version == "test-2"
        people = {item.id: item.responsible_person for item in office.book.service_items()}
        assert people == {"BF-01": "李红梅", "BF-02": ""}


def test_broken_book_update_keeps_the_previous_book(tmp_path: Path, small_book_dir: Path):
    with Office.open(tmp_path / "data", small_book_dir) as office:
        office.book.set_responsible_person("BF-01", "李红梅")
    (small_book_dir / "items" / "02_condolence.toml").write_text("id = ", encoding="utf-8")
    with pytest.raises(BookError):
        Office.open(tmp_path / "data", small_book_dir)
    db = open_database(tmp_path / "data" / DATABASE_FILE_NAME)
    stored = BookRepository(db)
    assert stored.stats().rules == 4 and stored.stats().book_version == "test-1"
    assert stored.service_items()[0].responsible_person == "李红梅"
    db.close()


def test_unknown_service_item_is_refused(small_office):
    with pytest.raises(KeyError):
        small_office.book.set_responsible_person("XX-99", "张三")


def test_stats_count_rules_by_status_with_every_status_present(small_office):
    stats = small_office.book.stats()
    assert stats.rules_by_status == {"国家规定": 1, "地方默认": 3, "待核实": 0}
    assert stats.local_default_rules == 3
    assert small_office.book.rule("W02-01").status == "国家规定"

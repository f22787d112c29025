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


# --- rule numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["W06-01", "w06-01", "W0601", "w0601", "w6-1", "ｗ０６－０１", " W06-01 "],
)
def test_a_rule_number_finds_that_rule_however_it_is_typed(office, typed):
    result = office.book.search(typed)
    assert result.hits[0].rule_id == "W06-01"
    assert result.hits[0].matched_in == "number"


def test_a_rule_number_inside_a_query_comes_first_then_the_other_words(office):
    hits = office.book.search("W06-01 公示").hits
    assert hits[0].rule_id == "W06-01" and hits[0].matched_in == "number"
    rest = hits[1:]
    assert rest and all("公示" in hit.snippet.plain() or "公示" in hit.title for hit in rest)
    # Written as the book cites it, with 见 and 条 around it.
    assert office.book.search("见W18-05条").hits[0].rule_id == "W18-05"


def test_a_rule_number_alone_also_finds_the_rules_that_cite_it(office):
    hits = office.book.search("W18-05").hits
    assert [hit.rule_id for hit in hits][:1] == ["W18-05"]
    citing = hits[1:]
    # 01 工会组建: 按“选举有效与当选”一条（W18-05）执行.
    assert "W01-06" in [hit.rule_id for hit in citing]
    assert all("【W18-05】" in hit.snippet.marked() for hit in citing)


def test_a_work_item_number_lists_its_rules_in_book_order(office):
    result = office.book.search("W06")
    [item] = [item for item in office.book.work_items() if item.id == "W06"]
    assert [hit.rule_id for hit in result.hits] == [rule.id for rule in item.rules]
    assert result.total == len(item.rules)


def test_a_number_no_rule_has_is_searched_as_text(office):
    # 12351 is the unions' hotline, written in a rule's text.
    assert [hit.rule_id for hit in office.book.search("12351").hits] == ["W05-08"]
    assert office.book.search("W99-99").hits == ()


# --- synonyms -------------------------------------------------------------------------------


def test_retirement_condolence_is_found_through_its_synonyms(office):
    # Nobody writes 退休慰问 in the book: W07-06 is 退休离岗慰问.
    result = office.book.search("退休慰问")
    ids = [hit.rule_id for hit in result.hits]
    assert "W07-06" in ids
    assert all(hit.synonym == "退休慰问" for hit in result.hits)
    assert result.hits[0].synonym_note == "按“退休慰问”的近义词查到"


def test_weddings_and_funerals_find_both_kinds_of_condolence(office):
    result = office.book.search("婚丧")
    ids = {hit.rule_id for hit in result.hits}
    assert {"W07-04", "W07-07"} <= ids  # 结婚与生育慰问, 丧葬慰问
    assert result.total == len(ids)
    # The reader marks the words the rule was found by, not the word typed.
    assert {"结婚", "丧葬", "去世"} <= set(result.highlight.terms)
    wedding = next(hit for hit in result.hits if hit.rule_id == "W07-04")
    assert "【结婚】" in wedding.snippet.marked()


def test_the_words_typed_come_before_what_their_synonyms_find(office):
    # 生病住院 stands in three rules as written; 住院, 疾病 and 医疗 find more after them.
    hits = office.book.search("生病住院", limit=1000).hits
    literal = [hit for hit in hits if not hit.synonym]
    assert len(literal) == 3 and hits[:3] == tuple(literal)
    assert all(hit.synonym == "生病住院" for hit in hits[3:])
    assert {"W11-03", "W15-01"} <= {hit.rule_id for hit in hits[3:]}  # 医疗救助, 医疗互助
    assert len({hit.rule_id for hit in hits}) == len(hits)


def test_a_synonym_inside_a_longer_query_keeps_the_other_words(office):
    hits = office.book.search("婚丧 标准").hits
    assert hits and all("标准" in office.book.rule(hit.rule_id).text for hit in hits)
    assert {"W07-04", "W07-07"} <= {hit.rule_id for hit in hits}


def test_a_book_without_a_synonym_list_searches_as_before(small_office):
    assert small_office.book.synonyms() == {}
    assert [h.rule_id for h in small_office.book.search("住院").hits] == ["W02-01"]


def test_the_synonym_list_is_read_with_the_book_and_follows_its_updates(
    tmp_path: Path, small_book_dir: Path
):
    (small_book_dir / "synonyms.toml").write_text(
        '[[words]]\nword = "生病"\nsearch_for = ["住院"]\n', encoding="utf-8"
    )
    with Office.open(tmp_path / "data", small_book_dir) as office:
        assert [h.rule_id for h in office.book.search("生病").hits] == ["W02-01"]
    (small_book_dir / "synonyms.toml").write_text(
        '[[words]]\nword = "看病"\nsearch_for = ["住院"]\n', encoding="utf-8"
    )
    with Office.open(tmp_path / "data", small_book_dir) as office:
        assert office.book.search("生病").hits == ()
        assert [h.rule_id for h in office.book.search("看病").hits] == ["W02-01"]

"""The tokens the Chinese index stores, and the snippets and pinyin keys users see."""

from __future__ import annotations

import pytest

from desktop.book.search import index_tokens, make_snippet, parse_query, pinyin_keys


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        (
            "困难职工",
            "困难 难职 职工",
        ),  # overlapping pairs, so any 2+ character substring is a phrase
        ("帮扶", "帮扶"),
        ("会", "会"),  # a lone character is kept, not lost
        ("拨打12351热线", "拨打 12351 热线"),
        ("ＰＤＦ表格", "pdf 表格"),  # full-width letters fold to ASCII
        ("困难，职工", "困难 职工"),  # punctuation breaks runs: no false pair 难职
    ],
)
def test_index_tokens(text, tokens):
    assert index_tokens(text) == tokens


def test_query_becomes_a_phrase_of_pairs():
    assert parse_query("困难职工").fts_expression() == '"困难 难职 职工"'
    assert parse_query("帮扶 慰问").fts_expression() == '"帮扶" AND "慰问"'
    assert parse_query("会").fts_expression() is None  # too short for the pair index


def test_letters_only_query_is_a_pinyin_key():
    assert parse_query("KNZG").pinyin_key == "knzg"
    assert parse_query("困难").pinyin_key is None


def test_pinyin_keys_of_a_title():
    assert pinyin_keys("困难职工认定条件") == ("knzgrdtj", "kunnanzhigongrendingtiaojian")


def test_snippet_centres_on_the_match_and_marks_it():
    text = "甲" * 100 + "困难职工帮扶" + "乙" * 100
    snippet = make_snippet(text, parse_query("帮扶"))
    marked = snippet.marked()
    assert "【帮扶】" in marked
    assert marked.startswith("…") and marked.endswith("…")
    assert len(snippet.plain()) <= 62


def test_snippet_without_match_starts_at_the_beginning():
    snippet = make_snippet("会员因病住院的，工会可给予慰问。", parse_query("knzg"))
    assert snippet.marked() == "会员因病住院的，工会可给予慰问。"


def test_highlight_follows_the_index_across_punctuation():
    # The index matches 12351热线 in "12351，热线"; the highlight must show where.
    text = "请拨打12351，热线全天开通。"
    snippet = make_snippet(text, parse_query("12351热线"))
    assert snippet.marked() == "请拨打【12351，热线】全天开通。"

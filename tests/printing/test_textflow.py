"""Chinese line breaking inside a cell."""

from __future__ import annotations

import pytest

from desktop.printing.textflow import NO_LINE_END, NO_LINE_START, wrap, wrap_balanced, wrap_items


def width(text: str) -> float:
    """Full-width characters 1, ASCII ½: like a CJK font at 1 pt."""
    return sum(0.5 if ord(c) < 0x2E80 else 1.0 for c in text)


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        # A plain run breaks at the width.
        ("甲乙丙丁戊己庚辛", ["甲乙丙丁", "戊己庚辛"]),
        # A comma never starts a line: the character before it comes down too.
        ("甲乙丙丁，戊己", ["甲乙丙", "丁，戊己"]),
        # Several closing marks in a row come down with the character before them.
        ("甲乙丙丁。」戊", ["甲乙丙", "丁。」戊"]),
        # An opening bracket never ends a line.
        ("甲乙丙（丁）", ["甲乙丙", "（丁）"]),
        # A date stays on one line.
        ("定于2026年11月22日", ["定于", "2026年11月22日"]),
        # An ID number or case number stays whole when it fits.
        ("编号BF-2026-0007", ["编号", "BF-2026-0007"]),
        # Paragraphs are kept; blank lines too.
        ("甲乙\n\n丙", ["甲乙", "", "丙"]),
    ],
)
def test_wrap(text, lines):
    limit = 7 if "2026年" in text else (6 if "BF" in text else 4)
    assert wrap(text, limit, width) == lines


def test_a_word_longer_than_the_line_is_cut_to_fill_it():
    assert wrap("620102199001011234", 4, width) == ["62010219", "90010112", "34"]


def test_every_line_fits_and_no_line_starts_with_closing_punctuation():
    text = "家庭困难的原因，和目前的生活状况。（说明：“两套住房”、经营企业；是否雇佣他人？）" * 5
    for limit in (3, 5, 7, 11):
        lines = wrap(text, limit, width)
        assert "".join(lines) == text
        for line in lines:
            assert width(line) <= limit
        for line in lines[1:]:
            assert line[0] not in NO_LINE_START
        for line in lines[:-1]:
            assert line[-1] not in NO_LINE_END


def test_balanced_labels_do_not_leave_one_character_alone():
    assert wrap("主要致困原因", 5, width) == ["主要致困原", "因"]
    assert wrap_balanced("主要致困原因", 5, width) == ["主要致", "困原因"]


def test_choice_items_are_not_split():
    items = ["□本人或家庭成员患大病", "□残疾", "□其他"]
    assert wrap_items(items, 12, width) == ["□本人或家庭成员患大病", "□残疾 □其他"]

"""人民币大写 as the PBOC rules for filling in vouchers have it (desktop/printing/capitals.py)."""

from __future__ import annotations

import pytest

from desktop.printing.capitals import fen_to_capitals

CASES = [
    # (fen, capitals, the rule the case protects)
    (1_200_000, "壹万贰仟元整", "the seed story's 12,000 yuan; 整 after 元"),
    (0, "零元整", "nothing at all is still written out"),
    (5, "伍分", "fen only: no 零元 in front"),
    (50, "伍角", "jiao only; no 整 after 角"),
    (155, "壹元伍角伍分", "yuan, jiao and fen"),
    (100, "壹元整", "one yuan"),
    (1_000, "壹拾元整", "拾 always has its digit: 壹拾, not 拾"),
    (10_010, "壹佰元壹角", "元位 0, 角 not 0: 零 may be left out, and is"),
    (100_000_000, "壹佰万元整", "trailing zero groups vanish"),
    (1_001_001, "壹万零壹拾元零壹分", "zeros inside: one 零; 角 0 before 分: 元后写零"),
    (140_950, "壹仟肆佰零玖元伍角", "PBOC example ¥1,409.50"),
    (600_714, "陆仟零柒元壹角肆分", "PBOC example ¥6,007.14: several zeros, one 零"),
    (168_032, "壹仟陆佰捌拾元叁角贰分", "PBOC example ¥1,680.32, the form without 零"),
    (10_700_053, "壹拾万柒仟元伍角叁分", "PBOC example ¥107,000.53, the form without 零"),
    (1_640_902, "壹万陆仟肆佰零玖元零贰分", "PBOC example ¥16,409.02: 角 0 needs 零"),
    (32_504, "叁佰贰拾伍元零肆分", "PBOC example ¥325.04"),
    (10_070_000, "壹拾万零柒佰元整", "a lower group starting with zeros gets 零"),
    (10_000_000_100, "壹亿零壹元整", "an empty 万 group between 亿 and units: one 零"),
    (10_000_100_000, "壹亿零壹仟元整", "empty 万 group, then thousands"),
    (100_000_000_000, "壹拾亿元整", "亿 group with 拾"),
    (99_999_999_999_999, "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分", "the largest"),
    (2_000_000_000, "贰仟万元整", "thousands of 万"),
    (20_000_000_000, "贰亿元整", "whole 亿"),
]


@pytest.mark.parametrize(("fen", "expected", "rule"), CASES, ids=[c[2] for c in CASES])
def test_fen_to_capitals(fen, expected, rule):
    assert fen_to_capitals(fen) == expected


def test_negative_amounts_are_refused():
    with pytest.raises(ValueError, match="负数"):
        fen_to_capitals(-1)


@pytest.mark.parametrize("amount", [12.5, "100", True])
def test_only_integer_fen_is_taken(amount):
    # Money is integer fen everywhere; a float or text here is a caller's bug.
    with pytest.raises(TypeError):
        fen_to_capitals(amount)


def test_amounts_beyond_wan_yi_are_refused():
    with pytest.raises(ValueError, match="过大"):
        fen_to_capitals(10**14)

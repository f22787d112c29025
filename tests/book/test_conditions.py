"""The condition language that procedure files use for branches and eligibility."""

import re

import pytest

from desktop.book.conditions import ExpressionError, parse_condition


def holds(text, **values):
    return parse_condition(text).holds({key.replace("__", "."): v for key, v in values.items()})


def test_money_literals_are_fen_and_compare_with_money_fields():
    assert holds("income_per_head < 750元", income_per_head=74_999)
    assert not holds("income_per_head < 750元", income_per_head=75_000)
    assert holds("amount <= 0.5元", amount=50)


def test_arithmetic_with_parameters():
    values = {"income_per_head": 140_000, "param.min_living_standard": 75_000}
    assert parse_condition("income_per_head < param.min_living_standard * 2").holds(values)
    assert not parse_condition("income_per_head < param.min_living_standard + 100元").holds(values)


def test_membership_and_text():
    assert holds("kind in ['医疗救助', '生活救助']", kind="医疗救助")
    assert not holds("kind in ['医疗救助', '生活救助']", kind="金秋助学")
    assert holds("kind != '金秋助学' and household_size >= 3", kind="生活救助", household_size=3)


def test_precedence_and_parentheses():
    assert holds("a == 1 or b == 1 and c == 1", a=1, b=0, c=0)
    assert not holds("(a == 1 or b == 1) and c == 1", a=1, b=0, c=0)
    assert holds("not a == 2", a=1)
    assert holds("-a < 0", a=1)


def test_unfilled_values_decide_nothing():
    condition = parse_condition("not eligible")
    assert condition.evaluate({}) is None
    assert not condition.holds({})
    assert condition.holds({"eligible": False})
    # A known side settles and/or even when the other side is still empty.
    assert parse_condition("eligible or a > 1").evaluate({"a": 2}) is True
    assert parse_condition("eligible and a > 1").evaluate({"a": 0}) is False
    assert parse_condition("a > 1 and b > 1").evaluate({"a": 2}) is None


def test_names_are_listed_for_validation():
    condition = parse_condition("approval.approved and person.age >= 60 or kind == 'x'")
    assert condition.names() == {"approval.approved", "person.age", "kind"}


def test_division_by_zero_is_undecided_not_a_crash():
    assert parse_condition("a / b > 1").evaluate({"a": 1, "b": 0}) is None


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "条件是空的"),
        ("a ==", "应是数值、文字或名称"),
        ("a == 1 b", "少了 and / or"),
        ("a ＝ 1", "无法识别"),
        ("(a == 1", "应是“)”"),
        ("kind in ['a' 'b']", "英文逗号"),
        ("x < 1.005元", "最多两位小数"),
    ],
)
def test_mistakes_get_a_chinese_message_with_position(text, fragment):
    with pytest.raises(ExpressionError, match=re.escape(fragment)):
        parse_condition(text)


def test_never_evaluates_python():
    with pytest.raises(ExpressionError):
        parse_condition("__import__('os').system('echo hi')")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        # A procedure file with these stopped the program's start with a traceback
        # (RecursionError, and int()'s 4,300-digit limit).
        ("(" * 400 + "1" + ")" * 400, "嵌套太深"),
        ("a > " + "1" * 5000, "条件太长"),
        ("a > " + "1" * 19, "数字“111111111111…”太长（19 位）"),
        ("-" * 33 + "a", "嵌套太深"),
        ("not " * 33 + "a", "嵌套太深"),
        (" + ".join(["a"] * 33) + " > 1", "嵌套太深"),
    ],
)
def test_over_deep_or_over_long_conditions_are_refused_in_chinese(text, fragment):
    with pytest.raises(ExpressionError, match=re.escape(fragment)):
        parse_condition(text)


def test_the_limits_leave_room_for_real_conditions():
    nested = "(" * 31 + "a" + ")" * 31
    assert parse_condition(f"{nested} > {'9' * 18}").holds({"a": 10**18})
    chained = " + ".join(["a"] * 31)  # the names, 30 additions, the comparison: 32 levels
    assert parse_condition(f"{chained} > 1").holds({"a": 1})

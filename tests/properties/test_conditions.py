"""The condition language of procedure files, generated from its grammar.

Every expression the grammar allows parses to the tree it was written from (the generator prints
a tree with no more brackets than precedence needs, so this checks precedence and associativity
too), evaluating it on any values gives True, False or None and never raises, and junk gets an
ExpressionError in Chinese."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from desktop.book.conditions import (
    KEYWORDS,
    MAX_DEPTH,
    Binary,
    ExpressionError,
    Literal,
    Membership,
    Name,
    Unary,
    parse_condition,
)
from tests.properties import examples
from tests.properties.strategies import is_chinese_message, junk

# --- trees and how they are written --------------------------------------------------------------

words = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True).filter(
    lambda w: w not in KEYWORDS
)
names = st.lists(words, min_size=1, max_size=3).map(".".join)
texts = st.text(alphabet=st.characters(exclude_characters="'\"\n"), max_size=8)


@st.composite
def numbers(draw) -> tuple[str, object]:
    """(as written, the value the parser gives): integers, decimals, amounts in 元 (fen)."""
    whole = draw(st.integers(0, 10**9))
    form = draw(st.sampled_from(["int", "decimal", "yuan", "yuan_cents"]))
    if form == "int":
        return str(whole), whole
    cents = draw(st.integers(0, 99))
    if form == "decimal":
        return f"{whole}.{cents:02d}", Decimal(f"{whole}.{cents:02d}")
    if form == "yuan":
        return f"{whole}元", whole * 100
    return f"{whole}.{cents:02d}元", whole * 100 + cents


list_items = st.one_of(numbers().map(lambda n: n), texts.map(lambda t: (f"'{t}'", t)))
atoms = st.one_of(
    numbers().map(lambda n: Literal(n[1])),
    texts.map(Literal),
    st.booleans().map(Literal),
    names.map(Name),
)


def fold_left(chain) -> Binary:
    """``a - b + c``: operators of one level written in a row group from the left."""
    operators, operands = chain
    tree = operands[0]
    for op, operand in zip(operators, operands[1:]):  # noqa: B905 - as many as drawn
        tree = Binary(op, tree, operand)
    return tree


# Operators of one level, to write in a row.
LEVEL_GROUPS = [("or",), ("and",), ("+", "-"), ("*", "/")]


def extend(children):
    chains = st.sampled_from(LEVEL_GROUPS).flatmap(
        lambda group: st.tuples(
            st.lists(st.sampled_from(group), min_size=2, max_size=4),
            st.lists(children, min_size=5, max_size=5),
        )
    )
    return st.one_of(
        chains.map(fold_left),
        st.tuples(st.sampled_from(["or", "and", "==", "!=", "<", "<=", ">", ">=", "+", "-",
                                   "*", "/"]), children, children).map(
            lambda t: Binary(t[0], t[1], t[2])
        ),
        st.tuples(st.sampled_from(["not", "-"]), children).map(lambda t: Unary(*t)),
        st.tuples(children, st.lists(list_items, max_size=4)).map(
            lambda t: Membership(t[0], tuple(value for _, value in t[1]))
        ),
    )  # fmt: skip


trees = st.recursive(atoms, extend, max_leaves=12)

# Precedence levels of the grammar (conditions.py): a higher number binds tighter.
LEVEL = {"or": 1, "and": 2, "not": 3, "compare": 4, "+": 5, "-": 5, "*": 6, "/": 6}
COMPARE = {"==", "!=", "<", "<=", ">", ">="}
ATOM, UNARY = 8, 7


def written(tree, items: dict) -> tuple[str, int]:
    """The tree as an editor would write it, and the level of what was written."""

    def at_least(child, level: int) -> str:
        text, child_level = written(child, items)
        return text if child_level >= level else f"({text})"

    if isinstance(tree, Literal):
        value = tree.value
        if isinstance(value, bool):
            return ("true" if value else "false"), ATOM
        if isinstance(value, str):
            return f"'{value}'", ATOM
        return items[id(tree)], ATOM
    if isinstance(tree, Name):
        return tree.name, ATOM
    if isinstance(tree, Unary):
        if tree.op == "not":
            return f"not {at_least(tree.operand, LEVEL['not'])}", LEVEL["not"]
        return f"-{at_least(tree.operand, UNARY)}", UNARY
    if isinstance(tree, Membership):
        listed = ", ".join(items[(id(tree), i)] for i in range(len(tree.haystack)))
        return f"{at_least(tree.needle, LEVEL['+'])} in [{listed}]", LEVEL["compare"]
    if tree.op in COMPARE:  # not associative: both sides are sums
        left, right = at_least(tree.left, LEVEL["+"]), at_least(tree.right, LEVEL["+"])
        return f"{left} {tree.op} {right}", LEVEL["compare"]
    level = LEVEL[tree.op]  # left-associative
    left, right = at_least(tree.left, level), at_least(tree.right, level + 1)
    return f"{left} {tree.op} {right}", level


@st.composite
def conditions(draw) -> tuple[str, object]:
    """(text, the tree it must parse to), numbers written in any of their forms."""
    tree = draw(trees)
    items: dict = {}

    def spell(node) -> object:
        # Numbers are rebuilt so each has one written form recorded for it.
        if isinstance(node, Literal) and not isinstance(node.value, (bool, str)):
            text, value = draw(numbers())
            new = Literal(value)
            items[id(new)] = text
            return new
        if isinstance(node, Unary):
            return Unary(node.op, spell(node.operand))
        if isinstance(node, Binary):
            return Binary(node.op, spell(node.left), spell(node.right))
        if isinstance(node, Membership):
            drawn = [draw(list_items) for _ in node.haystack]
            new = Membership(spell(node.needle), tuple(value for _, value in drawn))
            for i, (text, _) in enumerate(drawn):
                items[(id(new), i)] = text
            return new
        return node

    tree = spell(tree)
    return written(tree, items)[0], tree


def depth(tree) -> int:
    if isinstance(tree, Unary):
        return 1 + depth(tree.operand)
    if isinstance(tree, Binary):
        return 1 + max(depth(tree.left), depth(tree.right))
    if isinstance(tree, Membership):
        return 1 + depth(tree.needle)
    return 1


# What a case may hold under a name: nothing yet, and every kind of stored value.
values = st.dictionaries(
    names,
    st.one_of(
        st.none(), st.booleans(), st.integers(-(10**12), 10**12), st.text(max_size=4),
        st.decimals(allow_nan=False, allow_infinity=False, places=2),
        st.dates().map(date.isoformat),
    ),
    max_size=6,
)  # fmt: skip


@examples(300)
@given(conditions(), values)
def test_what_the_grammar_writes_parses_to_its_tree_and_evaluates(condition, case_values):
    text, tree = condition
    if depth(tree) > MAX_DEPTH:
        return
    parsed = parse_condition(text)
    assert parsed.tree == tree, text
    for name in parsed.names():  # every name used gets some value, sometimes
        case_values.setdefault(name, case_values.get("x"))
    assert parsed.evaluate(case_values) in (True, False, None)
    assert parsed.holds(case_values) in (True, False)


@examples(200)
@given(st.one_of(junk, st.text(alphabet="ab1.元'\"()[], =!<>+-*/andotri", max_size=60)), values)
def test_junk_gets_an_expression_error_in_chinese_and_nothing_else(text, case_values):
    try:
        parsed = parse_condition(text)
    except ExpressionError as error:
        assert is_chinese_message(error), error
        return
    assert parsed.evaluate(case_values) in (True, False, None)

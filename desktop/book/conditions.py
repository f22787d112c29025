"""The small condition language of procedure files: parsed and evaluated here, never by eval.

    income_per_head < param.min_living_standard * 2 and kind in ['医疗救助', '生活救助']

Grammar (lowest precedence first):
    or_expr   := and_expr ('or' and_expr)*
    and_expr  := not_expr ('and' not_expr)*
    not_expr  := 'not' not_expr | compare
    compare   := sum (('==' | '!=' | '<' | '<=' | '>' | '>=') sum | 'in' list)?
    sum       := product (('+' | '-') product)*
    product   := unary (('*' | '/') unary)*
    unary     := '-' unary | atom
    atom      := number ['元'] | string | 'true' | 'false' | name | '(' or_expr ')'
    list      := '[' (atom (',' atom)*)? ']'
    name      := word ('.' word)*

Money is integer fen inside: ``20000元`` is 2,000,000. A value not filled in yet is None; logic is
three-valued, so ``not eligible`` is still undecided (not true) before the eligibility step, and a
step conditioned on an empty field does not apply.

Every date field also gives a derived whole number, ``<field>.days_to_opening``: the days from the
recorded date to the day the case was opened (受理日), which the values carry under OPENED_ON.
A discharge on 2026-03-01 in a case opened on 2026-11-20 gives 264; a date after the opening day
gives a negative number. Two of them subtract to the days between their dates. Nothing here reads
the wall clock: the same case gives the same answer on any day.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from desktop.dates import stored_date


class ExpressionError(ValueError):
    """The expression cannot be read; the message says where (character position) and why."""


# What one condition may hold. The longest in the shipped book has 144 characters and six
# levels; a file with 400 brackets or a 5,000-digit number must get a message, not a traceback
# from Python's recursion or integer limits.
MAX_LENGTH = 1000  # characters
MAX_DEPTH = 32  # brackets, not and minus inside one another, and operators written in a row
MAX_NUMBER_LENGTH = 18  # characters of one number: digits and the decimal point


_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<number>\d+(?:\.\d+)?)(?P<yuan>元)?
  | (?P<string>'[^']*'|"[^"]*")
  | (?P<op>==|!=|<=|>=|<|>|\+|-|\*|/|\(|\)|\[|\]|,)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
    """,
    re.VERBOSE,
)
KEYWORDS = {"and", "or", "not", "in", "true", "false"}

# The derived value of a date field (see the module text) and where the opening day is found.
DAYS_TO_OPENING = "days_to_opening"
OPENED_ON = "case.opened_on"


def days_to_opening_name(field_id: str) -> str:
    """The name of the derived day count of date field ``field_id``."""
    return f"{field_id}.{DAYS_TO_OPENING}"


def lookup(values: Mapping[str, Any], name: str) -> Any:
    """The value of ``name``: as recorded, or derived from a date field; None while unknown."""
    base, dot, suffix = name.rpartition(".")
    if dot and suffix == DAYS_TO_OPENING:
        recorded, opened = _as_date(values.get(base)), _as_date(values.get(OPENED_ON))
        return None if recorded is None or opened is None else (opened - recorded).days
    return values.get(name)


def _as_date(value: Any) -> date | None:
    """A date from a stored value (ISO text, as date fields keep it, or a form an earlier
    version kept) or a date/datetime."""
    return stored_date(value)


@dataclass(frozen=True)
class Token:
    kind: str  # number, string, op, name, keyword, end
    value: Any
    position: int


def tokenize(text: str) -> list[Token]:
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"条件太长（{len(text)} 个字符），最多 {MAX_LENGTH} 个字符。请简化，"
            "或把一部分写成另一个步骤的条件"
        )
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise ExpressionError(f"第 {position + 1} 个字符“{text[position]}”无法识别")
        kind = match.lastgroup
        if match.group("number") is not None:
            digits = match.group("number")
            if len(digits) > MAX_NUMBER_LENGTH:
                raise ExpressionError(
                    f"第 {position + 1} 个字符起的数字“{digits[:12]}…”太长（{len(digits)} 位），"
                    f"最多 {MAX_NUMBER_LENGTH} 位。请检查是否多写了数字"
                )
            value = _number(digits, match.group("yuan"))
            tokens.append(Token("number", value, position))
        elif kind == "string":
            tokens.append(Token("string", match.group("string")[1:-1], position))
        elif kind == "op":
            tokens.append(Token("op", match.group("op"), position))
        elif kind == "name":
            word = match.group("name")
            tokens.append(Token("keyword" if word in KEYWORDS else "name", word, position))
        position = match.end()
    tokens.append(Token("end", None, len(text)))
    return tokens


def _number(digits: str, yuan: str | None) -> int | Decimal:
    if yuan:
        try:
            fen = Decimal(digits) * 100
        except InvalidOperation as error:  # pragma: no cover - the pattern only admits digits
            raise ExpressionError(f"金额“{digits}元”无法识别") from error
        if fen != fen.to_integral_value():
            raise ExpressionError(f"金额“{digits}元”最多两位小数")
        return int(fen)
    return int(digits) if "." not in digits else Decimal(digits)


# --- syntax tree ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Literal:
    value: Any


@dataclass(frozen=True)
class Name:
    name: str


@dataclass(frozen=True)
class Unary:
    op: str
    operand: Any


@dataclass(frozen=True)
class Binary:
    op: str
    left: Any
    right: Any


@dataclass(frozen=True)
class Membership:
    needle: Any
    haystack: tuple[Any, ...]


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.index = 0
        self.nesting = 0  # brackets, not and minus open around the current token
        self.depths: dict[int, int] = {}  # id() of each node built → the depth of its tree

    def enter(self) -> None:
        """One more bracket, not or minus around what follows."""
        self.nesting += 1
        if self.nesting > MAX_DEPTH:
            raise self.too_deep()

    def node(self, tree: Any, *children: Any) -> Any:
        """``tree`` built over ``children``, refused when the tree gets too deep to walk."""
        depth = 1 + max((self.depths.get(id(child), 1) for child in children), default=0)
        if depth > MAX_DEPTH:
            raise self.too_deep()
        self.depths[id(tree)] = depth
        return tree

    def too_deep(self) -> ExpressionError:
        return self.error(
            f"条件嵌套太深：括号、not、负号和连写的运算合计超过 {MAX_DEPTH} 层。"
            "请简化，或把一部分写成另一个步骤的条件"
        )

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def take(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def at(self, kind: str, *values: str) -> bool:
        token = self.current
        return token.kind == kind and (not values or token.value in values)

    def expect(self, kind: str, value: str) -> None:
        if not self.at(kind, value):
            raise self.error(f"这里应是“{value}”")
        self.take()

    def error(self, message: str) -> ExpressionError:
        token = self.current
        found = "表达式结束" if token.kind == "end" else f"“{token.value}”"
        return ExpressionError(f"第 {token.position + 1} 个字符附近（{found}）：{message}")

    def parse(self) -> Any:
        if self.at("end"):
            raise self.error("条件是空的")
        tree = self.or_expr()
        if not self.at("end"):
            raise self.error("多出了内容，是否少了 and / or？")
        return tree

    def or_expr(self) -> Any:
        tree = self.and_expr()
        while self.at("keyword", "or"):
            self.take()
            right = self.and_expr()
            tree = self.node(Binary("or", tree, right), tree, right)
        return tree

    def and_expr(self) -> Any:
        tree = self.not_expr()
        while self.at("keyword", "and"):
            self.take()
            right = self.not_expr()
            tree = self.node(Binary("and", tree, right), tree, right)
        return tree

    def not_expr(self) -> Any:
        if self.at("keyword", "not"):
            self.take()
            self.enter()
            operand = self.not_expr()
            self.nesting -= 1
            return self.node(Unary("not", operand), operand)
        return self.compare()

    def compare(self) -> Any:
        left = self.sum()
        if self.at("op", "==", "!=", "<", "<=", ">", ">="):
            op = self.take().value
            right = self.sum()
            return self.node(Binary(op, left, right), left, right)
        if self.at("keyword", "in"):
            self.take()
            return self.node(Membership(left, self.list_literal()), left)
        return left

    def sum(self) -> Any:
        tree = self.product()
        while self.at("op", "+", "-"):
            op = self.take().value
            right = self.product()
            tree = self.node(Binary(op, tree, right), tree, right)
        return tree

    def product(self) -> Any:
        tree = self.unary()
        while self.at("op", "*", "/"):
            op = self.take().value
            right = self.unary()
            tree = self.node(Binary(op, tree, right), tree, right)
        return tree

    def unary(self) -> Any:
        if self.at("op", "-"):
            self.take()
            self.enter()
            operand = self.unary()
            self.nesting -= 1
            return self.node(Unary("-", operand), operand)
        return self.atom()

    def atom(self) -> Any:
        token = self.current
        if token.kind in ("number", "string"):
            self.take()
            return Literal(token.value)
        if token.kind == "keyword" and token.value in ("true", "false"):
            self.take()
            return Literal(token.value == "true")
        if token.kind == "name":
            self.take()
            return Name(token.value)
        if self.at("op", "("):
            self.take()
            self.enter()
            tree = self.or_expr()
            self.expect("op", ")")
            self.nesting -= 1
            return tree
        raise self.error("这里应是数值、文字或名称")

    def list_literal(self) -> tuple[Any, ...]:
        self.expect("op", "[")
        items: list[Any] = []
        while not self.at("op", "]"):
            token = self.current
            if token.kind not in ("number", "string"):
                raise self.error("列表中只能写数值或带引号的文字")
            items.append(self.take().value)
            if self.at("op", ","):
                self.take()
            elif not self.at("op", "]"):
                raise self.error("列表各项之间用英文逗号分隔")
        self.take()
        return tuple(items)


@dataclass(frozen=True)
class Condition:
    """A parsed condition: evaluate it against the case's values, or list the names it uses."""

    source: str
    tree: Any

    def names(self) -> set[str]:
        found: set[str] = set()
        _collect_names(self.tree, found)
        return found

    def holds(self, values: Mapping[str, Any]) -> bool:
        return self.evaluate(values) is True

    def evaluate(self, values: Mapping[str, Any]) -> bool | None:
        """True or False once the values decide it; None while something it needs is unfilled."""
        result = _evaluate(self.tree, values)
        return None if result is None else result is True


def parse_condition(text: str) -> Condition:
    return Condition(text, _Parser(text).parse())


def _collect_names(tree: Any, found: set[str]) -> None:
    if isinstance(tree, Name):
        found.add(tree.name)
    elif isinstance(tree, Unary):
        _collect_names(tree.operand, found)
    elif isinstance(tree, Binary):
        _collect_names(tree.left, found)
        _collect_names(tree.right, found)
    elif isinstance(tree, Membership):
        _collect_names(tree.needle, found)


_COMPARE = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _evaluate(tree: Any, values: Mapping[str, Any]) -> Any:
    if isinstance(tree, Literal):
        return tree.value
    if isinstance(tree, Name):
        return lookup(values, tree.name)
    if isinstance(tree, Membership):
        needle = _evaluate(tree.needle, values)
        return needle is not None and needle in tree.haystack
    if isinstance(tree, Unary):
        operand = _evaluate(tree.operand, values)
        if tree.op == "not":
            return None if operand is None else operand is not True
        return None if operand is None or not _is_number(operand) else -operand
    op = tree.op
    if op in ("and", "or"):
        left_truth = _truth(_evaluate(tree.left, values))
        return _kleene(op, left_truth, _truth(_evaluate(tree.right, values)))
    left, right = _evaluate(tree.left, values), _evaluate(tree.right, values)
    if left is None or right is None:
        return None
    if op in _COMPARE:
        if op not in ("==", "!=") and not (_is_number(left) and _is_number(right)):
            return None if type(left) is not type(right) else _COMPARE[op](left, right)
        return _COMPARE[op](left, right)
    if not (_is_number(left) and _is_number(right)):
        return None
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    if right == 0:
        return None
    return Decimal(left) / Decimal(right)


def _truth(value: Any) -> bool | None:
    return None if value is None else value is True


def _kleene(op: str, left: bool | None, right: bool | None) -> bool | None:
    """Three-valued and/or: an unknown side decides nothing unless the other side settles it."""
    if op == "and":
        if left is False or right is False:
            return False
        return None if left is None or right is None else True
    if left is True or right is True:
        return True
    return None if left is None or right is None else False


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)

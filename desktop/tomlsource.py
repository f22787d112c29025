"""Hand-edited TOML files read for the person who fixes them: where each table and key is.

The book (desktop.book) and the form layouts (desktop.printing.forms) are TOML files a county
union edits in a text editor, and every mistake in them is reported with its file and line.
tomllib gives values without lines, so the lines are found here in the text: a file's table
headers are indexed once when it is read, and a table's keys are looked for in its own lines.

Also here: reading a file's text and parsing it with messages in the editor's words, the
checkers for values the book's tables share, and SourceFile, which checks a file's tables
against the keys they may have and collects every problem instead of stopping at the first.
"""

from __future__ import annotations

import bisect
import functools
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from desktop.dates import DATE_EXAMPLE, DateError, parse_date

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

NOT_UTF8 = "文件不是 UTF-8 编码，请用记事本“另存为”UTF-8 后再试"

# What a hand-edited file may hold. The book's largest file has about 40 KB and three levels of
# brackets; past these limits tomllib recurses until Python gives up (RecursionError), int()
# refuses 4,300 digits, and a name of many dotted parts takes quadratic time, so such a file
# gets a message with its line instead of a traceback or a hang.
MAX_FILE_BYTES = 1_000_000
MAX_NESTING = 32  # brackets and braces inside one another; dotted parts of one name
MAX_BARE_VALUE = 40  # characters of a number or date written without quotes

# A table header: [name] or [[name]], perhaps followed by a comment.
_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.]+)\s*\]\]?\s*(#.*)?$")

# One pass over the text for the limits, skipping strings and comments. A string left open runs
# to the end of its line (a multi-line one to the end of the file), so every match moves on and
# the pass takes linear time whatever the text.
_KEY_PART = r"""(?:[A-Za-z0-9_\-]+|"[^"\n]*"|'[^'\n]*')"""
_LIMITS = re.compile(
    rf"""
    (?P<dotted>(?<![A-Za-z0-9_\-]){_KEY_PART}(?:[ \t]*\.[ \t]*{_KEY_PART}){{{MAX_NESTING},}})
  | (?P<string>\"\"\"[\s\S]*?(?:\"\"\"|\Z)|'''[\s\S]*?(?:'''|\Z)
               |"(?:[^"\\\n]|\\.)*(?:"|$)|'[^'\n]*(?:'|$))
  | (?P<comment>\#[^\n]*)
  | (?P<open>[\[{{])
  | (?P<close>[\]}}])
  | (?P<bare>(?<![\w.+\-])[+\-]?[0-9][\w.:+\-]{{{MAX_BARE_VALUE},}})
    """,
    re.VERBOSE | re.MULTILINE,
)


# Problems listed in a message; a file gone wrong throughout can have a hundred thousand.
SHOWN_PROBLEMS = 30


def listed_problems(problems: Iterable[object], shown: int = SHOWN_PROBLEMS) -> list[str]:
    """The first ``shown`` problems as text, and a last line saying how many more there are."""
    problems = list(problems)
    lines = [str(problem) for problem in problems[:shown]]
    if len(problems) > shown:
        lines.append(f"……另有 {len(problems) - shown} 处，请先改正上面这些")
    return lines


class UnreadableFile(Exception):
    """The file cannot be read as text; the message says why in the editor's words."""


def read_text(path: Path, limit: int = MAX_FILE_BYTES) -> str:
    """The file's text without a byte-order mark, its line ends made \\n; refused past
    ``limit`` bytes."""
    try:
        with open(path, "rb") as stream:
            data = stream.read(limit + 1)
    except OSError as error:
        raise UnreadableFile(f"无法读取文件（{error.strerror or error}）") from error
    if len(data) > limit:
        raise UnreadableFile(
            f"文件太大（超过 {limit // 1_000_000} MB），不像是手工编辑的文本文件。"
            "请检查是否放错了文件，或把内容分成几个文件"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UnreadableFile(NOT_UTF8) from error
    # Notepad before Windows 10 1903 starts a UTF-8 file with a byte-order mark, which tomllib
    # takes for text before the first key.
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


class TomlSyntaxError(Exception):
    """The text is not TOML; ``line`` is where the parser stopped (0 when it does not say)."""

    def __init__(self, error: tomllib.TOMLDecodeError):
        match = re.search(r"line (\d+)", str(error))
        self.line = int(match.group(1)) if match else 0
        super().__init__(str(error))


class TomlTooComplex(Exception):
    """The text goes past what a hand-edited file needs (MAX_NESTING, MAX_BARE_VALUE); the
    message says what, in the editor's words, and ``line`` where (0 when it is not known)."""

    def __init__(self, line: int, message: str):
        self.line = line
        super().__init__(message)


def check_limits(text: str) -> None:
    """Raise TomlTooComplex at the first place ``text`` goes past the limits."""
    depth = 0
    for match in _LIMITS.finditer(text):
        kind = match.lastgroup
        if kind == "open":
            depth += 1
            if depth > MAX_NESTING:
                raise TomlTooComplex(
                    _line_at(text, match.start()),
                    f"方括号或花括号套了超过 {MAX_NESTING} 层，本程序的文件用不到这么多层。"
                    "请检查括号是否成对、是否多写了括号",
                )
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif kind == "dotted":
            raise TomlTooComplex(
                _line_at(text, match.start()),
                f"名称“{match.group()[:20]}…”用点连了超过 {MAX_NESTING} 段，"
                "本程序的文件用不到这么多段。请检查这一行",
            )
        elif kind == "bare":
            raise TomlTooComplex(
                _line_at(text, match.start()),
                f"数字或日期“{match.group()[:20]}…”太长（{len(match.group())} 个字符），"
                f"最多 {MAX_BARE_VALUE} 个字符。请检查是否多写了数字；文字请用英文双引号括起来",
            )


def _line_at(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def parse(text: str) -> dict[str, Any]:
    """The TOML ``text`` as data; TomlSyntaxError or TomlTooComplex when it cannot be."""
    check_limits(text)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TomlSyntaxError(error) from error
    except (RecursionError, ValueError) as error:  # what check_limits did not foresee
        raise TomlTooComplex(
            0, "文件中有嵌套太深的括号或太长的数字，无法读取。请检查最近改动过的地方"
        ) from error


@functools.lru_cache(maxsize=256)
def _key_pattern(key: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*{re.escape(key)}\s*=")


@functools.lru_cache(maxsize=256)
def _inline_key_pattern(key: str) -> re.Pattern[str]:
    return re.compile(rf"(^|[{{,\s]){re.escape(key)}\s*=")


class TomlSource:
    """The lines of a TOML text with its table headers indexed, to find where things are.

    Line numbers given out are 1-based, as an editor shows them; 0 means "the whole file".
    """

    def __init__(self, text: str):
        self.lines = text.split("\n")
        self._header_lines: list[int] = []
        self._by_name: dict[str, list[int]] = {}  # the lines of each table's headers, in order
        for index, line in enumerate(self.lines):
            match = _HEADER.match(line)
            if match:
                self._by_name.setdefault(match.group(1), []).append(index)
                self._header_lines.append(index)

    def headers(self, name: str, start: int = 0, end: int | None = None) -> list[int]:
        """The lines (0-based) of the headers of table ``name`` between ``start`` and ``end``."""
        lines = self._by_name.get(name, [])
        stop = len(self.lines) if end is None else end
        return lines[bisect.bisect_left(lines, start) : bisect.bisect_left(lines, stop)]

    def block_end(self, start: int) -> int:
        """Where the table whose header is on line ``start`` ends: the next header, or the end
        of the file. ``start`` -1 is the top of the file, before any header."""
        following = bisect.bisect_right(self._header_lines, start)
        if following < len(self._header_lines):
            return self._header_lines[following]
        return len(self.lines)

    def key_line(self, key: str, start: int, end: int) -> int | None:
        """The line (0-based) in ``start``–``end`` where ``key = …`` is written."""
        pattern = _key_pattern(key)
        return next((i for i in range(start, end) if pattern.match(self.lines[i])), None)

    # --- tables of the book: the file's top, entry N of [[array]], of [[parent.child]]

    def top(self) -> Location:
        return Location(self, 0, self.block_end(-1), header=None)

    def at(self, array: str, index: int) -> Location:
        headers = self._by_name.get(array, [])  # not a copy: called once per entry
        if index >= len(headers):
            return Location(self, 0, 0, header=None)
        start = headers[index]
        return Location(self, start, self.block_end(start), header=start)

    def at_nested(self, parent: str, parent_index: int, child: str, child_index: int) -> Location:
        """Entry ``child_index`` of ``[[parent.child]]`` (or ``[parent.child]``) in entry
        ``parent_index`` of ``[[parent]]``."""
        parents = self._by_name.get(parent, [])
        if parent_index >= len(parents):
            return Location(self, 0, 0, header=None)
        start = parents[parent_index]
        end = parents[parent_index + 1] if parent_index + 1 < len(parents) else len(self.lines)
        children = self.headers(f"{parent}.{child}", start, end)
        if child_index >= len(children):
            return Location(self, start, self.block_end(start), header=start)
        child_start = children[child_index]
        return Location(self, child_start, self.block_end(child_start), header=child_start)

    # --- key paths of the forms: ("rows", 4, "cells", 2, "field")

    def line_of(self, path: tuple[Any, ...], value: Any = None) -> int:
        """The line of ``path``: a top-level key or table, then keys and indexes within it.

        The path is followed as far as the text shows it: into an array written inline, to
        its Nth element, and to a key of that element's inline table. With ``value`` (a text),
        the line where it is written in quotes, if it is in the table.
        """
        if not path:
            return 0
        head = path[0]
        rest = list(path[1:])
        if head in self._by_name:
            index = rest.pop(0) if rest and isinstance(rest[0], int) else None
            start, end = self._table(head, index)
            if end == 0:
                return 0
        else:
            start, end = 0, self.block_end(-1)
            rest = [head, *rest]
        line = start
        if rest and isinstance(rest[0], str):
            key_line = self.key_line(rest[0], start, end)
            if key_line is None:
                return start + 1
            line = key_line
            rest = rest[1:]
            if rest and isinstance(rest[0], int):
                element = self._element_line(line, rest[0])
                line = element if element is not None else line
                rest = rest[1:]
            if rest and isinstance(rest[0], str):
                inner = self._inline_key_line(line, rest[0])
                line = inner if inner is not None else line
        if value is not None and isinstance(value, str) and value:
            quoted = f'"{value}"'
            for i in range(line, end):
                if quoted in self.lines[i]:
                    return i + 1
        return line + 1

    def _table(self, name: str, index: int | None) -> tuple[int, int]:
        """Lines of entry ``index`` of table ``name`` (its first when None); (0, 0) if none."""
        found = self._by_name[name]
        position = 0 if index is None else index
        if position >= len(found):
            return 0, 0
        start = found[position]
        return start, self.block_end(start)

    def _element_line(self, key_line: int, index: int) -> int | None:
        """Line where element ``index`` of the array starting on ``key_line`` begins."""
        depth = 0
        count = -1
        in_string = False
        for i in range(key_line, len(self.lines)):
            text = self.lines[i]
            position = text.index("=") + 1 if i == key_line and "=" in text else 0
            while position < len(text):
                char = text[position]
                if in_string:
                    if char == "\\":
                        position += 1
                    elif char == '"':
                        in_string = False
                elif char == '"':
                    in_string = True
                elif char == "#":
                    break
                elif char in "[{":
                    depth += 1
                    if depth == 2:
                        count += 1
                        if count == index:
                            return i
                elif char in "]}":
                    depth -= 1
                    if depth == 0:
                        return None
                elif (
                    depth == 1
                    and char not in " ,\t"
                    and (position == 0 or text[position - 1] in " ,[\t")
                ):
                    # A plain value (number, text) as the element.
                    count += 1
                    if count == index:
                        return i
                position += 1
        return None

    def _inline_key_line(self, line: int, key: str) -> int | None:
        pattern = _inline_key_pattern(key)
        for i in range(line, min(line + 3, len(self.lines))):
            if pattern.search(self.lines[i]):
                return i
        return None


@dataclass(frozen=True)
class Location:
    """A table's place in its file: its header line and the lines of its keys."""

    source: TomlSource
    start: int
    end: int
    header: int | None

    def entry(self) -> int:
        return (self.header if self.header is not None else 0) + 1

    def key(self, key: str) -> int:
        line = self.source.key_line(key, self.start, self.end)
        return line + 1 if line is not None else self.entry()


# --- value checkers -----------------------------------------------------------------------------
# Each returns the cleaned value, or raises ValueError with a Chinese explanation.

Checker = Callable[[Any], Any]


def nonempty_text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("应为非空的文字，用英文双引号括起来")
    return value.strip()


def optional_text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("应为文字，用英文双引号括起来")
    return value.strip()


def identifier(value: Any) -> str:
    text = nonempty_text(value)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_\-]*", text):
        raise ValueError(f"编号“{text}”只能由字母、数字、- 和 _ 组成")
    return text


def iso_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return parse_date(value)
        except DateError as error:
            raise ValueError(f"日期{error}") from None
    raise ValueError(f"日期“{value}”无法识别，请写成 {DATE_EXAMPLE}")


def text_list(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(t, str) and t.strip() for t in value):
        raise ValueError('应为文字列表，例如 ["建会", "联合工会"]')
    return tuple(t.strip() for t in value)


def true_or_false(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("应为 true（是）或 false（否）")
    return value


def positive_integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"“{value}”应为大于 0 的整数")
    return value


def any_value(value: Any) -> Any:
    """For a key checked later with the rest of its table (a condition, a period)."""
    return value


# --- a file checked table by table -------------------------------------------------------------


class SourceFile:
    """One file read, parsed and checked table by table, collecting problems instead of
    stopping. ``report(line, message)`` receives each problem; ``field_names`` gives the
    Chinese name of a key, so a message speaks the editor's language.

    When the file cannot be read or parsed, that is reported and ``data`` is None.
    """

    def __init__(
        self,
        text: str | None,
        report: Callable[[int, str], None],
        field_names: dict[str, str],
    ):
        """``text`` None: the file could not be read (already reported)."""
        self.report = report
        self.field_names = field_names
        self.text = text or ""
        self.source = TomlSource(self.text)
        self.data: dict[str, Any] | None = None
        if text is None:
            return
        try:
            self.data = parse(text)
        except TomlSyntaxError as error:
            self.problem(
                error.line,
                f"格式错误，无法解析（{error}）。常见原因：引号不成对、等号缺失、同一字段写了两次",
            )
        except TomlTooComplex as error:
            self.problem(error.line, str(error))

    @classmethod
    def read(
        cls, path: Path, report: Callable[[int, str], None], field_names: dict[str, str]
    ) -> SourceFile:
        try:
            text: str | None = read_text(path)
        except UnreadableFile as error:
            report(0, str(error))
            text = None
        return cls(text, report, field_names)

    def problem(self, line: int, message: str) -> None:
        self.report(line, message)

    def table(
        self,
        table: Any,
        fields: dict[str, tuple[Checker, bool]],
        where: Location | None = None,
        what: str = "",
        ignore: Iterable[str] = (),
    ) -> dict[str, Any] | None:
        """Check one table against its fields; return the cleaned values or None if broken."""
        where = where or self.source.top()
        if not isinstance(table, dict):
            self.problem(where.entry(), f"{what}应为一个表格")
            return None
        cleaned: dict[str, Any] = {}
        ok = True
        label = what or "本文件"
        for key, (check, required) in fields.items():
            name = self.field_names.get(key, key)
            if key not in table:
                if required:
                    ok = False
                    self.problem(where.entry(), f"{label}缺少“{name}”（{key} = …）")
                continue
            try:
                cleaned[key] = check(table[key])
            except ValueError as error:
                ok = False
                self.problem(where.key(key), f"{label}的“{name}”（{key}）有误：{error}")
        allowed = set(fields) | set(ignore)
        for key in table:
            if key not in allowed:
                ok = False
                known = "、".join([*fields, *ignore])
                self.problem(
                    where.key(key),
                    f"{label}有不认识的字段“{key}”，是否写错了？可用的字段：{known}",
                )
        return cleaned if ok else None

    def array(self, key: str, container: Any = None, where: Location | None = None) -> list[Any]:
        """The list under ``key`` (of the file, or of ``container``); [] when absent."""
        source = self.data if container is None else container
        if not isinstance(source, dict):
            return []
        value = source.get(key, [])
        if not isinstance(value, list):
            line = (where or self.source.top()).key(key)
            self.problem(line, f"“{key}”应写成 [[{key}]] 表格数组")
            return []
        return value

"""argparse speaking Chinese: its headings and error messages, help wrapped to the terminal's
columns (a Chinese character takes two), and usage errors exiting 1 like every other error.

argparse looks up each of its texts with the module's ``_`` and ``ngettext`` (gettext) just
before using it. While one of our parsers builds, parses or formats, those two names answer
from ARGPARSE_IN_CHINESE; a text it does not know (one a later Python adds or rewords) is shown
in English, as argparse wrote it, rather than lost. Parsers of other code are left alone: the
names are put back as soon as our parser is done.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import re
import sys
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any, NoReturn, TypeVar

from desktop.cli.common import EXIT_ERROR

# argparse's own texts (its gettext message ids, Python 3.10 to 3.14) and what we show instead.
# A translation may show a value with %(name)s where argparse wrote %(name)r: the Chinese
# quotation marks say where the typed text begins and ends.
ARGPARSE_IN_CHINESE = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "subcommands": "子命令",
    "%(heading)s:": "%(heading)s：",
    "show this help message and exit": "显示帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少必填参数 %s",
    "one of the arguments %s is required": "须给出 %s 中的一个",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "ambiguous option: %(option)s could match %(matches)s": (
        "选项 %(option)s 不明确，可能是 %(matches)s 中的任何一个"
    ),
    "ignored explicit argument %r": "这个选项后面不带值，多写了“%s”",
    "expected one argument": "后面要写一个值",
    "expected at most one argument": "后面最多写一个值",
    "expected at least one argument": "后面至少要写一个值",
    "invalid %(type)s value: %(value)r": "“%(value)s”不是有效的 %(type)s 值",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "没有“%(value)s”这一项，可以写：%(choices)s"
    ),
    "invalid choice: %(value)r, maybe you meant %(closest)r? (choose from %(choices)s)": (
        "没有“%(value)s”这一项，是不是要写“%(closest)s”？可以写：%(choices)s"
    ),
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "没有“%(parser_name)s”这个命令，可以写：%(choices)s"
    ),
}
_NAMED_ARGUMENT_3_10 = re.compile(r"\Aargument (.+?): ")
# ngettext's texts, by the singular.
ARGPARSE_PLURALS_IN_CHINESE = {"expected %s argument": "后面要写 %s 个值"}


@contextlib.contextmanager
def _argparse_in_chinese() -> Iterator[None]:
    english, english_plural = argparse._, argparse.ngettext  # type: ignore[attr-defined]

    def chinese(message: str) -> str:
        return ARGPARSE_IN_CHINESE.get(message) or english(message)

    def chinese_plural(singular: str, plural: str, n: int) -> str:
        return ARGPARSE_PLURALS_IN_CHINESE.get(singular) or english_plural(singular, plural, n)

    argparse._, argparse.ngettext = chinese, chinese_plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = english, english_plural  # type: ignore[attr-defined]


Method = TypeVar("Method", bound=Callable[..., Any])


def _in_chinese(method: Method) -> Method:
    @functools.wraps(method)
    def speaking_chinese(*args: Any, **kwargs: Any) -> Any:
        with _argparse_in_chinese():
            return method(*args, **kwargs)

    return speaking_chinese  # type: ignore[return-value]


# --- wrapping by columns ------------------------------------------------------------------------

# A word of Latin letters, digits and signs (--data-dir, BF-2026-0007), or one character of any
# other kind: a line may break at a space or between two Chinese characters.
_PIECE = re.compile(r"\s+|[!-~]+|.")
_WORD = re.compile(r"\s+|\S+")
# Chinese punctuation never begins a line, and an opening bracket or quote never ends one.
_NEVER_STARTS_A_LINE = frozenset("，。、；：？！）」』》〉”’…")
_NEVER_ENDS_A_LINE = frozenset("（「『《〈“‘")
# A description's line that begins so is a command to type: it breaks at spaces only, so no
# argument (李红梅:工会专干) is cut in two.
EXAMPLE = "例："


def columns_of(text: str) -> int:
    """How many terminal columns ``text`` takes: two for a Chinese character (and for the
    ambiguous ones such as “”, which Chinese fonts draw wide), one for the rest."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


def wrap_to_columns(text: str, width: int, *, at_spaces_only: bool = False) -> list[str]:
    """``text`` as lines of at most ``width`` columns, broken at spaces or between Chinese
    characters (``at_spaces_only``: at spaces); a word longer than a line keeps a line of its
    own."""
    pieces: list[tuple[str, bool]] = []  # (piece, whether a space came before it)
    spaced = False
    for match in (_WORD if at_spaces_only else _PIECE).finditer(text):
        piece = match.group()
        if piece.isspace():
            spaced = True
            continue
        glued = bool(pieces) and not spaced
        if glued and (piece[0] in _NEVER_STARTS_A_LINE or pieces[-1][0][-1] in _NEVER_ENDS_A_LINE):
            pieces[-1] = (pieces[-1][0] + piece, pieces[-1][1])
        else:
            pieces.append((piece, spaced))
        spaced = False
    lines: list[str] = []
    line, used = "", 0
    for piece, after_space in pieces:
        gap = 1 if after_space and line else 0
        size = columns_of(piece)
        if line and used + gap + size > width:
            lines.append(line)
            line, used, gap = "", 0, 0
        line += " " * gap + piece
        used += gap + size
    if line:
        lines.append(line)
    return lines


class ChineseHelpFormatter(argparse.HelpFormatter):
    """Help laid out by terminal columns, where a Chinese character takes two: lines wrapped
    to fit, help texts lined up, headings with the Chinese colon.

    A description keeps the line breaks it was written with (a line of prose is wrapped, a
    line beginning with EXAMPLE breaks only at spaces)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._headings: set[str] = set()

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap_to_columns(" ".join(text.split()), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        lines = []
        for written in text.splitlines():
            words = " ".join(written.split())
            example = words.startswith(EXAMPLE)
            lines += wrap_to_columns(words, width - len(indent), at_spaces_only=example)
        return "\n".join(indent + line for line in lines)

    def start_section(self, heading: str | None) -> None:
        if heading:
            self._headings.add(heading)
        super().start_section(heading)

    def format_help(self) -> str:
        text = super().format_help()
        # Before Python 3.14 argparse adds the heading's colon itself, untranslated.
        for heading in self._headings:
            text = re.sub(rf"(?m)^( *{re.escape(heading)}):$", r"\1：", text)
        return text

    def _format_usage(self, usage, actions, groups, prefix) -> str:  # type: ignore[no-untyped-def]
        if prefix is None:
            prefix = argparse._("usage: ")  # type: ignore[attr-defined]
        # argparse measures the usage in characters: it indents the further lines by
        # len("用法："), three columns short, and lets a line with Chinese in it run past the
        # edge. So the further lines are moved right, and the usage is laid out once more,
        # narrower by what Chinese added to its widest line.
        full_width = self._width
        try:
            lines = self._usage_lines(usage, actions, groups, prefix)
            added = max(columns_of(line) - len(line) for line in lines)
            if added > 0 and full_width - added >= 40:
                self._width = full_width - added
                lines = self._usage_lines(usage, actions, groups, prefix)
        finally:
            self._width = full_width
        return "\n".join(lines)

    def _usage_lines(self, usage, actions, groups, prefix: str) -> list[str]:  # type: ignore[no-untyped-def]
        first, *rest = super()._format_usage(usage, actions, groups, prefix).split("\n")
        wider = columns_of(prefix) - len(prefix)
        return [first, *(" " * wider + line if line.startswith(" ") else line for line in rest)]

    def _format_action(self, action: argparse.Action) -> str:
        text = super()._format_action(action)
        # argparse lines an option's help up by the option's characters; one with Chinese in
        # it (--name 姓名) takes more columns, so its help is lined up again by columns, or
        # starts on the next line when the option reaches past the help column.
        invocation = self._format_action_invocation(action)
        first, newline, rest = text.partition("\n")
        end = first.find(invocation) + len(invocation)
        help_text = first[end:].strip()
        if columns_of(invocation) == len(invocation) or end < len(invocation) or not help_text:
            return text
        help_position = min(self._action_max_length + 2, self._max_help_position)
        used = columns_of(first[:end])
        if used + 2 <= help_position:
            first = first[:end] + " " * (help_position - used) + help_text
        else:
            first = first[:end] + "\n" + " " * help_position + help_text
        return first + newline + rest


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose help and errors are in Chinese, and whose usage errors exit 1
    (EXIT_ERROR, as every other error of the command). Sub-commands' parsers are of this
    class too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        with _argparse_in_chinese():
            super().__init__(*args, **kwargs)

    add_argument = _in_chinese(argparse.ArgumentParser.add_argument)
    add_subparsers = _in_chinese(argparse.ArgumentParser.add_subparsers)
    parse_args = _in_chinese(argparse.ArgumentParser.parse_args)
    parse_known_args = _in_chinese(argparse.ArgumentParser.parse_known_args)
    format_usage = _in_chinese(argparse.ArgumentParser.format_usage)
    format_help = _in_chinese(argparse.ArgumentParser.format_help)

    def error(self, message: str) -> NoReturn:
        # Python 3.10 names the argument without asking gettext.
        message = _NAMED_ARGUMENT_3_10.sub(r"参数 \1：", message)
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"错误：{message.rstrip('。')}。用 {self.prog} -h 查看各项的说明。\n")

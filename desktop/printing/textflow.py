"""Breaking Chinese text into lines that fit a cell.

Chinese breaks between any two characters, except that closing punctuation never starts a line
and opening punctuation never ends one (避头尾, as in GB/T 15834 typesetting practice): the
character before is carried down with it instead. A run of Latin letters or digits (an ID
number, an amount, BF-2026-0007) stays whole unless it is wider than the line by itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable

NO_LINE_START = frozenset("，。、；：？！）」』》〉】〕〗”’…—·％‰,.;:?!)]}%～｝")
NO_LINE_END = frozenset("（「『《〈【〔〖“‘([{｛")

# A date (2026年11月22日) stays on one line; so does a run of Latin letters and digits.
_UNITS = re.compile(
    r"\d{1,4}年(?:\d{1,2}月(?:\d{1,2}日)?)?|\d{1,2}月(?:\d{1,2}日)?|[\x21-\x7e]+|\s|.", re.DOTALL
)


def _units(paragraph: str) -> list[str]:
    return _UNITS.findall(paragraph)


def wrap(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """Lines of ``text`` no wider than ``width`` (as ``measure`` reports), paragraphs kept."""
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").split("\n"):
        lines.extend(_wrap_paragraph(paragraph, width, measure))
    return lines


def _wrap_paragraph(paragraph: str, width: float, measure: Callable[[str], float]) -> list[str]:
    if not paragraph.strip():
        return [""]
    lines: list[str] = []
    line: list[str] = []
    line_width = 0.0

    def flush() -> None:
        lines.append("".join(line).rstrip())

    for unit in _units(paragraph):
        unit_width = measure(unit)
        if unit.isspace() and unit != "\u3000" and not line:
            continue  # no blank at the start of a wrapped line
        if line_width + unit_width <= width + 1e-6:
            line.append(unit)
            line_width += unit_width
            continue
        if unit.isspace():
            flush()
            line, line_width = [], 0.0
            continue
        if unit_width > width and len(unit) > 1:
            # A word longer than a line: fill the line with as much of it as fits.
            for char in unit:
                char_width = measure(char)
                if line and line_width + char_width > width + 1e-6:
                    flush()
                    line, line_width = [], 0.0
                line.append(char)
                line_width += char_width
            continue
        carried: list[str] = []
        # Closing punctuation may not start the next line, nor opening punctuation end this one:
        # carry the preceding characters down with it (as long as something stays behind).
        if unit[0] in NO_LINE_START:
            while len(line) > 1:
                carried.insert(0, line.pop())
                if carried[0][0] not in NO_LINE_START:
                    break
        while len(line) > 1 and line[-1] and line[-1][-1] in NO_LINE_END:
            carried.insert(0, line.pop())
        carried_width = sum(measure(u) for u in carried)
        if carried and carried_width + unit_width > width + 1e-6:
            line.extend(carried)  # a cell too narrow to honour the rule: keep the text whole
            carried, carried_width = [], 0.0
        if line:
            flush()
        line = carried + [unit]
        line_width = carried_width + unit_width
    if line:
        flush()
    return lines


def wrap_balanced(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """Like ``wrap``, but lines of even length: a label breaks 主要致/困原因, not 主要致困原/因."""
    lines = wrap(text, width, measure)
    if len(lines) < 2:
        return lines
    total = sum(measure(line) for line in lines)
    target = total / len(lines)
    while target < width:
        trial = wrap(text, target, measure)
        if len(trial) <= len(lines):
            return trial
        target += max(width / 40, 0.5)
    return lines


def wrap_items(
    items: list[str], width: float, measure: Callable[[str], float], separator: str = " "
) -> list[str]:
    """Items (such as "□本人", "■配偶") packed into lines, each kept whole where it fits."""
    lines: list[str] = []
    line = ""
    for item in items:
        candidate = f"{line}{separator}{item}" if line else item
        if measure(candidate) <= width + 1e-6:
            line = candidate
            continue
        if line:
            lines.append(line)
        if measure(item) <= width + 1e-6:
            line = item
        else:
            pieces = wrap(item, width, measure)
            lines.extend(pieces[:-1])
            line = pieces[-1]
    if line:
        lines.append(line)
    return lines

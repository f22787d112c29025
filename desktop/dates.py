"""Dates as people type them and as they are kept: the one reader for every date typed anywhere
(step fields, the register, the holiday table, dates in book files) and for dates read back.

A clerk writes 2026年11月30日, 2026-11-30, 2026/11/30, 2026.11.30 or 20261130, with or without
leading zeros (2026年11月3日), in full-width digits from a Chinese input method, with blanks
around; all are the same day, stored as ISO text (2026-11-30) and shown as 2026年11月30日
(desktop.formatting.chinese_date). Reading back is tolerant: a value an earlier version kept in
another form still reads as its day. Writing is strict: only ISO text is stored.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Final

from desktop.validation import shown_text, strip_invisible

# The example every placeholder, hint and message gives, so a clerk sees one way to write a date.
DATE_EXAMPLE: Final = "2026-11-30 或 2026年11月30日"
# The other forms that are read, for a tooltip that lists them all.
OTHER_DATE_FORMS: Final = "2026/11/30、2026.11.30、20261130"
# The years a date in this work can have: anything else is a slip of the keys (0026, 20026), and
# the working-day arithmetic, which walks day by day, stays inside the calendar.
FIRST_YEAR: Final = 1900
LAST_YEAR: Final = 2099

_FULL_WIDTH: Final = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_SHAPES: Final = (
    re.compile(
        r"(?P<year>[0-9]+)\s*(?P<sep>[-/.])\s*(?P<month>[0-9]+)\s*(?P=sep)\s*(?P<day>[0-9]+)"
    ),
    re.compile(r"(?P<year>[0-9]+)\s*年\s*(?P<month>[0-9]+)\s*月\s*(?P<day>[0-9]+)\s*[日号]?"),
    re.compile(r"(?P<year>[0-9]{4}|[0-9]{2})(?P<month>[0-9]{2})(?P<day>[0-9]{2})"),
)
# The longest stretch of what was typed that a message quotes back; the rest is cut off with …
_QUOTED_LENGTH: Final = 20


class DateError(ValueError):
    """Why typed text is not a date, in Chinese; callers put the field's name in front."""


def parse_date(typed: Any) -> date:
    """The day ``typed`` names, in any of the forms the module text lists; DateError otherwise."""
    if isinstance(typed, date):
        # A date handed in (a picker, a script) is held to the same years as one typed, so
        # what is stored can always be typed back.
        day = typed.date() if isinstance(typed, datetime) else typed
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise DateError(
                f"{day.year} 年不对，请写 {FIRST_YEAR} 到 {LAST_YEAR} 年之间的日期，"
                f"如 {DATE_EXAMPLE}"
            )
        return day
    text = strip_invisible(str(typed)).translate(_FULL_WIDTH).strip()
    match = next((m for shape in _SHAPES if (m := shape.fullmatch(text))), None)
    quoted = _quoted(typed)
    if match is None or len(match["month"]) > 2 or len(match["day"]) > 2:
        raise DateError(f"“{quoted}”不是日期，请写成 {DATE_EXAMPLE}")
    year_text, month, day = match["year"], int(match["month"]), int(match["day"])
    if len(year_text) <= 2:
        raise DateError(f"“{quoted}”的年份只写了 {year_text}，请写全四位年份，如 {DATE_EXAMPLE}")
    year = int(year_text)
    if len(year_text) != 4 or not FIRST_YEAR <= year <= LAST_YEAR:
        raise DateError(
            f"“{quoted}”的年份 {year_text} 不对，请写 {FIRST_YEAR} 到 {LAST_YEAR} 年之间的日期，"
            f"如 {DATE_EXAMPLE}"
        )
    if not 1 <= month <= 12:
        raise DateError(f"“{quoted}”的月份 {month} 不对，月份只能是 1 到 12")
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(
            f"“{quoted}”这一天不存在：{year}年{month}月只有 {_days_in_month(year, month)} 天"
        ) from None


def _days_in_month(year: int, month: int) -> int:
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return (following - date(year, month, 1)).days


def _quoted(typed: Any) -> str:
    text = " ".join(shown_text(str(typed), keep="").split())
    return text if len(text) <= _QUOTED_LENGTH else text[:_QUOTED_LENGTH] + "…"


def stored_date(value: Any) -> date | None:
    """The day a stored value names: ISO text (also a moment's date part), a date or datetime,
    or text an earlier version kept as typed; None when it names no day this program counts."""
    if isinstance(value, (date, datetime)):
        return parse_date(value)
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        day = date.fromisoformat(text[:10])
    except ValueError:
        pass
    else:
        if FIRST_YEAR <= day.year <= LAST_YEAR:
            return day
    try:
        return parse_date(text)
    except DateError:
        return None

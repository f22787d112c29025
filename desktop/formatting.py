"""How dates, moments, money and field values read for a clerk: one place for every screen,
sheet and command.

Stored values are plain (ISO text, integer fen, bool); these turn them into the words people
read. Personal numbers (ID cards, phones) come out masked unless the caller asks to reveal.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from desktop.dates import stored_date
from desktop.identity import PERSONAL_NUMBER_KINDS, mask_personal
from desktop.money import format_fen


def chinese_date(day: date | datetime) -> str:
    """2026年11月30日: the date on paper and in sentences."""
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_month(day: date | datetime) -> str:
    """1985年3月."""
    return f"{day.year}年{day.month}月"


def chinese_moment(moment: datetime) -> str:
    """2026年11月30日 14:05."""
    return f"{chinese_date(moment)} {moment:%H:%M}"


def month_day(day: date | datetime, today: date | None = None) -> str:
    """11月30日, with the year only when it is not ``today``'s year: for narrow columns."""
    if today is not None and day.year != today.year:
        return chinese_date(day)
    return f"{day.month}月{day.day}日"


def not_yet_text(label: str, day: date, today: date) -> str:
    """走访日期 2026年12月3日 还没到（今天是 2026年12月1日），请填写已经发生的日期。

    For a date something already happened on (a visit, a payment), typed in the future."""
    now = f"今天是 {chinese_date(today)}"
    return f"{label} {chinese_date(day)} 还没到（{now}），请填写已经发生的日期。"


def list_date(day: date | datetime | None) -> str:
    """2026-11-30 in sortable lists and tables; "" for no date."""
    return f"{day:%Y-%m-%d}" if day is not None else ""


def list_moment(moment: datetime | None) -> str:
    """2026-11-30 14:05 in records and logs."""
    return f"{moment:%Y-%m-%d %H:%M}" if moment is not None else ""


def yuan(fen: int) -> str:
    """1,234.50 元."""
    return f"{format_fen(fen)} 元"


def time_limit_text(limit: int, unit: str) -> str:
    """20 个工作日 / 15 个自然日 / 48 小时."""
    return f"{limit} 小时" if unit == "小时" else f"{limit} 个{unit}"


def as_date(value: Any) -> date | None:
    """A date from a stored value (ISO text, date or datetime, or text an earlier version kept
    as typed: desktop.dates.stored_date); None when it is not one."""
    return stored_date(value)


def value_text(kind: str, value: Any, reveal: bool = False) -> str:
    """A stored field value of type ``kind`` as it reads: money in 元, 是/否, dates in Chinese,
    ID numbers and phones masked unless ``reveal``; "" for nothing."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    if kind == "money" and isinstance(value, int) and not isinstance(value, bool):
        return yuan(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if kind == "date" or isinstance(value, date):
        day = as_date(value)
        return chinese_date(day) if day is not None else str(value)
    if kind in PERSONAL_NUMBER_KINDS and not reveal:
        return mask_personal(kind, str(value))
    return str(value)

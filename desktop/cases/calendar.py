"""Official working-day deadline arithmetic.

Periods follow Chinese administrative practice (民法典 第201–203条): the day the period starts
is not counted, and a period in natural days whose last day is a rest day ends on the next
working day. Working days come from the national holiday calendar (chinesecalendar); the office
can override single days with its own table, which also covers years the package does not know.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Final

import chinese_calendar

from desktop.dates import DateError, parse_date
from desktop.tomlsource import UnreadableFile, read_text
from desktop.validation import (
    TextError,
    character_name,
    clean_text,
    is_control,
    shown_text,
    strip_invisible,
)

UNITS: Final = ("工作日", "自然日", "小时")
# Days are counted one by one; the book's own cap (desktop.book.model.MAX_TIME_LIMIT) is lower.
MAX_LIMIT: Final = 36_500

_REST: Final = "休"
_WORK: Final = "班"
_END_OF_DAY: Final = time(23, 59, 59)
# A day's 备注 is a holiday's name (春节、国庆节调休); the table is read in a narrow column.
HOLIDAY_NOTE_LIMIT: Final = 30


@dataclass(frozen=True)
class OfficeDay:
    """One day the office has marked by hand; it wins over the national calendar."""

    day: date
    working: bool
    note: str = ""


# A table of every holiday of a century has about 120 KB; a bigger file is the wrong file.
MAX_TABLE_BYTES = 1_000_000


class CalendarFileError(ValueError):
    """A line of the office holiday table that cannot be read; `line` is 1-based (0: the whole
    file). `file` names the file the table came from, when it came from one."""

    def __init__(self, line: int, message: str, file: str = "") -> None:
        where = f"节假日表 {file} " if file else "节假日表"
        super().__init__(
            f"{where}第 {line} 行：{message}" if line else f"{where.strip()}：{message}"
        )
        self.line = line
        self.file = file
        self.message = message


def parse_office_days(text: str) -> list[OfficeDay]:
    """Read the office holiday table: `2027-01-01 休 元旦` or `2027/2/7 班 春节调休` per line,
    the date in any form desktop.dates reads.

    Blank lines and lines starting with `#` are skipped. Raises CalendarFileError on the first
    unreadable line, so the person editing the file knows exactly where to look; nothing of a
    file with a bad line is taken. Invisible characters (a BOM, zero-width spaces) are left
    out; a control character is refused, since it would garble the table when it is shown.
    """
    days: list[OfficeDay] = []
    seen: dict[date, int] = {}
    # Only line feeds end a line: str.splitlines would also split at control characters
    # (\x1c, \x85 …) and so hide them, and shift the line numbers the messages give.
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, raw in enumerate(lines, start=1):
        raw = strip_invisible(raw)
        for position, ch in enumerate(raw, start=1):
            if is_control(ch, keep="\t"):
                raise CalendarFileError(
                    number,
                    f"第 {position} 个字符是看不见的控制字符 {character_name(ch)}，"
                    "多半是从别处复制带来的。请删掉它后再导入。",
                )
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(maxsplit=2)
        try:
            day = parse_date(parts[0])
        except DateError as error:
            raise CalendarFileError(number, f"{error}。") from None
        if len(parts) < 2:
            raise CalendarFileError(
                number, f"{day.isoformat()} 后面缺少标记。请在日期后写“休”或“班”，中间空一格。"
            )
        marker = parts[1]
        if marker not in (_REST, _WORK):
            raise CalendarFileError(
                number,
                f"标记“{marker}”无法识别，只能写“休”或“班”（“休”表示放假，“班”表示调休上班）。",
            )
        if day in seen:
            raise CalendarFileError(
                number,
                f"日期 {day.isoformat()} 与第 {seen[day]} 行重复。请删去其中一行。",
            )
        seen[day] = number
        try:
            note = clean_text(
                parts[2] if len(parts) > 2 else "", what="备注", limit=HOLIDAY_NOTE_LIMIT
            )
        except TextError as error:
            raise CalendarFileError(number, str(error)) from error
        days.append(OfficeDay(day, marker == _WORK, note))
    return days


def read_office_days_text(path: Path) -> str:
    """The text of a holiday table file (UTF-8, a BOM allowed), refused past MAX_TABLE_BYTES;
    CalendarFileError names the file."""
    try:
        return read_text(Path(path), MAX_TABLE_BYTES)
    except UnreadableFile as error:
        raise CalendarFileError(0, f"{error}。", file=str(path)) from error


def read_office_days_file(path: Path) -> list[OfficeDay]:
    """The holiday table in the file ``path``; CalendarFileError names the file and line."""
    text = read_office_days_text(path)
    try:
        return parse_office_days(text)
    except CalendarFileError as error:
        raise CalendarFileError(error.line, error.message, file=str(path)) from error


def format_office_days(days: Iterable[OfficeDay]) -> str:
    """The office holiday table as text, sorted by date; `parse_office_days` reads it back."""
    lines = ["# 节假日表：每行一天，写日期、“休”或“班”、备注（可不写）。"]
    for entry in sorted(days, key=lambda d: d.day):
        marker = _WORK if entry.working else _REST
        # A note saved before notes were cleaned is written out as it reads, to be read back.
        note = " ".join(shown_text(entry.note, keep="").split())
        lines.append(f"{entry.day.isoformat()} {marker} {note}".rstrip())
    return "\n".join(lines) + "\n"


class WorkCalendar:
    """Decides which days are working days: office table first, then the national calendar."""

    def __init__(self, office_days: Iterable[OfficeDay] = ()) -> None:
        self._office: dict[date, OfficeDay] = {entry.day: entry for entry in office_days}
        self._office_years = frozenset(day.year for day in self._office)
        self._coverage: dict[int, bool] = {}
        # chinese_calendar validates each date against its whole table, so remember answers.
        self._national: dict[date, bool] = {}

    def covers(self, year: int) -> bool:
        """Whether the national calendar knows this year's holidays (checked once per year)."""
        if year not in self._coverage:
            try:
                chinese_calendar.is_workday(date(year, 1, 1))
            except NotImplementedError:
                self._coverage[year] = False
            else:
                self._coverage[year] = True
        return self._coverage[year]

    def national_last_year(self) -> int:
        """The last year whose holidays the installed chinesecalendar knows."""
        year = date.today().year + 1
        while year > 2004 and not self.covers(year):
            year -= 1
        while self.covers(year + 1):
            year += 1
        return year

    def is_working_day(self, d: date) -> bool:
        """Office entry, else the national calendar, else Monday to Friday."""
        entry = self._office.get(d)
        if entry is not None:
            return entry.working
        if not self.covers(d.year):
            return d.weekday() < 5
        known = self._national.get(d)
        if known is None:
            known = self._national[d] = chinese_calendar.is_workday(d)
        return known

    def uncovered_years_between(self, a: date, b: date) -> tuple[int, ...]:
        """Years in the range counted by Monday to Friday alone, so the user must be warned."""
        first, last = sorted((a.year, b.year))
        return tuple(
            year
            for year in range(first, last + 1)
            if not self.covers(year) and year not in self._office_years
        )

    def next_working_day(self, d: date) -> date:
        """The first working day on or after `d`."""
        while not self.is_working_day(d):
            d += timedelta(days=1)
        return d

    def add(self, start: datetime, limit: int, unit: str) -> Deadline:
        """The deadline for a period of `limit` units beginning at `start`.

        The start day itself is not counted; a limit of 0 in days means the same day.
        """
        if unit not in UNITS:
            raise ValueError(f"期限单位“{unit}”无法识别，只能是“工作日”“自然日”或“小时”。")
        if isinstance(limit, bool) or not isinstance(limit, int) or not 0 <= limit <= MAX_LIMIT:
            raise ValueError(f"期限必须是 0 到 {MAX_LIMIT} 之间的整数，现在填的是“{limit}”。")
        if unit == "小时":
            return Deadline(start + timedelta(hours=limit), unit, limit)
        begin = start.date()
        if limit == 0:
            due_date = begin
        elif unit == "工作日":
            due_date = begin
            for _ in range(limit):
                due_date = self.next_working_day(due_date + timedelta(days=1))
        else:
            due_date = self.next_working_day(begin + timedelta(days=limit))
        # Only a count of working days depends on the holidays all along its way, so only it
        # is flagged when it passes through a year nobody has listed; a natural-day period
        # asks the calendar about its last day alone.
        uncovered = self.uncovered_years_between(begin, due_date) if unit == "工作日" else ()
        return Deadline(
            datetime.combine(due_date, _END_OF_DAY, tzinfo=start.tzinfo), unit, limit, uncovered
        )

    def working_days_between(self, a: date, b: date) -> int:
        """Working days d with a < d <= b, negative when b is before a ("已超期 2 个工作日")."""
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        d = a + timedelta(days=1)
        while d <= b:
            count += self.is_working_day(d)
            d += timedelta(days=1)
        return count


@dataclass(frozen=True)
class Deadline:
    """When a period ends; for day units the end is 23:59:59 of the due date."""

    due: datetime
    unit: str
    limit: int
    uncovered_years: tuple[int, ...] = ()

    @property
    def due_date(self) -> date:
        return self.due.date()

    @property
    def warning(self) -> str | None:
        """Tells the user the count guessed at holidays for years nobody has entered yet."""
        if not self.uncovered_years:
            return None
        years = "、".join(str(year) for year in self.uncovered_years)
        return (
            f"{years} 年的法定节假日安排尚未收录，按周一至周五计算；请在“设置 → 节假日表”中补录。"
        )


class DeadlineState:
    """Where a case stands against its deadline; plain strings so they store as they are."""

    ON_TRACK: Final = "on_track"
    DUE_SOON: Final = "due_soon"
    DUE_TODAY: Final = "due_today"
    OVERDUE: Final = "overdue"
    DONE_ON_TIME: Final = "done_on_time"
    DONE_LATE: Final = "done_late"


STATE_LABELS: Final[dict[str, str]] = {
    DeadlineState.ON_TRACK: "正常",
    DeadlineState.DUE_SOON: "即将到期",
    DeadlineState.DUE_TODAY: "今日到期",
    DeadlineState.OVERDUE: "已超期",
    DeadlineState.DONE_ON_TIME: "按时办结",
    DeadlineState.DONE_LATE: "超期办结",
}


def deadline_state(
    deadline: Deadline,
    now: datetime,
    finished_at: datetime | None = None,
    calendar: WorkCalendar | None = None,
    soon_working_days: int = 3,
) -> str:
    """One of the DeadlineState values; "soon" counts working days when a calendar is given."""
    if finished_at is not None:
        on_time = finished_at <= deadline.due
        return DeadlineState.DONE_ON_TIME if on_time else DeadlineState.DONE_LATE
    if now > deadline.due:
        return DeadlineState.OVERDUE
    today, due_date = now.date(), deadline.due_date
    if today == due_date:
        return DeadlineState.DUE_TODAY
    if calendar is not None:
        remaining = calendar.working_days_between(today, due_date)
    else:
        remaining = (due_date - today).days
    return DeadlineState.DUE_SOON if remaining <= soon_working_days else DeadlineState.ON_TRACK

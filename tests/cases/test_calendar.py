"""Deadline arithmetic against the real national holiday calendar and office overrides."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import chinese_calendar
import pytest

from desktop.cases.calendar import (
    STATE_LABELS,
    UNITS,
    CalendarFileError,
    Deadline,
    DeadlineState,
    OfficeDay,
    WorkCalendar,
    deadline_state,
    format_office_days,
    parse_office_days,
    read_office_days_file,
)


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar()


def end_of(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, 23, 59, 59)


# -- the national calendar as the tests assume it ------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2024, 2, 4), True),  # Sunday, 调休上班
        (date(2024, 2, 9), True),
        (date(2024, 2, 10), False),
        (date(2024, 2, 17), False),
        (date(2024, 2, 18), True),  # Sunday, 调休上班
        (date(2024, 9, 29), True),  # Sunday, 调休上班
        (date(2024, 10, 1), False),
        (date(2024, 10, 7), False),
        (date(2024, 10, 12), True),  # Saturday, 调休上班
        (date(2025, 1, 26), True),  # Sunday, 调休上班
        (date(2025, 1, 28), False),
        (date(2025, 2, 4), False),
        (date(2025, 2, 8), True),  # Saturday, 调休上班
        (date(2025, 9, 28), True),  # Sunday, 调休上班
        (date(2025, 10, 8), False),
        (date(2025, 10, 11), True),  # Saturday, 调休上班
    ],
)
def test_is_working_day_follows_national_calendar(cal, day, working):
    assert chinese_calendar.is_workday(day) is working
    assert cal.is_working_day(day) is working


def test_covers_known_years_only(cal):
    assert cal.covers(2024)
    assert cal.covers(2025)
    assert not cal.covers(2031)
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2031, 1, 1))


# -- 工作日 ---------------------------------------------------------------------------------------


def test_five_working_days_from_friday_before_spring_festival_2024(cal):
    # Fri 02-09 not counted; 02-10..17 off; Sun 02-18 is 调休上班 and counts as day 1.
    deadline = cal.add(datetime(2024, 2, 9, 10, 0), 5, "工作日")
    assert deadline.due == end_of(date(2024, 2, 22))
    assert deadline.due_date == date(2024, 2, 22)
    assert deadline.unit == "工作日"
    assert deadline.limit == 5
    assert deadline.uncovered_years == ()
    assert deadline.warning is None


def test_one_working_day_from_friday_skips_weekend(cal):
    assert cal.add(datetime(2024, 3, 1, 9), 1, "工作日").due_date == date(2024, 3, 4)


def test_count_lands_on_adjusted_saturday_2025(cal):
    # From Fri 01-24: Sun 01-26, Mon 01-27, then 02-05, 02-06, 02-07, Sat 02-08.
    start = datetime(2025, 1, 24, 9)
    assert cal.add(start, 5, "工作日").due_date == date(2025, 2, 7)
    assert cal.add(start, 6, "工作日").due_date == date(2025, 2, 8)


def test_count_passes_national_day_2024(cal):
    assert cal.add(datetime(2024, 9, 30, 9), 1, "工作日").due_date == date(2024, 10, 8)
    assert cal.add(datetime(2024, 10, 11, 9), 1, "工作日").due_date == date(2024, 10, 12)
    assert cal.add(datetime(2024, 10, 11, 9), 2, "工作日").due_date == date(2024, 10, 14)


# -- 自然日 ---------------------------------------------------------------------------------------


def test_natural_days_ending_in_national_day_2025_move_to_first_working_day(cal):
    deadline = cal.add(datetime(2025, 9, 21, 9), 10, "自然日")  # 10-01 is a holiday
    assert deadline.due == end_of(date(2025, 10, 9))


def test_natural_days_ending_in_national_day_2024(cal):
    assert cal.add(datetime(2024, 9, 25, 9), 10, "自然日").due_date == date(2024, 10, 8)


def test_natural_days_ending_on_weekend_or_adjusted_sunday(cal):
    assert cal.add(datetime(2024, 3, 1, 9), 1, "自然日").due_date == date(2024, 3, 4)
    assert cal.add(datetime(2025, 9, 18, 9), 10, "自然日").due_date == date(2025, 9, 28)
    assert cal.add(datetime(2024, 3, 4, 9), 3, "自然日").due_date == date(2024, 3, 7)


# -- 小时 and edge values -------------------------------------------------------------------------


def test_hours_are_exact_and_ignore_holidays(cal):
    deadline = cal.add(datetime(2024, 2, 9, 17, 30), 48, "小时")
    assert deadline.due == datetime(2024, 2, 11, 17, 30)
    assert deadline.uncovered_years == ()
    assert deadline.warning is None


def test_limit_zero_means_same_day(cal):
    start = datetime(2024, 2, 10, 9, 15)  # a holiday: still due that day
    assert cal.add(start, 0, "工作日").due == end_of(date(2024, 2, 10))
    assert cal.add(start, 0, "自然日").due == end_of(date(2024, 2, 10))
    assert cal.add(start, 0, "小时").due == start


def test_bad_unit_message(cal):
    with pytest.raises(ValueError, match="期限单位“天”无法识别") as info:
        cal.add(datetime(2024, 3, 1), 3, "天")
    for unit in UNITS:
        assert unit in str(info.value)


@pytest.mark.parametrize("limit", [-1, 1.5, True, 10**9])  # 10**9 working days never ended
def test_bad_limit_message(cal, limit):
    with pytest.raises(ValueError, match="0 到 36500 之间的整数"):
        cal.add(datetime(2024, 3, 1), limit, "工作日")


# -- years the national calendar does not know ----------------------------------------------------


def test_uncovered_year_falls_back_to_monday_to_friday_and_warns(cal):
    deadline = cal.add(datetime(2031, 3, 7, 9), 1, "工作日")  # Friday
    assert deadline.due_date == date(2031, 3, 10)
    assert deadline.uncovered_years == (2031,)
    assert deadline.warning is not None
    assert "2031 年" in deadline.warning
    assert "节假日表" in deadline.warning


def test_a_natural_day_period_into_an_uncovered_year_is_not_flagged(cal):
    # A return visit 90 days after payment: counted on the calendar's days, whatever the
    # holidays of 2031, so the clerk is not told to enter 2031's holidays for it.
    deadline = cal.add(datetime(2030, 11, 17, 9), 90, "自然日")
    assert deadline.due_date == date(2031, 2, 17)  # 15 February is a Saturday
    assert deadline.warning is None
    assert cal.add(datetime(2030, 11, 17, 9), 90, "工作日").warning is not None


def test_office_table_overrides_uncovered_year_and_clears_its_warning():
    start = datetime(2030, 12, 31, 9)  # Tuesday; 2031-01-01 is a Wednesday
    assert WorkCalendar().add(start, 1, "工作日").due_date == date(2031, 1, 1)
    assert WorkCalendar().add(start, 1, "工作日").uncovered_years == (2030, 2031)

    office = WorkCalendar(parse_office_days("2031-01-01 休 元旦\n"))
    deadline = office.add(start, 1, "工作日")
    assert deadline.due_date == date(2031, 1, 2)
    assert deadline.uncovered_years == (2030,)
    assert "2031" not in (deadline.warning or "")

    assert office.add(datetime(2031, 3, 7, 9), 1, "工作日").warning is None


def test_office_table_overrides_national_calendar(cal):
    office = WorkCalendar(
        [OfficeDay(date(2024, 2, 10), True, "值班"), OfficeDay(date(2024, 2, 9), False)]
    )
    assert office.is_working_day(date(2024, 2, 10))
    assert not office.is_working_day(date(2024, 2, 9))
    assert office.add(datetime(2024, 2, 8, 9), 1, "工作日").due_date == date(2024, 2, 10)


def test_uncovered_years_between(cal):
    assert cal.uncovered_years_between(date(2025, 6, 1), date(2028, 1, 1)) == (2027, 2028)
    assert cal.uncovered_years_between(date(2028, 1, 1), date(2025, 6, 1)) == (2027, 2028)
    assert cal.uncovered_years_between(date(2024, 1, 1), date(2025, 12, 31)) == ()


# -- working_days_between -----------------------------------------------------------------------


def test_working_days_between(cal):
    assert cal.working_days_between(date(2024, 2, 9), date(2024, 2, 19)) == 2  # 02-18, 02-19
    assert cal.working_days_between(date(2024, 2, 19), date(2024, 2, 9)) == -2
    assert cal.working_days_between(date(2024, 2, 9), date(2024, 2, 9)) == 0
    assert cal.working_days_between(date(2025, 9, 30), date(2025, 10, 9)) == 1
    assert cal.working_days_between(date(2024, 3, 1), date(2024, 3, 8)) == 5


# -- the office holiday table file ----------------------------------------------------------------


def test_parse_office_days_accepts_both_date_styles_comments_and_blanks():
    text = "\ufeff# 本单位节假日表\n\n2027-01-01 休 元旦\n2027/2/7 班 春节 调休\n2027-02-08 休\n"
    assert parse_office_days(text) == [
        OfficeDay(date(2027, 1, 1), False, "元旦"),
        OfficeDay(date(2027, 2, 7), True, "春节 调休"),
        OfficeDay(date(2027, 2, 8), False, ""),
    ]


def test_format_office_days_round_trips_sorted():
    days = [
        OfficeDay(date(2027, 2, 7), True, "春节调休"),
        OfficeDay(date(2027, 1, 1), False, "元旦"),
        OfficeDay(date(2027, 2, 8), False),
    ]
    text = format_office_days(days)
    assert text.splitlines()[1:] == [
        "2027-01-01 休 元旦",
        "2027-02-07 班 春节调休",
        "2027-02-08 休",
    ]
    assert parse_office_days(text) == sorted(days, key=lambda d: d.day)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("# 表头\n2027-01-01 休\n2027-13-01 休\n", 3, ["第 3 行", "2027-13-01", "月份 13 不对"]),
        ("\n\n元旦 休\n", 3, ["第 3 行", "元旦", "请写成 2026-11-30 或 2026年11月30日"]),
        ("2027-01-01 休\n2027-01-02 放\n", 2, ["第 2 行", "“放”", "只能写“休”或“班”"]),
        ("2027-01-01\n", 1, ["第 1 行", "“休”或“班”"]),
        ("2027-01-01 休\n# 注\n2027/1/1 班\n", 3, ["第 3 行", "与第 1 行重复", "删去"]),
        # Found by the property tests: splitlines() also broke at these and miscounted.
        ("2027-01-01 休 元旦\u2028节\n2027-13-01 休\n", 2, ["第 2 行", "2027-13-01"]),
        # A form feed is a control character: refused on its own line, not a line break.
        ("2027-01-01 休\x0c\r\n2027-13-01 休\n", 1, ["第 1 行", "U+000C"]),
        ("2027-01-01 休\r2027-13-01 休\r", 2, ["第 2 行", "2027-13-01"]),
    ],
)
def test_parse_errors_name_the_line(text, line, words):
    with pytest.raises(CalendarFileError) as info:
        parse_office_days(text)
    assert info.value.line == line
    assert isinstance(info.value, ValueError)
    for word in words:
        assert word in str(info.value)


def test_a_table_file_names_itself_in_every_error(tmp_path: Path):
    table = tmp_path / "节假日.txt"
    table.write_text("\ufeff2027-01-01 休 元旦\n2027-01-04 班\n", encoding="utf-8")
    assert [d.day for d in read_office_days_file(table)] == [date(2027, 1, 1), date(2027, 1, 4)]
    table.write_text("2027-01-01 休\n2027-02-30 休\n", encoding="utf-8")
    with pytest.raises(CalendarFileError, match=f"节假日表 {table} 第 2 行：") as info:
        read_office_days_file(table)
    assert info.value.line == 2
    table.write_bytes("2027-01-01 休 元旦\n".encode("gbk"))
    with pytest.raises(CalendarFileError, match=f"节假日表 {table}：.*UTF-8"):
        read_office_days_file(table)
    # A file of a gigabyte was read whole before being refused line by line.
    table.write_bytes(b"# " + b"x" * 1_000_000)
    with pytest.raises(CalendarFileError, match="文件太大"):
        read_office_days_file(table)
    with pytest.raises(CalendarFileError, match="无法读取"):
        read_office_days_file(tmp_path / "没有这个文件.txt")


# -- deadline_state -------------------------------------------------------------------------------


@pytest.fixture
def five_days(cal) -> Deadline:
    deadline = cal.add(datetime(2024, 2, 9, 10), 5, "工作日")
    assert deadline.due == end_of(date(2024, 2, 22))
    return deadline


@pytest.mark.parametrize(
    ("now", "finished_at", "state"),
    [
        (datetime(2024, 2, 25), datetime(2024, 2, 22, 18), DeadlineState.DONE_ON_TIME),
        (datetime(2024, 2, 25), datetime(2024, 2, 23, 9), DeadlineState.DONE_LATE),
        (datetime(2024, 2, 23, 0, 0), None, DeadlineState.OVERDUE),
        (datetime(2024, 2, 22, 8), None, DeadlineState.DUE_TODAY),
        (datetime(2024, 2, 19, 9), None, DeadlineState.DUE_SOON),  # 3 working days left
        (datetime(2024, 2, 18, 9), None, DeadlineState.ON_TRACK),  # 4 working days left
    ],
)
def test_deadline_state_outcomes(cal, five_days, now, finished_at, state):
    assert deadline_state(five_days, now, finished_at, calendar=cal) == state
    assert state in STATE_LABELS


def test_due_soon_counts_working_days_only_with_a_calendar(cal):
    deadline = cal.add(datetime(2024, 2, 8, 9), 3, "工作日")  # 02-09, 02-18, 02-19
    assert deadline.due_date == date(2024, 2, 19)
    now = datetime(2024, 2, 14, 9)  # 5 natural days but 2 working days left
    assert deadline_state(deadline, now, calendar=cal) == DeadlineState.DUE_SOON
    assert deadline_state(deadline, now) == DeadlineState.ON_TRACK
    assert deadline_state(deadline, now, soon_working_days=5) == DeadlineState.DUE_SOON


def test_hour_deadline_state(cal):
    deadline = cal.add(datetime(2024, 2, 9, 17, 30), 48, "小时")
    assert deadline_state(deadline, datetime(2024, 2, 11, 10)) == DeadlineState.DUE_TODAY
    assert deadline_state(deadline, datetime(2024, 2, 11, 18)) == DeadlineState.OVERDUE
    assert deadline_state(deadline, datetime(2024, 2, 10, 9)) == DeadlineState.DUE_SOON


def test_state_labels_are_chinese():
    assert STATE_LABELS == {
        "on_track": "正常",
        "due_soon": "即将到期",
        "due_today": "今日到期",
        "overdue": "已超期",
        "done_on_time": "按时办结",
        "done_late": "超期办结",
    }

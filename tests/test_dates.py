"""Dates as a clerk types them: every form the office uses is one day, stored as ISO; what is no
date, or an impossible one, is refused with a Chinese message that gives the one example."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from desktop.dates import DATE_EXAMPLE, DateError, parse_date, stored_date

DAY = date(2026, 11, 30)


@pytest.mark.parametrize(
    "typed",
    [
        "2026年11月30日",  # reported refused
        "2026-11-30",
        "2026/11/30",
        "2026.11.30",  # reported stored as typed
        "20261130",  # reported stored as typed
        "２０２６年１１月３０日",  # a Chinese input method in full-width mode
        "２０２６－１１－３０",
        "２０２６．１１．３０",
        "  2026-11-30\u3000",  # blanks pasted around
        "\u200b2026年11月30日",  # a zero-width space copied from a web page
        "2026 年 11 月 30 日",
        "2026年11月30号",
        "2026年11月30",
        DAY,
        datetime(2026, 11, 30, 14, 5),
    ],
)
def test_every_form_a_clerk_types_is_the_same_day(typed):
    assert parse_date(typed) == DAY


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2026年11月3日", date(2026, 11, 3)),  # no leading zeros
        ("2026-1-3", date(2026, 1, 3)),
        ("2026/1/3", date(2026, 1, 3)),
        ("2026.1.3", date(2026, 1, 3)),
        ("2024-02-29", date(2024, 2, 29)),  # a leap year
    ],
)
def test_leading_zeros_may_be_left_out(typed, day):
    assert parse_date(typed) == day


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2026-02-30", "“2026-02-30”这一天不存在：2026年2月只有 28 天"),
        ("2025年2月29日", "“2025年2月29日”这一天不存在：2025年2月只有 28 天"),
        ("2026-04-31", "“2026-04-31”这一天不存在：2026年4月只有 30 天"),
        ("2026-13-01", "“2026-13-01”的月份 13 不对，月份只能是 1 到 12"),
        ("2026-00-10", "“2026-00-10”的月份 0 不对，月份只能是 1 到 12"),
        ("26-11-30", f"“26-11-30”的年份只写了 26，请写全四位年份，如 {DATE_EXAMPLE}"),
        ("26年11月30日", f"“26年11月30日”的年份只写了 26，请写全四位年份，如 {DATE_EXAMPLE}"),
        ("261130", f"“261130”的年份只写了 26，请写全四位年份，如 {DATE_EXAMPLE}"),
        (
            "0026-11-30",
            f"“0026-11-30”的年份 0026 不对，请写 1900 到 2099 年之间的日期，如 {DATE_EXAMPLE}",
        ),
        (
            "20026-11-30",
            f"“20026-11-30”的年份 20026 不对，请写 1900 到 2099 年之间的日期，如 {DATE_EXAMPLE}",
        ),
        ("11月30日", f"“11月30日”不是日期，请写成 {DATE_EXAMPLE}"),
        ("2026-11/30", f"“2026-11/30”不是日期，请写成 {DATE_EXAMPLE}"),  # two separators
        ("2026-11-30 10:00", f"“2026-11-30 10:00”不是日期，请写成 {DATE_EXAMPLE}"),
        ("下周一", f"“下周一”不是日期，请写成 {DATE_EXAMPLE}"),
        ("٢٠٢٦-11-30", f"“٢٠٢٦-11-30”不是日期，请写成 {DATE_EXAMPLE}"),  # Arabic-Indic digits
        ("2026-11-30\x1b[2J", f"“2026-11-30 [2J”不是日期，请写成 {DATE_EXAMPLE}"),
        ("1" * 5000, f"“{'1' * 20}…”不是日期，请写成 {DATE_EXAMPLE}"),
    ],
)
def test_what_is_no_date_is_refused_saying_what_is_wrong(typed, message):
    with pytest.raises(DateError) as refused:
        parse_date(typed)
    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("kept", "day"),
    [
        ("2026-11-30", DAY),
        ("2026-11-30T14:05:00", DAY),  # a moment's day
        # Kept as typed by an earlier version: still the day it names.
        ("2026.11.30", DAY),
        ("2026/11/30", DAY),
        ("20261130", DAY),
        ("2026年11月30日", DAY),
        (DAY, DAY),
        ("", None),
        (None, None),
        (20261130, None),
        ("下周一", None),
        ("9999-12-31", None),  # outside the years any count here can reach
    ],
)
def test_a_stored_date_is_read_in_any_form_it_was_kept_in(kept, day):
    assert stored_date(kept) == day

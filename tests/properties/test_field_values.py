"""What a clerk types into a step's field, for every field type, and dates wherever they are read:
junk gets a FieldError (or the parser's own error) in Chinese and nothing else; an accepted value
reads back the same from the text an editor shows for it."""

from __future__ import annotations

from datetime import date, datetime

from hypothesis import example, given
from hypothesis import strategies as st

from desktop.book.procedures import FIELD_TYPES, FieldSpec
from desktop.cases.fields import FieldError, clean_field_value, display_value, edit_text
from desktop.cli import _moment
from desktop.dates import FIRST_YEAR, LAST_YEAR, DateError, parse_date
from desktop.formatting import as_date, chinese_date
from tests.properties import examples
from tests.properties.strategies import TODAY, full_width, is_chinese_message, junk

CHOICES = ("生活救助", "医疗救助", "金秋助学")


def spec(kind: str, minimum: int | None = None, maximum: int | None = None) -> FieldSpec:
    return FieldSpec(
        id="value", label="登记项", type=kind, minimum=minimum, maximum=maximum,
        choices=CHOICES if kind == "choice" else (),
    )  # fmt: skip


bounds = st.one_of(st.none(), st.integers(-(10**15), 10**15))
raw_values = st.one_of(
    junk,
    st.integers(-(10**30), 10**30),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.sampled_from(CHOICES),
)


@examples(600)
@given(st.sampled_from(sorted(FIELD_TYPES)), raw_values, bounds, bounds)
# Fen handed in as an int skipped parse_yuan's checks and stored -0.01 元 as "-1.99".
@example("money", -1, None, None)
@example("money", 10**30, None, None)
# A person id: int() overflowed on infinity, truncated 1.5 and took True for person 1.
@example("person", float("inf"), None, None)
@example("person", 1.5, None, None)
@example("person", True, None, None)
@example("person", 10**30, None, None)
# A 19-digit id was taken as a number but refused when typed back as its digits.
@example("person", 10**18, None, None)
def test_anything_typed_into_a_field_is_refused_or_stored_and_reads_back(kind, raw, low, high):
    field = spec(kind, low, high) if kind in ("number", "money") else spec(kind)
    try:
        value = clean_field_value(field, raw, today=TODAY)
    except FieldError as error:
        assert is_chinese_message(error), error
        # The message names the field: "登记项：…" or, for text, "登记项的第 3 个字符…".
        assert str(error).startswith("登记项")
        return
    if value is None:
        return
    assert isinstance(value, (int, str, bool)), value  # JSON-friendly, as stored
    display_value(field, value)
    assert clean_field_value(field, edit_text(field, value), today=TODAY) == value


def written(day: date, form: str, zeros: bool) -> str:
    """``day`` as a clerk writes it in ``form``, with or without leading zeros."""
    month, mday = (f"{day.month:02d}", f"{day.day:02d}") if zeros else (day.month, day.day)
    if form == "年月日":
        return f"{day.year}年{month}月{mday}日"
    if form == "":
        return f"{day.year}{day.month:02d}{day.day:02d}"  # 20261130 has no other way
    return f"{day.year}{form}{month}{form}{mday}"


@examples(300)
@given(
    st.dates(date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)),
    st.sampled_from(["-", "/", ".", "年月日", ""]),
    st.booleans(),
    st.booleans(),
    st.sampled_from(["", " ", "\u3000", "\t"]),
)
def test_a_date_is_accepted_as_written_and_stored_as_iso(day, form, zeros, wide, blank):
    typed = blank + written(day, form, zeros) + blank
    if wide:  # a Chinese input method in full-width mode
        typed = full_width(typed)
    stored = clean_field_value(spec("date"), typed)
    assert stored == day.isoformat()
    assert as_date(stored) == day
    assert display_value(spec("date"), stored) == chinese_date(day)
    # The editor shows it as it reads, and saving that again keeps the same day.
    assert edit_text(spec("date"), stored) == chinese_date(day)
    assert clean_field_value(spec("date"), edit_text(spec("date"), stored)) == stored


@examples(200)
@given(st.dates(date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)), st.sampled_from(["/", ".", ""]))
def test_a_date_an_earlier_version_kept_as_typed_still_reads_as_its_day(day, separator):
    kept = day.strftime(f"%Y{separator}%m{separator}%d")
    assert as_date(kept) == day
    assert display_value(spec("date"), kept) == chinese_date(day)
    assert edit_text(spec("date"), kept) == chinese_date(day)


@examples(300)
@given(st.one_of(junk, st.dates().map(str), st.from_regex(
    r"[0-9]{1,5}[-/.年][0-9]{1,3}[-/.月][0-9]{1,3}日?", fullmatch=True
)))  # fmt: skip
def test_typed_text_is_a_date_in_range_or_refused_in_chinese_with_the_one_example(text):
    try:
        day = parse_date(text)
    except DateError as error:
        assert is_chinese_message(error), error
        assert len(str(error)) < 120, error  # a 6,000-digit paste is not quoted back whole
        return
    assert FIRST_YEAR <= day.year <= LAST_YEAR


@examples(300)
@given(
    st.dates(date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)),
    st.dates(date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)),
)
def test_a_date_of_something_done_is_never_after_today(day, today):
    done = FieldSpec(id="visit_date", label="走访日期", type="date", not_future=True)
    try:
        stored = clean_field_value(done, day.isoformat(), today=today)
    except FieldError as error:
        assert day > today
        assert str(error) == (
            f"走访日期 {chinese_date(day)} 还没到（今天是 {chinese_date(today)}），"
            "请填写已经发生的日期。"
        )
    else:
        assert day <= today and stored == day.isoformat()


@examples(200)
@given(junk)
def test_a_stored_value_that_is_no_date_reads_as_none_not_a_crash(text):
    found = as_date(text)
    assert found is None or isinstance(found, date)


@examples(300)
@given(st.one_of(junk, st.datetimes().map(lambda m: m.isoformat()), st.from_regex(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}([+-][0-9]{2}:[0-9]{2}|Z)?", fullmatch=True
)))  # fmt: skip
# The offset moved the first and the last moment out of the calendar: OverflowError.
@example("0001-01-01T00:00+14:00")
@example("9999-12-31T23:59-14:00")
def test_the_now_option_takes_a_moment_or_says_in_chinese_why_not(text):
    try:
        moment = _moment(text)
    except ValueError as error:
        assert is_chinese_message(error), error
    else:
        assert isinstance(moment, datetime) and moment.tzinfo is None

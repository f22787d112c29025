"""The files a county union or a clerk hands the program: the book, its procedures, the form
layouts and the holiday table. Real files with mistakes put in, and junk, must give the reader's
own error naming the file (and a line inside it where there is one) and never another
exception; what is accepted reads back the same."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from desktop.book.loader import FIELD_NAMES, BookError, load_book
from desktop.book.procedures import ProcedureReader
from desktop.cases.calendar import (
    CalendarFileError,
    OfficeDay,
    WorkCalendar,
    format_office_days,
    parse_office_days,
    read_office_days_file,
)
from desktop.dates import FIRST_YEAR, LAST_YEAR
from desktop.paths import default_book_dir, forms_dir
from desktop.printing import FormError, read_form
from desktop.tomlsource import SourceFile
from tests.properties import examples
from tests.properties.strategies import is_chinese_message

SMALL_BOOK = Path(__file__).parent.parent / "data" / "small_book"
SMALL_BOOK_FILES = sorted(p.relative_to(SMALL_BOOK).as_posix() for p in SMALL_BOOK.rglob("*.toml"))
PROCEDURES = sorted((default_book_dir() / "procedures").glob("*.toml"))
FORMS = sorted(forms_dir().glob("*.toml"))

# Values an editor might put after "key =", right or wrong, and what probing found fatal.
VALUES = [
    '"文字"', '""', '"   "', "0", "-1", "3", "20000", "9223372036854775808", "1.5", "-0.0",
    "1e999", "nan", "inf", "true", "false", "[]", "{}", '["W01-01"]', '[1, "a"]',
    "2026-01-01", "2026-13-45", "1979-05-27T07:32:00Z",
    '{ limit = -1, unit = "年" }', '{ limit = 99999999999, unit = "工作日" }',
    '{ limit = 2, unit = "自然日", from = "nowhere" }',
    '"(((("', '"a ==="', "\"kind == '生活救助' and not eligible\"", '"x > 1元"',
    "1" * 5000, "[" * 400 + "]" * 400, "{ a = " * 40 + "1" + " }" * 40,
    '"' + "(" * 400 + "a" + ")" * 400 + '"', '"a > ' + "9" * 5000 + '"',
]  # fmt: skip


@st.composite
def mutated(draw, text: str) -> str:
    """``text`` with one to three mistakes an editor (or a disk) makes."""
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            lines = [""]
        at = draw(st.integers(0, len(lines) - 1))
        kind = draw(
            st.sampled_from(["value", "value", "value", "delete", "duplicate", "insert", "cut"])
        )
        if kind == "value" and "=" in lines[at]:
            key = lines[at].split("=", 1)[0]
            lines[at] = f"{key}= {draw(st.sampled_from(VALUES))}"
        elif kind == "delete":
            del lines[at]
        elif kind == "duplicate":
            lines.insert(at, lines[at])
        elif kind == "insert":
            lines.insert(at, draw(st.text(max_size=30).map(lambda t: t.replace("\r", ""))))
        elif kind == "cut":
            joined = "\n".join(lines)
            lines = joined[: draw(st.integers(0, len(joined)))].split("\n")
    return "\n".join(lines)


def file_texts(paths: list[Path]) -> st.SearchStrategy[tuple[Path, str]]:
    """A real file and its text with mistakes in it, or junk in its place."""
    return st.sampled_from(paths).flatmap(
        lambda path: st.tuples(
            st.just(path),
            st.one_of(mutated(path.read_text(encoding="utf-8")), st.text(max_size=200)),
        )
    )


def assert_names_its_place(line: int, message: str, text: str) -> None:
    assert 0 <= line <= text.count("\n") + 2, (line, message)
    assert any("\u4e00" <= char <= "\u9fff" for char in message), message


# --- the book ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def book_copy() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="uniondesk-book-") as folder:
        target = Path(folder) / "book"
        shutil.copytree(SMALL_BOOK, target)
        yield target


@examples(120)
@example(broken=("book.toml", ""))  # BookError with no problems: 制度汇编文件有 0 处错误
@given(
    st.sampled_from(SMALL_BOOK_FILES).flatmap(
        lambda name: st.tuples(
            st.just(name),
            st.one_of(
                mutated((SMALL_BOOK / name).read_text(encoding="utf-8")),
                st.text(max_size=200),
                st.binary(max_size=200).map(lambda b: b"\xff" + b),  # not UTF-8
            ),
        )
    )
)
def test_a_book_with_a_broken_file_gives_a_book_error_naming_the_file_and_line(book_copy, broken):
    name, content = broken
    path = book_copy / name
    try:
        if isinstance(content, bytes):
            path.write_bytes(content)
            text = ""
        else:
            path.write_text(content, encoding="utf-8")
            text = content
        try:
            book = load_book(book_copy)
        except BookError as error:
            assert error.problems and is_chinese_message(error)
            files = {*SMALL_BOOK_FILES, "items/", "procedures/"}
            for problem in error.problems:
                assert problem.file in files, problem
                if problem.file == name:
                    assert_names_its_place(problem.line, problem.message, text)
        else:
            assert load_book(book_copy) == book  # what is accepted reads the same again
    finally:
        shutil.copy(SMALL_BOOK / name, path)


# --- procedures ----------------------------------------------------------------------------------


def read_procedure(text: str):
    problems: list[tuple[int, str]] = []
    reader = SourceFile(text, lambda line, message: problems.append((line, message)), FIELD_NAMES)
    return ProcedureReader(reader).read(), problems


@examples(150)
@given(file_texts(PROCEDURES))
def test_a_broken_procedure_is_reported_at_its_lines_and_an_accepted_one_runs(broken):
    _path, text = broken
    procedure, problems = read_procedure(text)
    for line, message in problems:
        assert_names_its_place(line, message, text)
    if procedure is None:
        assert problems
        return
    again, _ = read_procedure(procedure.source_text)
    assert again == procedure
    calendar = WorkCalendar()
    for step in procedure.steps:  # its time limits can be counted (99999999 工作日 never ended)
        for period in (step.deadline, step.hold):
            if period is not None:
                calendar.add(datetime(2026, 11, 20, 10), period.limit, period.unit)
    for step in procedure.steps:  # every condition it accepted evaluates on an empty case
        for condition in (step.when, *(m.when for m in step.materials),
                          *(f.when for f in step.fields), *(e.when for e in step.eligibility),
                          *(c.block_when for c in step.checks)):  # fmt: skip
            if condition is not None:
                assert condition.evaluate({}) in (True, False, None)


# --- form layouts --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def procedures():
    return load_book(default_book_dir()).procedures


@pytest.fixture(scope="module")
def form_folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="uniondesk-forms-") as folder:
        yield Path(folder)


@examples(150)
@given(file_texts(FORMS))
def test_a_broken_form_gives_a_form_error_naming_the_file_and_line(form_folder, procedures, broken):
    original, text = broken
    path = form_folder / original.name
    path.write_text(text, encoding="utf-8")
    try:
        form = read_form(path, procedures)
    except FormError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.file.endswith(original.name), problem
            assert_names_its_place(problem.line, problem.message, text)
    else:
        assert read_form(path, procedures) == form


# --- the holiday table ---------------------------------------------------------------------------

office_days = st.lists(
    st.builds(
        OfficeDay,
        st.dates(date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)),
        st.booleans(),
        # Notes as the table keeps them: typed text, which the import cleans (no control or
        # unassigned characters; invisible ones are dropped).
        st.text(st.characters(exclude_categories=("Cc", "Cf", "Co", "Cs", "Cn")), max_size=12),
    ),
    unique_by=lambda d: d.day,
    max_size=20,
)
table_lines = st.one_of(
    st.text(max_size=40),
    st.from_regex(
        r"[0-9]{4}[-/][0-9]{1,2}[-/][0-9]{1,2}( (休|班|放)( [^\n]{0,10})?)?", fullmatch=True
    ),
    st.sampled_from(["# 注", "", "2027-01-01 休 元旦", "2027/2/7 班", "\ufeff2027-01-01 休"]),
)


@examples(200)
@given(st.lists(table_lines, max_size=8).map("\n".join))
@example("2027-01-01 休 元旦\n2027-01-01 班\n")  # the same day twice
@example("\r0")  # splitlines() counted a lone CR, and U+2028, a form feed…, as line breaks
def test_any_holiday_table_gives_days_or_the_line_that_is_wrong(text):
    try:
        days = parse_office_days(text)
    except CalendarFileError as error:
        lines = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
        assert 1 <= error.line <= lines, "not a line an editor shows"
        assert is_chinese_message(error) and f"第 {error.line} 行" in str(error)
        return
    assert parse_office_days(format_office_days(days)) == [
        OfficeDay(d.day, d.working, " ".join(d.note.split())) for d in sorted(days, key=_day)
    ]


def _day(entry: OfficeDay) -> date:
    return entry.day


@examples(150)
@given(office_days)
def test_a_holiday_table_written_out_reads_back_the_same(days):
    text = format_office_days(days)
    read = parse_office_days(text)
    assert read == [OfficeDay(d.day, d.working, " ".join(d.note.split())) for d in sorted(
        days, key=_day)]  # fmt: skip
    assert format_office_days(read) == text  # stable


@examples(60)
@given(st.binary(max_size=300))
def test_any_bytes_as_a_holiday_file_give_days_or_an_error_naming_the_file(content):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "节假日.txt"
        path.write_bytes(content)
        try:
            read_office_days_file(path)
        except CalendarFileError as error:
            assert str(path) in str(error) and is_chinese_message(error)

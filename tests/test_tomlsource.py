"""Finding lines in hand-edited TOML, and the checks shared by the book's files."""

from __future__ import annotations

import re
import time
from datetime import date
from pathlib import Path

import pytest

from desktop.tomlsource import (
    MAX_FILE_BYTES,
    NOT_UTF8,
    SourceFile,
    TomlSource,
    TomlSyntaxError,
    TomlTooComplex,
    UnreadableFile,
    identifier,
    iso_date,
    nonempty_text,
    parse,
    positive_integer,
    read_text,
    text_list,
    true_or_false,
)

PROCEDURE = """\
id = "aid"   # line 1
title = "帮扶"

[[steps]]
id = "accept"
title = "受理"

[[steps.fields]]
id = "amount"
type = "money"

[[steps.fields]]
id = "reason"

[steps.approval]
role = "主席"

[[steps]]   # the second step
id = "pay"

[[steps.fields]]
id = "paid"
"""

FORM = """\
id = "aid_application"
columns = [24, 30,
  20, 30]

[[rows]]
cells = [ { label = "姓名" }, { field = "person.name" },
          { label = "性别", span = 2 } ]

[[rows]]
height = 12
cells = [ { text = "{person.nmae}" } ]
"""


def test_the_entries_of_a_table_array_and_their_keys():
    source = TomlSource(PROCEDURE)
    assert source.headers("steps") == [3, 17]
    second = source.at("steps", 1)
    assert (second.entry(), second.key("id")) == (18, 19)
    # A key the entry does not have points at its header.
    assert second.key("title") == 18
    # An entry the file does not have points at the whole file.
    assert source.at("steps", 2).entry() == 1


def test_the_top_of_the_file_ends_at_its_first_table():
    top = TomlSource(PROCEDURE).top()
    assert (top.key("title"), top.key("id")) == (2, 1)
    assert top.key("role") == 1  # under [steps.approval], not at the top


def test_nested_tables_are_found_within_their_parent_entry():
    source = TomlSource(PROCEDURE)
    assert source.at_nested("steps", 0, "fields", 1).key("id") == 13
    assert source.at_nested("steps", 0, "approval", 0).key("role") == 16
    assert source.at_nested("steps", 1, "fields", 0).key("id") == 22
    # The second step has no approval: its own header is the place to look.
    assert source.at_nested("steps", 1, "approval", 0).entry() == 18


def test_a_headers_own_comment_and_spaces_do_not_hide_it():
    source = TomlSource("[ steps ]  # one\nid = 1\n[[ steps.fields ]]\n")
    assert source.headers("steps") == [0]
    assert source.headers("steps.fields") == [2]


@pytest.mark.parametrize(
    ("path", "value", "line"),
    [
        (("id",), None, 1),
        (("columns", 2), None, 3),  # the element on the continuation line
        (("rows", 0, "cells", 2, "span"), None, 7),  # an inline table's key
        (("rows", 0, "cells", 1, "field"), None, 6),
        (("rows", 1, "height"), None, 10),
        (("rows", 1, "cells", 0, "text"), "{person.nmae}", 11),  # the line quoting the value
        (("rows", 1, "width"), None, 9),  # missing: the entry's header
        (("rows", 5, "cells"), None, 0),  # no such entry
        ((), None, 0),
    ],
)
def test_a_key_path_of_a_form_is_followed_to_its_line(path, value, line):
    assert TomlSource(FORM).line_of(path, value) == line


def test_unreadable_and_malformed_files_say_why(tmp_path: Path):
    not_utf8 = tmp_path / "gbk.toml"
    not_utf8.write_bytes("标题 = 1".encode("gbk"))
    with pytest.raises(UnreadableFile, match=NOT_UTF8):
        read_text(not_utf8)
    with pytest.raises(UnreadableFile, match="无法读取文件"):
        read_text(tmp_path / "missing.toml")
    with pytest.raises(TomlSyntaxError) as caught:
        parse('id = "a"\ntitle = "b\n')
    assert caught.value.line == 2


def test_a_file_past_the_size_cap_is_refused_before_it_is_read(tmp_path: Path):
    huge = tmp_path / "huge.toml"
    huge.write_bytes(b"# " + b"x" * MAX_FILE_BYTES)
    with pytest.raises(UnreadableFile, match="文件太大"):
        read_text(huge)
    windows = tmp_path / "crlf.toml"
    windows.write_bytes('a = "甲"\r\nb = 1\r\n'.encode())
    assert read_text(windows) == 'a = "甲"\nb = 1\n'  # as text mode read it before
    # Old Notepad's UTF-8 starts with a byte-order mark: tomllib said "Invalid statement".
    notepad = tmp_path / "notepad.toml"
    notepad.write_bytes('\ufeffa = "甲"\r\n'.encode())
    assert parse(read_text(notepad)) == {"a": "甲"}


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        # tomllib raised RecursionError, and ValueError past int()'s 4,300 digits.
        ("a = 1\nb = " + "[" * 400 + "]" * 400, 2, "套了超过 32 层"),
        ("a = { b = " * 400 + "1" + " }" * 400, 1, "套了超过 32 层"),
        ("a = 1\n\nb = " + "1" * 5000, 3, "太长（5000 个字符）"),
        ("b = 0x" + "f" * 5000, 1, "太长"),
        # A name of 20,000 dotted parts took tomllib seconds, growing with the square.
        ("x" + ".a" * 20000 + " = 1", 1, "用点连了超过 32 段"),
        ("[x" + ".a" * 20000 + "]", 1, "用点连了超过 32 段"),
    ],
)
def test_over_deep_and_over_long_input_gets_its_line_not_a_traceback(text, line, fragment):
    with pytest.raises(TomlTooComplex, match=re.escape(fragment)) as caught:
        parse(text)
    assert caught.value.line == line


def test_brackets_and_digits_inside_strings_and_comments_are_text():
    text = 'a = "' + "[" * 400 + "1" * 5000 + '"\n# ' + "{" * 400 + '\nb = """\n' + "[" * 40
    assert parse(text + '\n"""\nc = 1979-05-27T07:32:00.999999-07:00\n')["c"].year == 1979


# --- checkers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("check", "value", "cleaned"),
    [
        (nonempty_text, "  标题 ", "标题"),
        (identifier, "BF-01_a", "BF-01_a"),
        (iso_date, "2026-01-01", date(2026, 1, 1)),
        (iso_date, date(2026, 1, 1), date(2026, 1, 1)),
        (iso_date, "2026年1月1日", date(2026, 1, 1)),  # as a date is typed anywhere else
        (text_list, [" 建会 ", "联合工会"], ("建会", "联合工会")),
        (true_or_false, False, False),
        (positive_integer, 3, 3),
    ],
)
def test_checkers_clean_good_values(check, value, cleaned):
    assert check(value) == cleaned


@pytest.mark.parametrize(
    ("check", "value", "message"),
    [
        (nonempty_text, "  ", "应为非空的文字"),
        (identifier, "帮扶", "只能由字母、数字、- 和 _ 组成"),
        (iso_date, "2026-13-01", "月份 13 不对"),
        (iso_date, 20261301, "请写成 2026-11-30 或 2026年11月30日"),
        (text_list, "建会", "应为文字列表"),
        (true_or_false, "是", "应为 true（是）或 false（否）"),
        (positive_integer, True, "应为大于 0 的整数"),  # true is not 1 here
        (positive_integer, 0, "应为大于 0 的整数"),
    ],
)
def test_checkers_explain_bad_values(check, value, message):
    with pytest.raises(ValueError, match=message):
        check(value)


# --- a file checked table by table ---------------------------------------------------------------


def checked(text: str) -> tuple[SourceFile, list[tuple[int, str]]]:
    problems: list[tuple[int, str]] = []
    return SourceFile(text, lambda line, m: problems.append((line, m)), {"title": "标题"}), problems


def test_a_table_is_checked_against_its_fields_with_every_problem_at_its_line():
    file, problems = checked('title = ""\ncolour = "红"\n[[rules]]\nid = "a"\n')
    fields = {"title": (nonempty_text, True), "version": (nonempty_text, True)}
    assert file.table(file.data, fields, ignore=("rules",)) is None
    assert problems == [
        (1, "本文件的“标题”（title）有误：应为非空的文字，用英文双引号括起来"),
        (1, "本文件缺少“version”（version = …）"),
        (2, "本文件有不认识的字段“colour”，是否写错了？可用的字段：title、version、rules"),
    ]


def test_a_good_table_gives_its_cleaned_values_and_arrays_their_entries():
    file, problems = checked('title = " 汇编 "\n[[rules]]\nid = "a"\n[[rules]]\nid = "b"\n')
    assert file.table(file.data, {"title": (nonempty_text, True)}, ignore=("rules",)) == {
        "title": "汇编"
    }
    assert [rule["id"] for rule in file.array("rules")] == ["a", "b"]
    assert file.array("items") == []
    assert problems == []


def test_a_file_that_is_not_toml_is_reported_once_with_its_line():
    file, problems = checked('title = "a"\ntitle = "b"\n')
    assert file.data is None
    ((line, message),) = problems
    assert line == 2 and message.startswith("格式错误，无法解析")


def test_an_unreadable_file_is_reported_and_has_no_data(tmp_path: Path):
    problems: list[tuple[int, str]] = []
    path = tmp_path / "book.toml"
    path.write_bytes(b"\xff\xfe title = 1")
    file = SourceFile.read(path, lambda line, m: problems.append((line, m)), {})
    assert file.data is None and file.text == ""
    assert problems == [(0, NOT_UTF8)]


def test_lines_are_counted_as_tomllib_and_editors_count_them():
    # splitlines() also broke at U+2028 and form feeds inside strings, so every later table was
    # reported a line or two below where it is.
    source = TomlSource('title = "甲\u2028乙\x0c丙"\n\n[[rules]]\nid = "a"\n')
    assert source.at("rules", 0).entry() == 3
    assert source.at("rules", 0).key("id") == 4


def test_finding_each_of_many_entries_takes_linear_time():
    # Each lookup copied every header of the file: 8,000 rules took 4 s to report, a 1 MB file
    # minutes.
    source = TomlSource("[[rules]]\nid = 1\n" * 20_000)
    started = time.perf_counter()
    lines = [source.at("rules", i).entry() for i in range(20_000)]
    nested = [source.at_nested("rules", i, "fields", 0).entry() for i in range(20_000)]
    assert lines == nested == list(range(1, 40_000, 2))
    assert time.perf_counter() - started < 5  # about 0.1 s; the old way took minutes

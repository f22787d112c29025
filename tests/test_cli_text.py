"""Control characters at the edge of the command line: refused when they come in (a holiday
file, an argument that is stored), and harmless when stored text goes out to a terminal."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from desktop.cases.calendar import OfficeDay
from desktop.cli import main
from desktop.identity import make_id_number
from desktop.office import Office
from desktop.registry import clean_person

ESCAPE = "\x1b[2J\x1b[31m"  # clears a terminal and turns it red
RLO = "\u202e"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def office_dir(tmp_path: Path) -> Path:
    """A data folder holding a newly named office: a holiday table goes into an office."""
    folder = tmp_path / "office"
    with Office.open(folder) as office:
        office.set_name("城关镇总工会")
    return folder


def test_a_holiday_file_with_a_control_character_is_refused_naming_the_line(
    office_dir, tmp_path, capsys
):
    data = str(office_dir)
    good = tmp_path / "2027.txt"
    good.write_text("2027-01-01 休 元旦\n", encoding="utf-8")
    assert run(capsys, "--data-dir", data, "calendar", "import", str(good))[0] == 0
    bad = tmp_path / "2027年.txt"
    bad.write_text(
        "# 2027 年\n2027-02-10 休 春节\n2027-02-11 休 春\x1b[31m节\n2027-02-12 休 春节\n",
        encoding="utf-8",
    )
    code, _, err = run(capsys, "--data-dir", data, "calendar", "import", str(bad))
    assert code == 1
    assert "2027年.txt 第 3 行：第 15 个字符是看不见的控制字符 U+001B" in err
    assert "\x1b" not in err
    # Nothing of the bad file was taken: the table is what it was.
    code, out, _ = run(capsys, "--data-dir", data, "calendar", "export")
    assert out.splitlines()[1:] == ["2027-01-01 休 元旦"]


@pytest.mark.parametrize(
    ("text", "line", "said"),
    [
        # A line separator that str.splitlines would quietly have taken for a line break.
        ("2027-01-01 休 元旦\x1c2027-01-02 休\n", 1, "U+001C"),
        (
            "2027-01-01 休 元旦\n\n2027-01-02 休 " + "长" * 31 + "\n",
            3,
            "备注太长（31 个字），最多 30 个字",
        ),
    ],
)
def test_holiday_lines_are_read_as_they_are_numbered(
    office_dir, tmp_path, capsys, text, line, said
):
    table = tmp_path / "节假日.txt"
    table.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(office_dir), "calendar", "import", str(table))
    assert code == 1 and f"第 {line} 行" in err and said in err


def test_invisible_characters_leave_a_holiday_file(office_dir, tmp_path, capsys):
    data = str(office_dir)
    table = tmp_path / "节假日.txt"
    table.write_text("\ufeff2027-01-01\u200b 休 元\u200d旦\n", encoding="utf-8")
    assert run(capsys, "--data-dir", data, "calendar", "import", str(table))[0] == 0
    assert run(capsys, "--data-dir", data, "calendar", "export")[1].splitlines()[1] == (
        "2027-01-01 休 元旦"
    )


@pytest.fixture
def office_with_old_text(tmp_path: Path) -> Path:
    """An office holding text stored before it was cleaned at the edge: a person and a holiday
    whose names carry an escape sequence and a direction override."""
    data = tmp_path / "data"
    now = datetime(2026, 3, 2, 9, 0)
    with Office.open(data) as office:
        office.cases.clock = lambda: now
        office.staff.add("李红梅", "工会专干")
        values = clean_person(
            {"name": "张三", "id_number": make_id_number("620102", date(1980, 5, 6), 1)}, now.date()
        )
        person = office.registry.add_person(values, "李红梅", now)
        office.cases.open_case("BF-01", "李红梅", person_id=person)
        office.db.execute("UPDATE cases SET subject_name = ?", [f"张{ESCAPE}三{RLO}"])
        office.cases.set_office_days([OfficeDay(date(2027, 1, 1), False, f"元旦{ESCAPE}")])
    return data


def test_stored_text_cannot_act_on_the_terminal(office_with_old_text, capsys):
    data = str(office_with_old_text)
    code, out, _ = run(capsys, "--data-dir", data, "case", "list", "--now", "2026-03-02T10:00")
    assert code == 0 and "张" in out
    assert "\x1b" not in out and RLO not in out
    code, out, _ = run(capsys, "--data-dir", data, "calendar", "export")
    assert "\x1b" not in out
    assert out.splitlines()[1] == "2027-01-01 休 元旦 [2J [31m"  # to be read back, as it reads


def test_json_keeps_stored_text_exactly_but_escaped(office_with_old_text, capsys):
    data = str(office_with_old_text)
    args = ("--data-dir", data, "case", "list", "--now", "2026-03-02T10:00", "--json")
    code, out, _ = run(capsys, *args)
    assert code == 0
    assert "\x1b" not in out and RLO not in out and "\\u202e" in out
    assert json.loads(out)[0]["subject"] == f"张{ESCAPE}三{RLO}"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ("person", "add", "--name", "张\u200b三", "--id-number", "X"),
            "第 2 个字符是看不见的字符",
        ),
        (("init", "--office-name", "城关镇\x07总工会"), "第 4 个字符是看不见的控制字符 U+0007"),
        (("init", "--office-name", "示" * 21), "最多 20 个字"),
    ],
)
def test_arguments_that_would_be_stored_are_checked_first(tmp_path, capsys, args, said):
    id_number = make_id_number("620102", date(1980, 5, 6), 1)
    args = tuple(id_number if a == "X" else a for a in args)
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "data"), *args)
    assert code == 1 and said in err
    assert "\x07" not in err and "\u200b" not in err

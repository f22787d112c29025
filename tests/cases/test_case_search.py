"""Finding a case as a clerk types it: the number with or without hyphens, any part of the
subject's name, its pinyin or initials, for people and firms alike (desktop.cases.records)."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from desktop.cases.records import CaseFilter
from desktop.cli import main
from desktop.identity import make_credit_code, make_id_number
from desktop.office import Office
from desktop.registry import clean_enterprise, clean_person

CLERK = "李红梅"


@pytest.fixture
def office(tmp_path: Path, clock):
    """The shipped book (it has procedures for people and for firms) in a real data folder."""
    with Office.open(tmp_path / "data") as office:
        office.cases.clock = clock
        office.staff.add(CLERK, "工会专干")
        office.staff.add("王建国", "工会主席")
        yield office


def add_person(office, name: str, sequence: int) -> int:
    values = clean_person(
        {
            "name": name,
            "id_number": make_id_number("620102", date(1980, 5, 6), sequence),
            "household_size": 3,
            "income_per_head": "600",
        },
        date(2026, 1, 1),
    )
    return office.registry.add_person(values, CLERK, datetime(2026, 1, 1))


def add_firm(office, name: str) -> int:
    values = clean_enterprise(
        {"name": name, "credit_code": make_credit_code("91", "620102", "MA0005GR")},
        date(2026, 1, 1),
    )
    return office.registry.add_enterprise(values, CLERK, datetime(2026, 1, 1))


@pytest.fixture
def cases(office) -> dict[str, str]:
    """Subject → case number, for four subjects with a case each (and a few more cases, so
    that a search has something to leave out)."""
    opened = {}
    for sequence, name in enumerate(["丁华", "王丁", "曾辉伟", "欧阳娜娜"], start=1):
        person = add_person(office, name, sequence)
        opened[name] = office.cases.open_case("BF-01", CLERK, person_id=person).number
    firm = add_firm(office, "示例华欣电子有限公司")
    opened["示例华欣电子有限公司"] = office.cases.open_case(
        "QY-01", CLERK, enterprise_id=firm
    ).number
    return opened


def found(office, text: str) -> list[str]:
    return [row.subject_name for row in office.cases.list_cases(CaseFilter(text=text))]


def test_the_cases_are_numbered_as_the_searches_below_expect(cases):
    assert cases["丁华"] == "BF-2026-0001" and cases["欧阳娜娜"] == "BF-2026-0004"


@pytest.mark.parametrize(
    "typed",
    [
        "BF-2026-0004",  # as printed
        "bf-2026-0004",  # lower case
        "BF20260004",  # hyphens left out
        "bf20260004",
        "20260004",  # the year and serial without the prefix
        "0004",  # the serial alone
        "BF-2026-4",  # the serial without its leading zeros, hyphens written
        "2026-4",
        "ＢＦ２０２６０００４",  # typed with the Chinese input method's full-width letters
        " bf 2026 0004 ",
    ],
)
def test_a_case_number_is_found_however_it_is_typed(office, cases, typed):
    assert found(office, typed) == ["欧阳娜娜"]


def test_part_of_a_number_finds_every_case_it_stands_in(office, cases):
    assert len(found(office, "BF2026")) == 4
    assert found(office, "bf2027") == []


@pytest.mark.parametrize(
    ("typed", "subjects"),
    [
        ("丁华", ["丁华"]),
        ("华", ["丁华", "示例华欣电子有限公司"]),  # a character in the middle or at the end
        ("阳娜", ["欧阳娜娜"]),
        ("丁", ["丁华", "王丁"]),
    ],
)
def test_any_part_of_the_subjects_name_finds_its_case(office, cases, typed, subjects):
    assert sorted(found(office, typed)) == sorted(subjects)


@pytest.mark.parametrize(
    ("typed", "subjects"),
    [
        ("dh", ["丁华"]),  # initials
        ("DH", ["丁华"]),
        ("dinghua", ["丁华"]),  # full pinyin
        ("ding hua", ["丁华"]),  # with the space the syllables are often typed with
        ("ding", ["丁华"]),  # the surname: a person's name is matched from its start
        ("zhw", ["曾辉伟"]),  # 曾 read as a surname (zeng), not as in 曾经 (ceng)
        ("zeng", ["曾辉伟"]),
        ("oyn", ["欧阳娜娜"]),
        ("wd", ["王丁"]),
    ],
)
def test_a_persons_pinyin_or_initials_find_their_case(office, cases, typed, subjects):
    assert found(office, typed) == subjects


@pytest.mark.parametrize("typed", ["huaxin", "hx", "dianzi", "slhx", "华欣"])
def test_a_firms_name_is_found_by_pinyin_anywhere_in_it(office, cases, typed):
    assert found(office, typed) == ["示例华欣电子有限公司"]


def test_letters_alone_are_a_name_not_a_case_prefix(office, cases):
    # "bf" begins every number here, but typed alone it is pinyin: nobody's name reads bf.
    assert found(office, "bf") == []


def test_wildcards_typed_are_plain_characters(office, cases):
    assert found(office, "%") == [] and found(office, "_") == []


def test_the_search_is_counted_like_it_is_listed(office, cases):
    assert office.cases.count_cases(CaseFilter(text="华")) == 2
    assert office.cases.count_cases(CaseFilter(text="dh")) == 1


def test_the_command_line_searches_like_the_window(office, cases, capsys):
    data_dir = str(office.data_dir)
    at = ("--now", "2026-03-02T10:00")
    for typed, subjects in (
        ("dh", ["丁华"]),
        ("bf20260004", ["欧阳娜娜"]),
        ("华欣", ["示例华欣电子有限公司"]),
    ):
        assert main(["--data-dir", data_dir, "case", "list", "--search", typed, *at, "--json"]) == 0
        listed = json.loads(capsys.readouterr().out)
        assert [item["subject"] for item in listed] == subjects, typed
        assert listed[0]["number"] == cases[subjects[0]]
    assert main(["--data-dir", data_dir, "case", "list", "--search", "航天", *at]) == 0
    assert "没有符合条件的案件" in capsys.readouterr().out

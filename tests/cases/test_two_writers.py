"""Two windows, or a window and a script, on one data folder: nothing saved is silently lost.

A save based on the case as it was when the clerk's screen read it is refused once someone
else has changed the case, with who changed what; a step is completed once; and writers that
meet wait for each other instead of failing half-way.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import date, datetime
from pathlib import Path

import pytest

from desktop.cases.service import CaseChangedElsewhere, CaseError
from desktop.identity import make_id_number
from desktop.office import Office
from desktop.registry import clean_person
from tests.conftest import Clock

CLERK, CHAIR = "李红梅", "王建国"


def add_person(office: Office, sequence: int = 1) -> int:
    values = clean_person(
        {
            "name": "张三",
            "id_number": make_id_number("620102", date(1980, 5, 6), sequence),
            "household_size": 3,
            "income_per_head": "600",
        },
        date(2026, 1, 1),
    )
    return office.registry.add_person(values, CLERK, datetime(2026, 1, 1))


@pytest.fixture
def two_windows(tmp_path: Path, small_book_dir: Path):
    clock = Clock(datetime(2026, 3, 2, 9, 0))
    first = Office.open(tmp_path / "data", small_book_dir)
    second = Office.open(tmp_path / "data", small_book_dir)
    for office in (first, second):
        office.cases.clock = clock
    first.staff.add(CLERK, "工会专干")
    first.staff.add(CHAIR, "工会主席")
    yield first, second
    first.close()
    second.close()


def test_a_save_from_an_older_screen_is_refused_and_says_who(two_windows):
    first, second = two_windows
    case = first.cases.open_case("BF-01", CLERK, person_id=add_person(first))
    seen_by_first = first.cases.view(case.id).row.version
    second.cases.save_step(
        case.id, "application", CHAIR, {"household_size": 5},
        expected_version=second.cases.view(case.id).row.version,
    )  # fmt: skip

    with pytest.raises(CaseChangedElsewhere) as refused:
        first.cases.save_step(
            case.id, "application", CLERK, {"household_size": 2}, expected_version=seen_by_first
        )
    message = str(refused.value)
    assert case.number in message and "王建国" in message and "受理申请：登记" in message
    assert "没有保存" in message
    # The other window's value stands.
    assert first.cases.view(case.id).state.record("application").values["household_size"] == 5


def test_a_step_is_completed_once(two_windows):
    first, second = two_windows
    case = first.cases.open_case("BF-01", CLERK, person_id=add_person(first))
    first.cases.save_step(case.id, "application", CLERK, {"medical": False}, ["id_copy"])
    version = first.cases.view(case.id).row.version
    first.cases.complete_step(case.id, "application", CLERK, expected_version=version)
    with pytest.raises(CaseChangedElsewhere):
        second.cases.complete_step(case.id, "application", CHAIR, expected_version=version)
    with pytest.raises(CaseError, match="不是当前办理的步骤"):
        second.cases.complete_step(case.id, "application", CHAIR)
    completions = [e for e in first.cases.view(case.id).timeline if e.action == "完成：受理申请"]
    assert len(completions) == 1


WORKER = textwrap.dedent(
    """
    import json, sys
    from desktop.cases.service import CaseChangedElsewhere, CaseError
    from desktop.office import Office

    data, book, case_id, name, rounds = sys.argv[1:6]
    saved, refused = [], []
    with Office.open(data, book) as office:
        for n in range(int(rounds)):
            version = office.cases.view(int(case_id)).row.version
            value = f"{name}-{n}"
            try:
                office.cases.save_step(int(case_id), "application", name,
                                       {"note_text": value}, expected_version=version)
            except CaseChangedElsewhere as error:
                assert "没有保存" in str(error)
                refused.append(value)
            except CaseError as error:  # the other writer completed the step meanwhile
                assert "不是当前办理的步骤" in str(error), str(error)
                refused.append(value)
            else:
                saved.append(value)
        try:
            office.cases.complete_step(int(case_id), "application", name)
            completed = True
        except CaseError as error:
            assert "不是当前办理的步骤" in str(error) or "还不能完成" in str(error), str(error)
            completed = False
    print(json.dumps({"saved": saved, "refused": refused, "completed": completed}))
    """
)


def test_two_processes_on_one_case_lose_no_acknowledged_save(tmp_path: Path, small_book_dir: Path):
    # A text field that the small book's first step has; add one if the book changed.
    path = small_book_dir / "procedures" / "small_aid.toml"
    text = path.read_text(encoding="utf-8")
    anchor = '[[steps.fields]]\nid = "household_size"'
    assert anchor in text
    path.write_text(
        text.replace(anchor, '[[steps.fields]]\nid = "note_text"\nlabel = "说明"\ntype = "text"\n\n'
                     + anchor, 1),
        encoding="utf-8",
    )  # fmt: skip
    data = tmp_path / "data"
    with Office.open(data, small_book_dir) as office:
        office.cases.clock = Clock(datetime(2026, 3, 2, 9, 0))
        for name in (CLERK, "甲", "乙"):
            office.staff.add(name, "工会专干")
        case = office.cases.open_case("BF-01", CLERK, person_id=add_person(office))
        office.cases.save_step(case.id, "application", CLERK, {"medical": False}, ["id_copy"])
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                WORKER,
                str(data),
                str(small_book_dir),
                str(case.id),
                name,
                "40",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for name in ("甲", "乙")
    ]
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        results.append(json.loads(out))
    saved = [value for result in results for value in result["saved"]]
    assert len(saved) + sum(len(r["refused"]) for r in results) == 80
    assert sum(r["completed"] for r in results) == 1  # the step was completed exactly once
    with Office.open(data, small_book_dir) as office:
        view = office.cases.view(case.id)
        recorded = [e.new_value for e in view.timeline if e.field == "说明"]
        completions = [e for e in view.timeline if e.action == "完成：受理申请"]
    # Every acknowledged save is in the record, in order, and nothing else was written.
    assert recorded == sorted(saved, key=recorded.index) and set(recorded) == set(saved)
    assert len(completions) == 1


ADDER = textwrap.dedent(
    """
    import sys
    from desktop.cli import main
    data, first = sys.argv[1], int(sys.argv[2])
    from datetime import date
    from desktop.identity import make_id_number
    codes = []
    for n in range(first, first + 15):
        number = make_id_number("620102", date(1980, 5, 6), n)
        codes.append(main(["--data-dir", data, "person", "add", "--name", "张三",
                           "--id-number", number]))
    sys.exit(max(codes))
    """
)


def test_two_processes_adding_people_wait_for_each_other(tmp_path: Path):
    data = tmp_path / "data"
    with Office.open(data):
        pass
    adders = [
        subprocess.Popen(
            [sys.executable, "-c", ADDER, str(data), str(first)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for first in (1, 100)
    ]
    for adder in adders:
        _, err = adder.communicate(timeout=120)
        assert adder.returncode == 0, err
        assert "Traceback" not in err
    with Office.open(data) as office:
        assert office.registry.count_people() == 30

"""`uniondesk case show`: the same case view the window draws, and the same facts as the list."""

from __future__ import annotations

import json
from pathlib import Path

from desktop.cli import main
from desktop.office import Office
from tests.shared import DEMO_NOW

AT = ("--now", DEMO_NOW.isoformat())
SHOW_KEYS = {
    "number", "status", "outcome", "overdue", "deadline_state", "subject", "steps",
    "service_item", "procedure", "opened", "due", "current_step",
}  # fmt: skip
STEP_KEYS = {"id", "title", "status", "due", "done_at", "forms"}


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_show_and_list_agree_on_every_demo_case(demo_dir: Path, capsys):
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "case", "list", *AT, "--json")
    assert code == 0
    listed = {c["number"]: c for c in json.loads(out)}
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "case", "show", *listed, *AT, "--json")
    assert code == 0
    shown = json.loads(out)
    assert len(shown) == len(listed)
    for case in shown:
        assert set(case) >= SHOW_KEYS
        assert all(set(step) >= STEP_KEYS for step in case["steps"])
        row = listed[case["number"]]
        for key in ("status", "overdue", "deadline_state", "outcome", "due"):
            assert case[key] == row[key], (case["number"], key, case[key], row[key])
    # Every way a case ends is in the demo, and open cases have no outcome yet.
    by_status = {(c["status"], c["outcome"]) for c in shown}
    assert by_status == {
        ("open", None), ("closed", "done"), ("closed", "refused"), ("terminated", "terminated"),
    }  # fmt: skip


def test_a_case_served_on_time_is_not_overdue_while_its_follow_up_runs(capsys, tmp_path: Path):
    # The header once said 已超期 for such a case while the list said 按时办结.
    from datetime import datetime, timedelta

    from tests.cases.procedure_driver import make_person, run_case
    from tests.conftest import Clock

    clock = Clock(datetime(2026, 3, 2, 9, 0))
    with Office.open(tmp_path) as office:
        office.cases.clock = clock
        office.staff.add("李红梅", "工会专干")
        person = make_person(office)
        view = run_case(
            office, clock, "QY-03", {"person_id": person},
            values={"handling": "当场解答，办结"}, stop_before="return_visit",
        )  # fmt: skip
        number = view.number
        assert view.row.served_at is not None and view.row.next_due_at is None
        clock.now = view.row.due_at + timedelta(days=10)  # long after the service's time limit
        view = office.cases.view(view.id)
        assert view.editable and view.current.id == "return_visit"
        assert view.deadline_state == "done_on_time" and not view.overdue
        assert office.cases.case_deadline_state(view.row) == "done_on_time"
    at = ("--now", clock.now.isoformat())
    main(["--data-dir", str(tmp_path), "case", "list", *at, "--json"])
    [listed] = json.loads(capsys.readouterr().out)
    main(["--data-dir", str(tmp_path), "case", "show", number, *at, "--json"])
    shown = json.loads(capsys.readouterr().out)
    assert listed["deadline_state"] == shown["deadline_state"] == "done_on_time"
    assert listed["overdue"] is shown["overdue"] is False


def test_one_case_prints_one_object_and_plain_words(demo_dir: Path, capsys):
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "case", "list", *AT, "--json")
    refused = next(c for c in json.loads(out) if c["outcome"] == "refused")
    code, out, _ = run(
        capsys, "--data-dir", str(demo_dir), "case", "show", refused["number"], *AT, "--json"
    )
    case = json.loads(out)
    assert isinstance(case, dict) and case["number"] == refused["number"]
    done = [s for s in case["steps"] if s["status"] == "done"]
    assert done and all(s["done_at"] for s in done)
    assert any(
        (s["eligibility"] and not s["eligibility"]["eligible"])
        or (s["approval"] and not s["approval"]["approved"])
        for s in case["steps"]
    )
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "case", "show", refused["number"], *AT)
    assert code == 0
    assert refused["number"] in out and "不予办理" in out and "已完成" in out


def test_an_unknown_number_is_named_and_exits_1(demo_dir: Path, capsys):
    code, out, err = run(capsys, "--data-dir", str(demo_dir), "case", "show", "BF-1999-0001")
    assert code == 1 and out == ""
    assert "找不到案件 BF-1999-0001" in err and "uniondesk case list" in err


def test_phone_numbers_in_fields_are_masked(demo_dir: Path, capsys):
    with Office.open(demo_dir) as office:
        number, phone = office.db.execute(
            "SELECT c.number, json_extract(s.field_values, '$.phone') FROM cases c"
            " JOIN case_steps s ON s.case_id = c.id WHERE c.procedure_id = 'legal_aid'"
            " AND json_extract(s.field_values, '$.phone') IS NOT NULL LIMIT 1"
        ).fetchone()
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "case", "show", number, "--json")
    values = [f["value"] for s in json.loads(out)["steps"] for f in s["fields"] if f["value"]]
    assert phone not in out
    assert f"{phone[:3]}****{phone[-4:]}" in values


def test_plain_words_say_when_a_waiting_step_can_be_completed(capsys, tmp_path: Path):
    from datetime import datetime

    from tests.cases.procedure_driver import make_person, run_case
    from tests.conftest import Clock

    clock = Clock(datetime(2026, 3, 2, 9, 0))
    with Office.open(tmp_path) as office:
        office.cases.clock = clock
        office.set_up("城关镇总工会", [("李红梅", "工会专干"), ("王建国", "工会主席")], clock.now)
        person = make_person(office)
        values = {"excluded_assets": False, "visit_conclusion": "情况属实"}
        view = run_case(office, clock, "BF-01", {"person_id": person}, values=values,
                        stop_before="public_notice")  # fmt: skip
        assert view.current.id == "public_notice"  # the notice is up, its wait running
        waiting = office.cases.view(view.id).step("public_notice")
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "case", "show", view.number,
                       "--now", clock.now.isoformat())  # fmt: skip
    assert code == 0 and waiting.hold_text() in out  # the words the step page shows
    assert "起可完成本步" in out

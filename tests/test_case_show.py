"""`uniondesk case show`: the same case view the window draws, and the same facts as the list."""

from __future__ import annotations

import json
from pathlib import Path

from desktop.cli import main
from desktop.office import REVEAL_ACTION, Office
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


ACCOUNT = "6228 4800 2833 1206"
PAID_BY_TRANSFER = {
    "excluded_assets": False, "visit_conclusion": "情况属实", "pay_method": "银行转账",
}  # fmt: skip


def paid_aid_case(folder: Path, clock, values: dict, book_dir: Path | None = None) -> str:
    """A 生活救助 case paid by bank transfer with ``values`` typed at the payment; its number."""
    from tests.cases.procedure_driver import make_person, run_case

    with Office.open(folder, book_dir) as office:
        office.cases.clock = clock
        office.set_up("城关镇总工会", [("李红梅", "工会专干"), ("王建国", "工会主席")], clock.now)
        person = make_person(office)
        view = run_case(office, clock, "BF-01", {"person_id": person},
                        values={**PAID_BY_TRANSFER, **values}, stop_before="follow_up")  # fmt: skip
        assert view.step("payment").status == "done"
        return view.number


def payment_shown(capsys, folder: Path, number: str, *options: str) -> tuple[dict, str]:
    code, out, _ = run(capsys, "--data-dir", str(folder), "case", "show", number, *options)
    assert code == 0
    if "--json" not in options:
        return {}, out
    steps = json.loads(out)["steps"]
    return {f["id"]: f["value"] for s in steps if s["id"] == "payment" for f in s["fields"]}, out


def test_the_payment_account_is_masked_everywhere_unless_revealed(capsys, tmp_path: Path, clock):
    bank = "中国农业银行城关支行"
    typed = {"account_holder": "张秀英", "pay_bank_name": bank, "bank_account": ACCOUNT}
    number = paid_aid_case(tmp_path, clock, typed)
    fields, out = payment_shown(capsys, tmp_path, number, "--json")
    assert fields["bank_account"] == "6228 **** **** 1206"
    assert fields["pay_bank_name"] == bank and fields["account_holder"] == "张秀英"
    assert "2833" not in out
    with Office.open(tmp_path) as office:
        trail = office.db.execute("SELECT old_value, new_value FROM audit_log").fetchall()
        assert not any("2833" in (value or "") for row in trail for value in row)
    fields, out = payment_shown(capsys, tmp_path, number, "--json", "--reveal")
    assert fields["bank_account"] == "6228480028331206"
    with Office.open(tmp_path) as office:
        shown = [e for e in office.cases.view(office.cases.case_id(number)).timeline]
    assert any(e.action == REVEAL_ACTION and "收款账号" in e.field for e in shown)


def test_an_account_an_older_version_kept_in_one_line_is_masked_too(capsys, tmp_path: Path, clock):
    """Cases begun under hardship_aid 2026.6 keep 收款账户（户名、开户行、账号） as one line of
    text: its words show, its number is masked on screen, in scripts and in the trail, even
    in trail rows an older program wrote whole."""
    import shutil
    from datetime import timedelta

    from desktop.paths import default_book_dir
    from desktop.store import audit

    old_book = tmp_path / "book-2026.6"
    shutil.copytree(default_book_dir(), old_book)
    old_text = (Path(__file__).parent / "data" / "hardship_aid_2026_6.toml").read_text("utf-8")
    (old_book / "procedures" / "hardship_aid.toml").write_text(old_text, "utf-8")
    folder = tmp_path / "data"
    line = f"张秀英 中国农业银行城关支行 {ACCOUNT}"
    number = paid_aid_case(folder, clock, {"bank_account": line}, old_book)
    with Office.open(folder) as office:  # today's book: the case keeps its own version
        case_id = office.cases.case_id(number)
        assert office.cases.view(case_id).procedure.version == "2026.6"
        with office.db.atomic():  # a row as a program before this fix wrote it
            audit.record(
                office.db, at=clock.now + timedelta(minutes=1), actor="李红梅", entity="case",
                entity_id=case_id, case_id=case_id, action="发放：更正",
                field="收款账户（户名、开户行、账号）", old=line, new=line.replace("1206", "1207"),
            )  # fmt: skip
        shown = office.cases.view(case_id)
    trail = " ".join(f"{e.field}{e.old_value}{e.new_value}" for e in shown.timeline)
    assert "2833" not in trail and "中国农业银行城关支行 6228 **** **** 1207" in trail
    assert shown.step("payment").field("bank_account").text == (
        "张秀英 中国农业银行城关支行 6228 **** **** 1206"
    )
    fields, out = payment_shown(capsys, folder, number, "--json")
    assert fields["bank_account"] == "张秀英 中国农业银行城关支行 6228 **** **** 1206"
    assert "2833" not in out
    fields, _ = payment_shown(capsys, folder, number, "--json", "--reveal")
    assert fields["bank_account"] == line


def test_show_names_the_batches_a_case_was_listed_on(capsys, tmp_path: Path, clock):
    from tests.cases.procedure_driver import make_person, run_case

    folder = tmp_path / "office"
    with Office.open(folder) as office:
        office.cases.clock = clock
        office.set_up("城关镇总工会", [("李红梅", "工会专干"), ("王建国", "工会主席")], clock.now)
        values = {"excluded_assets": False, "visit_conclusion": "情况属实"}
        for sequence in (11, 12, 13):
            person = make_person(office, sequence=sequence)
            run_case(office, clock, "BF-01", {"person_id": person}, values, stop_before="payment")
    sheet = tmp_path / "签领表.pdf"
    code, out, err = run(
        capsys, "--data-dir", str(folder), "print", "aid_payment_signoff", "-o", str(sheet),
        "--case", "BF-2026-0001", "--case", "BF-2026-0002", "--json",
    )  # fmt: skip
    assert code == 0, err
    batch = json.loads(out)["batch"]
    code, out, _ = run(capsys, "--data-dir", str(folder), "case", "show", "BF-2026-0001", "--json")
    [listed] = json.loads(out)["batches"]
    assert (listed["number"], listed["form"]) == (batch, "aid_payment_signoff")
    assert listed["form_title"] == "帮扶救助金发放签领表" and listed["printed"]
    code, out, _ = run(capsys, "--data-dir", str(folder), "case", "show", "BF-2026-0003", "--json")
    assert json.loads(out)["batches"] == []  # not on the sheet
    code, out, _ = run(capsys, "--data-dir", str(folder), "case", "show", "BF-2026-0002")
    assert f"列入批次：{batch}（帮扶救助金发放签领表，" in out

"""A case run through the small test procedure: steps, branches, eligibility, approval, audit."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from desktop.cases.engine import StepBlocked
from desktop.cases.service import CaseError, FieldErrors, RepeatNeedsReason
from desktop.identity import make_id_number
from desktop.registry import clean_person
from tests.shared import staff_id

CLERK, CHAIR = "李红梅", "王建国"


def add_person(office, name="张三", income="600", household=3, sequence=1):
    values = clean_person(
        {
            "name": name,
            "id_number": make_id_number("620102", date(1980, 5, 6), sequence),
            "household_size": household,
            "income_per_head": income,
        },
        date(2026, 1, 1),
    )
    return office.registry.add_person(values, CLERK, datetime(2026, 1, 1))


def statuses(office, case_id):
    view = office.cases.view(case_id)
    return {s.step.id: s.status for s in view.steps}


def test_case_number_prefill_and_first_step(case_office):
    person = add_person(case_office)
    case = case_office.cases.open_case("BF-01", CLERK, person_id=person)
    assert case.number == "XA-2026-0001"
    assert case.kind == "生活救助"
    assert case.current_step_id == "application"
    view = case_office.cases.view(case.id)
    values = view.state.record("application").values
    assert values == {"household_size": 3, "income_per_head": 60_000}
    second = case_office.cases.open_case("BF-02", CLERK, person_id=person)
    assert second.number == "XA-2026-0002"


def test_step_cannot_complete_while_anything_required_is_missing(case_office):
    person = add_person(case_office)
    case = case_office.cases.open_case("BF-01", CLERK, person_id=person)
    case_office.cases.save_step(case.id, "application", CLERK, {"medical": "是"})
    with pytest.raises(StepBlocked) as blocked:
        case_office.cases.complete_step(case.id, "application", CLERK)
    assert blocked.value.missing == [
        "材料未收齐：身份证复印件",
        "材料未收齐：医疗费用票据",
        "未填写：自付医疗费用",
    ]
    assert "身份证复印件" in str(blocked.value)
    # The optional photo is not asked for, and nothing moved on.
    assert case_office.cases.view(case.id).row.current_step_id == "application"


def test_bad_values_are_refused_whole_and_nothing_is_saved(case_office):
    person = add_person(case_office)
    case = case_office.cases.open_case("BF-01", CLERK, person_id=person)
    with pytest.raises(FieldErrors) as errors:
        case_office.cases.save_step(
            case.id, "application", CLERK,
            {"household_size": "0", "income_per_head": "12.345", "medical": "否"},
        )  # fmt: skip
    assert "家庭人口" in errors.value.errors["household_size"]
    assert "小于下限 1" in errors.value.errors["household_size"]
    assert "最多保留两位小数" in errors.value.errors["income_per_head"]
    values = case_office.cases.view(case.id).state.record("application").values
    assert values == {"household_size": 3, "income_per_head": 60_000}


def run_to_assessment(office, clock, income="600", medical="否", cost=""):
    person = add_person(office, income=income)
    case = office.cases.open_case("BF-01", CLERK, person_id=person)
    values = {"income_per_head": income, "medical": medical}
    materials = ["id_copy"] + (["bills"] if medical == "是" else [])
    if cost:
        values["medical_cost"] = cost
    office.cases.save_step(case.id, "application", CLERK, values, materials)
    office.cases.complete_step(case.id, "application", CLERK)
    clock.advance(hours=2)
    office.cases.complete_step(case.id, "assessment", CLERK)
    return case


def test_eligible_case_runs_through_notice_approval_and_payment(case_office, clock):
    case = run_to_assessment(case_office, clock, income="600")
    view = case_office.cases.view(case.id)
    outcome = view.state.record("assessment").eligibility
    assert outcome == {
        "eligible": True,
        "level": "深度困难",
        "reason": "家庭月人均收入 600.00 元，低于救助线 750.00 元。",
    }
    assert view.row.current_step_id == "notice"
    # The 3-working-day notice period: Monday 2 March → may complete after Thursday 5 March.
    with pytest.raises(StepBlocked, match="等待期 3 个工作日未满：2026年3月6日起可完成本步"):
        case_office.cases.complete_step(case.id, "notice", CLERK)
    case_office.cases.add_log_entry(case.id, "notice", "村民反映其家中有车，经核实为借用。", CLERK)
    clock.now = datetime(2026, 3, 6, 9, 0)
    case_office.cases.complete_step(case.id, "notice", CLERK)

    # The clerk who made the eligibility decision holds no approval role.
    with pytest.raises(CaseError, match="李红梅（工会专干）没有“审批”角色"):
        case_office.cases.approve(
            case.id, "approval", staff_id(case_office, CLERK), True, "", CLERK
        )
    with pytest.raises(StepBlocked, match="未审批：需要工会主席审批"):
        case_office.cases.save_step(case.id, "approval", CHAIR, {"amount": "2000"})
        case_office.cases.complete_step(case.id, "approval", CHAIR)
    case_office.cases.approve(
        case.id, "approval", staff_id(case_office, CHAIR), True, "同意", CHAIR
    )
    case_office.cases.complete_step(case.id, "approval", CHAIR)
    assert case_office.cases.view(case.id).row.current_step_id == "payment"
    case_office.cases.save_step(case.id, "payment", CLERK, {"paid_on": "2026-03-09"})
    case_office.cases.complete_step(case.id, "payment", CLERK)

    row = case_office.cases.view(case.id).row
    assert row.status == "closed"
    assert statuses(case_office, case.id)["refusal"] == "skipped"
    timeline = [(e.action, e.new_value) for e in case_office.cases.repo.timeline(case.id)]
    assert ("公示异议记录", "村民反映其家中有车，经核实为借用。") in timeline
    assert ("主席审批：审批", "同意") in timeline  # an opinion repeating the decision, once
    assert ("办结", None) in timeline


def test_not_eligible_skips_to_refusal_with_its_reason(case_office, clock):
    case = run_to_assessment(case_office, clock, income="900")
    view = case_office.cases.view(case.id)
    assert view.state.record("assessment").eligibility["reason"] == (
        "家庭月人均收入 900.00 元，不低于救助线 750.00 元。"
    )
    assert view.row.current_step_id == "refusal"
    assert {k: v for k, v in statuses(case_office, case.id).items() if v == "skipped"} == {
        "notice": "skipped", "approval": "skipped", "payment": "skipped",
    }  # fmt: skip


def test_medical_branch_gives_the_second_rule(case_office, clock):
    case = run_to_assessment(case_office, clock, income="900", medical="是", cost="12000")
    outcome = case_office.cases.view(case.id).state.record("assessment").eligibility
    assert outcome["level"] == "因病困难"
    assert outcome["reason"] == "自付医疗费用 12,000.00 元，达到 10,000.00 元。"


def test_refused_approval_goes_to_refusal(case_office, clock):
    case = run_to_assessment(case_office, clock, income="600")
    clock.now = datetime(2026, 3, 6, 9, 0)
    case_office.cases.complete_step(case.id, "notice", CLERK)
    with pytest.raises(CaseError, match="请写明审批意见"):
        case_office.cases.approve(
            case.id, "approval", staff_id(case_office, CHAIR), False, "", CHAIR
        )
    case_office.cases.save_step(case.id, "approval", CHAIR, {"amount": "1"})
    case_office.cases.approve(
        case.id, "approval", staff_id(case_office, CHAIR), False, "收入核实有误", CHAIR
    )
    case_office.cases.complete_step(case.id, "approval", CHAIR)
    assert case_office.cases.view(case.id).row.current_step_id == "refusal"


def test_paper_approval_needs_its_scan(case_office, clock, tmp_path):
    case = run_to_assessment(case_office, clock, income="600")
    clock.now = datetime(2026, 3, 6, 9, 0)
    case_office.cases.complete_step(case.id, "notice", CLERK)
    with pytest.raises(CaseError, match="须附上王建国签字页的扫描件"):
        case_office.cases.approve(
            case.id, "approval", staff_id(case_office, CHAIR), True, "", CLERK, on_paper=True
        )
    scan = tmp_path / "签字页.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n fake scan")
    attachment = case_office.cases.attach_file(case.id, "approval", scan, CLERK, "纸质签批")
    case_office.cases.approve(
        case.id, "approval", staff_id(case_office, CHAIR), True, "", CLERK, on_paper=True,
        scan_attachment_id=attachment,
    )  # fmt: skip
    stored = case_office.cases.repo.attachments(case.id)[0]
    copied = case_office.cases.attachment_path(stored.stored_name)
    assert copied.read_bytes() == b"\x89PNG\r\n\x1a\n fake scan"
    assert stored.sha256 in stored.stored_name
    approval = case_office.cases.view(case.id).state.record("approval").approval
    assert approval["on_paper"] is True and approval["scan"] == attachment


def test_same_kind_twice_in_a_year_needs_a_reason(case_office, clock):
    person = add_person(case_office)
    first = case_office.cases.open_case("BF-01", CLERK, person_id=person)
    with pytest.raises(RepeatNeedsReason) as guard:
        case_office.cases.open_case("BF-01", CLERK, person_id=person)
    assert guard.value.earlier[0].number == first.number
    assert first.number in str(guard.value)
    # Another kind is fine, and so is the same kind with a recorded reason.
    case_office.cases.open_case("BF-02", CLERK, person_id=person)
    again = case_office.cases.open_case(
        "BF-01", CLERK, person_id=person, repeat_reason="家中再遭火灾"
    )
    assert again.repeat_of == first.id
    actions = [(e.action, e.new_value) for e in case_office.cases.repo.timeline(again.id)]
    assert ("同年再次办理", "家中再遭火灾") in actions


def test_case_keeps_its_procedure_version_when_the_book_changes(case_office, small_book_dir):
    person = add_person(case_office)
    case = case_office.cases.open_case("BF-01", CLERK, person_id=person)
    path = small_book_dir / "procedures" / "small_aid.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('title = "受理申请"', 'title = "接收申请"'),
        encoding="utf-8",
    )
    assert case_office.sync_book(small_book_dir)
    old = case_office.cases.view(case.id)
    assert old.procedure.steps[0].title == "受理申请"
    new = case_office.cases.open_case("BF-02", CLERK, person_id=person)
    assert case_office.cases.view(new.id).procedure.steps[0].title == "接收申请"


def test_audit_log_is_append_only(case_office):
    import sqlite3

    person = add_person(case_office)
    case_office.cases.open_case("BF-01", CLERK, person_id=person)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        case_office.db.execute("UPDATE audit_log SET actor = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        case_office.db.execute("DELETE FROM audit_log")


def test_person_changes_are_audited_old_to_new(case_office, clock):
    person = add_person(case_office)
    case_office.registry.update_person(
        person, clean_person({"income_per_head": "820"}, clock.now.date()), CHAIR, clock.now
    )
    rows = case_office.db.execute(
        "SELECT actor, field, old_value, new_value FROM audit_log WHERE entity = 'person'"
        " AND action = '修改'"
    ).fetchall()
    assert rows == [(CHAIR, "income_per_head", "60000", "82000")]


def test_dashboard_counts_overdue_and_due_soon(case_office, clock):
    person = add_person(case_office)
    case = case_office.cases.open_case("BF-01", CLERK, person_id=person)
    # The first step is due 2 working days after the start: Wednesday 4 March.
    assert case_office.cases.view(case.id).row.next_due_at == datetime(2026, 3, 4, 23, 59, 59)
    board = case_office.cases.dashboard()
    assert (board["overdue"], board["due_today"], board["due_soon"]) == (0, 0, 1)

    def listed(status):
        from desktop.store.case_repo import CaseFilter

        rows = case_office.cases.list_cases(CaseFilter(status=status))
        assert len(rows) == case_office.cases.count_cases(CaseFilter(status=status))
        return [r.id for r in rows]

    # Each tile's list holds exactly the cases its figure counts.
    assert (listed("overdue"), listed("due_today"), listed("due_soon")) == ([], [], [case.id])
    clock.now = datetime(2026, 3, 4, 10, 0)
    assert case_office.cases.dashboard()["due_today"] == 1
    assert (listed("due_today"), listed("due_soon")) == ([case.id], [])
    clock.now = datetime(2026, 3, 5, 10, 0)
    assert case_office.cases.dashboard()["overdue"] == 1
    row = case_office.cases.view(case.id).row
    assert case_office.cases.case_deadline_state(row) == "overdue"


def test_list_sorted_by_due_follows_the_date_shown_finished_cases_included(case_office, clock):
    from desktop.store.case_repo import CaseFilter

    service = case_office.cases
    early = service.open_case("BF-01", CLERK, person_id=add_person(case_office, "甲", sequence=1))
    stopped = service.open_case("BF-01", CLERK, person_id=add_person(case_office, "乙", sequence=2))
    service.terminate(stopped.id, "申请人撤回申请", CLERK)
    clock.now = datetime(2026, 3, 20, 9, 0)
    late = service.open_case("BF-01", CLERK, person_id=add_person(case_office, "丙", sequence=3))

    def shown_due(row):
        return row.next_due_at or row.due_at

    rows = service.list_cases(CaseFilter(), order="due", descending=False)
    # The terminated case shows its service deadline (23 March) and sorts by it, between the
    # open case due 4 March and the one due 24 March, rather than trailing at the end.
    assert [r.id for r in rows] == [early.id, stopped.id, late.id]
    assert [shown_due(r).date() for r in rows] == [
        date(2026, 3, 4), date(2026, 3, 23), date(2026, 3, 24),
    ]  # fmt: skip
    descending = service.list_cases(CaseFilter(), order="due", descending=True)
    assert [r.id for r in descending] == [late.id, stopped.id, early.id]


def test_list_sorted_by_subject_follows_pinyin_not_code_points(case_office):
    from desktop.store.case_repo import CaseFilter

    service = case_office.cases
    for sequence, name in enumerate(["张三", "王五", "安娜"], start=1):
        person = add_person(case_office, name, sequence=sequence)
        service.open_case("BF-01", CLERK, person_id=person)
    rows = service.list_cases(CaseFilter(), order="subject", descending=False)
    # By code point it would be 安 张 王; a clerk expects an, wang, zhang.
    assert [r.subject_name for r in rows] == ["安娜", "王五", "张三"]


def test_notice_period_counts_from_the_day_the_notice_went_up(tmp_path, small_book_dir, clock):
    from desktop.office import Office

    path = small_book_dir / "procedures" / "small_aid.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        'hold = { limit = 3, unit = "工作日" }\nlog = "公示异议记录"',
        'hold = { limit = 3, unit = "工作日", from = "posted_on" }\nlog = "公示异议记录"\n\n'
        '[[steps.fields]]\nid = "posted_on"\nlabel = "公示开始日期"\ntype = "date"\n'
        "required = true",
    )
    path.write_text(text, encoding="utf-8")
    with Office.open(tmp_path / "other", small_book_dir) as office:
        office.cases.clock = clock
        office.staff.add(CLERK, "工会专干")
        case = run_to_assessment(office, clock, income="600")  # notice starts Monday 2 March
        # Posted only on Wednesday 4 March: three working days from then, not from Monday.
        office.cases.save_step(case.id, "notice", CLERK, {"posted_on": "2026-03-04"})
        clock.now = datetime(2026, 3, 6, 10, 0)  # Monday's period would be over by now
        with pytest.raises(StepBlocked, match="等待期 3 个工作日未满：2026年3月10日起可完成本步"):
            office.cases.complete_step(case.id, "notice", CLERK)
        # Backdating the notice does not shorten the wait below the step's own start.
        office.cases.save_step(case.id, "notice", CLERK, {"posted_on": "2026-02-20"})
        clock.now = datetime(2026, 3, 6, 10, 0)
        office.cases.complete_step(case.id, "notice", CLERK)
        assert office.cases.view(case.id).row.current_step_id == "approval"


def test_office_settings_that_move_work_are_audited(case_office, clock):
    from desktop.cases.calendar import OfficeDay

    case_office.set_operator(CLERK)
    case_office.set_name("城关镇总工会")
    case_office.staff.add("赵立新", "女职工委员")
    case_office.set_operator(CHAIR)  # taking somebody off the list is for an approver
    case_office.staff.deactivate(staff_id(case_office, "赵立新"))
    case_office.set_operator(CLERK)
    case_office.cases.replace_office_days([OfficeDay(date(2027, 1, 1), False, "元旦")], CLERK)
    rows = case_office.db.execute(
        "SELECT entity, action, actor, old_value, new_value FROM audit_log"
        " WHERE entity IN ('office', 'staff', 'calendar') ORDER BY id"
    ).fetchall()
    assert [tuple(r) for r in rows if r[2] == CLERK] == [
        ("office", "修改单位名称", CLERK, None, "城关镇总工会"),
        ("staff", "登记工作人员", CLERK, None, "赵立新（女职工委员；经办）"),
        ("calendar", "修改节假日表", CLERK, None, "1 天，2027 年"),
    ]

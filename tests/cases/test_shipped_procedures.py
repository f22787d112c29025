"""Every shipped procedure run start to finish through the case service, branches included."""

from __future__ import annotations

import pytest

from tests.cases.procedure_driver import eligibility, make_enterprise, make_person, path, run_case

NO_ASSETS = {"excluded_assets": False, "visit_conclusion": "情况属实"}


@pytest.fixture
def people(office, clock):
    office.cases.clock = clock
    return {
        "person_id": make_person(office, income="600"),
        "enterprise_id": make_enterprise(office),
    }


def run(office, clock, item, subject_ids, **kwargs):
    procedure = office.cases.procedure_for(item)
    key = "person_id" if procedure.subject == "person" else "enterprise_id"
    return run_case(office, clock, item, {key: subject_ids[key]}, **kwargs)


def test_every_service_item_opens_its_procedure(office):
    for item in office.book.service_items():
        assert office.cases.procedure_for(item.id).serves.count(item.id) == 1


def test_living_aid_deep_poverty_runs_to_payment_and_return_visit(office, clock, people):
    values = {**NO_ASSETS, "hardship_cause": "本人或家庭成员患大病", "pay_method": "银行转账"}
    view = run(office, clock, "BF-01", people, values=values)
    assert path(view) == [
        "application", "materials", "home_visit", "eligibility", "public_notice", "approval",
        "payment", "follow_up",
    ]  # fmt: skip
    outcome = eligibility(view)
    assert outcome["eligible"] and outcome["level"] == "深度困难"
    expected = "家庭月人均收入 600.00 元，低于当地最低生活保障标准 750.00 元"
    assert outcome["reason"].startswith(expected)
    assert view.row.status == "closed"
    # The promise to the worker ends with the payment; the return visit is follow-up.
    payment = view.state.record("payment").completed_at
    assert view.row.served_at == payment


def test_living_aid_refused_at_home_visit_says_why(office, clock, people):
    values = {"excluded_assets": False, "visit_conclusion": "与申报情况不符"}
    view = run(office, clock, "BF-01", people, values=values)
    assert path(view)[-1] == "refusal_notice"
    assert "public_notice" not in path(view)
    assert eligibility(view) == {
        "eligible": False,
        "level": "",
        "reason": "入户调查核实的家庭情况与申报情况不符，不予认定。具体情况见入户调查表。",
    }


def test_living_aid_refused_by_the_chair_goes_to_refusal(office, clock, people):
    values = {**NO_ASSETS, "hardship_cause": "残疾"}
    view = run(office, clock, "BF-01", people, values=values, approvals={"approval": False})
    assert path(view)[-3:] == ["public_notice", "approval", "refusal_notice"]
    approval = view.state.record("approval").approval
    assert approval["approved"] is False and approval["approver"] == "王建国"


def test_relative_hardship_by_illness(office, clock, people):
    office.registry.update_person(
        people["person_id"], {"income_per_head": 120_000}, "李红梅", clock.now
    )
    values = {**NO_ASSETS, "income_per_head": "1200", "hardship_cause": "本人或家庭成员患大病"}
    view = run(office, clock, "BF-01", people, values=values)
    outcome = eligibility(view)
    assert outcome["level"] == "相对困难"
    assert "低于当地最低生活保障标准 750.00 元 的 2 倍" in outcome["reason"]


def test_medical_aid_by_self_paid_costs(office, clock, people):
    values = {**NO_ASSETS, "income_per_head": "1400", "self_pay": "60000", "urgent_case": False}
    view = run(office, clock, "BF-02", people, values=values)
    assert view.row.kind == "医疗救助"
    assert eligibility(view)["eligible"]
    assert "payment" in path(view)


def test_golden_autumn_grant_once_per_student(office, clock, people):
    values = {**NO_ASSETS, "fulltime_new_student": True, "student_aided_before": True}
    view = run(office, clock, "BF-03", people, values=values)
    assert eligibility(view)["eligible"] is False
    assert "只享受一次" in eligibility(view)["reason"]
    again = {**NO_ASSETS, "fulltime_new_student": True, "student_aided_before": False}
    # A second case of the same kind in one year needs a recorded reason.
    view = run(office, clock, "BF-03", people, values=again, repeat_reason="首次申请填错了学生")
    assert eligibility(view)["eligible"]
    assert view.row.repeat_reason == "首次申请填错了学生"


def test_training_help_skips_notice_and_payment(office, clock, people):
    values = {**NO_ASSETS, "able_to_work": True, "trainee_identity": "失业会员"}
    view = run(office, clock, "BF-04", people, values=values)
    assert path(view)[-2:] == ["training_referral", "training_follow_up"]
    assert "payment" not in path(view) and "public_notice" not in path(view)


def test_condolence_for_a_funeral_has_its_own_deadline(office, clock, people):
    view = run(office, clock, "BF-05", people, values={"condolence_type": "直系亲属去世"})
    assert "pay_funeral" in path(view) and "pay_general" not in path(view)
    funeral = next(s for s in view.steps if s.step.id == "pay_funeral")
    assert funeral.step.deadline.limit == 3


def test_union_formation_for_a_large_firm(office, clock, people):
    view = run(office, clock, "ZZ-01", people, values={"agreed": True, "headcount": 40})
    assert path(view)[-3:] == ["report_approval", "legal_registration", "real_name"]


def test_small_firm_joins_a_joint_union_and_the_growth_list(office, clock, people):
    values = {"agreed": True, "headcount": 12, "formation_mode": "加入联合工会"}
    view = run(office, clock, "ZZ-01", people, values=values)
    assert {"joint_union", "growth_list", "real_name"} <= set(path(view))
    assert "prep_group" not in path(view)


def test_firm_not_ready_is_deferred(office, clock, people):
    view = run(office, clock, "ZZ-01", people, values={"agreed": False})
    assert path(view) == ["survey", "outreach", "deferred"]


def test_member_admission_approved_and_refused(office, clock, people):
    view = run(office, clock, "ZZ-02", people)
    assert path(view)[-3:] == ["approval", "card", "real_name"]
    refused = run(office, clock, "ZZ-02", people, approvals={"approval": False})
    assert path(refused)[-1] == "refusal_notice"


def test_members_congress(office, clock, people):
    view = run(office, clock, "ZZ-03", people)
    assert view.row.status == "closed"
    assert "meeting" in path(view)


def test_membership_transfer_out(office, clock, people):
    view = run(office, clock, "ZZ-04", people, values={"transfer_type": "从本工会转出"})
    assert "transfer_out" in path(view) and "transfer_in" not in path(view)


def test_collective_negotiation_fourteen_nodes(office, clock, people):
    view = run(office, clock, "QY-01", people)
    nodes = [s for s in path(view) if s not in ("coordination", "not_adopted")]
    assert len(nodes) == 14
    reply = next(s for s in view.steps if s.step.id == "reply")
    assert (reply.step.deadline.limit, reply.step.deadline.unit) == (20, "自然日")
    filing = next(s for s in view.steps if s.step.id == "filing")
    assert (filing.step.deadline.limit, filing.step.deadline.unit, filing.step.deadline.start) == (
        10, "自然日", "signing",
    )  # fmt: skip


def test_collective_negotiation_refused_goes_to_the_higher_union(office, clock, people):
    values = {"reply_result": "书面拒绝", "coordination_result": "对方同意协商"}
    view = run(office, clock, "QY-01", people, values=values)
    assert "coordination" in path(view) and "meeting" in path(view)


def test_dispute_mediation_without_agreement_tells_about_arbitration(office, clock, people):
    view = run(office, clock, "QY-02", people, values={"outcome": "未达成协议"})
    assert path(view)[-1] == "arbitration_info"
    assert "agreement" not in path(view)


def test_legal_aid_transferred(office, clock, people):
    values = {"handling": "需要法律援助（代理仲裁、诉讼）"}
    view = run(office, clock, "QY-03", people, values=values)
    assert {"aid_materials", "transfer", "progress"} <= set(path(view))


def test_a_case_served_on_time_is_not_overdue_while_its_return_visit_waits(office, clock, people):
    from datetime import timedelta

    from desktop.store.case_repo import CaseFilter

    # Legal aid: the service ends when the request is handled; the return visit that follows
    # has no deadline of its own.
    view = run(office, clock, "QY-03", people, stop_before="return_visit")
    assert view.current is not None and view.current.id == "return_visit"
    assert view.row.served_at is not None and view.row.status == "open"
    clock.now = view.row.due_at + timedelta(days=30)  # long after the service deadline
    row = office.cases.view(view.row.id).row
    assert office.cases.case_deadline_state(row) == "done_on_time"
    assert office.cases.count_cases(CaseFilter(status="overdue")) == 0
    assert office.cases.dashboard()["overdue"] == 0

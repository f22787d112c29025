"""Every shipped procedure run start to finish through the case service, branches included."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from desktop.cases import engine
from desktop.cases.service import FieldErrors
from desktop.office import Office
from desktop.store.case_repo import CaseFilter
from tests.cases.procedure_driver import (
    AUDITOR,
    CHAIR,
    CLERK,
    default_value,
    eligibility,
    make_enterprise,
    make_person,
    path,
    run_case,
)

NOW = datetime(2026, 1, 1, 9, 0)
NO_ASSETS = {"excluded_assets": False, "visit_conclusion": "情况属实"}


@pytest.fixture
def office(tmp_path):
    """The shipped book in a data folder (approvals attach their signed pages), with the
    clerk, the chair and the funds reviewer registered."""
    with Office.open(tmp_path / "data") as office:
        office.set_up("示例镇总工会", [(CLERK, "工会专干"), (CHAIR, "工会主席")])
        office.staff.repo.add(AUDITOR, "经费审查委员", frozenset({"审核"}), CLERK, NOW)
        yield office


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
    assert view.row.status == "closed" and view.outcome == "done"
    # The promise to the worker ends with the payment; the return visit is follow-up.
    payment = view.state.record("payment").completed_at
    assert view.row.served_at == payment


def test_living_aid_refused_at_home_visit_says_why(office, clock, people):
    values = {"excluded_assets": False, "visit_conclusion": "与申报情况不符"}
    view = run(office, clock, "BF-01", people, values=values)
    assert path(view)[-1] == "refusal_notice"
    assert view.outcome == "refused"
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
    assert view.outcome == "refused"
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
    values |= {"medical_total_cost": "90000", "insurance_reimbursed": "30000"}
    view = run(office, clock, "BF-02", people, values=values)
    assert view.row.kind == "医疗救助"
    assert eligibility(view)["eligible"]
    assert "payment" in path(view)


MEDICAL_BILLS = {"medical_total_cost": "90000", "insurance_reimbursed": "40000"}


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"hospital_in_date": "2026-02-10", "hospital_out_date": "2026-02-01"},
            "出院日期 2026年2月1日 早于住院日期 2026年2月10日，请按出院记录或住院票据核对",
        ),
        (
            {"self_pay": "60000"},
            "自付医疗费用 60,000.00 元 超过了医疗总费用 90,000.00 元 "
            "减去医保报销 40,000.00 元 后的余额",
        ),
        (
            {"self_pay": "48000", "other_reimbursed": "5000"},
            "减去医保报销 40,000.00 元 和其他报销 5,000.00 元 后的余额",
        ),
    ],
)
def test_medical_aid_application_refuses_dates_and_bills_that_do_not_agree(
    office, clock, people, values, message
):
    typed = {**NO_ASSETS, "self_pay": "20000", **MEDICAL_BILLS, **values}
    with pytest.raises(engine.StepBlocked, match=message):
        run(office, clock, "BF-02", people, values=typed)


def test_medical_aid_bills_that_add_up_pass(office, clock, people):
    typed = {**NO_ASSETS, **MEDICAL_BILLS, "self_pay": "45000", "other_reimbursed": "5000"}
    typed |= {"hospital_in_date": "2026-02-01", "hospital_out_date": "2026-02-01"}
    view = run(office, clock, "BF-02", people, values=typed, stop_before="materials")
    assert view.current.id == "materials"


def test_a_secondary_cause_the_same_as_the_main_one_is_sent_back(office, clock, people):
    values = {**NO_ASSETS, "hardship_cause": "残疾", "secondary_cause": "残疾"}
    with pytest.raises(engine.StepBlocked, match="次要致困原因与主要致困原因都是“残疾”"):
        run(office, clock, "BF-01", people, values=values)
    # Two different causes both written as 其他 are fine, as is none.
    for secondary in ("其他", "无"):
        values = {**NO_ASSETS, "hardship_cause": "其他", "secondary_cause": secondary}
        view = run(office, clock, "BF-01", people, values=values, stop_before="materials",
                   repeat_reason=f"同年又一件，次要原因{secondary}")  # fmt: skip
        assert view.current.id == "materials"


def test_golden_autumn_refuses_a_wrong_student_id_or_account(office, clock, people):
    with pytest.raises(FieldErrors) as refused:
        run(office, clock, "BF-03", people, values={"student_id_number": "62010219900101003X"})
    assert "学生身份证号码" in str(refused.value)
    with pytest.raises(FieldErrors, match="银行账号应为 8 到 30 位数字"):
        run(
            office, clock, "BF-03", people, values={"payee_account": "6228 48"},
            repeat_reason="上一件填错了学生身份证号码",
        )  # fmt: skip


GOLDEN_AUTUMN = {
    **NO_ASSETS, "student_name": "王小明", "fulltime_student": True, "student_aided_before": False,
}  # fmt: skip


def test_golden_autumn_grant_once_per_student_and_stage(office, clock, people):
    values = {**GOLDEN_AUTUMN, "student_aided_before": True}
    values |= {"admission_level": "本科", "student_status": "新生"}
    view = run(office, clock, "BF-03", people, values=values)
    assert eligibility(view)["eligible"] is False
    assert eligibility(view)["reason"] == (
        "学生 王小明 在本科学段已享受过金秋助学，每名学生在同一学段只享受一次。"
    )
    again = {**values, "student_aided_before": False}
    # A second case of the same kind in one year needs a recorded reason.
    view = run(office, clock, "BF-03", people, values=again, repeat_reason="首次申请填错了学生")
    assert eligibility(view)["eligible"]
    assert view.row.repeat_reason == "首次申请填错了学生"


def test_golden_autumn_takes_a_high_school_entrant_without_a_major(office, clock, people):
    values = {**GOLDEN_AUTUMN, "admission_level": "普通高中", "student_status": "新生"}
    values |= {"admission_school": "示例县第一中学", "schooling_years": 3}
    view = run(office, clock, "BF-03", people, values=values)
    outcome = eligibility(view)
    assert outcome["eligible"] and outcome["level"] == "已建档困难家庭"
    assert "学生 王小明 是 示例县第一中学（普通高中）的全日制新生" in outcome["reason"]
    assert "普通高中 2,000.00 元" in outcome["reason"]
    step = next(s.step for s in view.steps if s.step.id == "application")
    asked = {spec.id for spec in engine.visible_fields(step, view.state.values())}
    assert {"admission_level", "student_status", "admission_notice_no"} <= asked
    # 普通高中不分专业；新生不问年级和入学年份。
    assert not asked & {"major", "grade", "enrollment_year"}
    materials = view.state.record("materials").materials
    assert "admission_notice" in materials and "enrollment_proof" not in materials


def test_golden_autumn_takes_an_enrolled_undergraduate_with_grade_and_year(office, clock, people):
    values = {**GOLDEN_AUTUMN, "admission_level": "本科", "student_status": "在校生"}
    values |= {"admission_school": "兰州示例大学", "schooling_years": 4, "grade": 2}
    values |= {"enrollment_year": 2025}
    view = run(office, clock, "BF-03", people, values=values)
    outcome = eligibility(view)
    assert outcome["eligible"]
    assert "学生 王小明 是 兰州示例大学（本科）的全日制在校生" in outcome["reason"]
    application = view.state.record("application").values
    assert (application["grade"], application["enrollment_year"]) == (2, 2025)
    materials = view.state.record("materials").materials
    assert "enrollment_proof" in materials and "admission_notice" not in materials
    assert "payment" in path(view)


def test_an_enrolled_student_without_a_grade_is_asked_for_it(office, clock, people):
    values = {**GOLDEN_AUTUMN, "student_status": "在校生", "grade": None}
    with pytest.raises(engine.StepBlocked) as blocked:
        run(office, clock, "BF-03", people, values=values)
    assert blocked.value.missing == ["未填写：在校生在读年级（第几年级）"]


def test_a_grade_beyond_the_years_of_schooling_is_refused(office, clock, people):
    values = {**GOLDEN_AUTUMN, "student_status": "在校生", "grade": 5, "schooling_years": 4}
    with pytest.raises(
        engine.StepBlocked, match="在读年级 5 超过了学制 4 年，请按学籍或学生证核对年级和学制"
    ):
        run(office, clock, "BF-03", people, values=values)


def test_golden_autumn_refuses_a_student_not_in_full_time_education(office, clock, people):
    values = {**GOLDEN_AUTUMN, "fulltime_student": False, "student_status": "在校生"}
    values |= {"grade": 1}
    view = run(office, clock, "BF-03", people, values=values)
    outcome = eligibility(view)
    assert outcome["eligible"] is False
    assert outcome["reason"].startswith("学生 王小明 不是全日制学历教育的学生")
    assert view.outcome == "refused"


def test_golden_autumn_for_a_high_school_student_is_capped_at_its_own_standard(
    office, clock, people
):
    values = {**GOLDEN_AUTUMN, "admission_level": "普通高中", "student_status": "新生"}
    values |= {"approved_amount": "3000"}
    with pytest.raises(engine.StepBlocked, match="金秋助学普通高中每人资助 2,000.00 元"):
        run(office, clock, "BF-03", people, values=values)


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


# --- collective negotiation (QY-01) ------------------------------------------------------------

NEGOTIATION_START = [
    "survey", "representatives", "topics", "proposal", "reply", "preparation", "meeting",
    "minutes", "draft", "adoption",
]  # fmt: skip


@pytest.mark.parametrize(
    ("votes", "reason"),
    [
        (
            {"adoption_expected": 30, "adoption_present": 19, "adoption_for": 19},
            "实到 19 人，不足应到 30 人的三分之二，审议无效，须重新召开。",
        ),
        (
            {"adoption_expected": 30, "adoption_present": 25, "adoption_for": 14},
            "同意 14 人，未达到全体 30 人的半数，草案未获通过。",
        ),
    ],
    ids=["too_few_present", "too_few_for"],
)
def test_collective_negotiation_draft_not_adopted(office, clock, people, votes, reason):
    view = run(office, clock, "QY-01", people, values=votes)
    assert path(view) == [*NEGOTIATION_START, "not_adopted"]
    assert eligibility(view) == {"eligible": False, "level": "", "reason": reason}
    assert view.row.status == "closed"


def test_collective_negotiation_adopted_at_exactly_two_thirds_and_half(office, clock, people):
    votes = {"adoption_expected": 30, "adoption_present": 20, "adoption_for": 15}
    view = run(office, clock, "QY-01", people, values=votes)
    assert path(view) == [*NEGOTIATION_START, "signing", "filing", "effective", "publication"]
    assert eligibility(view) == {
        "eligible": True,
        "level": "草案通过",
        "reason": "实到 20 人，达到应到 30 人的三分之二；同意 15 人，达到全体人数的半数以上，"
        "草案通过。",
    }
    assert view.row.status == "closed"


def test_collective_negotiation_still_refused_after_coordination_ends_there(office, clock, people):
    values = {
        "reply_result": "逾期未回应",
        "coordination_result": "对方仍拒绝，已提请有关部门依法处理",
    }
    view = run(office, clock, "QY-01", people, values=values)
    assert path(view) == [*NEGOTIATION_START[:5], "coordination"]
    assert eligibility(view) is None
    assert view.row.status == "closed"


def test_collective_negotiation_objection_waits_out_the_fifteen_day_review(office, clock, people):
    service = office.cases
    view = run(office, clock, "QY-01", people, stop_before="effective")
    case_id = view.row.id
    assert view.current.id == "effective"
    started = view.state.record("effective").started_at
    assert started.date() == date(2026, 3, 3)  # the review period counts from here
    objection = {
        "review_result": "提出异议，需重新协商",
        "objection_items": "工资增幅条款低于最低工资标准",
    }
    service.save_step(case_id, "effective", CHAIR, objection)
    # 15 natural days from 3 March end with 18 March; until then the step cannot be completed.
    for now in (datetime(2026, 3, 4), datetime(2026, 3, 17, 9), datetime(2026, 3, 18, 17)):
        clock.now = now
        with pytest.raises(engine.StepBlocked) as blocked:
            service.complete_step(case_id, "effective", CHAIR)
        assert blocked.value.missing == ["等待期 15 个自然日未满：2026年3月19日起可完成本步"]
        assert service.view(case_id).row.status == "open"
    clock.now = datetime(2026, 3, 19, 9, 0)
    assert service.complete_step(case_id, "effective", CHAIR) is None
    view = service.view(case_id)
    # An objection means renegotiating in a new case: nothing is published.
    assert path(view) == [*NEGOTIATION_START, "signing", "filing", "effective"]
    assert eligibility(view)["eligible"] is True
    assert view.row.status == "closed"


# --- membership transfer (ZZ-04) ---------------------------------------------------------------

TRANSFER = {"card_no": "GH-620102-0031", "from_union": "示例纺织厂工会"}
TRANSFER_OK = "会员证号 GH-620102-0031，经核验原所在工会 示例纺织厂工会 的会籍有效，可以办理接转。"


def test_membership_transfer_in(office, clock, people):
    values = {**TRANSFER, "transfer_type": "转入本工会", "membership_verified": True}
    view = run(office, clock, "ZZ-04", people, values=values)
    assert path(view) == ["application", "verification", "transfer_in", "ledger_update"]
    assert eligibility(view) == {"eligible": True, "level": "会籍有效", "reason": TRANSFER_OK}
    assert view.row.status == "closed"


def test_membership_retained_on_retirement(office, clock, people):
    values = {
        **TRANSFER,
        "transfer_type": "保留会籍",
        "retain_reason": "退休（含提前退休）",
        "membership_verified": True,
    }
    view = run(office, clock, "ZZ-04", people, values=values)
    assert path(view) == ["application", "verification", "retain", "ledger_update"]
    assert eligibility(view) == {"eligible": True, "level": "会籍有效", "reason": TRANSFER_OK}
    assert view.row.status == "closed"


def test_membership_retention_refused_when_membership_cannot_be_verified(office, clock, people):
    values = {**TRANSFER, "transfer_type": "保留会籍", "membership_verified": False}
    view = run(office, clock, "ZZ-04", people, values=values)
    assert path(view) == ["application", "verification", "refusal_notice"]
    assert eligibility(view) == {
        "eligible": False,
        "level": "",
        "reason": "会员证号 GH-620102-0031 的会籍暂时无法核实，需原所在工会 示例纺织厂工会 "
        "补开接转凭证后办理。",
    }
    assert view.row.status == "closed"


# --- union formation (ZZ-01) -------------------------------------------------------------------


def test_union_formation_preparatory_group_not_approved(office, clock, people):
    values = {"agreed": True, "headcount": 40}
    view = run(office, clock, "ZZ-01", people, values=values, approvals={"prep_approval": False})
    assert path(view) == ["survey", "outreach", "prep_group", "prep_approval", "not_approved"]
    assert view.state.record("prep_approval").approval["approved"] is False
    assert view.row.status == "closed"


def test_union_formation_election_result_not_approved(office, clock, people):
    values = {"agreed": True, "headcount": 40}
    view = run(office, clock, "ZZ-01", people, values=values, approvals={"report_approval": False})
    assert path(view) == [
        "survey", "outreach", "prep_group", "prep_approval", "recruit", "first_congress",
        "report_approval", "not_approved",
    ]  # fmt: skip
    assert view.row.status == "closed"


# --- members' congress (ZZ-03) -----------------------------------------------------------------

CONGRESS_START = ["plan_review", "delegates", "notice", "meeting"]
CONGRESS_VALID = (
    "实到 20 人，达到应到 30 人的三分之二；各项选举和决议最低赞成票 16 票，超过全体人数的半数，"
    "会议有效。"
)


def test_members_congress_election_result_approved(office, clock, people):
    values = {"is_election": True, "expected_count": 30, "present_count": 20, "min_votes": 16}
    view = run(office, clock, "ZZ-03", people, values=values)
    assert path(view) == [*CONGRESS_START, "result_approval", "post_report"]
    assert eligibility(view) == {"eligible": True, "level": "会议有效", "reason": CONGRESS_VALID}
    assert view.state.record("result_approval").approval["approved"] is True
    assert view.row.status == "closed"


def test_members_congress_without_election_needs_no_result_approval(office, clock, people):
    values = {"is_election": False, "expected_count": 30, "present_count": 20, "min_votes": 16}
    view = run(office, clock, "ZZ-03", people, values=values)
    assert path(view) == [*CONGRESS_START, "post_report"]
    assert eligibility(view)["reason"] == CONGRESS_VALID
    assert view.row.status == "closed"


@pytest.mark.parametrize(
    ("counts", "reason"),
    [
        (
            {"present_count": 19, "min_votes": 16},
            "实到 19 人，不足应到 30 人的三分之二，会议不能召开，所作选举和决议无效。",
        ),
        (
            {"present_count": 25, "min_votes": 15},
            "最低赞成票 15 票，未超过全体 30 人的半数，该项选举或决议未获通过。",
        ),
    ],
    ids=["too_few_present", "not_over_half"],
)
def test_members_congress_invalid_gets_guidance(office, clock, people, counts, reason):
    values = {"is_election": True, "expected_count": 30, **counts}
    view = run(office, clock, "ZZ-03", people, values=values)
    assert path(view) == [*CONGRESS_START, "invalid_guidance"]
    assert eligibility(view) == {"eligible": False, "level": "", "reason": reason}
    assert view.row.status == "closed"


def test_members_congress_refused_election_result_gets_rectification_not_a_report(
    office, clock, people
):
    values = {"is_election": True, "expected_count": 30, "present_count": 20, "min_votes": 16}
    approvals = {"result_approval": False}
    view = run(office, clock, "ZZ-03", people, values=values, approvals=approvals)
    assert view.state.record("result_approval").approval["approved"] is False
    assert path(view)[-2:] == ["result_approval", "result_refused"]
    assert "post_report" not in path(view)
    assert view.row.status == "closed"


# --- condolence (BF-05) ------------------------------------------------------------------------


def test_condolence_for_a_marriage_is_paid_as_general(office, clock, people):
    values = {"condolence_type": "结婚", "is_member": True, "proposed_amount": "1000"}
    view = run(office, clock, "BF-05", people, values=values)
    assert path(view) == ["register", "proof", "check", "approval", "pay_general", "archive"]
    assert eligibility(view) == {
        "eligible": True,
        "level": "符合慰问标准",
        "reason": "慰问对象是本单位工会会员，慰问类别为结婚，拟慰问金额 1,000.00 元 "
        "在县慰问标准以内。",
    }
    assert view.row.status == "closed"


def test_condolence_refused_by_the_chair_is_not_paid(office, clock, people):
    values = {"condolence_type": "生育", "is_member": True, "proposed_amount": "800"}
    view = run(office, clock, "BF-05", people, values=values, approvals={"approval": False})
    assert path(view) == ["register", "proof", "check", "approval", "refusal_notice"]
    assert eligibility(view)["eligible"] is True
    assert view.state.record("approval").approval["approved"] is False
    assert view.row.status == "closed"


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        (
            {"condolence_type": "生育", "is_member": False},
            "慰问对象须为本单位工会会员，本次对象不是会员。",
        ),
        (
            {"condolence_type": "生病住院", "hospital_times": 2, "proposed_amount": "500"},
            "本年度已享受住院慰问 2 次，已达到每人每年 2 次的标准。",
        ),
        (
            {"condolence_type": "结婚", "proposed_amount": "1200"},
            "拟慰问金额 1,200.00 元 超过结婚慰问标准 1,000.00 元，请按标准调整后重新审核。",
        ),
    ],
    ids=["not_a_member", "hospital_times_used_up", "over_standard"],
)
def test_condolence_not_eligible_says_why(office, clock, people, values, reason):
    view = run(office, clock, "BF-05", people, values=values)
    assert path(view) == ["register", "proof", "check", "refusal_notice"]
    assert eligibility(view) == {"eligible": False, "level": "", "reason": reason}
    assert view.row.status == "closed"


# --- member admission (ZZ-02) ------------------------------------------------------------------

ADMISSION = {
    "employer": "示例恒通机械有限公司",
    "employment_form": "劳务派遣",
    "wage_main_income": True,
    "accepts_charter": True,
    "voluntary": True,
}


def test_member_admission_eligible_says_why(office, clock, people):
    view = run(office, clock, "ZZ-02", people, values=ADMISSION)
    assert path(view) == ["application", "eligibility", "approval", "card", "real_name"]
    assert eligibility(view) == {
        "eligible": True,
        "level": "符合入会条件",
        "reason": "申请人在 示例恒通机械有限公司 工作（劳务派遣），以工资收入为主要生活来源或与"
        "用人单位建立了劳动关系，承认《中国工会章程》，本人自愿申请，符合入会条件。",
    }
    assert view.row.status == "closed"


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ({"voluntary": False}, "入会须本人自愿申请，本次申请不是本人自愿提出。"),
        ({"accepts_charter": False}, "申请人不承认《中国工会章程》，不符合入会条件。"),
        (
            {"wage_main_income": False},
            "申请人不以工资收入为主要生活来源，也未与用人单位建立劳动关系，不符合入会条件。",
        ),
    ],
    ids=["not_voluntary", "rejects_charter", "no_labour_relation"],
)
def test_member_admission_not_eligible_says_why(office, clock, people, answer, reason):
    view = run(office, clock, "ZZ-02", people, values={**ADMISSION, **answer})
    assert path(view) == ["application", "eligibility", "refusal_notice"]
    assert eligibility(view) == {"eligible": False, "level": "", "reason": reason}
    assert view.row.status == "closed"


# --- dispute mediation (QY-02) and legal aid (QY-03) -------------------------------------------


def test_dispute_mediation_agreement_performed(office, clock, people):
    values = {"outcome": "达成协议", "performance_result": "已按协议履行"}
    view = run(office, clock, "QY-02", people, values=values)
    assert path(view) == ["application", "evidence", "mediation", "agreement", "performance"]
    assert view.row.status == "closed"


def test_dispute_mediation_agreement_not_performed_tells_about_arbitration(office, clock, people):
    values = {"outcome": "达成协议", "performance_result": "未按期履行"}
    view = run(office, clock, "QY-02", people, values=values)
    assert path(view) == [
        "application", "evidence", "mediation", "agreement", "performance", "arbitration_info",
    ]  # fmt: skip
    assert view.row.status == "closed"


def test_legal_aid_outside_union_duties_is_referred(office, clock, people):
    values = {"handling": "不属于工会职责，告知向有关部门反映"}
    view = run(office, clock, "QY-03", people, values=values)
    assert path(view) == ["intake", "consultation", "referral", "return_visit"]
    assert view.row.status == "closed"


# --- procedures follow their rules (issue 14) --------------------------------------------------


def test_a_union_of_a_hundred_members_or_fewer_must_hold_a_members_assembly(office, clock, people):
    values = {"meeting_type": "会员代表大会", "member_count": 100}
    with pytest.raises(engine.StepBlocked) as blocked:
        run(office, clock, "ZZ-03", people, values=values)
    assert blocked.value.missing == [
        "会员 100 人。按《中国工会章程》，会员一百人以下的基层工会应当召开会员大会，"
        "不能召开会员代表大会；请把会议类型改为“会员大会”。"
    ]
    bigger = run(office, clock, "ZZ-03", people, values={**values, "member_count": 101})
    assert bigger.row.status == "closed" and "meeting" in path(bigger)


def test_admission_is_approved_by_the_union_committee(office, clock, people):
    view = run(office, clock, "ZZ-02", people, values=ADMISSION)
    approval = next(s for s in view.steps if s.step.id == "approval")
    assert approval.step.approval.role == "工会委员会"
    assert view.state.record("approval").approval["role"] == "工会委员会"
    labels = [f.label for f in approval.step.fields]
    assert labels == ["工会委员会会议记录编号", "批准日期（委员会会议日期，即入会时间）"]


ADMITTED_ON = {**ADMISSION, "apply_date": "2026-03-02", "approval_date": "2026-03-02"}


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            {"approval_date": "2026-02-27"},
            "批准日期 2026年2月27日 早于申请日期 2026年3月2日："
            "请照工会委员会会议记录核对批准日期。",
        ),
        (
            {"card_date": "2026-02-27"},
            "发证日期 2026年2月27日 早于批准日期 2026年3月2日："
            "会员证在批准入会后发放，请核对发证日期。",
        ),
        (
            {"entry_date": "2026-02-27"},
            "录入日期 2026年2月27日 早于批准日期 2026年3月2日："
            "实名台账在批准入会后录入，请核对录入日期。",
        ),
    ],
    ids=["approved_before_applying", "card_before_approval", "entered_before_approval"],
)
def test_admission_dates_cannot_come_before_the_approval(office, clock, people, typed, message):
    with pytest.raises(engine.StepBlocked) as blocked:
        run(office, clock, "ZZ-02", people, values={**ADMITTED_ON, **typed})
    assert blocked.value.missing == [message]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            {"card_no": "会员2026-0511"},
            "会员证号只能由数字、英文字母和短横线“-”组成，其中的“会”不对；"
            "请照会员证上的号码填写，如 2026-0511。",
        ),
        ({"monthly_wage": "-3000"}, "月工资收入："),
        ({"monthly_wage": "150000"}, "月工资收入：150,000.00 元 超过上限 100,000.00 元"),
        ({"native_place": "甘" * 21}, "籍贯"),
        ({"education": "大专"}, "学历（文化程度）：“大专”不在可选项中："),
    ],
    ids=["card_no_words", "wage_negative", "wage_too_large", "native_place_long", "education"],
)
def test_admission_register_entries_are_refused_with_what_to_fix(
    office, clock, people, typed, message
):
    with pytest.raises(FieldErrors) as refused:
        run(office, clock, "ZZ-02", people, values={**ADMISSION, **typed})
    (said,) = refused.value.errors.values()
    assert said.startswith(message), said


@pytest.mark.parametrize("kind", ["结婚", "生育", "退休离岗"])
def test_condolence_for_a_wedding_birth_or_retirement_is_never_cash(office, clock, people, kind):
    values = {"condolence_type": kind, "condolence_form": "慰问金", "proposed_amount": "500"}
    with pytest.raises(engine.StepBlocked) as blocked:
        run(office, clock, "BF-05", people, values=values)
    [message] = blocked.value.missing
    assert message.startswith(f"{kind}慰问不能发放慰问金")


@pytest.mark.parametrize("kind", ["生病住院", "会员本人去世", "直系亲属去世"])
def test_condolence_for_illness_or_death_may_be_cash(office, clock, people, kind):
    values = {"condolence_type": kind, "condolence_form": "慰问金", "proposed_amount": "500"}
    view = run(office, clock, "BF-05", people, values=values)
    assert eligibility(view)["eligible"] and view.row.status == "closed"


def test_negotiation_service_ends_when_the_proposal_is_delivered(office, clock, people):
    view = run(office, clock, "QY-01", people, stop_before="reply")
    proposal = view.state.record("proposal").completed_at
    # The union's own (local) preparation limit is met once the employer has the proposal.
    assert view.row.served_at == proposal
    item = next(i for i in office.book.service_items() if i.id == "QY-01")
    assert item.local_default and item.time_limit_unit == "工作日"


def test_the_employers_twenty_days_run_from_the_day_it_received_the_proposal(office, clock, people):
    # Mailed: the receipt came back on 2 March, the clerk completed the step days later.
    service = office.cases
    view = run(office, clock, "QY-01", people, stop_before="proposal")
    clock.now = datetime(2026, 3, 6, 10)
    values = {
        "proposal_date": "2026-02-27",
        "delivery_method": "邮寄送达",
        "delivered_date": "2026-03-02",
    }
    typed = {
        spec.id: values.get(spec.id, default_value(spec, None))
        for spec in view.procedure.step("proposal").fields
    }
    service.save_step(view.row.id, "proposal", CHAIR, typed)
    service.complete_step(view.row.id, "proposal", CHAIR)
    reply = service.view(view.row.id).step("reply")
    # 《集体合同规定》第三十二条: 20 days from receipt. The 20th day, 22 March, is a Sunday, so
    # the period ends on Monday 23 March; not 20 days from 6 March, when the step was completed.
    assert reply.due.due_date == date(2026, 3, 23)
    assert reply.counted_from == "自登记的对方收到日期起算"


# Mediated on 2 March (the driver's date), extended by consent to 12 March.
EXTENDED = {
    "outcome": "双方同意延期调解",
    "mediation_date": "2026-03-02",
    "extension_until": "2026-03-12",
}


def test_mediation_extended_by_consent_then_agreed(office, clock, people):
    values = {**EXTENDED, "extended_outcome": "达成协议"}
    view = run(office, clock, "QY-02", people, values=values)
    assert path(view) == [
        "application", "evidence", "mediation", "extended_mediation", "agreement", "performance",
    ]  # fmt: skip
    extended = next(s for s in view.steps if s.step.id == "extended_mediation")
    assert extended.step.deadline.start == "mediation"


def test_mediation_extended_without_agreement_tells_about_arbitration(office, clock, people):
    values = {**EXTENDED, "extended_outcome": "未达成协议"}
    view = run(office, clock, "QY-02", people, values=values)
    assert path(view)[-2:] == ["extended_mediation", "arbitration_info"]
    assert "agreement" not in path(view)


@pytest.mark.parametrize(
    ("until", "message"),
    [
        (
            "2026-03-18",
            "商定延期到 2026年3月18日，距调解日期 2026年3月2日 超过 15 日：延期调解的截止日期距决定"
            "延期的调解不超过 15 日（地方默认）。请与双方重新商定截止日期；不愿缩短的，登记为未达成"
            "协议，告知申请仲裁。",
        ),
        (
            "2026-03-02",
            "商定的延期截止日期 2026年3月2日 不在调解日期 2026年3月2日 之后，请核对双方签字的"
            "延期记录。",
        ),
    ],
    ids=["beyond_the_local_cap", "not_after_the_mediation"],
)
def test_an_extension_is_checked_against_the_local_cap(office, clock, people, until, message):
    with pytest.raises(engine.StepBlocked) as blocked:
        run(office, clock, "QY-02", people, values={**EXTENDED, "extension_until": until})
    assert blocked.value.missing == [message]
    # Fifteen days is the cap itself, and W05-09 says where it comes from.
    values = {**EXTENDED, "extension_until": "2026-03-17", "extended_outcome": "达成协议"}
    assert "extended_mediation" in path(run(office, clock, "QY-02", people, values=values))
    mediation = office.cases.procedure_for("QY-02").step("mediation")
    assert "W05-09" in mediation.rule_ids
    assert office.book.rule("W05-09").status == "地方默认"


def test_first_congress_without_two_thirds_present_is_not_reported(office, clock, people):
    values = {"agreed": True, "headcount": 40, "congress_expected": 30, "congress_present": 19}
    view = run(office, clock, "ZZ-01", people, values=values)
    assert path(view)[-2:] == ["first_congress", "congress_invalid"]
    assert "report_approval" not in path(view)
    assert eligibility(view)["reason"] == (
        "实到 19 人，不足应到 30 人的三分之二，选举无效，须另行确定日期重新召开。"
    )
    quorate = run(office, clock, "ZZ-01", people, values={**values, "congress_present": 20})
    assert "report_approval" in path(quorate) and eligibility(quorate)["level"] == "选举有效"


NEW_FAMILY = {**NO_ASSETS, "hardship_cause": "残疾", "has_hardship_file": False}


def test_a_new_hardship_family_is_reviewed_by_the_county_filed_and_paid(office, clock, people):
    view = run(office, clock, "BF-01", people, values=NEW_FAMILY)
    assert path(view)[-6:] == [
        "approval", "county_submit", "county_review", "payment", "filing", "follow_up",
    ]  # fmt: skip
    review = view.state.record("county_review").approval
    assert review["approved"] and review["role"] == "上级工会"
    assert view.state.record("filing").values["file_no"]
    # The office's promise ends when it sends the file up: the county's time is not counted.
    assert view.row.served_at == view.state.record("county_submit").completed_at
    assert view.row.served_at < view.state.record("payment").completed_at
    item = next(i for i in office.book.service_items() if i.id == "BF-01")
    assert "W06-10" in item.rule_ids and "县总工会复核的时间不计入" in item.standard


def test_a_county_refusal_stops_the_payment(office, clock, people):
    view = run(office, clock, "BF-01", people, values=NEW_FAMILY,
               approvals={"county_review": False})  # fmt: skip
    assert path(view)[-4:] == ["approval", "county_submit", "county_review", "refusal_notice"]
    assert "payment" not in path(view)


def test_a_family_already_on_file_is_not_sent_up_again(office, clock, people):
    view = run(office, clock, "BF-01", people, values={**NEW_FAMILY, "has_hardship_file": True})
    assert "county_review" not in path(view) and "filing" not in path(view)
    assert "county_submit" not in path(view)
    assert path(view)[-2:] == ["payment", "follow_up"]
    assert view.row.served_at == view.state.record("payment").completed_at


# --- re-election (ZZ-05) -----------------------------------------------------------------------

ELECTION = {
    "election_timing": "按期换届", "member_count": 60, "meeting_type": "会员大会", "seats": 7,
    "candidates": 8, "expected_count": 60, "present_count": 45, "ballots_valid": True,
    "min_votes": 31, "chair_elected_by": "工会委员会选举", "committee_size": 7, "chair_votes": 5,
}  # fmt: skip
ELECTION_PATH = [
    "request", "plan_review", "audit", "notice", "election", "chair_election", "result_approval",
    "registration",
]  # fmt: skip


def test_re_election_on_time_runs_to_registration(office, clock, people):
    view = run(office, clock, "ZZ-05", people, values=ELECTION)
    assert path(view) == ELECTION_PATH
    assert eligibility(view) == {
        "eligible": True,
        "level": "选举有效",
        "reason": "实到 45 人，达到应到 60 人的三分之二；当选人最低赞成票 31 票，"
        "超过应到人数的半数，选举有效。",
    }
    # The township's promise is the reply to the request; the rest follows the union's pace.
    assert view.row.served_at == view.state.record("plan_review").completed_at
    assert view.row.status == "closed"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"candidates": 7},
            "委员名额 7 名、候选人 7 名，差额不足 5%：委员会委员实行差额选举，候选人应多于名额且"
            "达到差额率，这份方案不能批准。请把审批改为“不同意”，在审批意见中写明须补足候选人。",
        ),
        (
            {"meeting_type": "会员代表大会"},
            "会员 60 人，方案却是召开会员代表大会。按《中国工会章程》，会员一百人以下的基层工会应当"
            "召开会员大会，这份方案不能批准：请把审批改为“不同意”，在审批意见中写明应改开会员大会。",
        ),
    ],
    ids=["no_margin", "small_union_congress"],
)
def test_re_election_request_that_breaks_a_rule_is_recorded_and_refused_at_review(
    office, clock, people, change, message
):
    # The request is recorded as it came: intake never stops on what the plan says.
    with pytest.raises(engine.StepBlocked) as blocked:
        run(office, clock, "ZZ-05", people, values={**ELECTION, **change})
    assert blocked.value.missing == [message]
    [case] = office.cases.list_cases(CaseFilter(), limit=-1)
    held = office.cases.view(case.id)
    assert path(held) == ["request"] and held.current.id == "plan_review"
    # Refused with its reason, the case goes to the written notice of what to change.
    refused = run(office, clock, "ZZ-05", people, values={**ELECTION, **change},
                  approvals={"plan_review": False})  # fmt: skip
    assert path(refused) == ["request", "plan_review", "plan_refused"]
    assert refused.row.status == "closed" and refused.outcome == "refused"


def test_a_delay_over_half_a_year_is_left_to_the_approver(office, clock, people):
    # W18-02 says "一般不超过半年" and is not yet checked against the regulation: the approver
    # weighs the reason; the program does not block.
    values = {**ELECTION, "election_timing": "延期换届", "delay_months": 8}
    view = run(office, clock, "ZZ-05", people, values=values)
    assert path(view) == ELECTION_PATH
    refused = run(office, clock, "ZZ-05", people, values=values, approvals={"plan_review": False})
    assert path(refused) == ["request", "plan_review", "plan_refused"]


@pytest.mark.parametrize("item", ["ZZ-05", "ZZ-03"])
def test_a_meeting_notice_goes_out_seven_days_ahead(office, clock, people, item):
    # The notice went out before today (2 March); the day it went out is a day already passed.
    late = {**ELECTION, "notice_date": "2026-02-24", "meeting_date": "2026-03-02"}
    with pytest.raises(engine.StepBlocked) as blocked:
        run(office, clock, item, people, values=late)
    assert blocked.value.missing == [
        "通知 2026年2月24日 发出，会议定在 2026年3月2日，不足 7 日：应当在会议召开 7 日前书面"
        "通知。请基层工会推迟会议日期，或核对登记的两个日期。"
    ]
    on_time = run(office, clock, item, people, values={**late, "notice_date": "2026-02-23"})
    assert "notice" in path(on_time)


def test_late_re_election_with_a_reason_is_approved(office, clock, people):
    values = {**ELECTION, "election_timing": "延期换届", "delay_months": 6}
    view = run(office, clock, "ZZ-05", people, values=values)
    assert path(view) == ELECTION_PATH
    assert view.state.record("request").values["timing_reason"]


def test_re_election_plan_refused(office, clock, people):
    view = run(office, clock, "ZZ-05", people, values=ELECTION, approvals={"plan_review": False})
    assert path(view) == ["request", "plan_review", "plan_refused"]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"ballots_valid": False}, "收回的选票多于发出的选票，本次选举无效，须重新投票。"),
        (
            {"present_count": 39},
            "实到 39 人，不足应到 60 人的三分之二，不能进行选举，须另行召开。",
        ),
        (
            {"min_votes": 30},
            "当选人中最低赞成票 30 票，未超过应到 60 人的半数，该候选人不能当选，须按选举办法"
            "另行选举。",
        ),
    ],
    ids=["more_ballots_than_issued", "no_quorum", "not_over_half"],
)
def test_re_election_invalid_gets_guidance(office, clock, people, change, reason):
    view = run(office, clock, "ZZ-05", people, values={**ELECTION, **change})
    assert path(view) == [*ELECTION_PATH[:5], "election_invalid"]
    assert eligibility(view) == {"eligible": False, "level": "", "reason": reason}


def test_chair_without_a_majority_of_the_committee_is_not_recorded(office, clock, people):
    with pytest.raises(engine.StepBlocked) as blocked:
        run(office, clock, "ZZ-05", people, values={**ELECTION, "chair_votes": 3})
    assert blocked.value.missing == [
        "主席得票 3 票，未超过全体委员 7 人的半数，不能当选；请按选举办法另行选举后再登记。"
    ]


def test_re_election_result_refused(office, clock, people):
    approvals = {"result_approval": False}
    view = run(office, clock, "ZZ-05", people, values=ELECTION, approvals=approvals)
    assert path(view) == [*ELECTION_PATH[:-2], "result_approval", "result_refused"]


# --- yearly funds reconciliation (ZZ-06) -------------------------------------------------------

BALANCED = {
    "year": 2025, "wage_total": "3000000", "funds_paid": "60000", "return_expected": "36000",
    "return_received": "36000", "dues_expected": "9000", "dues_collected": "9000",
}  # fmt: skip


def test_reconciliation_that_balances_is_reviewed_and_reported(office, clock, people):
    view = run(office, clock, "ZZ-06", people, values=BALANCED)
    assert path(view) == ["ledger", "reconcile", "audit_review", "report"]
    assert eligibility(view)["level"] == "账实相符"
    assert view.row.served_at == view.state.record("report").completed_at


@pytest.mark.parametrize(
    ("change", "level", "reason"),
    [
        (
            {"funds_paid": "59999.99"},
            "经费欠缴",
            "2025 年实缴工会经费 59,999.99 元，少于全部职工工资总额 3,000,000.00 元 的 2%，"
            "有欠缴，须催缴。",
        ),
        (
            {"return_received": "30000"},
            "返还未足额",
            "2025 年应返还 36,000.00 元，实际到账 30,000.00 元，返还未足额，须报县总工会核查。",
        ),
        (
            {"dues_collected": "8000"},
            "会费少收",
            "2025 年应收会费 9,000.00 元，实收 8,000.00 元，会费少收，须说明原因并补收。",
        ),
    ],
    ids=["arrears", "short_return", "dues_short"],
)
def test_reconciliation_differences_are_handled(office, clock, people, change, level, reason):
    view = run(office, clock, "ZZ-06", people, values={**BALANCED, **change})
    assert path(view) == ["ledger", "reconcile", "discrepancy", "audit_review", "report"]
    assert eligibility(view) == {"eligible": False, "level": level, "reason": reason}
    # The clerk is asked for the notice date only for arrears, the county check only for returns.
    step = view.procedure.step("discrepancy")
    asked = {spec.id for spec in engine.visible_fields(step, view.state.values())}
    assert ("arrears_notice_date" in asked) == (level == "经费欠缴")
    assert ("county_check_date" in asked) == (level == "返还未足额")
    # A difference found and handled is the yearly task done, not a refusal.
    assert view.outcome == "done" and view.row.outcome == "done"


def test_reconciliation_sent_back_by_the_auditors(office, clock, people):
    view = run(office, clock, "ZZ-06", people, values=BALANCED, approvals={"audit_review": False})
    assert path(view) == ["ledger", "reconcile", "audit_review", "audit_rework"]
    assert "report" not in path(view)


# --- medical mutual aid (BF-06 enrolment, BF-07 claim) -----------------------------------------

# Cases open at the test clock, 2026-03-02: this discharge is 20 days before.
CLAIM = {
    "is_member": True, "enrolled": True, "in_waiting_period": False, "discharge_date": "2026-02-10",
    "total_cost": "18000", "insurance_paid": "12000",
}  # fmt: skip


def test_mutual_aid_enrolment(office, clock, people):
    view = run(office, clock, "BF-06", people, values={"is_member": True})
    assert view.row.kind == "参加登记"
    assert path(view) == ["application", "materials", "eligibility", "submit", "review", "result"]
    assert eligibility(view)["level"] == "可以参加"
    review = view.procedure.step("review")
    asked = [spec.id for spec in engine.visible_fields(review, view.state.values())]
    assert asked == ["certificate_no", "period_end"]  # no amount: nothing is paid on enrolment


def test_mutual_aid_claim_is_submitted_within_five_working_days_and_paid(office, clock, people):
    view = run(office, clock, "BF-07", people, values=CLAIM)
    assert view.row.kind == "互助金申领"
    assert path(view) == ["application", "materials", "eligibility", "submit", "review", "result"]
    assert eligibility(view)["level"] == "符合申领条件"
    submit = next(s for s in view.steps if s.step.id == "submit")
    assert (submit.step.deadline.limit, submit.step.deadline.unit) == (5, "工作日")
    assert view.row.served_at == view.state.record("submit").completed_at
    assert view.state.record("review").approval["role"] == "上级工会"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            {"is_member": False},
            "职工医疗互助保障只面向工会会员，本人还不是会员，可以先申请入会。",
        ),
        ({"enrolled": False}, "住院时不在在职职工住院医疗互助保障的保障期内，不能申领互助金。"),
        ({"in_waiting_period": True}, "入院日在首次参加的观察期（90 日）内，按项目规定不给付。"),
        (
            {"discharge_date": "2025-09-02"},
            "2025年9月2日出院，到受理之日已 181 日，超过出院后 180 日的申领期限。",
        ),
    ],
    ids=["not_a_member", "not_covered", "waiting_period", "too_late"],
)
def test_mutual_aid_claim_refused_says_why(office, clock, people, change, reason):
    view = run(office, clock, "BF-07", people, values={**CLAIM, **change})
    assert path(view) == ["application", "materials", "eligibility", "refusal_notice"]
    assert eligibility(view) == {"eligible": False, "level": "", "reason": reason}


def test_mutual_aid_claim_refused_by_the_higher_union(office, clock, people):
    view = run(office, clock, "BF-07", people, values=CLAIM, approvals={"review": False})
    assert path(view)[-3:] == ["submit", "review", "refusal_notice"]
    assert "result" not in path(view)


def test_mutual_aid_claim_window_is_counted_from_the_recorded_discharge_date(office, clock, people):
    # The reviewer's case: discharged on 1 March, the claim received on 20 November. Nobody
    # types a day count any more; it comes from the two dates.
    clock.now = datetime(2026, 11, 20, 10, 0)
    view = run(office, clock, "BF-07", people, values={**CLAIM, "discharge_date": "2026-03-01"})
    assert path(view) == ["application", "materials", "eligibility", "refusal_notice"]
    assert eligibility(view)["reason"] == (
        "2026年3月1日出院，到受理之日已 264 日，超过出院后 180 日的申领期限。"
    )
    step = view.procedure.step("application")
    assert "days_since_discharge" not in {spec.id for spec in step.fields}
    # Exactly 180 days is still in time, and the reason says how many.
    clock.now = datetime(2026, 11, 20, 10, 0)
    in_time = run(office, clock, "BF-07", people, values={**CLAIM, "discharge_date": "2026-05-24"})
    assert eligibility(in_time)["level"] == "符合申领条件"
    assert "2026年5月24日出院，到受理之日 180 日" in eligibility(in_time)["reason"]


def test_mutual_aid_claim_discharged_after_the_opening_day_is_held(office, clock, people):
    service = office.cases
    view = run(office, clock, "BF-07", people, stop_before="application")
    clock.advance(days=8)  # 10 March: the claim written up a week after it was taken in
    step = view.procedure.step("application")
    typed = {s.id: CLAIM.get(s.id, default_value(s, people["person_id"])) for s in step.fields}
    typed["discharge_date"] = "2026-03-05"
    service.save_step(view.row.id, "application", CLERK, typed)
    with pytest.raises(engine.StepBlocked) as blocked:
        service.complete_step(view.row.id, "application", CLERK)
    assert (
        "出院日期 2026年3月5日 晚于受理之日：互助金在出院后申领，请照出院记录核对出院日期。"
        in blocked.value.missing
    )


def test_mutual_aid_claim_with_a_discharge_still_to_come_is_refused(office, clock, people):
    from desktop.cases.service import FieldErrors

    with pytest.raises(FieldErrors) as refused:
        run(office, clock, "BF-07", people, values={**CLAIM, "discharge_date": "2026-03-05"})
    assert refused.value.errors == {
        "discharge_date": "出院日期 2026年3月5日 还没到（今天是 2026年3月2日），"
        "请填写已经发生的日期。"
    }


def test_mutual_aid_enrolment_is_one_member_per_case(office, clock, people):
    by_unit = run(office, clock, "BF-06", people, values={"is_member": True})
    ticked = by_unit.state.record("materials").materials
    assert "join_list" in ticked and "join_form" not in ticked
    township = {"is_member": True, "join_mode": "乡镇（街道）工会组织参加"}
    alone = run(office, clock, "BF-06", people, values=township)
    assert {"join_form", "fee_receipt"} == alone.state.record("materials").materials
    assert "一件案件办理一名会员" in by_unit.procedure.step("application").instructions

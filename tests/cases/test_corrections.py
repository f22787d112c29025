"""更正 of a done step, and money that adds up: a corrected figure sends back exactly the steps
whose decisions read it, an approval is corrected by its approver, paid money only with a 冲正;
the payment starts from the approved amount, never exceeds it, and yearly limits count what the
same family was already paid."""

from __future__ import annotations

from datetime import datetime

import pytest

from desktop.cases.engine import StepBlocked
from desktop.cases.service import CaseError
from desktop.cases.status import ACTIVE, DONE, PENDING, REVIEW
from desktop.office import Office
from tests.cases.procedure_driver import make_person, run_case

CLERK, CHAIR = "李红梅", "王建国"
NOW = datetime(2026, 3, 2, 9, 0)
AID = {"excluded_assets": False, "visit_conclusion": "情况属实", "pay_method": "银行转账"}
PAID = {
    "pay_method": "银行转账", "account_holder": "张秀英", "pay_bank_name": "中国农业银行城关支行",
    "bank_account": "6228 4800 1234 5678", "pay_date": "2026-03-06",
}  # fmt: skip


@pytest.fixture
def office(tmp_path, clock):
    with Office.open(tmp_path / "data") as office:
        office.cases.clock = clock
        office.set_up("城关镇总工会", [(CLERK, "工会专干"), (CHAIR, "工会主席")], NOW)
        yield office


def statuses(office, case_id) -> dict[str, str]:
    state = office.cases.view(case_id).state
    return {step.id: state.record(step.id).status for step in state.procedure.steps}


def timeline(office, case_id) -> list[tuple[str, str, str | None, str | None]]:
    return [
        (e.action, e.field, e.old_value, e.new_value) for e in office.cases.view(case_id).timeline
    ]


def at_payment(office, clock, **values):
    person = make_person(office)
    view = run_case(office, clock, "BF-01", {"person_id": person}, values={**AID, **values},
                    stop_before="payment")  # fmt: skip
    assert view.current.id == "payment"
    return view.row.id


def test_a_corrected_income_sends_back_the_decisions_that_read_it(office, clock):
    case_id = at_payment(office, clock)
    before = statuses(office, case_id)
    sent_back = office.cases.correct_step(
        case_id, "application", CLERK, "收入证明上是 900 元，录成了 600 元",
        {"income_per_head": "900"},
    )  # fmt: skip
    titles = [step.title for step in sent_back]
    assert titles[0] == "资格认定" and "审批" in titles  # the decision and its approval
    after = statuses(office, case_id)
    assert after["application"] == DONE  # the corrected step keeps its new figure, done
    assert after["home_visit"] == DONE  # the visit does not read the income
    assert after["eligibility"] == ACTIVE  # decided again first
    assert after["approval"] == REVIEW and after["payment"] == PENDING
    assert before["payment"] == ACTIVE
    view = office.cases.view(case_id)
    assert view.state.record("approval").approval is None  # signed for the old figure
    assert view.step("approval").status_text == "需复核"
    entries = timeline(office, case_id)
    assert ("受理申请：更正原因", "", None, "收入证明上是 900 元，录成了 600 元") in [
        (a, f or "", o, n) for a, f, o, n in entries
    ]
    assert ("受理申请：更正", "家庭月人均收入", "600.00 元", "900.00 元") in entries
    assert ("需复核", "资格认定", None, "因“受理申请”更正，须重新办理") in entries

    # Decided again with the new figure, then the approval comes back in its turn.
    office.cases.complete_step(case_id, "eligibility", CLERK)
    view = office.cases.view(case_id)
    assert "900.00 元" in view.state.record("eligibility").eligibility["reason"]
    assert view.current.id == "public_notice"  # sent back too: posted with the old figure
    assert view.state.record("approval").status == REVIEW  # in its turn


def test_a_correction_needs_a_reason_and_a_change_and_a_done_step(office, clock):
    case_id = at_payment(office, clock)
    with pytest.raises(CaseError, match="请写明更正的原因"):
        office.cases.correct_step(case_id, "application", CLERK, "  ", {"income_per_head": "9"})
    with pytest.raises(CaseError, match="登记内容没有改动"):
        office.cases.correct_step(case_id, "application", CLERK, "核对", {"income_per_head": "600"})
    with pytest.raises(CaseError, match="还没有完成，直接修改后保存即可"):
        office.cases.correct_step(case_id, "payment", CLERK, "核对", {"pay_method": "现金"})
    assert statuses(office, case_id)["payment"] == ACTIVE  # nothing changed


def test_an_approved_amount_is_corrected_by_the_approver_and_approved_again(office, clock):
    case_id = at_payment(office, clock)
    with pytest.raises(CaseError, match="只有有“审批”角色的人员能更正"):
        office.cases.correct_step(
            case_id, "approval", CLERK, "金额算错", {"approved_amount": "800"}
        )
    office.switch_operator(office.staff.by_name(CHAIR).id)
    sent_back = office.cases.correct_step(
        case_id, "approval", CHAIR, "按上限重新核定", {"approved_amount": "800"}
    )
    assert [step.id for step in sent_back] == ["approval"]
    view = office.cases.view(case_id)
    assert view.current.id == "approval" and view.state.record("approval").approval is None
    assert view.state.record("payment").status == PENDING


def test_money_already_paid_is_corrected_only_with_a_reversal(office, clock):
    case_id = at_payment(office, clock)
    office.cases.save_step(case_id, "payment", CLERK, PAID)
    office.cases.complete_step(case_id, "payment", CLERK)
    office.switch_operator(office.staff.by_name(CHAIR).id)
    with pytest.raises(CaseError, match="已经发放了 1,000.00 元.*请先登记冲正"):
        office.cases.correct_step(
            case_id, "approval", CHAIR, "多核定了", {"approved_amount": "800"}
        )
    assert statuses(office, case_id)["payment"] == DONE  # refused: nothing changed
    office.cases.correct_step(
        case_id, "approval", CHAIR, "多核定了", {"approved_amount": "800"},
        reversal="多发的 200.00 元已由受助人退回，收据 No.0012",
    )  # fmt: skip
    assert (
        "冲正",
        "已发放金额",
        "1,000.00 元",
        "多发的 200.00 元已由受助人退回，收据 No.0012",
    ) in (timeline(office, case_id))
    assert statuses(office, case_id)["payment"] == REVIEW


def test_the_payment_starts_from_the_approved_amount_and_never_exceeds_it(office, clock):
    case_id = at_payment(office, clock, approved_amount="1200")
    payment = office.cases.view(case_id).state.record("payment")
    assert payment.values["pay_amount"] == 120_000  # filled from 核定救助金额
    office.cases.save_step(case_id, "payment", CLERK, {**PAID, "pay_amount": "3000"})
    with pytest.raises(StepBlocked) as blocked:
        office.cases.complete_step(case_id, "payment", CLERK)
    message = str(blocked.value)
    assert "发放金额 3,000.00 元 多于审批核定的 1,200.00 元，不能多发" in message
    assert "未填写：发放金额与核定金额不同的原因" in message
    office.cases.save_step(
        case_id, "payment", CLERK, {"pay_amount": "600", "pay_difference_reason": "分两次发放"}
    )
    office.cases.complete_step(case_id, "payment", CLERK)
    assert office.cases.view(case_id).state.record("payment").status == DONE


def test_yearly_limits_count_what_the_family_was_already_paid(office, clock):
    first = at_payment(office, clock, approved_amount="5000")
    office.cases.save_step(first, "payment", CLERK, PAID)
    office.cases.complete_step(first, "payment", CLERK)
    person = office.cases.view(first).row.person_id
    second = run_case(
        office, clock, "BF-01", {"person_id": person}, values={**AID, "approved_amount": "2000"},
        stop_before="approval", repeat_reason="年内再次遭遇困难",
    ).row.id  # fmt: skip
    office.cases.save_step(second, "approval", CLERK, {"approved_amount": "2000"})
    office.switch_operator(office.staff.by_name(CHAIR).id)
    office.cases.approve(second, "approval", office.staff.by_name(CHAIR).id, True, "", CHAIR)
    with pytest.raises(StepBlocked) as blocked:
        office.cases.complete_step(second, "approval", CHAIR)
    assert (
        "本年度已向该户发放生活救助 5,000.00 元，加上本次核定的 2,000.00 元，"
        "超过深度困难家庭每户每年最高 6,000.00 元" in str(blocked.value)
    )
    view = office.cases.view(second)
    assert view.earlier_payments_text().startswith("本年度已发放“生活救助” 1 笔，共 5,000.00 元：")


def test_a_corrected_payment_is_paid_again_under_the_same_checks(office, clock):
    case_id = at_payment(office, clock, approved_amount="3000")
    office.cases.save_step(case_id, "payment", CLERK, PAID)
    office.cases.complete_step(case_id, "payment", CLERK)
    sent_back = office.cases.correct_step(
        case_id, "payment", CLERK, "录错", {"pay_amount": "30000"}, reversal="补发 27,000 元"
    )
    assert [step.id for step in sent_back] == ["payment"]  # done again, not just edited
    with pytest.raises(StepBlocked, match="发放金额 30,000.00 元 多于审批核定的 3,000.00 元"):
        office.cases.complete_step(case_id, "payment", CLERK)


def test_two_open_cases_cannot_pay_past_the_yearly_limit_together(office, clock):
    first = at_payment(office, clock, approved_amount="5000")
    person = office.cases.view(first).row.person_id
    second = run_case(
        office,
        clock,
        "BF-01",
        {"person_id": person},
        values={**AID, "approved_amount": "5000"},
        stop_before="payment",
        repeat_reason="年内再次遭遇困难",
    ).row.id  # fmt: skip  (approved while nothing was paid yet)
    office.cases.save_step(first, "payment", CLERK, PAID)
    office.cases.complete_step(first, "payment", CLERK)
    office.cases.save_step(second, "payment", CLERK, PAID)
    with pytest.raises(StepBlocked, match="本年度已向该户发放生活救助 5,000.00 元，再发本次的"):
        office.cases.complete_step(second, "payment", CLERK)


def test_a_new_approved_amount_refills_the_payment_not_yet_made(office, clock):
    case_id = at_payment(office, clock, approved_amount="3000")
    office.switch_operator(office.staff.by_name(CHAIR).id)
    office.cases.correct_step(case_id, "approval", CHAIR, "重新核定", {"approved_amount": "4000"})
    office.cases.approve(case_id, "approval", office.staff.by_name(CHAIR).id, True, "", CHAIR)
    office.cases.complete_step(case_id, "approval", CHAIR)
    view = office.cases.view(case_id)
    assert view.current.id == "payment"
    assert view.state.record("payment").values["pay_amount"] == 400_000


def test_a_step_that_no_longer_applies_after_a_correction_has_no_deadline(office, clock):
    case_id = at_payment(office, clock)
    # 情况属实 → 与申报情况不符: the family is not eligible, the approval no longer applies.
    office.cases.correct_step(
        case_id, "home_visit", CLERK, "复核走访", {"visit_conclusion": "与申报情况不符"}
    )
    office.cases.complete_step(case_id, "eligibility", CLERK)
    view = office.cases.view(case_id)
    approval = view.step("approval")
    assert approval.status_text == "不适用" and approval.deadline_state is None


def test_a_difference_reason_no_longer_applying_is_not_printed(office, clock):
    from desktop.printing import case_context

    case_id = at_payment(office, clock, approved_amount="1200")
    office.cases.save_step(
        case_id, "payment", CLERK, {**PAID, "pay_amount": "600", "pay_difference_reason": "分两次"}
    )
    number = office.cases.view(case_id).number
    assert case_context(office, number).values["step.payment.pay_difference_reason"] == "分两次"
    office.cases.save_step(case_id, "payment", CLERK, {"pay_amount": "1200"})  # set right
    assert case_context(office, number).values["step.payment.pay_difference_reason"] is None


def test_a_corrected_bill_that_no_longer_adds_up_sends_the_application_back(office, clock):
    person = make_person(office)
    bills = {"medical_total_cost": "90000", "insurance_reimbursed": "40000", "self_pay": "20000"}
    view = run_case(office, clock, "BF-02", {"person_id": person}, values={**AID, **bills},
                    stop_before="home_visit")  # fmt: skip
    case_id = view.row.id
    # A figure that still adds up: the application keeps its 已完成.
    office.cases.correct_step(
        case_id, "application", CLERK, "结算单上是 21000 元", {"self_pay": "21000"}
    )
    assert statuses(office, case_id)["application"] == DONE
    # One that does not: the application is done again, and cannot be until it adds up.
    office.cases.correct_step(
        case_id, "application", CLERK, "结算单上是 60000 元", {"self_pay": "60000"}
    )
    assert statuses(office, case_id)["application"] == ACTIVE
    with pytest.raises(StepBlocked, match="自付医疗费用 60,000.00 元 超过了医疗总费用"):
        office.cases.complete_step(case_id, "application", CLERK)

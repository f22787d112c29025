"""The 入会申请书（工会会员登记表） prints the columns of the member register (籍贯, 学历,
职务/职称, 月工资收入, 会员证号, 所在工会小组 besides the registry's 民族 and 政治面貌), and
dates 入会时间 on the day the union committee approved, as its note says (会籍从批准之日起计算)."""

from __future__ import annotations

import re
from datetime import datetime
from io import BytesIO

import pytest

from desktop.formatting import chinese_date, format_fen
from desktop.identity import mask_id_number
from desktop.office import Office
from desktop.printing import PrintData, blank_context, case_context, render_pdf
from tests.cases.procedure_driver import AUDITOR, CHAIR, CLERK, make_person, run_case

DATE = r"(\d{4}年\d{1,2}月\d{1,2}日)"
REGISTER = {
    "native_place": "甘肃省榆中县",
    "education": "大学专科",
    "job_title": "助理工程师",
    "monthly_wage": "4680.50",
}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def printed_text(form, data, read_pdf) -> str:
    out = BytesIO()
    result = render_pdf(form, data, out)
    assert result.pages == 1
    pdf = read_pdf(out.getvalue())
    return squeeze(pdf.text(1))


def membership_dates(text: str) -> tuple[str, str]:
    """The printed 入会时间 and the date beside the chair's signature under 工会审批意见."""
    joined = re.search("入会时间" + DATE, text)
    signed = re.search("工会主席签字：" + DATE, text)
    assert joined and signed, text
    return joined.group(1), signed.group(1)


@pytest.fixture
def office(tmp_path, clock):
    with Office.open(tmp_path / "data") as office:
        office.set_up("示例镇总工会", [(CLERK, "工会专干"), (CHAIR, "工会主席")])
        office.staff.repo.add(AUDITOR, "经费审查委员", frozenset({"审核"}), CLERK, clock.now)
        office.cases.clock = clock
        yield office


def admitted_a_day_after_the_committee_met(office, clock) -> str:
    """A member admitted as the demo admits them: the committee meets on Tuesday 3 March, the
    chair records its decision at the desk on Wednesday, the card is issued that day."""
    person_id = make_person(office)
    registered = {"ethnicity": "回族", "political_status": "中共党员"}
    office.registry.update_person(person_id, registered, CLERK, clock.now)
    values = {**REGISTER, "apply_date": "2026-03-02", "card_no": "gh-620102-0031"}
    view = run_case(
        office, clock, "ZZ-02", {"person_id": person_id}, values=values, stop_before="approval"
    )
    service, case_id = office.cases, view.row.id
    clock.now = datetime(2026, 3, 4, 10, 0)
    service.save_step(
        case_id, "approval", CHAIR,
        {"committee_record": "工会委员会会议记录第3号", "approval_date": "2026-03-03"},
    )  # fmt: skip
    service.approve(case_id, "approval", service.staff.by_name(CHAIR).id, True, "同意", CHAIR)
    service.complete_step(case_id, "approval", CHAIR)
    service.save_step(
        case_id, "card", CLERK,
        {"card_no": "gh-620102-0031", "card_date": "2026-03-04", "union_group": "一车间小组"},
    )  # fmt: skip
    service.complete_step(case_id, "card", CLERK)
    service.save_step(
        case_id, "real_name", CLERK, {"entry_date": "2026-03-04", "verification": "已完成实名认证"}
    )
    service.complete_step(case_id, "real_name", CLERK)
    return view.row.number


def test_joined_on_the_day_the_committee_approved_not_the_day_it_was_recorded(
    office, clock, forms, read_pdf
):
    number = admitted_a_day_after_the_committee_met(office, clock)
    data = case_context(office, number)
    assert data.value("step.approval.approved_on").isoformat() == "2026-03-04"  # at the desk
    text = printed_text(forms["membership_application"], data, read_pdf)
    assert membership_dates(text) == ("2026年3月3日", "2026年3月3日")
    assert "发证日期2026年3月4日" in text


def test_the_register_columns_print_and_the_id_number_stays_masked(office, clock, forms, read_pdf):
    number = admitted_a_day_after_the_committee_met(office, clock)
    data = case_context(office, number)
    text = printed_text(forms["membership_application"], data, read_pdf)
    for printed in ("甘肃省榆中县", "大学专科", "助理工程师", "回族", "中共党员", "一车间小组"):
        assert printed in text
    assert "月工资收入4,680.50元" in text
    assert "会员证号GH-620102-0031" in text  # as typed, in capitals
    person = office.cases.view(office.cases.case_id(number)).person
    assert mask_id_number(person.id_number) in text and person.id_number not in text


def test_every_demo_member_joined_on_the_committee_approval_date(demo_office, forms, read_pdf):
    # The demo records each committee decision a working day or more after the meeting.
    rows = demo_office.db.execute(
        "SELECT number FROM cases WHERE number LIKE 'RH-%' AND status = 'closed' ORDER BY id"
    ).fetchall()
    checked = 0
    for (number,) in rows:
        data = case_context(demo_office, number)
        approved = data.value("step.approval.approval_date")
        if approved is None or data.value("step.approval.decision") != "同意":
            continue
        text = printed_text(forms["membership_application"], data, read_pdf)
        assert membership_dates(text) == (chinese_date(approved), chinese_date(approved)), number
        wage = data.value("step.application.monthly_wage")
        if wage is not None:  # cases run by the book before 2026.4 have none
            assert f"{format_fen(wage)}元" in text
            assert data.value("step.application.native_place") in text
        checked += 1
    assert checked >= 3


def test_a_case_of_the_earlier_book_prints_with_the_new_columns_left_to_the_hand(forms, read_pdf):
    # Before 2026.4 the application had no 籍贯, 学历, 职务/职称 or 月工资收入 and the card step
    # no 工会小组: those cells print empty, the dates as before.
    approved = datetime(2025, 6, 3).date()
    data = PrintData(
        values={
            "person.name": "张秀英",
            "step.approval.approval_date": approved,
            "step.approval.opinion": "同意",
            "step.approval.decision": "同意",
            "step.card.card_no": "2025-0031",
        },
        conditions={"eligible": True, "voluntary": True, "approval.approved": True},
    )
    text = printed_text(forms["membership_application"], data, read_pdf)
    assert membership_dates(text) == ("2025年6月3日", "2025年6月3日")
    assert "籍贯月工资收入元" in text  # the row's values empty, the 元 for the hand


def test_the_blank_form_has_the_register_columns(forms, read_pdf):
    text = printed_text(forms["membership_application"], blank_context(), read_pdf)
    for label in (
        "民族", "政治面貌", "学历", "籍贯", "职务/职称", "月工资收入", "身份证号码", "联系电话",
        "用工形式", "入会时间", "会员证号", "发证日期", "所在工会小组",
    ):  # fmt: skip
        assert label in text, label
    assert "入会时间年月日" in text  # a date to write by hand


# --- 审批结果, and the register cells only an admitted member has -----------------------------

NOT_ADMITTED = "入会时间／会员证号／发证日期／所在工会小组／实名认证／录入日期／"


def test_a_refused_membership_ticks_its_refusal_and_strikes_the_register_cells(
    office, clock, forms, read_pdf
):
    # The committee met and said no: its opinion and date print, and nothing that would read
    # as an admission (a 入会时间 under the refusal) does.
    values = {**REGISTER, "apply_date": "2026-03-02"}
    view = run_case(
        office, clock, "ZZ-02", {"person_id": make_person(office)},
        values=values, approvals={"approval": False},
    )  # fmt: skip
    data = case_context(office, view.row.number)
    assert data.value("step.approval.decision") == "不同意"
    text = printed_text(forms["membership_application"], data, read_pdf)
    assert "审批结果□同意■不同意" in text
    assert NOT_ADMITTED in text
    assert re.search("入会时间" + DATE, text) is None
    assert re.search("工会主席签字：" + DATE, text)  # the day the committee decided


def test_an_application_refused_at_review_strikes_the_register_cells_too(
    office, clock, forms, read_pdf
):
    values = {**REGISTER, "apply_date": "2026-03-02", "wage_main_income": False}
    view = run_case(office, clock, "ZZ-02", {"person_id": make_person(office)}, values=values)
    data = case_context(office, view.row.number)
    assert data.conditions["eligible"] is False
    text = printed_text(forms["membership_application"], data, read_pdf)
    assert "审批结果□同意□不同意" in text  # the committee never decided: nothing ticked
    assert NOT_ADMITTED in text


def test_an_approval_date_typed_before_the_decision_is_not_yet_a_joining_date(
    office, clock, forms, read_pdf
):
    values = {**REGISTER, "apply_date": "2026-03-02"}
    view = run_case(
        office, clock, "ZZ-02", {"person_id": make_person(office)},
        values=values, stop_before="approval",
    )  # fmt: skip
    clock.now = datetime(2026, 3, 4, 10, 0)
    entries = {"committee_record": "工会委员会会议记录第3号", "approval_date": "2026-03-03"}
    office.cases.save_step(view.row.id, "approval", CHAIR, entries)
    text = printed_text(
        forms["membership_application"], case_context(office, view.row.number), read_pdf
    )
    assert "审批结果□同意□不同意" in text
    assert "入会时间年月日会员证号" in text  # left to the hand, not struck: nothing refused


def test_demo_memberships_tick_the_decision_and_date_only_admissions(demo_office, forms, read_pdf):
    rows = demo_office.db.execute(
        "SELECT number FROM cases WHERE number LIKE 'RH-%' AND status = 'closed' ORDER BY id"
    ).fetchall()
    seen = {"同意": 0, "不同意": 0, "审查不符合": 0}
    for (number,) in rows:
        data = case_context(demo_office, number)
        text = printed_text(forms["membership_application"], data, read_pdf)
        decision = data.value("step.approval.decision")
        if decision == "同意":
            assert "审批结果■同意□不同意" in text, number
            assert re.search("入会时间" + DATE, text) and NOT_ADMITTED not in text, number
        else:
            ticks = "□同意■不同意" if decision == "不同意" else "□同意□不同意"
            assert "审批结果" + ticks in text, number
            assert NOT_ADMITTED in text and re.search("入会时间" + DATE, text) is None, number
        seen[decision or "审查不符合"] += 1
    assert all(seen.values()), seen


def test_a_first_congress_found_invalid_does_not_strike_a_new_applicants_form(forms, read_pdf):
    # 企业建会指导 prints this form for each worker it recruits; its own eligible (was the first
    # congress quorate) says nothing about an applicant, who has no review of their own there.
    data = PrintData(values={}, conditions={"eligible": False, "headcount": 40})
    text = printed_text(forms["membership_application"], data, read_pdf)
    assert NOT_ADMITTED not in text and "入会时间年月日" in text


def test_the_blank_form_leaves_the_decision_to_tick(forms, read_pdf):
    text = printed_text(forms["membership_application"], blank_context(), read_pdf)
    assert "审批结果□同意□不同意" in text and NOT_ADMITTED not in text

"""集体协商要约书 and 要约回应书 as the county union accepts them: the proposal is a letter that
names the topics, the representatives, the data asked for, the day the answer is due and whom to
call; the reply reads by its outcome (an employer that never answered signs nothing) and says so
when the two sides name unequal numbers of representatives (《集体合同规定》第十九、三十二条)."""

from __future__ import annotations

import re
from datetime import datetime
from io import BytesIO

import pytest

from desktop.cases.case_view import view_json
from desktop.cases.engine import StepBlocked
from desktop.printing import blank_context, case_context, render_pdf
from tests.cases.procedure_driver import CHAIR, make_enterprise, run_case


@pytest.fixture
def office(staffed_on_clock):
    return staffed_on_clock


TOPICS_OFF = {
    "topic_pay": True, "topic_hours": False, "topic_rest": False, "topic_safety": True,
    "topic_insurance": False, "topic_women": False, "topic_training": False,
    "topic_contracts": False, "topic_discipline": False, "topic_layoffs": False,
    "topic_other": True, "topic_other_text": "集体合同期限",
}  # fmt: skip
LETTER = {
    **TOPICS_OFF,
    "worker_rep_count": 7,
    "worker_chief": "黄庆春",
    "employer_legal_rep": "周辉华",
    "requested_data": "上年度生产经营状况和职工工资总额",
    "contact_person": "杨娟",
    "contact_phone": "0931-8440995",
    "proposal_date": "2026-03-02",
    "delivered_date": "2026-03-02",
}


def negotiation(office, clock, stop_before, **values):
    firm = make_enterprise(office)
    view = run_case(
        office, clock, "QY-01", {"enterprise_id": firm}, values={**LETTER, **values},
        stop_before=stop_before,
    )  # fmt: skip
    return view.row.number


def printed(form, data, read_pdf) -> str:
    out = BytesIO()
    result = render_pdf(form, data, out)
    assert result.pages == 1
    pdf = read_pdf(out.getvalue())
    return re.sub(r"\s+", "", pdf.text(1))


def test_the_proposal_is_a_letter_with_topics_representatives_data_due_date_and_contact(
    office, clock, forms, read_pdf
):
    number = negotiation(office, clock, "reply")
    text = printed(forms["negotiation_proposal"], case_context(office, number), read_pdf)
    assert "示例恒通机械有限公司（法定代表人：周辉华）：" in text
    assert "■劳动报酬" in text and "■劳动安全与卫生" in text and "□工作时间" in text
    assert "■其他：集体合同期限" in text
    assert "职工方首席代表为黄庆春，协商代表7人" in text
    assert "请贵方同样确定协商代表7人" in text
    assert "上年度生产经营状况和职工工资总额" in text
    # Received on Monday 2 March: the 20th day is Sunday 22 March, so the answer is due on 23.
    assert "20日内（即2026年3月23日前）" in text
    assert "联系人：杨娟联系电话：0931-8440995" in text
    assert "职工方首席代表签字" in text and "签收人" in text


def test_a_proposal_printed_before_it_is_delivered_leaves_the_due_date_to_the_hand(
    office, clock, forms, read_pdf
):
    number = negotiation(office, clock, "proposal")
    text = printed(forms["negotiation_proposal"], case_context(office, number), read_pdf)
    assert "20日内（即年月日前）" in text


def test_a_reply_that_never_came_is_the_unions_record_without_an_employer_signature(
    office, clock, forms, read_pdf
):
    number = negotiation(office, clock, "coordination", reply_result="逾期未回应")
    text = printed(forms["negotiation_reply"], case_context(office, number), read_pdf)
    assert "企业方逾期未回应的记录" in text
    assert "至2026年3月23日回应期限届满，没有以书面形式给予回应" in text
    assert "报告上级工会" in text and "劳动保障行政部门" in text
    assert "职工方首席代表签字" in text
    assert "法定代表人或首席代表签字" not in text
    assert "同意协商" not in text  # no box for the employer to have ticked


def test_a_refusal_prints_its_grounds_under_the_employers_signature(office, clock, forms, read_pdf):
    number = negotiation(
        office, clock, "coordination", reply_result="书面拒绝", refusal_grounds="生产任务重"
    )
    text = printed(forms["negotiation_reply"], case_context(office, number), read_pdf)
    assert "□同意协商■不同意协商" in text
    assert "生产任务重" in text and "不同意进行集体协商，理由如上" in text
    assert "法定代表人或首席代表签字" in text
    assert "企业方首席代表" not in text and "逾期未回应" not in text


def test_unequal_representatives_are_warned_on_the_step_and_noted_on_the_reply(
    office, clock, forms, read_pdf
):
    number = negotiation(
        office, clock, "preparation", worker_rep_count=31, employer_rep_count=25,
        employer_chief="杜怡红",
    )  # fmt: skip
    view = office.cases.view(office.cases.case_id(number))
    [caution] = view.step("reply").cautions
    assert caution.startswith("企业方确定协商代表 25 人，职工方 31 人，双方人数不对等")
    assert view.step("reply").status == "done"  # a warning, not a block
    reply_json = next(s for s in view_json(view)["steps"] if s["id"] == "reply")
    assert reply_json["warnings"] == [caution]
    text = printed(forms["negotiation_reply"], case_context(office, number), read_pdf)
    assert "■同意协商□不同意协商" in text
    assert "企业方确定协商代表25人，职工方31人，双方人数不对等" in text
    assert "《集体合同规定》第十九条" in text


def test_equal_representatives_print_no_note_and_raise_no_warning(office, clock, forms, read_pdf):
    number = negotiation(office, clock, "preparation", employer_rep_count=7)
    view = office.cases.view(office.cases.case_id(number))
    assert view.step("reply").cautions == ()
    text = printed(forms["negotiation_reply"], case_context(office, number), read_pdf)
    assert "不对等" not in text and "说明企业方" not in text
    assert "企业方代表7人职工方代表7人" in text


def test_the_blank_reply_is_the_employers_form(forms, read_pdf):
    text = printed(forms["negotiation_reply"], blank_context(forms["negotiation_reply"]), read_pdf)
    assert "□同意协商□不同意协商" in text
    assert "不同意协商的理由" in text and "法定代表人或首席代表签字" in text
    assert "逾期未回应" not in text and "不对等" not in text


def test_a_proposal_without_any_topic_cannot_go_out(office, clock):
    number = negotiation(office, clock, "topics")
    case_id = office.cases.case_id(number)
    view = office.cases.view(case_id)
    topics = view.procedure.step("topics").fields
    nothing = {spec.id: False for spec in topics if spec.type == "bool"}
    typed = {**nothing, "opinion_method": "座谈会", "opinion_count": 12, "topic_list": "工资增幅"}
    office.cases.save_step(case_id, "topics", CHAIR, typed)
    with pytest.raises(StepBlocked) as blocked:
        office.cases.complete_step(case_id, "topics", CHAIR)
    assert any("各项议题都选了“否”" in item for item in blocked.value.missing)


def test_case_show_tells_the_warning_in_plain_words(office, clock, capsys):
    from desktop.cli.cases import _print_case

    number = negotiation(office, clock, "preparation", worker_rep_count=31, employer_rep_count=25)
    clock.now = datetime(2026, 3, 3, 9)
    _print_case(office.cases.view(office.cases.case_id(number)))
    assert "注意：企业方确定协商代表 25 人，职工方 31 人" in capsys.readouterr().out

"""The public notice (公示) of hardship aid: proposed recipients with their names partly hidden,
the period, where to object; a case whose applicant did not consent is listed by its number."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

import pytest

from desktop.cases.engine import StepBlocked
from desktop.identity import make_id_number
from desktop.office import Office
from desktop.printing.jobs import case_job
from desktop.printing.office_forms import office_forms
from desktop.printing.render import render_pdf
from desktop.registry import clean_person
from tests.cases.procedure_driver import CHAIR, CLERK, make_person, run_case

# Set to a folder to keep the printed notices for a look (pdftoppm).
SAVE_TO = None
NO_ASSETS = {"excluded_assets": False, "visit_conclusion": "情况属实"}
NAMES = {11: "张秀丽", 12: "欧阳娜娜", 13: "李四"}


@pytest.fixture
def office(tmp_path, clock):
    with Office.open(tmp_path / "data") as office:
        office.set_up("示例镇总工会", [(CLERK, "工会专干"), (CHAIR, "工会主席")])
        office.set_contact("0931-8123456", "示例镇人民路 12 号工会办公室")
        office.cases.clock = clock
        yield office


def at_notice(office, clock, sequence: int, **values) -> str:
    """A living-aid case found eligible, its public notice started on Monday 9 March 2026."""
    person = office.registry.add_person(
        clean_person(
            {"name": NAMES[sequence], "household_size": 3, "income_per_head": "600",
             "id_number": make_id_number("620102", date(1978, 4, 9), sequence)},
            date(2026, 1, 1),
        ),
        CLERK, datetime(2026, 1, 1),
    )  # fmt: skip
    view = run_case(
        office, clock, "BF-01", {"person_id": person}, values={**NO_ASSETS, **values},
        stop_before="public_notice",
    )  # fmt: skip
    office.cases.save_step(
        view.row.id, "public_notice", CLERK,
        {"notice_method": "在所在单位公示", "notice_place": "单位公告栏",
         "notice_start": "2026-03-09"},
    )  # fmt: skip
    return view.number


def notice_text(office, numbers, read_pdf) -> str:
    form = office_forms(office).forms["aid_public_notice"]
    out = BytesIO()
    render_pdf(form, case_job(office, form, numbers).build(False), out)
    if SAVE_TO:
        (SAVE_TO / f"notice_{len(numbers)}.pdf").write_bytes(out.getvalue())
    pdf = read_pdf(out.getvalue())
    return "\n".join(pdf.text(n) for n in range(1, len(pdf.pages) + 1))


def test_the_public_notice_step_offers_the_notice(office):
    uses = office_forms(office).used_by("aid_public_notice")
    assert [str(use) for use in uses] == ["困难职工帮扶救助 · 张榜公示"]


def test_a_notice_over_three_cases_hides_names_and_says_where_to_object(office, clock, read_pdf):
    numbers = [at_notice(office, clock, n, amount_requested=amount)
               for n, amount in ((11, 300_000), (12, 250_000))]  # fmt: skip
    hidden = at_notice(office, clock, 13, amount_requested=200_000, consent_publicity=False)
    text = notice_text(office, [*numbers, hidden], read_pdf)
    assert "张*丽" in text and "欧**娜" in text
    assert not any(name in text for name in NAMES.values())
    # Without the consent the case is listed by its number, its name and employer left out.
    assert hidden in text and "李*" not in text
    assert "3,000.00" in text and "2,500.00" in text and "2,000.00" in text
    # Five working days after Monday 9 March (the first day not counted) end on Monday 16 March.
    assert "2026年3月9日至2026年3月16日" in text.replace(" ", "")
    flowing = text.replace("\n", "").replace(" ", "")  # the objection sentence wraps
    assert "联系电话：0931-8123456；地址：示例镇人民路12号工会办公室" in flowing
    assert "示例镇总工会" in text


def test_a_name_without_consent_cannot_go_on_the_notice(office, clock):
    number = at_notice(office, clock, 11, consent_publicity=False)
    case_id = office.cases.case_id(number)
    office.cases.save_step(case_id, "public_notice", CLERK, {"notice_with_name": True,
                           "objection_summary": "公示期满无异议"})  # fmt: skip
    clock.now = datetime(2026, 3, 17, 9, 0)  # the notice has run its five working days
    with pytest.raises(StepBlocked, match="没有书面同意公示，公示名单不能写姓名"):
        office.cases.complete_step(case_id, "public_notice", CLERK)
    # Listed by its number only, the notice goes ahead.
    office.cases.save_step(case_id, "public_notice", CLERK, {"notice_with_name": False})
    office.cases.complete_step(case_id, "public_notice", CLERK)
    assert office.cases.view(case_id).current.id == "approval"


def test_the_notice_prints_the_period_end_from_the_working_calendar(office, clock):
    number = at_notice(office, clock, 11)
    view = office.cases.view(office.cases.case_id(number))
    assert view.step("public_notice").hold_ends.due_date == date(2026, 3, 16)


def application_text(office, number, read_pdf) -> str:
    form = office_forms(office).forms["aid_application"]
    out = BytesIO()
    render_pdf(form, case_job(office, form, [number]).build(False), out)
    if SAVE_TO:
        (SAVE_TO / "application.pdf").write_bytes(out.getvalue())
    pdf = read_pdf(out.getvalue())
    return "\n".join(pdf.text(n) for n in range(1, len(pdf.pages) + 1))


def test_the_three_consents_are_recorded_and_printed_as_three_boxes(office, clock, read_pdf):
    number = at_notice(office, clock, 11, consent_publicity=False)
    recorded = office.cases.view(office.cases.case_id(number)).state.record("application")
    assert {k: v for k, v in recorded.values.items() if k.startswith("consent_")} == {
        "consent_personal_info": True,
        "consent_sensitive_info": True,
        "consent_publicity": False,
    }
    text = application_text(office, number, read_pdf).replace(" ", "")
    assert "1.同意处理个人信息：■是□否" in text
    assert "2.同意处理敏感信息：■是□否" in text
    assert "3.同意公示：□是■否" in text
    # The promise and each consent are signed on their own.
    assert text.count("申请人签字：") == 1 and text.count("签字：") == 6  # and two 负责人签字
    assert "第1页共1页" in text


@pytest.mark.parametrize(
    ("field", "word"),
    [("consent_personal_info", "个人信息"), ("consent_sensitive_info", "健康、残疾、收入")],
)
def test_without_consent_to_process_the_application_cannot_be_taken(office, clock, field, word):
    person = make_person(office)
    with pytest.raises(StepBlocked, match=f"没有书面同意工会处理{word}"):
        run_case(office, clock, "BF-01", {"person_id": person}, values={**NO_ASSETS, field: False})


def test_a_consent_corrected_to_no_reopens_the_application_and_blocks_it(office, clock):
    number = at_notice(office, clock, 11)
    case_id = office.cases.case_id(number)
    sent_back = office.cases.correct_step(
        case_id, "application", CLERK, "申请人撤回敏感个人信息处理同意",
        {"consent_sensitive_info": False},
    )  # fmt: skip
    assert [step.id for step in sent_back][0] == "application"
    with pytest.raises(StepBlocked, match="敏感个人信息"):
        office.cases.complete_step(case_id, "application", CLERK)

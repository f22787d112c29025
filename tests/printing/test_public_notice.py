"""The public notice (公示) of hardship aid: proposed recipients with their names partly hidden,
the period, where to object; a case whose applicant did not consent is listed by its number."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from io import BytesIO

import pytest

from desktop.cases.engine import StepBlocked
from desktop.cli import main
from desktop.identity import make_id_number
from desktop.office import BATCH_ACTION, NOTICE_BATCH_ACTION, Office
from desktop.printing.jobs import MixedPeriods, UnpayableCases, case_job
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


def at_notice(
    office,
    clock,
    sequence: int,
    start: str = "2026-03-09",
    method: str = "在所在单位公示",
    **values,
) -> str:
    """A living-aid case found eligible, its public notice started on ``start`` (by default
    Monday 9 March 2026)."""
    name = NAMES.get(sequence) or many_names(sequence)
    person = office.registry.add_person(
        clean_person(
            {"name": name, "household_size": 3, "income_per_head": "600",
             "id_number": make_id_number("620102", date(1978, 4, 9), sequence)},
            date(2026, 1, 1),
        ),
        CLERK, datetime(2026, 1, 1),
    )  # fmt: skip
    view = run_case(
        office, clock, "BF-01", {"person_id": person}, values={**NO_ASSETS, **values},
        stop_before="public_notice",
    )  # fmt: skip
    notice = {"notice_method": method, "notice_place": "单位公告栏"}
    if start:
        notice["notice_start"] = start
    office.cases.save_step(view.row.id, "public_notice", CLERK, notice)
    return view.number


def many_names(sequence: int) -> str:
    """王建华, 李秀英, …: a different name for each of the many rows of a long notice."""
    surnames, given = "王李赵刘陈杨黄周吴孙", ["建华", "秀英", "志强", "桂兰", "国庆"]
    return surnames[sequence % 10] + given[sequence // 10 % 5]


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
    flowing = text.replace("\n", "").replace(" ", "")  # the sentences wrap
    assert "公示期不少于5个工作日（张榜当天不计）：2026年3月9日至2026年3月16日" in flowing
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
    # Besides them two 负责人签字 and the 受理人's own 签字.
    assert text.count("申请人签字：") == 1 and text.count("签字：") == 7
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


def notice_form(office):
    return office_forms(office).forms["aid_public_notice"]


def test_a_notice_is_numbered_as_a_batch_on_every_page_and_on_each_case(office, clock, read_pdf):
    # 25 cases to a notice that runs over pages; posted on a day after all of them reached it.
    numbers = [at_notice(office, clock, n, start="2026-03-30") for n in range(20, 45)]
    form = notice_form(office)
    job = case_job(office, form, numbers)
    assert job.batch == "GS-2026-001"
    out = BytesIO()
    result = render_pdf(form, job.build(False), out)
    if SAVE_TO:
        (SAVE_TO / "notice_25.pdf").write_bytes(out.getvalue())
    pdf = read_pdf(out.getvalue())
    assert result.pages >= 2
    for page in range(1, result.pages + 1):
        found = re.findall(r"编号：(GS-\d{4}-\d{3})", pdf.text(page).replace(" ", ""))
        assert found == ["GS-2026-001", "GS-2026-001"]  # under the title and at the foot

    # The same cases in another order: a reprint, the same number, nothing new recorded.
    assert case_job(office, form, list(reversed(numbers))).batch == "GS-2026-001"
    smaller = case_job(office, form, numbers[:3])
    assert smaller.batch == "GS-2026-002"
    assert (
        smaller.build(False).notices[0].endswith("已列入过本表的其他批次，请核对，不要重复公示。")
    )
    view = office.cases.view(office.cases.case_id(numbers[0]))
    listed = [
        (e.action, e.field, e.new_value)
        for e in view.timeline
        if e.action in (BATCH_ACTION, NOTICE_BATCH_ACTION)
    ]
    assert listed == [
        (NOTICE_BATCH_ACTION, "困难职工帮扶救助公示", "GS-2026-001（共 25 件）"),
        (NOTICE_BATCH_ACTION, "困难职工帮扶救助公示", "GS-2026-002（共 3 件）"),
    ]


def test_the_period_follows_the_steps_hold_over_national_day(office, clock, read_pdf):
    number = at_notice(office, clock, 11, start="2026-09-29")
    text = notice_text(office, [number], read_pdf).replace(" ", "").replace("\n", "")
    # Five working days after Tuesday 29 September: the 30th, then 国庆 and 中秋 are off from 1
    # to 7 October, and 8, 9, Saturday 10 (worked in exchange) and Monday 12 October count.
    assert "公示期不少于5个工作日（张榜当天不计）：2026年9月29日至2026年10月12日。" in text
    # The notice is stamped on the day it goes up.
    assert text.count("2026年9月29日") == 2
    view = office.cases.view(office.cases.case_id(number))
    assert view.step("public_notice").step.hold.text == "5 个工作日"


def test_cases_posted_over_different_days_are_refused_by_period(office, clock):
    together = [at_notice(office, clock, n) for n in (11, 12)]
    later = at_notice(office, clock, 13, start="2026-03-10")
    form = notice_form(office)
    with pytest.raises(MixedPeriods) as caught:
        case_job(office, form, [together[0], later, together[1]])
    message = str(caught.value)
    assert message.startswith("这 3 件案件的公示期不同，不能印在同一张“困难职工帮扶救助公示”上：\n")
    assert (
        f"  · 2026年3月9日至2026年3月16日（5 个工作日）：{together[0]}、{together[1]}\n"
        f"  · 2026年3月10日至2026年3月17日（5 个工作日）：{later}\n"
        "一张公示只有一个公示期。请按公示期分组，每组的案件各打印一张；"
        "“公示开始日期”填错的，先在“张榜公示”一步改正再打印。"
    ) in message
    # Nothing was numbered for a notice that did not print; each group prints on its own.
    ids = [office.cases.case_id(n) for n in [*together, later]]
    assert office.earlier_batches("aid_public_notice", ids) == {}
    assert case_job(office, form, together).batch == "GS-2026-001"
    assert case_job(office, form, [later]).batch == "GS-2026-002"


def test_cases_not_yet_posted_are_refused_with_their_reasons(office, clock):
    posted = at_notice(office, clock, 11)
    undated = at_notice(office, clock, 12, start="")
    internal = at_notice(office, clock, 13, method="工会委员会内部通报（经工会主席批准）")
    visiting = run_case(
        office, clock, "BF-01", {"person_id": make_person(office, sequence=21)},
        values=NO_ASSETS, stop_before="eligibility",
    ).number  # fmt: skip
    with pytest.raises(UnpayableCases) as caught:
        case_job(office, notice_form(office), [posted, undated, internal, visiting])
    message = str(caught.value)
    assert message.startswith("以下 3 件案件不能列入“困难职工帮扶救助公示”：\n")
    assert (
        f"  · {undated}（欧阳娜娜）：“张榜公示”一步还没有填写“公示开始日期”，公示期无从算起\n"
        f"  · {internal}（李四）：按“张榜公示”一步登记的情况，不打印“困难职工帮扶救助公示”\n"
        f"  · {visiting}（张秀英）：还没有办到“张榜公示”\n"
    ) in message
    assert posted not in message
    assert caught.value.numbers == (undated, internal, visiting)


def test_the_command_line_refuses_a_notice_over_different_periods(office, clock, tmp_path, capsys):
    first = at_notice(office, clock, 11)
    second = at_notice(office, clock, 12, start="2026-03-10")
    out = tmp_path / "公示.pdf"
    args = ["--data-dir", str(tmp_path / "data"), "print", "aid_public_notice", "-o", str(out)]
    code = main([*args, "--case", first, "--case", second])
    captured = capsys.readouterr()
    assert (code, captured.out) == (1, "")
    assert captured.err.startswith("错误：这 2 件案件的公示期不同")
    assert f"2026年3月10日至2026年3月17日（5 个工作日）：{second}" in captured.err
    assert not out.exists()
    code = main([*args, "--case", second, "--json"])
    assert code == 0
    assert re.fullmatch(r"GS-\d{4}-001", json.loads(capsys.readouterr().out)["batch"])

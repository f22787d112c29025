"""Payment sheets list only cases that may be paid, and each printed sheet has a batch number:
kept with its cases, on their records, on every page, and again when the same cases print."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO

import pytest

from desktop.office import BATCH_ACTION, Office
from desktop.printing.jobs import (
    PrintRequestError,
    UnpayableCases,
    blank_job,
    case_job,
    signoff_source,
)
from desktop.printing.office_forms import office_forms
from desktop.printing.render import render_pdf
from tests.cases.procedure_driver import AUDITOR, CHAIR, CLERK, make_person, run_case

NOW = datetime(2026, 1, 1, 9, 0)
NO_ASSETS = {"excluded_assets": False, "visit_conclusion": "情况属实"}


@pytest.fixture
def office(tmp_path, clock):
    with Office.open(tmp_path / "data") as office:
        office.set_up("示例镇总工会", [(CLERK, "工会专干"), (CHAIR, "工会主席")])
        office.staff.repo.add(AUDITOR, "经费审查委员", frozenset({"审核"}), CLERK, NOW)
        office.cases.clock = clock
        yield office


def aid_case(office, clock, sequence: int, **kwargs) -> str:
    person = make_person(office, income=kwargs.pop("income", "600"), sequence=sequence)
    values = {**NO_ASSETS, **kwargs.pop("values", {})}
    view = run_case(office, clock, "BF-01", {"person_id": person}, values=values, **kwargs)
    return view.number


@pytest.fixture
def approved(office, clock) -> list[str]:
    """Three living-aid cases approved and waiting at their payment."""
    return [aid_case(office, clock, n, stop_before="payment") for n in (11, 12, 13)]


def sheet(office):
    return office_forms(office).forms["aid_payment_signoff"]


def test_cases_that_may_not_be_paid_are_refused_with_their_reasons(office, clock, approved):
    person = make_person(office, sequence=21)
    waiting = office.cases.open_case("BF-01", CLERK, person_id=person).number
    refused = aid_case(office, clock, 22, approvals={"approval": False})
    not_eligible = aid_case(office, clock, 23, income="5000")
    stopped = office.cases.open_case("BF-01", CLERK, person_id=make_person(office, sequence=24))
    office.cases.terminate(stopped.id, "申请人撤回申请", CLERK)
    new_family = aid_case(
        office, clock, 25, values={"has_hardship_file": False}, stop_before="county_review"
    )
    asked = [approved[0], waiting, refused, not_eligible, stopped.number, new_family]
    with pytest.raises(UnpayableCases) as caught:
        case_job(office, sheet(office), asked)
    message = str(caught.value)
    assert message.startswith("以下 5 件案件不能列入“帮扶救助金发放签领表”：\n")
    for number, reason in [
        (waiting, "尚未审批"),
        (refused, "审批不同意"),
        (not_eligible, "资格认定为不符合条件"),
        (stopped.number, "已终止办理"),
        (new_family, "尚未上级工会复核（新建档家庭）"),
    ]:
        assert f"  · {number}（张秀英）：{reason}\n" in message
    assert approved[0] not in message
    assert caught.value.numbers == (waiting, refused, not_eligible, stopped.number, new_family)
    # Nothing was numbered for a sheet that did not print.
    assert office.earlier_batches("aid_payment_signoff", [office.cases.case_id(approved[0])]) == {}


def test_a_paid_case_prints_again(office, clock):
    paid = aid_case(office, clock, 31)  # run to the end: paid and visited
    assert office.cases.view(office.cases.case_id(paid)).state.record("payment").status == "done"
    assert case_job(office, sheet(office), [paid]).batch == "FF-2026-001"


def test_each_sheet_gets_the_next_batch_number_and_a_reprint_keeps_its_own(
    office, clock, approved, read_pdf
):
    form = sheet(office)
    first = signoff_source(office, form, approved[:2])
    assert first.number == "FF-2026-001"
    # The same cases again, in another order: a reprint, the same batch, nothing recorded.
    again = signoff_source(office, form, [approved[1], approved[0]])
    assert again.number == "FF-2026-001"
    third = signoff_source(office, form, approved)
    assert third.number == "FF-2026-002"
    # The other sheet counts on its own.
    condolence = office_forms(office).forms["condolence_signoff"]
    assert condolence.batch_prefix == "WF"

    for number in approved[:2]:
        view = office.cases.view(office.cases.case_id(number))
        listed = [e for e in view.timeline if e.action == BATCH_ACTION]
        assert [(e.field, e.new_value) for e in listed] == [
            ("帮扶救助金发放签领表", "FF-2026-001（共 2 件）"),
            ("帮扶救助金发放签领表", "FF-2026-002（共 3 件）"),
        ]
        assert all(e.actor == CLERK for e in listed)

    # Cases listed before are named, so the money does not go out twice.
    data = third.build(False)
    assert data.notices == [
        f"{approved[0]}（FF-2026-001）、{approved[1]}（FF-2026-001）"
        "已列入过本表的其他批次，请核对，不要重复发放。"
    ]
    out = BytesIO()
    result = render_pdf(form, data, out)
    assert data.notices[0] in result.warnings
    pdf = read_pdf(out.getvalue())
    for page in range(1, result.pages + 1):
        text = pdf.text(page)
        assert text.count("编号：FF-2026-002") == 2  # under the title and at the foot


def test_batches_are_counted_per_year(office, clock, approved):
    form = sheet(office)
    assert signoff_source(office, form, approved[:1]).number == "FF-2026-001"
    clock.now = datetime(2027, 1, 4, 9, 0)
    assert signoff_source(office, form, approved[1:2]).number == "FF-2027-001"
    # A reprint next year keeps the number it was given.
    assert signoff_source(office, form, approved[:1]).number == "FF-2026-001"


def test_a_blank_sheet_has_no_batch_but_a_line_to_write_one(office, read_pdf):
    form = sheet(office)
    job = blank_job(office, form)
    assert job.batch == "" and job.number == ""
    out = BytesIO()
    render_pdf(form, job.build(False), out)
    text = read_pdf(out.getvalue()).text(1)
    assert "编号：________" in text and "FF-" not in text


def test_a_sheet_without_a_batch_prefix_is_named_by_its_cases(office, approved):
    from dataclasses import replace

    form = replace(sheet(office), batch_prefix="")
    job = case_job(office, form, approved[:2])
    assert job.batch == "" and job.number == f"{approved[0]} 等 2 件"


def test_a_batch_that_cannot_be_recorded_stops_the_print(office, approved, monkeypatch):
    from desktop.errors import DiskFull

    def full(*_args, **_kwargs):
        raise DiskFull("磁盘已满")

    monkeypatch.setattr(office.batches, "create", full)
    with pytest.raises(PrintRequestError, match="批次号无法登记，没有打印：磁盘已满"):
        case_job(office, sheet(office), approved[:1])


def test_training_help_is_refused_as_paying_no_money_not_as_unfinished(office, clock):
    # 职业培训与就业帮扶 recommends training or a job: it is never approved, so never paid. The
    # clerk is told so, not that the case has yet to reach “发放”, whether it is closed or open.
    closed = run_case(
        office, clock, "BF-04", {"person_id": make_person(office, sequence=41)}, values=NO_ASSETS
    )
    assert closed.row.status == "closed" and closed.state.record("payment").status == "skipped"
    just_opened = office.cases.open_case("BF-04", CLERK, person_id=make_person(office, sequence=42))
    with pytest.raises(UnpayableCases) as caught:
        case_job(office, sheet(office), [closed.number, just_opened.number])
    message = str(caught.value)
    for number in (closed.number, just_opened.number):
        reason = "职业培训与就业帮扶不发放钱款，“发放”一步不适用于这类案件"
        assert f"  · {number}（张秀英）：{reason}\n" in message
    assert "还没有办到" not in message
    # The public notice says the same of its own step, without speaking of money.
    notice = office_forms(office).forms["aid_public_notice"]
    with pytest.raises(UnpayableCases, match="“张榜公示”一步不适用于职业培训与就业帮扶案件"):
        case_job(office, notice, [closed.number])


def test_an_open_living_aid_case_is_still_waiting_for_the_payment(office, clock):
    waiting = aid_case(office, clock, 43, stop_before="approval")
    with pytest.raises(UnpayableCases) as caught:
        case_job(office, sheet(office), [waiting])
    assert "不发放钱款" not in str(caught.value) and "尚未审批" in str(caught.value)

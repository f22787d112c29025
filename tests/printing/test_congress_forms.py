"""The 会员（代表）大会 notice and sign-in sheet: each kind of meeting in its own words (a first
congress is convened by the 筹备组, not a 工会委员会 that does not exist yet), the expected
attendance that fits the union, and a contact and phone on every notice."""

from __future__ import annotations

import json
import re
from io import BytesIO

import pytest

from desktop.cases import engine
from desktop.cli import main
from desktop.printing import case_context, render_pdf
from desktop.printing.jobs import PrintRequestError, case_job
from desktop.store.case_repo import CaseFilter
from tests.cases.procedure_driver import CHAIR, CLERK, make_enterprise, run_case


@pytest.fixture
def office(staffed_on_clock):
    return staffed_on_clock


CONGRESS_STEPS = {  # procedure → (step printing the notice, expected field, present field)
    "members_congress": ("notice", "expected_count", "present_count"),
    "re_election": ("notice", "expected_count", "present_count"),
    "union_formation": ("first_congress", "congress_expected", "congress_present"),
}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def printed(form, data, read_pdf) -> str:
    out = BytesIO()
    render_pdf(form, data, out)
    pdf = read_pdf(out.getvalue())
    return squeeze("".join(pdf.text(n) for n in range(1, len(pdf.pages) + 1)))


@pytest.fixture(scope="module")
def congresses(demo_office):
    """Every demo case whose notice step is done, by procedure: (number, its values)."""
    found: dict[str, list[tuple[str, dict]]] = {p: [] for p in CONGRESS_STEPS}
    for row in demo_office.cases.list_cases(CaseFilter(), limit=-1):
        if row.procedure_id not in CONGRESS_STEPS:
            continue
        view = demo_office.cases.view(row.id, with_record=False)
        notice_step = CONGRESS_STEPS[row.procedure_id][0]
        if view.state.record(notice_step).status == engine.DONE:
            found[row.procedure_id].append((row.number, view.state.values()))
    assert all(found.values()), {p: len(c) for p, c in found.items()}
    return found


def test_first_congress_notice_is_the_preparatory_groups(forms, demo_office, congresses, read_pdf):
    number, values = congresses["union_formation"][0]
    text = printed(forms["congress_notice"], case_context(demo_office, number), read_pdf)
    assert "工会筹备组定于" in text and text.count("筹备组") >= 3  # convenes, takes leave, signs
    assert "工会委员会研究" not in text
    assert "选举产生第一届工会委员会和经费审查委员会" in text
    assert values["congress_phone"] in text  # whole: members ring it to excuse themselves
    assert values["congress_contact"] in text
    signin = printed(forms["congress_signin"], case_context(demo_office, number), read_pdf)
    assert "召开单位：" in signin and "工会筹备组" in signin and "第一次会员大会" in signin
    assert "工会委员会" not in signin


def assert_convened_by_the_preparatory_group(forms, office, number, read_pdf) -> str:
    data = case_context(office, number)
    text = printed(forms["congress_notice"], data, read_pdf)
    firm = data.value("enterprise.name")
    assert f"{firm}工会筹备组定于" in text, number
    assert "工会委员会研究" not in text and "向工会委员会联系人" not in text, number
    assert "听取和审议工会筹备组关于筹备工作的报告" in text and "向筹备组联系人" in text, number
    assert text.split("特此通知。")[1].startswith(f"{firm}工会筹备组"), number  # the signature
    signin = printed(forms["congress_signin"], data, read_pdf)
    assert f"召开单位：{firm}工会筹备组" in signin and f"{firm}工会第一次" in signin, number
    assert "工会委员会" not in signin, number
    return text


def test_every_union_formation_notice_is_the_preparatory_groups_whatever_its_approval(
    forms, demo_office, read_pdf
):
    # Still waiting for the 上级工会 (JH-2026-0009), refused (JH-2026-0003), put off before a
    # 筹备组 was formed (JH-2026-0007): there is no 工会委员会 to convene or sign in any of them.
    approvals: dict[object, int] = {}
    for row in demo_office.cases.list_cases(CaseFilter(), limit=-1):
        if row.procedure_id != "union_formation":
            continue
        text = assert_convened_by_the_preparatory_group(forms, demo_office, row.number, read_pdf)
        approved = demo_office.cases.view(row.id).state.values()["prep_approval.approved"]
        # Only an approved 筹备组 may say the 上级工会 approved it.
        assert ("经上级工会批准" in text) == (approved is True), row.number
        approvals[approved] = approvals.get(approved, 0) + 1
    assert set(approvals) == {True, False, None}, approvals


def test_a_union_formation_case_just_opened_prints_the_preparatory_groups_notice(
    office, forms, read_pdf
):
    firm = make_enterprise(office, headcount=40, members=0)
    case = office.cases.open_case("ZZ-01", CLERK, enterprise_id=firm)
    assert office.cases.view(case.id).current.id == "survey"
    assert_convened_by_the_preparatory_group(forms, office, case.number, read_pdf)


def signin_rows_per_page(result) -> list[int]:
    pages = [0] * result.pages
    for record in result.cells:
        if re.fullmatch(r"row\[\d+\]\.serial", record.name):
            pages[record.page - 1] += 1
    return pages


@pytest.fixture(scope="module")
def largest_congress(demo_office, congresses) -> tuple[str, int]:
    """The demo congress expecting the most people (a 会员大会 of a large union): its number
    and 应到人数."""
    expected = {
        number: values[CONGRESS_STEPS[procedure_id][1]]
        for procedure_id, cases in congresses.items()
        for number, values in cases
    }
    number = max(expected, key=expected.get)
    return number, expected[number]


def test_a_filled_sign_in_sheet_has_a_row_for_everyone_expected(
    forms, demo_office, largest_congress, read_pdf
):
    number, expected = largest_congress
    assert expected > 60  # more than two pages of rows
    out = BytesIO()
    result = render_pdf(forms["congress_signin"], case_context(demo_office, number), out)
    counts = signin_rows_per_page(result)
    assert sum(counts) >= expected and result.pages >= 3
    # The last page is filled for whoever else attends, not given a page of its own.
    assert sum(counts) - expected < counts[-1] and counts[-1] >= 3
    pdf = read_pdf(out.getvalue())
    for page in range(1, result.pages + 1):
        text = squeeze(pdf.raw_text(page))
        assert "序号" in text and "本人签字" in text, page  # the header row on every page
        assert f"第{page}页共{result.pages}页" in text
        assert ("主持人：" in text) == (page == result.pages)  # signatures under the last rows


def test_a_blank_sign_in_sheet_is_one_page_and_its_rows_as_asked(forms, read_pdf):
    from desktop.printing import blank_context

    form = forms["congress_signin"]
    assert render_pdf(form, blank_context(form), BytesIO()).pages == 1
    result = render_pdf(form, blank_context(form, rows=45), BytesIO())
    assert sum(signin_rows_per_page(result)) == 45


def test_rows_asked_for_a_case_are_printed_but_never_fewer_than_expected(
    forms, demo_office, largest_congress
):
    number, expected = largest_congress
    form = forms["congress_signin"]
    with pytest.raises(PrintRequestError) as refused:
        case_job(demo_office, form, [number], rows=expected - 1)
    assert f"应到 {expected} 人" in str(refused.value) and f"{expected} 以上" in str(refused.value)
    job = case_job(demo_office, form, [number], rows=expected + 30)
    result = render_pdf(form, job.build(False), BytesIO())
    assert sum(signin_rows_per_page(result)) == expected + 30


def test_re_election_and_ordinary_notices_speak_of_the_committee(
    forms, demo_office, congresses, read_pdf
):
    number, values = congresses["re_election"][0]
    text = printed(forms["congress_notice"], case_context(demo_office, number), read_pdf)
    assert "换届选举" in text and "差额选举产生新一届工会委员会" in text
    assert "筹备组" not in text
    assert values["contact_phone"] in text and values["contact_person"] in text
    number, values = congresses["members_congress"][0]
    text = printed(forms["congress_notice"], case_context(demo_office, number), read_pdf)
    assert "工会委员会研究" in text and "筹备组" not in text and "换届选举" not in text
    assert values["contact_phone"] in text
    year, month, day = values["notice_date"].split("-")
    assert f"{int(year)}年{int(month)}月{int(day)}日" in text  # the date of issue


def test_demo_congresses_expect_the_whole_membership_at_a_members_assembly(demo_office, congresses):
    checked = 0
    for procedure_id, cases in congresses.items():
        _step, expected_field, present_field = CONGRESS_STEPS[procedure_id]
        for number, values in cases:
            members = values.get("member_count", values["enterprise.member_count"])
            if values["meeting_type"] == "会员大会" and members:
                assert values[expected_field] == members, number
                checked += 1
            if values.get("eligible") and values.get(present_field) is not None:
                assert values[present_field] * 3 >= values[expected_field] * 2, number
    assert checked >= 20


def test_demo_congresses_raise_no_warning_but_an_unregistered_membership(demo_office, congresses):
    for cases in congresses.values():
        for number, _values in cases:
            state = demo_office.cases.view(demo_office.cases.case_id(number)).state
            for step in state.procedure.steps:
                said = engine.cautions(state, step)
                assert all("还没有登记会员人数" in s for s in said), (number, said)


def show(capsys, office, number, *extra):
    assert main(["--data-dir", str(office.data_dir), "case", "show", number, *extra]) == 0
    return capsys.readouterr().out


def test_a_members_assembly_expecting_fewer_than_its_members_is_warned(office, clock, capsys):
    firm = make_enterprise(office, headcount=120, members=91, status="已建会")
    view = run_case(
        office, clock, "ZZ-03", {"enterprise_id": firm},
        values={"meeting_type": "会员大会"}, stop_before="delegates",
    )  # fmt: skip
    assert view.state.record("delegates").values["expected_count"] == 91  # the members
    office.cases.save_step(view.id, "delegates", CHAIR, {"expected_count": 15})
    delegates = office.cases.view(view.id).step("delegates")
    (warning,) = delegates.cautions
    assert "会员 91 人" in warning and "应到人数是 15 人" in warning and "改为 91" in warning
    shown = json.loads(show(capsys, office, view.row.number, "--json"))
    step = next(s for s in shown["steps"] if s["id"] == "delegates")
    assert step["warnings"] == [warning]
    assert f"注意：{warning}" in show(capsys, office, view.row.number)
    # A warning, not a block: the office may know better (members who left last week).
    rules = "无记名投票，过半数当选。"
    entries = {"send_observer": False, "election_rules_summary": rules}
    office.cases.save_step(view.id, "delegates", CHAIR, entries)
    assert not office.cases.missing(view.id, "delegates")
    office.cases.save_step(view.id, "delegates", CHAIR, {"expected_count": 91})
    assert office.cases.view(view.id).step("delegates").cautions == ()


def test_a_delegates_congress_outside_the_quota_band_is_warned(office, clock):
    firm = make_enterprise(office, headcount=300, members=240, status="已建会")
    view = run_case(
        office, clock, "ZZ-03", {"enterprise_id": firm},
        values={"meeting_type": "会员代表大会"}, stop_before="delegates",
    )  # fmt: skip
    office.cases.save_step(view.id, "delegates", CHAIR, {"expected_count": 120})
    (warning,) = office.cases.view(view.id).step("delegates").cautions
    assert "40 至 60 名" in warning and "120 人" in warning
    office.cases.save_step(view.id, "delegates", CHAIR, {"expected_count": 50})
    assert office.cases.view(view.id).step("delegates").cautions == ()


def test_a_re_election_notice_before_the_plan_is_approved_is_still_a_re_election_notice(
    office, clock, forms, read_pdf
):
    firm = make_enterprise(office, headcount=150, members=120, status="已建会")
    view = run_case(
        office, clock, "ZZ-05", {"enterprise_id": firm},
        values={"meeting_type": "会员大会"}, stop_before="plan_review",
    )  # fmt: skip
    text = printed(forms["congress_notice"], case_context(office, view.row.number), read_pdf)
    assert "换届选举会员大会" in text and "报上级工会审批中" in text
    assert "报上级工会批准" not in text and "工会____" not in text
    assert "差额选举产生新一届工会委员会" in text
    signin = printed(forms["congress_signin"], case_context(office, view.row.number), read_pdf)
    assert "换届选举会员大会" in signin


def test_no_notice_is_filled_for_a_union_that_will_hold_no_first_congress(forms, demo_office):
    rows = demo_office.db.execute(
        "SELECT number FROM cases WHERE procedure_id = 'union_formation' ORDER BY id"
    ).fetchall()
    skipped = [
        number
        for (number,) in rows
        if demo_office.cases.view(demo_office.cases.case_id(number)).step("first_congress").status
        == engine.SKIPPED
    ]
    assert skipped, "the demo has a union formation refused or put off"
    for number in skipped:
        with pytest.raises(PrintRequestError, match="“召开首次会员大会”一步不适用"):
            case_job(demo_office, forms["congress_notice"], [number])

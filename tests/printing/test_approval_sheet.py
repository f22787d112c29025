"""The approval sheet reads right for every outcome: approved, refused by the chair, found not
eligible, not yet decided, and blank."""

from __future__ import annotations

import re
from io import BytesIO

import pytest

from desktop.money import format_fen
from desktop.printing import blank_context, case_context, render_pdf
from desktop.printing.context import eligibility_finding


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def sheet_text(form, data, read_pdf) -> str:
    out = BytesIO()
    result = render_pdf(form, data, out)
    pdf = read_pdf(out.getvalue())
    return squeeze("".join(pdf.text(p) for p in range(1, result.pages + 1)))


def opinion(form, data) -> str:
    """The clerk's opinion as printed in its cell (the page's text interleaves its label)."""
    result = render_pdf(form, data, BytesIO())
    cell = next(c for c in form.rows if c.cells[0].label == "经办人意见").cells[1]
    return "".join(squeeze(r.text) for r in result.cells if r.name == cell.where)


@pytest.fixture(scope="module")
def outcomes(demo_office):
    """A 生活救助 demo case of each outcome at the office's approval step."""
    found: dict[str, int] = {}
    rows = demo_office.db.execute(
        "SELECT id FROM cases WHERE procedure_id = 'hardship_aid' AND kind = '生活救助' ORDER BY id"
    ).fetchall()
    for (case_id,) in rows:
        state = demo_office.cases.view(case_id).state
        eligibility = state.record("eligibility").eligibility
        decided = state.record("approval").approval
        if eligibility is None:
            continue
        if not eligibility["eligible"]:
            found.setdefault("not_eligible", case_id)
        elif decided is None:
            found.setdefault("undecided", case_id)
        elif decided["approved"]:
            found.setdefault("approved", case_id)
        else:
            found.setdefault("refused", case_id)
    if "undecided" not in found:
        # The demo's random history need not leave a case waiting for the chair: make one.
        from datetime import datetime

        from tests.cases.procedure_driver import make_person, run_case
        from tests.conftest import Clock

        clock = Clock(datetime(2026, 11, 2, 9, 0))
        demo_office.cases.clock = clock
        person = make_person(demo_office, sequence=97)
        values = {"excluded_assets": False, "visit_conclusion": "情况属实"}
        waiting = run_case(demo_office, clock, "BF-01", {"person_id": person}, values=values,
                           stop_before="approval")  # fmt: skip
        found["undecided"] = waiting.row.id
    assert set(found) == {"not_eligible", "undecided", "approved", "refused"}
    return found


def test_an_approved_case_ticks_同意_and_proposes_the_amount(
    demo_office, forms, outcomes, read_pdf
):
    case_id = outcomes["approved"]
    state = demo_office.cases.view(case_id).state
    amount = format_fen(state.record("approval").values["approved_amount"])
    eligibility = state.record("eligibility").eligibility
    text = sheet_text(forms["aid_approval"], case_context(demo_office, case_id), read_pdf)
    assert "审批结果■同意□不同意" in text
    assert f"核定金额{amount}元（人民币大写：" in text
    data = case_context(demo_office, case_id)
    assert opinion(forms["aid_approval"], data) == squeeze(
        f"经入户调查核实，{eligibility_finding(eligibility['reason'])}，"
        f"属{eligibility['level']}，建议给予生活救助{amount}元。"
    )
    assert "认定，" not in text  # not the old 经入户调查和资格认定，相对困难，


def test_a_refused_case_prints_no_amount_and_proposes_no_aid(
    demo_office, forms, outcomes, read_pdf
):
    case_id = outcomes["refused"]
    state = demo_office.cases.view(case_id).state
    amount = state.record("approval").values.get("approved_amount")
    text = sheet_text(forms["aid_approval"], case_context(demo_office, case_id), read_pdf)
    assert "审批结果□同意■不同意核定金额集体研究记录" in text  # the amount cell is empty
    if amount:  # (it may equal the amount applied for, which the sheet does print)
        assert f"核定金额{format_fen(amount)}" not in text
    assert "建议给予" not in text and "给予救助" not in text
    level = state.record("eligibility").eligibility["level"]
    data = case_context(demo_office, case_id)
    assert opinion(forms["aid_approval"], data).endswith(
        f"属{level}，符合认定条件，提请工会主席审批。"
    )


def test_a_case_not_eligible_is_proposed_for_refusal(demo_office, forms, outcomes, read_pdf):
    case_id = outcomes["not_eligible"]
    eligibility = demo_office.cases.view(case_id).state.record("eligibility").eligibility
    text = sheet_text(forms["aid_approval"], case_context(demo_office, case_id), read_pdf)
    finding = squeeze(eligibility_finding(eligibility["reason"]))
    data = case_context(demo_office, case_id)
    assert opinion(forms["aid_approval"], data) == (
        f"经入户调查核实，{finding}，不符合生活救助条件，建议不予救助。"
    )
    assert "建议给予" not in text and "□同意□不同意" in text


def test_before_the_decision_the_amount_and_the_proposal_print(
    demo_office, forms, outcomes, read_pdf
):
    # The clerk prints the sheet for the chair to sign: nothing is refused yet.
    case_id = outcomes["undecided"]
    text = sheet_text(forms["aid_approval"], case_context(demo_office, case_id), read_pdf)
    # The opinion's lines may break anywhere, with the row's label printed between them.
    proposal = opinion(forms["aid_approval"], case_context(demo_office, case_id))
    assert "□同意□不同意" in text and "建议给予生活救助" in proposal


def test_the_notice_period_runs_from_its_start_to_the_end_of_the_hold(
    demo_office, forms, outcomes, read_pdf
):
    view = demo_office.cases.view(outcomes["approved"])
    start = view.state.record("public_notice").values["notice_start"]
    end = view.step("public_notice").hold_ends.due_date
    text = sheet_text(forms["aid_approval"], case_context(demo_office, view.id), read_pdf)
    y, m, d = (int(part) for part in str(start)[:10].split("-"))
    assert f"公示期间{y}年{m}月{d}日至{end.year}年{end.month}月{end.day}日" in text


def test_a_blank_sheet_leaves_the_opinion_and_amounts_to_the_hand(forms, read_pdf):
    form = forms["aid_approval"]
    text = sheet_text(form, blank_context(form), read_pdf)
    assert opinion(form, blank_context(form)) == ""  # no sentence: written by hand
    assert "□同意□不同意" in text
    assert "核定金额元（人民币大写：）" in text
    assert "公示期间年月日至年月日" in text


@pytest.mark.parametrize(
    ("reason", "finding"),
    [
        (
            "家庭月人均收入 600.00 元，低于当地最低生活保障标准 750.00 元，认定为深度困难。"
            "生活救助每户每年不超过 6,000.00 元。",
            "家庭月人均收入 600.00 元，低于当地最低生活保障标准 750.00 元",
        ),
        (
            "家庭月人均收入 1,800.00 元，低于当地最低生活保障标准 750.00 元，学生 李四 当年被"
            " 兰州大学 录取（本科），符合金秋助学条件，认定后纳入建档管理。资助标准：……",
            "家庭月人均收入 1,800.00 元，低于当地最低生活保障标准 750.00 元，学生 李四 当年被"
            " 兰州大学 录取（本科）",
        ),
        (
            "入户调查核实的家庭情况与申报情况不符，不予认定。具体情况见入户调查表。",
            "家庭情况与申报情况不符",
        ),
        (
            "入户调查核实，家庭拥有两套以上住房，按困难职工认定标准一般不予认定。",
            "家庭拥有两套以上住房",
        ),
        ("学生 张三 不是当年录取的新生，不属于金秋助学对象。", "学生 张三 不是当年录取的新生"),
        ("符合条件。", "符合条件"),  # nothing would be left: the sentence as it is
    ],
)
def test_the_finding_is_the_reason_without_its_conclusion(reason, finding):
    assert eligibility_finding(reason) == finding


# --- the county's review of a family not yet on file ---------------------------------------------


def county_cases(office) -> dict[str, int]:
    """A demo case of each: approved with its family on file (no county review), reviewed and
    agreed by the county, and refused by it."""
    found: dict[str, int] = {}
    rows = office.db.execute(
        "SELECT id FROM cases WHERE procedure_id = 'hardship_aid' AND kind = '生活救助' ORDER BY id"
    ).fetchall()
    for (case_id,) in rows:
        state = office.cases.view(case_id).state
        approval = state.record("approval").approval
        county = state.record("county_review").approval
        if approval is None or not approval["approved"]:
            continue
        if state.record("application").values.get("has_hardship_file"):
            found.setdefault("on_file", case_id)
        elif county is not None:
            found.setdefault("county_agreed" if county["approved"] else "county_refused", case_id)
    assert set(found) == {"on_file", "county_agreed", "county_refused"}
    return found


@pytest.fixture(scope="module")
def reviewed(demo_office):
    return county_cases(demo_office)


def test_a_county_refusal_is_on_the_sheet_and_leaves_no_amount_granted(
    demo_office, forms, reviewed, read_pdf
):
    view = demo_office.cases.view(reviewed["county_refused"])
    county = view.state.record("county_review").approval
    amount = format_fen(view.state.record("approval").values["approved_amount"])
    data = case_context(demo_office, view.id)
    out = BytesIO()
    assert render_pdf(forms["aid_approval"], data, out).pages == 1
    text = sheet_text(forms["aid_approval"], data, read_pdf)
    # The chair agreed; the county did not, and said why on the date it decided.
    assert "审批结果■同意□不同意" in text
    assert "县总工会复核□同意■不同意" in text
    assert squeeze(county["opinion"]) in text
    at = view.state.record("county_review").approval["at"][:10]
    y, m, d = (int(part) for part in at.split("-"))
    assert f"复核人签字：{y}年{m}月{d}日" in text
    # Nothing reads as granted: the township's figure is kept only as what it proposed.
    result = render_pdf(forms["aid_approval"], data, BytesIO())
    granted = "".join(squeeze(r.text) for r in result.cells if "不予发放" in r.text)
    assert granted == f"不予发放（县总工会复核不同意；本工会审批时拟定{amount}元）"
    assert not [r for r in result.cells if r.name == "step.approval.approved_amount"]
    assert "人民币大写：" not in text.split("核定金额")[1]


def test_a_county_agreement_ticks_同意_and_grants_the_amount(
    demo_office, forms, reviewed, read_pdf
):
    view = demo_office.cases.view(reviewed["county_agreed"])
    amount = format_fen(view.state.record("approval").values["approved_amount"])
    data = case_context(demo_office, view.id)
    text = sheet_text(forms["aid_approval"], data, read_pdf)
    assert "县总工会复核■同意□不同意" in text
    assert f"核定金额{amount}元（人民币大写：" in text and "不予发放" not in text
    result = render_pdf(forms["aid_approval"], data, BytesIO())
    assert [r for r in result.cells if r.name == "step.approval.approved_amount"]


def test_a_family_on_file_has_no_county_rows(demo_office, forms, reviewed, read_pdf):
    data = case_context(demo_office, reviewed["on_file"])
    text = sheet_text(forms["aid_approval"], data, read_pdf)
    assert "县总工会复核□" not in text and "县总工会复核意见" not in text
    assert "复核人签字" not in text


def test_a_blank_sheet_leaves_the_county_review_to_the_hand(forms, read_pdf):
    form = forms["aid_approval"]
    text = sheet_text(form, blank_context(form), read_pdf)
    assert "县总工会复核□同意□不同意报送复核日期" in text
    assert "县总工会复核意见" in text and "复核人签字：年月日" in text


def test_the_longest_level_prints_on_one_line(forms, read_pdf):
    data = blank_context(forms["aid_approval"])
    data.values["step.eligibility.level"] = "培训就业帮扶对象"
    out = BytesIO()
    render_pdf(forms["aid_approval"], data, out)
    lines = read_pdf(out.getvalue()).text(1).replace(" ", "").splitlines()
    assert any("培训就业帮扶对象" in line for line in lines)

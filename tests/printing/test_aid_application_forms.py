"""The 医疗救助 and 金秋助学 application forms print the hospital stay and bills, and the
student's school, tuition and payment account, as the demo filled them in."""

from __future__ import annotations

import re
from io import BytesIO

from desktop.formatting import format_fen
from desktop.identity import mask_bank_account, mask_id_number
from desktop.printing import case_context, render_pdf


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def printed(form, data, read_pdf, reveal=False):
    out = BytesIO()
    result = render_pdf(form, data, out, reveal_personal=reveal)
    pdf = read_pdf(out.getvalue())
    return result, squeeze("".join(pdf.text(n) for n in range(1, len(pdf.pages) + 1)))


def application(demo_office, number) -> dict:
    view = demo_office.cases.view(demo_office.cases.case_id(number))
    return view.state.record("application").values


def test_medical_aid_application_prints_the_hospital_stay_and_the_bills(
    forms, demo_office, printed_cases, read_pdf
):
    number = printed_cases["medical_aid_application"]
    values = application(demo_office, number)
    result, text = printed(
        forms["medical_aid_application"], case_context(demo_office, number), read_pdf
    )
    assert result.pages == 1
    assert values["hospital"] in text
    year, month, day = values["hospital_out_date"].split("-")
    assert f"{int(year)}年{int(month)}月{int(day)}日" in text
    for field in ("medical_total_cost", "insurance_reimbursed", "self_pay"):
        assert format_fen(values[field]) in text
    # The demo's bills add up: what is self-paid is the bill less what was reimbursed.
    reimbursed = values["insurance_reimbursed"] + (values.get("other_reimbursed") or 0)
    assert values["self_pay"] == values["medical_total_cost"] - reimbursed


def test_golden_autumn_application_prints_the_student_and_a_masked_account(
    forms, demo_office, printed_cases, read_pdf
):
    number = printed_cases["golden_autumn_application"]
    values = application(demo_office, number)
    form = forms["golden_autumn_application"]
    result, text = printed(form, case_context(demo_office, number), read_pdf)
    assert result.pages == 1
    for field in ("major", "payee_name", "payee_bank", "admission_school"):
        assert values[field] in text
    assert format_fen(values["tuition"]) in text
    assert squeeze(mask_bank_account(values["payee_account"])) in text
    assert values["payee_account"] not in text
    assert mask_id_number(values["student_id_number"]) in text
    assert values["student_id_number"] not in text
    whole = case_context(demo_office, number, reveal_personal=True)
    _, revealed = printed(form, whole, read_pdf, reveal=True)
    assert values["payee_account"] in revealed and values["student_id_number"] in revealed

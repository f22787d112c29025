"""The 医疗救助 and 金秋助学 application forms print the hospital stay and bills, the student's
stage, grade, school, tuition and payment account, and the whole household."""

from __future__ import annotations

import re
import shutil
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest

from desktop.formatting import format_fen
from desktop.identity import mask_bank_account, mask_id_number
from desktop.office import Office
from desktop.paths import default_book_dir
from desktop.printing import case_context, render_pdf
from desktop.registry import clean_person
from tests.cases.procedure_driver import CHAIR, CLERK, make_person, run_case
from tests.printing.family import SIX, typed_members


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


# --- 金秋助学 for every stage, and the family table on both forms ---------------------------

STUDENT = {
    "excluded_assets": False, "visit_conclusion": "情况属实", "student_name": "王志强",
    "fulltime_student": True, "student_aided_before": False,
}  # fmt: skip


def open_office(folder: Path, book_dir: Path | None = None) -> Office:
    office = Office.open(folder, book_dir)
    if not office.name:
        office.set_up("示例镇总工会", [(CLERK, "工会专干"), (CHAIR, "工会主席")])
    return office


@pytest.fixture
def office(tmp_path, clock):
    with open_office(tmp_path / "data") as office:
        office.cases.clock = clock
        yield office


def application_for(office, clock, item: str, values: dict, family: int = 0) -> str:
    """A case of ``item`` with its application saved and done; the worker's household has the
    first ``family`` members above. Returns the case number."""
    person_id = make_person(office, household=family + 1)
    if family:
        members = typed_members(family)
        cleaned = clean_person({"household_members": members}, date(2026, 3, 1))
        office.registry.update_person(person_id, cleaned, CLERK, clock.now)
    view = run_case(
        office, clock, item, {"person_id": person_id}, values=values, stop_before="materials"
    )
    return view.row.number


def test_an_enrolled_undergraduate_prints_with_level_grade_and_year_of_entry(
    office, clock, forms, read_pdf
):
    values = {**STUDENT, "admission_level": "本科", "student_status": "在校生", "grade": 2}
    values |= {"enrollment_year": 2025, "schooling_years": 4, "admission_school": "兰州示例大学"}
    values |= {"major": "土木工程"}
    number = application_for(office, clock, "BF-03", values)
    _, text = printed(forms["golden_autumn_application"], case_context(office, number), read_pdf)
    assert "■本科" in text and "□普通高中" in text and "□研究生" in text
    assert "□新生■在校生" in text
    assert (
        "在读年级二年级入学年份2025年" in text in text
        and "兰州示例大学" in text
        and "土木工程" in text
    )
    assert "录取通知书号" in text  # the row is there, left empty for an enrolled student


def test_a_high_school_entrant_prints_as_a_first_year_of_this_year(office, clock, forms, read_pdf):
    values = {**STUDENT, "admission_level": "普通高中", "student_status": "新生"}
    values |= {"admission_school": "示例县第一中学", "schooling_years": 3}
    number = application_for(office, clock, "BF-03", values)
    result, text = printed(
        forms["golden_autumn_application"], case_context(office, number), read_pdf
    )
    assert "■普通高中" in text and "■新生□在校生" in text
    assert "一年级" in text and "当年录取" in text and "示例县第一中学" in text
    assert result.pages == 1


@pytest.mark.parametrize(
    ("form_id", "item", "values"),
    [
        ("medical_aid_application", "BF-02", {"self_pay": "200", "urgent_case": False}),
        ("golden_autumn_application", "BF-03", {**STUDENT, "student_status": "新生"}),
    ],
)
def test_a_family_of_six_prints_every_member_with_masked_numbers(
    office, clock, forms, read_pdf, form_id, item, values
):
    number = application_for(office, clock, item, values, family=6)
    result, text = printed(forms[form_id], case_context(office, number), read_pdf)
    members = office.registry.person(office.cases.view(office.cases.case_id(number)).person.id)
    assert len(members.household_members) == 6
    for member in members.household_members:
        assert member.name in text
        assert member.masked_id_number in text and member.id_number not in text
    assert "残疾（二级）" in text and "1,200.00" in text and "示例镇中心小学" in text
    names = [c.text for c in result.cells if c.name == "member.name" and c.text]
    assert names == [row[0] for row in SIX]
    pdf_text = [squeeze(t) for t in printed_pages(forms[form_id], case_context(office, number))]
    for page, page_text in enumerate(pdf_text, start=1):
        if any(name in page_text for name in names):  # the column titles are on that page too
            assert "工作单位或就读学校" in page_text, f"page {page}"


def printed_pages(form, data) -> list[str]:
    import pdfplumber

    out = BytesIO()
    render_pdf(form, data, out)
    with pdfplumber.open(BytesIO(out.getvalue())) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def test_a_case_begun_under_the_2026_6_procedure_still_shows_and_prints(
    tmp_path, clock, forms, read_pdf
):
    """Cases opened before 金秋助学 took 高中, 中职 and enrolled students keep the procedure
    they began with (录取层次, 是否当年录取的新生) and print on today's form."""
    old_book = tmp_path / "book-2026.6"
    shutil.copytree(default_book_dir(), old_book)
    old_text = (Path(__file__).parents[1] / "data" / "hardship_aid_2026_6.toml").read_text("utf-8")
    (old_book / "procedures" / "hardship_aid.toml").write_text(old_text, "utf-8")
    folder = tmp_path / "data"
    values = {**STUDENT, "fulltime_new_student": True, "admission_level": "专科（高职）"}
    values |= {"admission_school": "兰州职业技术学院", "major": "护理", "schooling_years": 3}
    with open_office(folder, old_book) as office:
        office.cases.clock = clock
        number = application_for(office, clock, "BF-03", values)
    with open_office(folder) as office:  # the shipped book, 2026.7
        office.cases.clock = clock
        assert office.cases.procedure_for("BF-03").version == "2026.8"
        view = office.cases.view(office.cases.case_id(number))
        assert view.procedure.version == "2026.6"
        assert view.state.record("application").values["fulltime_new_student"] is True
        result, text = printed(
            forms["golden_autumn_application"], case_context(office, number), read_pdf
        )
    # Its own version's choices: the level it was given is ticked among them.
    assert "■专科（高职）" in text and "□本科" in text
    assert "兰州职业技术学院" in text and "护理" in text
    assert "王志强" in text


# --- what every application shares: the 受理人 signs, one page, the case's own form -------------

APPLICATIONS = ["aid_application", "medical_aid_application", "golden_autumn_application"]
MM = 72 / 25.4


@pytest.mark.parametrize("form_id", APPLICATIONS)
def test_the_受理人_is_named_and_has_a_line_to_sign_on(
    form_id, forms, demo_office, printed_cases, read_pdf
):
    # The note asks the 受理人 to sign after checking the originals of the masked numbers.
    number = printed_cases[form_id]
    opened_by = demo_office.cases.view(demo_office.cases.case_id(number)).row.opened_by
    out = BytesIO()
    render_pdf(forms[form_id], case_context(demo_office, number), out)
    page = read_pdf(out.getvalue()).pages[0]
    words = page.extract_words(keep_blank_chars=False, x_tolerance=1.5)
    label = next(w for w in words if w["text"] == "受理人")
    row = [w for w in words if abs(w["top"] - label["top"]) < 6 * MM and w["x0"] > label["x1"]]
    assert opened_by in "".join(w["text"] for w in row)
    sign = next(w for w in row if w["text"].startswith("签字："))
    date_word = next(w for w in row if w["x0"] > sign["x1"] and "年" in w["text"])
    assert date_word["x0"] - sign["x1"] >= 25 * MM - 0.5


@pytest.mark.parametrize("form_id", APPLICATIONS)
@pytest.mark.parametrize("size", [1, 4])
def test_a_family_of_up_to_four_keeps_each_application_on_one_page(
    form_id, size, forms, demo_office, printed_cases, read_pdf
):
    from tests.printing.test_render import _with_family

    data, members = _with_family(demo_office, printed_cases[form_id], size)
    out = BytesIO()
    result = render_pdf(forms[form_id], data, out)
    assert result.pages == 1
    text = squeeze(read_pdf(out.getvalue()).text(1))
    assert all(m.name in text for m in members) and "受理人" in text and "签字：" in text


@pytest.mark.parametrize(
    ("service_item", "wrong", "right"),
    [
        ("BF-02", "aid_application", "医疗救助申请表"),
        ("BF-01", "medical_aid_application", "困难职工帮扶救助申请表"),
        ("BF-04", "golden_autumn_application", "困难职工帮扶救助申请表"),
        ("BF-03", "aid_application", "金秋助学申请表"),
    ],
)
def test_an_application_of_another_kind_is_refused_naming_the_case_own(
    office, service_item, wrong, right
):
    from desktop.printing.jobs import PrintRequestError, blank_job, case_job
    from desktop.printing.office_forms import office_forms

    forms = office_forms(office).forms
    case = office.cases.open_case(service_item, CLERK, person_id=make_person(office))
    with pytest.raises(PrintRequestError) as caught:
        case_job(office, forms[wrong], [case.number])
    message = str(caught.value)
    assert f"案件 {case.number}（{case.kind}）不用“{forms[wrong].title}”" in message
    own = next(f for f in forms.values() if f.title == right)
    assert f"“{right}”（表单编号 {own.id}）" in message
    assert case_job(office, own, [case.number]).number == case.number
    assert blank_job(office, forms[wrong]).number == ""  # a blank form is anyone's

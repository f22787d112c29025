"""Which forms an office prints, which steps print each, and what the window's preview fills
them with and names them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from desktop.identity import make_id_number
from desktop.printing.jobs import (
    PrintRequestError,
    UnpayableCases,
    blank_source,
    case_source,
    signoff_source,
    suggested_file_name,
)
from desktop.printing.office_forms import FormUse, form_users, office_forms
from desktop.printing.render import render_to_bytes
from desktop.registry import clean_person

CLERK = "李红梅"


def open_aid_case(office, name: str, sequence: int) -> str:
    values = clean_person(
        {"name": name, "id_number": make_id_number("620102", date(1978, 4, 9), sequence)},
        date(2026, 1, 1),
    )
    person = office.registry.add_person(values, CLERK, datetime(2026, 1, 1))
    return office.cases.open_case("BF-01", CLERK, person_id=person).number


@pytest.fixture
def staffed_office(office):
    office.staff.add(CLERK, "工会专干")
    office.set_operator(CLERK)
    return office


def test_forms_follow_the_service_checklist_and_each_procedures_steps(office):
    catalogue = office_forms(office)
    assert catalogue.error is None and len(catalogue.forms) == 13
    listed = list(catalogue.forms)
    assert listed[0] == "membership_application"  # 组织建设 comes first in the checklist
    assert listed.index("aid_application") < listed.index("aid_approval")
    assert FormUse("hardship_aid", "困难职工帮扶救助", "受理申请") in catalogue.used_by(
        "aid_application"
    )
    assert catalogue.used_by("no_such_form") == []


def test_only_sheets_with_a_row_per_case_are_offered_for_selected_cases(office):
    signoff = [form.id for form in office_forms(office).signoff_forms()]
    # The sign-in sheet is signed by hand at the meeting, not filled from cases; a public
    # notice lists the cases posted together.
    assert signoff == ["aid_public_notice", "aid_payment_signoff", "condolence_signoff"]


def test_forms_are_read_once_per_office_until_asked_again(office):
    first = office_forms(office)
    assert office_forms(office) is first
    assert office_forms(office, reload=True) is not first


def test_a_form_file_with_a_mistake_leaves_the_office_without_forms(small_office):
    # The small test book lacks steps the shipped forms print from.
    catalogue = office_forms(small_office)
    assert catalogue.forms == {} and catalogue.signoff_forms() == []
    assert "forms/aid_application.toml 第" in str(catalogue.error)


def test_form_users_list_each_step_once_in_the_order_of_the_procedure():
    users = form_users()
    condolence = [str(use) for use in users["condolence_signoff"]]
    assert condolence == ["会员慰问 · 发放丧葬慰问", "会员慰问 · 发放慰问"]


# --- what fills a preview, and the file it is saved as -------------------------------------------


def test_a_blank_form_has_nothing_personal_to_reveal(office):
    form = office_forms(office).forms["aid_application"]
    source = blank_source(office, form)
    assert (source.number, source.personal) == ("", False)
    content, result = render_to_bytes(form, source.build(False), "bundled_song")
    assert content.startswith(b"%PDF") and result.pages == 1


def test_a_case_fills_its_form_and_names_it(staffed_office):
    office = staffed_office
    number = open_aid_case(office, "张秀英", 11)
    form = office_forms(office).forms["aid_application"]
    case_id = office.cases.case_id(number)
    source = case_source(office, form, case_id)
    assert source.number == number and source.personal
    assert source.build(False).number == number


def test_a_payment_sheet_refuses_repeated_and_unapproved_cases(staffed_office):
    # Sheets over approved cases and their batch numbers: tests/printing/test_payment_sheets.py
    office = staffed_office
    numbers = [open_aid_case(office, name, n) for n, name in ((21, "张秀英"), (22, "李建华"))]
    sheet = office_forms(office).forms["aid_payment_signoff"]
    with pytest.raises(PrintRequestError, match="重复出现"):
        signoff_source(office, sheet, [numbers[0], numbers[0]])
    with pytest.raises(UnpayableCases, match=f"{numbers[1]}（李建华）：尚未审批"):
        signoff_source(office, sheet, numbers)


@pytest.mark.parametrize(
    ("number", "file_name"),
    [
        ("BF-2026-0007", "困难职工帮扶救助申请表_BF-2026-0007.pdf"),
        ("", "困难职工帮扶救助申请表_空白表.pdf"),
        # Characters Windows refuses in a file name, and spaces, become _.
        ('BF/2026:0007 "a"', "困难职工帮扶救助申请表_BF_2026_0007_a.pdf"),
    ],
)
def test_suggested_file_name(office, number, file_name):
    form = office_forms(office).forms["aid_application"]
    assert suggested_file_name(form, number) == file_name

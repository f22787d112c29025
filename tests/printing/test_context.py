"""What a case gives a form: typed values, masked numbers, the sign-off row."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.cases.service import CaseError
from desktop.printing import case_context, signoff_context


def test_case_values_are_typed_and_personal_numbers_masked(demo_office, printed_cases):
    number = printed_cases["aid_approval"]
    data = case_context(demo_office, number)
    values = data.values
    view = demo_office.cases.view(demo_office.cases.case_id(number))
    assert values["case.number"] == number == data.number == values["doc.number"]
    assert values["office.name"] == "示例镇总工会"
    assert isinstance(values["case.opened"], date)
    assert values["person.id_number"] == view.person.masked_id_number
    assert values["person.phone"] == view.person.masked_phone
    assert isinstance(values["step.approval.approved_amount"], int)  # fen
    assert isinstance(values["step.public_notice.notice_start"], date)
    assert values["step.approval.decision"] == "同意"
    assert values["step.approval.approver"] == view.state.record("approval").approval["approver"]
    assert values["step.eligibility.eligible"] is True
    assert values["step.eligibility.reason"]
    assert data.infos["step.approval.approved_amount"].type == "money"


def test_revealed_context_keeps_whole_numbers(demo_office, printed_cases):
    number = printed_cases["aid_application"]
    person = demo_office.cases.view(demo_office.cases.case_id(number)).person
    data = case_context(demo_office, number, reveal_personal=True)
    assert data.values["person.id_number"] == person.id_number
    assert data.personal_revealed


def test_unknown_case_number_says_so(demo_office):
    with pytest.raises(CaseError, match="BF-1999-0001"):
        case_context(demo_office, "BF-1999-0001")


def test_condolence_rows_take_kind_and_amount_from_their_steps(demo_office, printed_cases):
    number = printed_cases["condolence_signoff"]
    view = demo_office.cases.view(demo_office.cases.case_id(number))
    [row] = signoff_context(demo_office, [number]).rows
    kind = view.state.record("register").values["condolence_type"]
    paid = [
        view.state.record(step).values.get(field)
        for step, field in (("pay_general", "pay_amount"), ("pay_funeral", "funeral_pay_amount"))
    ]
    assert row["kind"] == kind
    assert row["amount_fen"] in [p for p in paid if p is not None]
    assert row["name"] == view.person.name and row["id_number"] == view.person.masked_id_number
    assert row["case_number"] == number

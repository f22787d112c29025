"""What a case gives a form: typed values, masked numbers, the sign-off row."""

from __future__ import annotations

from dataclasses import replace
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


def _cases(office, procedure_id: str) -> dict[str, str]:
    """A demo case of each payment state: paid, refused at approval, not yet decided."""
    found: dict[str, str] = {}
    rows = office.db.execute(
        "SELECT id, number FROM cases WHERE procedure_id = ? ORDER BY id", (procedure_id,)
    ).fetchall()
    for case_id, number in rows:
        view = office.cases.view(case_id)
        # The office's own approval (a new family is also reviewed by the county after it).
        approval = next(s for s in view.procedure.steps if s.approval is not None)
        decided = view.state.record(approval.id).approval
        if decided is None:
            state = "undecided"
        elif not decided["approved"]:
            state = "refused"
        elif view.state.record("payment").status == "done":
            state = "paid"
        else:
            continue  # approved, then waiting for the county's review or the payment
        found.setdefault(state, number)
    return found


def test_condolence_rows_carry_their_kind_field_and_the_amount_paid(
    demo_office, forms, printed_cases
):
    # The kind is the step field the sheet's column names (step.register.condolence_type),
    # not a field guessed from its label; the amount is that of the paying step reached.
    form = forms["condolence_signoff"]
    number = printed_cases["condolence_signoff"]
    view = demo_office.cases.view(demo_office.cases.case_id(number))
    [row] = signoff_context(demo_office, [number], form=form).rows
    paying = [s for s in view.procedure.steps if form.id in s.form_ids]
    assert [s.id for s in paying] == ["pay_funeral", "pay_general"]
    [(amount, paid_on)] = [
        (values[money.id], values[day.id])
        for step in paying
        if (values := view.state.record(step.id).values)
        for money in step.fields
        if money.type == "money" and money.id in values
        for day in step.fields
        if day.type == "date"
    ]
    assert row["amount_fen"] == amount and row["date"] == date.fromisoformat(str(paid_on)[:10])
    kind = view.state.record("register").values["condolence_type"]
    assert row["step.register.condolence_type"] == kind
    assert row["name"] == view.person.name and row["id_number"] == view.person.masked_id_number
    assert row["case_number"] == number


def test_sheet_amounts_come_from_the_step_that_prints_the_form(demo_office, forms):
    form = forms["aid_payment_signoff"]
    cases = _cases(demo_office, "hardship_aid")
    assert {"paid", "refused", "undecided"} <= set(cases)
    numbers = [cases["paid"], cases["refused"], cases["undecided"]]
    paid = demo_office.cases.view(demo_office.cases.case_id(cases["paid"])).state
    refused = demo_office.cases.view(demo_office.cases.case_id(cases["refused"])).state
    # The refused case has an approved_amount on record: it must still not be printed.
    assert refused.record("approval").values.get("approved_amount")
    rows = signoff_context(demo_office, numbers, form=form).rows
    assert [r["amount_fen"] for r in rows] == [
        paid.record("payment").values["pay_amount"],
        None,
        None,
    ]
    assert rows[0]["date"] == date.fromisoformat(str(paid.record("payment").values["pay_date"]))
    # The window and the command line do not pass the form yet: the same rows.
    assert [r["amount_fen"] for r in signoff_context(demo_office, numbers).rows] == [
        r["amount_fen"] for r in rows
    ]
    # A sheet that no step of the procedure prints: the approved amount, no payment date.
    other = replace(form, id="bank_transfer_list")
    [row, refused_row, _] = signoff_context(demo_office, numbers, form=other).rows
    assert row["amount_fen"] == paid.record("approval").values["approved_amount"]
    assert row["date"] is None and refused_row["amount_fen"] is None

"""What a form is filled with: the values of one case, many cases, or nothing (blank).

A PrintData maps field names (``person.name``, ``step.payment.pay_amount``) to typed values:
dates as ``date``, money as integer fen, yes/no as ``bool``. Personal numbers are masked here
already unless the context is built with ``reveal_personal=True``; the renderer masks again
unless it is told to reveal too, so a whole ID number is printed only when both ask for it.
Building the data records nothing; whoever shows or prints it whole keeps that in the trail
(desktop.printing.jobs.record_whole_numbers).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from desktop.book.procedures import Procedure, Step
from desktop.cases import engine
from desktop.cases.case_view import CaseView
from desktop.cases.status import CASE_STATUS_LABELS
from desktop.identity import PERSONAL_NUMBER_KINDS, mask_name_for_notice, mask_personal
from desktop.printing.fields import FieldInfo, as_date
from desktop.printing.forms import Form


@dataclass
class PrintData:
    """Values for one printing. ``rows`` are the lines of a sign-off sheet (dicts with the
    ``row.*`` keys: name, id_number, amount_fen, kind, case_number, date, note…)."""

    values: dict[str, Any] = field(default_factory=dict)
    # Types of step fields as the case's own procedure version declares them.
    infos: dict[str, FieldInfo] = field(default_factory=dict)
    rows: list[dict[str, Any]] | None = None
    blank_rows: int | None = None  # for a blank sign-off sheet: how many empty rows
    number: str = ""  # the document's number, printed on every page
    office_name: str = ""
    personal_revealed: bool = False
    # The case's values by the names of the procedures' conditions (kind, eligible,
    # approval.approved…), for the forms' ``when`` / ``unless``; empty on a blank form.
    conditions: dict[str, Any] = field(default_factory=dict)
    # What the clerk should know before printing that the data tells (a case listed before).
    notices: list[str] = field(default_factory=list)
    # The household members of the person the case is about, each a dict of member.* values,
    # for the rows a form prints for each (``each = "family"``).
    members: list[dict[str, Any]] = field(default_factory=list)

    def value(self, name: str) -> Any:
        return self.values.get(name)


def office_procedures(office) -> list[Procedure]:
    """The procedures of the book the office has now, to check forms against."""
    repo = office.cases.repo
    return [repo.procedure(h) for h in office.book.procedure_hashes().values()]


def _office_values(office, today: date) -> dict[str, Any]:
    return {
        "office.name": office.name or "",
        "office.operator": office.operator or "",
        "office.phone": office.phone or "",
        "office.address": office.address or "",
        "doc.date": today,
    }


def _masked(kind: str, value: Any, reveal: bool) -> Any:
    """Personal numbers masked unless ``reveal``; values of other kinds keep their type."""
    if reveal or kind not in PERSONAL_NUMBER_KINDS or value in (None, ""):
        return value
    return mask_personal(kind, value)


def case_values(office, view: CaseView, reveal_personal: bool = False) -> PrintData:
    """Everything a form can print about the case in ``view``."""
    row = view.row
    today = office.cases.clock().date()
    values: dict[str, Any] = {
        "case.number": row.number,
        "case.service_item": row.service_item_name,
        "case.procedure": row.procedure_title,
        "case.kind": row.kind,
        "case.subject": row.subject_name,
        "case.status": CASE_STATUS_LABELS.get(row.status, row.status),
        "case.opened": row.opened_at.date(),
        "case.opened_by": row.opened_by,
        "case.responsible": row.responsible,
        "case.due": row.due_at.date() if row.due_at else None,
        "case.closed": row.closed_at.date() if row.closed_at else None,
        "case.repeat_reason": row.repeat_reason,
        "doc.number": row.number,
        **_office_values(office, today),
    }
    person = view.person
    if person is not None:
        values.update(
            {
                "person.name": person.name,
                "person.gender": person.gender,
                "person.birth_date": person.birth_date,
                "person.age": person.age_on(today),
                "person.id_number": _masked("id_number", person.id_number, reveal_personal),
                "person.phone": _masked("phone", person.phone, reveal_personal),
                "person.enterprise": person.enterprise_name,
                "person.union_name": person.union_name,
                "person.household_size": person.household_size,
                "person.income_per_head": person.income_per_head,
                "person.hardship_status": person.hardship_status,
                "person.address": person.address,
                "person.ethnicity": person.ethnicity,
                "person.political_status": person.political_status,
                "person.marital_status": person.marital_status,
                "person.health": person.health_text,
                "person.hukou_type": person.hukou_type,
                "person.housing": person.housing,
                "person.bank_name": person.bank_name,
                "person.bank_account": _masked(
                    "bank_account", person.bank_account, reveal_personal
                ),
            }
        )
    enterprise = view.enterprise
    if enterprise is None and person is not None and person.enterprise_id:
        enterprise = office.registry.enterprise(person.enterprise_id)
    if enterprise is not None:
        values.update(
            {
                "enterprise.name": enterprise.name,
                "enterprise.credit_code": enterprise.credit_code or "",
                "enterprise.address": enterprise.address,
                "enterprise.contact": enterprise.contact,
                "enterprise.phone": enterprise.phone,
                "enterprise.headcount": enterprise.headcount,
                "enterprise.member_count": enterprise.member_count,
                "enterprise.union_status": enterprise.union_status,
            }
        )
    infos: dict[str, FieldInfo] = {}
    case_values = view.state.values()
    for step in view.procedure.steps:
        record = view.state.record(step.id)
        prefix = f"step.{step.id}."
        for spec in step.fields:
            name = prefix + spec.id
            infos[name] = FieldInfo(name, spec.label, spec.printed_kind, tuple(spec.choices))
            # A field that does not apply prints blank, even if something was saved in it
            # while it did (a difference reason kept after the amount was set right).
            applies = spec.when is None or spec.when.evaluate(case_values) is not False
            value = record.values.get(spec.id) if applies else None
            if spec.type == "date":
                value = as_date(value)
            elif spec.type == "person" and value is not None:
                chosen = office.registry.person(int(value))
                value = chosen.name if chosen else ""
            values[name] = _masked(spec.printed_kind, value, reveal_personal)
        values[prefix + "completed"] = record.completed_at.date() if record.completed_at else None
        values[prefix + "completed_by"] = record.completed_by
        values[prefix + "note"] = record.note
        if record.eligibility is not None:
            values[prefix + "eligible"] = record.eligibility["eligible"]
            values[prefix + "level"] = record.eligibility.get("level") or ""
            values[prefix + "reason"] = record.eligibility.get("reason") or ""
            values[prefix + "finding"] = eligibility_finding(values[prefix + "reason"])
        if step.deadline is not None:
            # The day the step's time limit ends, as its deadline counts it: a letter prints the
            # day the other side must answer by once the day it received the letter is recorded.
            due = engine.step_deadline(view.state, step, office.cases.calendar)
            values[prefix + "due"] = due.due_date if due is not None else None
        if step.hold is not None:
            # The period a public notice prints: its length as the procedure sets it and its
            # first and last days as the working calendar counts them (desktop.cases.engine).
            begins = engine.hold_start(view.state, step)
            ends = view.step(step.id).hold_ends
            values[prefix + "hold"] = step.hold.text
            values[prefix + "hold_start"] = begins.date() if begins is not None else None
            values[prefix + "hold_end"] = ends.due_date if ends is not None else None
        if record.approval is not None:
            decided = record.approval
            values[prefix + "approver"] = decided["approver"]
            values[prefix + "approval_role"] = decided["role"]
            values[prefix + "decision"] = "同意" if decided["approved"] else "不同意"
            values[prefix + "opinion"] = decided["opinion"] or (
                "同意" if decided["approved"] else ""
            )
            values[prefix + "approved_on"] = as_date(decided["at"])
    return PrintData(
        values=values,
        infos=infos,
        rows=[signoff_row(view, values)],
        number=row.number,
        office_name=office.name or "",
        personal_revealed=reveal_personal,
        conditions=view.state.values(),
        members=member_values(person, today, reveal_personal) if person is not None else [],
    )


def member_values(person, today: date, reveal_personal: bool = False) -> list[dict[str, Any]]:
    """The person's household members as a form's family rows print them."""
    return [
        {
            "member.serial": serial,
            "member.name": member.name,
            "member.relation": member.relation,
            "member.age": member.age_on(today),
            "member.id_number": _masked("id_number", member.id_number, reveal_personal),
            "member.health": member.health_text,
            "member.work": member.work,
            "member.monthly_income": member.monthly_income,
        }
        for serial, member in enumerate(person.household_members, start=1)
    ]


# The clauses of an eligibility reason that state its conclusion rather than what was found.
_CONCLUSIONS = ("认定为", "认定后", "不予认定", "符合", "不符合", "不属于")
# How the finding was made; the forms' sentences say it themselves (经入户调查核实，…).
_HOW_FOUND = re.compile(r"^入户调查核实[的，]?")


def eligibility_finding(reason: str) -> str:
    """What the eligibility step found, without its conclusion, to build a sentence on:
    "家庭月人均收入 600.00 元，低于当地最低生活保障标准 750.00 元，认定为深度困难。生活救助…"
    gives "家庭月人均收入 600.00 元，低于当地最低生活保障标准 750.00 元".

    The reason's first sentence, its closing clauses that conclude (认定为…, 不符合…条件,
    不予认定) and a leading 入户调查核实 left out; the whole first sentence when nothing else
    would be left."""
    first = reason.strip().split("。", 1)[0].strip()
    clauses = [c.strip() for c in first.split("，")]  # not at 1,800.00's comma
    while len(clauses) > 1 and (clauses[-1].startswith(_CONCLUSIONS) or "不予认定" in clauses[-1]):
        clauses.pop()
    finding = "，".join(clauses)
    return _HOW_FOUND.sub("", finding).strip() or finding


def _case_id(office, case_number_or_id: str | int) -> int:
    if isinstance(case_number_or_id, int):
        return case_number_or_id
    return office.cases.case_id(str(case_number_or_id).strip())


def case_context(office, case_number_or_id: str | int, reveal_personal: bool = False) -> PrintData:
    """The values of one case (by number like BF-2026-0007, or by id) for any of its forms.

    Raises desktop.cases.service.CaseError when there is no such case.
    """
    view = office.cases.view(_case_id(office, case_number_or_id))
    return case_values(office, view, reveal_personal)


def _paying_steps(view: CaseView, form_id: str | None) -> list[Step]:
    """The steps of the case's own procedure that print the sign-off sheet ``form_id``."""
    steps = view.procedure.steps
    if form_id is not None:
        return [s for s in steps if form_id in s.form_ids]
    # A caller that does not say which sheet it prints: the steps printing any sign-off sheet,
    # known by the ``_signoff`` ending of the shipped sheets' ids. Callers should pass the form.
    return [s for s in steps if any(f.endswith("_signoff") for f in s.form_ids)]


def _payment_amount(view: CaseView, form_id: str | None) -> tuple[int | None, date | None]:
    """The amount paid (or to be paid) in the case, and the payment date.

    Taken from the money and date fields of the step that prints the sign-off sheet; before
    that step has an amount, from the money field of the approval step, if it approved. A
    refused or undecided case has no amount: the sheet leaves it to the hand.
    """
    for step in _paying_steps(view, form_id):
        record = view.state.record(step.id)
        amount = _first_value(step, record.values, "money")
        if amount is not None:
            return amount, as_date(_first_value(step, record.values, "date"))
    printing = [i for i, s in enumerate(view.procedure.steps) if s in _paying_steps(view, form_id)]
    for index, step in enumerate(view.procedure.steps):
        if step.approval is None:
            continue
        decided = view.state.record(step.id).approval
        if decided is not None and decided["approved"]:
            amount = _first_value(step, view.state.record(step.id).values, "money")
            if amount is not None:
                return amount, None
        elif decided is None and printing and printing[0] < index:
            # A sheet printed before the approval (a public notice) lists the amount proposed.
            return _proposed_amount(view, step), None
    return None, None


def _proposed_amount(view: CaseView, approval: Step) -> int | None:
    """The amount an approval step not yet decided is asked for: its money field as typed, or
    else the entry that field starts from (approved_amount's prefill, the amount requested)."""
    typed = view.state.record(approval.id).values
    known = view.state.values()
    for spec in approval.fields:
        if spec.type != "money":
            continue
        if typed.get(spec.id) is not None:
            return typed[spec.id]
        if spec.prefill and known.get(spec.prefill) is not None:
            return known[spec.prefill]
    return None


def _first_value(step: Step, values: dict[str, Any], kind: str) -> Any:
    for spec in step.fields:
        if spec.type == kind and values.get(spec.id) is not None:
            return values[spec.id]
    return None


# Per-case values a sign-off table column may name besides row.*, e.g. a condolence case's
# step.register.condolence_type; doc.* and office.* are the sheet's own.
_ROW_NAMESPACES = ("case.", "person.", "enterprise.", "step.")
# Where a row keeps its case's values by the conditions' names (condolence_type…), for the
# texts a column fills from each row (forms/README.md, [[texts.名称]]).
ROW_CONDITIONS = "conditions"


def signoff_row(
    view: CaseView, values: dict[str, Any], form_id: str | None = None
) -> dict[str, Any]:
    """One line of a payment sign-off sheet for the case, printed on the form ``form_id``.

    Besides the ``row.*`` keys (name, amount_fen, kind…), the line carries the case's own
    values under their full names (``step.register.condolence_type``) for the columns that
    name them.
    """
    amount, paid_on = _payment_amount(view, form_id)
    row = {k: v for k, v in values.items() if k.startswith(_ROW_NAMESPACES)}
    row.update(
        {
            "name": view.row.subject_name,
            "id_number": values.get("person.id_number")
            or values.get("enterprise.credit_code")
            or "",
            "phone": values.get("person.phone") or "",
            "amount_fen": amount,
            "kind": view.row.kind or view.row.service_item_name,
            "case_number": view.row.number,
            "notice_name": mask_name_for_notice(view.row.subject_name or ""),
            "enterprise": values.get("person.enterprise") or "",
            "date": paid_on,
            "note": "",
            ROW_CONDITIONS: view.state.values(),
        }
    )
    return row


def cases_number(numbers: list[str]) -> str:
    """What names a sheet over cases that has no batch number: BF-2026-0007 等 3 件."""
    if len(numbers) > 1:
        return f"{numbers[0]} 等 {len(numbers)} 件"
    return numbers[0] if numbers else ""


def signoff_context(
    office,
    case_numbers: Iterable[str | int],
    reveal_personal: bool = False,
    form: Form | None = None,
    number: str | None = None,
    notices: Iterable[str] = (),
) -> PrintData:
    """A sign-off sheet over many cases: one row per case, in the order given.

    Each row has the subject's name, masked ID number, the kind and the case number, and the
    amount from the money field of the step of the case's procedure that prints ``form`` (its
    ``forms = [...]`` lists the form), or the approved amount before payment. Without ``form``
    the step is the one printing any ``…_signoff`` sheet. ``number`` is the sheet's batch
    number (desktop.office.Office.signoff_batch); without it the sheet is named by its cases.
    """
    form_id = form.id if form is not None else None
    rows = []
    numbers = []
    conditions: dict[str, Any] = {}
    for item in case_numbers:
        view = office.cases.view(_case_id(office, item))
        data = case_values(office, view, reveal_personal)
        rows.append(signoff_row(view, data.values, form_id))
        numbers.append(view.row.number)
        conditions = data.conditions
    today = office.cases.clock().date()
    number = cases_number(numbers) if number is None else number
    values = {"doc.number": number, **_office_values(office, today)}
    kinds = {r["kind"] for r in rows}
    if len(kinds) == 1:
        values["case.kind"] = kinds.pop()
    # What every listed case agrees on speaks for the sheet: a public notice over several cases
    # posted together prints its period (step.public_notice.notice_start…) in its heading.
    first = rows[0] if rows else {}
    for name, value in first.items():
        agreed = all(r.get(name) == value for r in rows[1:])
        if name.startswith("step.") and value not in (None, "") and agreed:
            values.setdefault(name, value)
    return PrintData(
        values=values,
        rows=rows,
        number=number,
        office_name=office.name or "",
        personal_revealed=reveal_personal,
        # A sheet of one case may speak of it; one of many cases speaks of none in particular.
        conditions=conditions if len(rows) == 1 else {},
        notices=list(notices),
    )


def blank_context(form=None, rows: int | None = None, office=None) -> PrintData:
    """Nothing filled in, for printing a form to complete by hand.

    For a sign-off sheet, ``rows`` empty lines are printed (default: as many as fill a page).
    With ``office``, its name is printed where the form asks for it.
    """
    values: dict[str, Any] = {}
    name = ""
    if office is not None:
        name = office.name or ""
        values["office.name"] = name
        values["office.phone"] = office.phone or ""
        values["office.address"] = office.address or ""
    return PrintData(values=values, rows=None, blank_rows=rows, office_name=name)

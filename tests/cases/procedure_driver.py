"""Runs a shipped procedure end to end through the case service, as a clerk would."""

from __future__ import annotations

import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from desktop.cases import engine
from desktop.demo import DEMO_SCAN
from desktop.identity import make_credit_code, make_id_number
from desktop.registry import clean_enterprise, clean_person
from desktop.staff import ExternalApprover

CLERK, CHAIR, AUDITOR = "李红梅", "王建国", "赵立新"


def make_person(office, income="600", household=3, sequence=11, status="在档"):
    values = clean_person(
        {
            "name": "张秀英",
            "id_number": make_id_number("620102", date(1978, 4, 9), sequence),
            "household_size": household,
            "income_per_head": income,
            "hardship_status": status,
        },
        date(2026, 1, 1),
    )
    return office.registry.add_person(values, CLERK, datetime(2026, 1, 1))


def make_enterprise(office, headcount=40, members=30, status="未建会"):
    values = clean_enterprise(
        {
            "name": "示例恒通机械有限公司",
            "credit_code": make_credit_code("91", "620102", "MA0001AB"),
            "headcount": headcount,
            "member_count": members,
            "union_status": status,
        },
        date(2026, 1, 1),
    )
    return office.registry.add_enterprise(values, CLERK, datetime(2026, 1, 1))


def attach_scan(service, case_id: int, step_id: str) -> int:
    """The signed page of an approval, scanned: a one-page PDF added to the case."""
    with tempfile.TemporaryDirectory() as folder:
        scan = Path(folder) / "批复签字页.pdf"
        scan.write_bytes(DEMO_SCAN)
        return service.attach_file(case_id, step_id, scan, CLERK, "签字页")


# Reimbursements none, so the self-paid share may be as much as the whole bill.
NOTHING_REIMBURSED = {"insurance_reimbursed", "other_reimbursed"}


def default_value(spec, person_id):
    if spec.id in NOTHING_REIMBURSED:
        return 0
    if spec.type == "money":
        return spec.minimum if spec.minimum and spec.minimum > 100_000 else 100_000
    if spec.type == "number":
        return max(spec.minimum or 1, 1)
    if spec.type == "choice":
        return spec.choices[0]
    if spec.type == "bool":
        return True
    if spec.type == "date":
        # A meeting is held at least 7 days after its notice goes out (W03-05).
        return "2026-03-16" if spec.id == "meeting_date" else "2026-03-02"
    if spec.type == "id_number":
        return make_id_number("620102", date(1990, 1, 1), 3)
    if spec.type == "phone":
        return "13912345678"
    if spec.type == "bank_account":
        return "6228 4800 1234 5678 901"
    if spec.type == "card_number":
        return "GH-620102-0031"
    if spec.type == "person":
        return person_id
    text = f"{spec.label}（测试）"
    limit = spec.length_limit
    return text if limit is None or len(text) <= limit else f"{text[: limit - 4]}（测试）"


def run_case(
    office,
    clock,
    service_item: str,
    subject: dict[str, int],
    values: dict[str, Any] | None = None,
    approvals: dict[str, bool] | None = None,
    max_steps: int = 40,
    repeat_reason: str = "",
    stop_before: str = "",
    operators: dict[str, str] | None = None,
):
    """Open a case and complete every step that applies; returns the final CaseView.

    ``values`` overrides what is typed into named fields; ``approvals`` the decision of named
    approval steps (default: approved). Fields not named get a plain valid value.
    """
    values = values or {}
    approvals = approvals or {}
    service = office.cases
    case = service.open_case(service_item, CLERK, repeat_reason=repeat_reason, **subject)
    person_id = subject.get("person_id")
    for _ in range(max_steps):
        view = service.view(case.id)
        step = view.current
        if step is None or step.id == stop_before:
            return view
        typed = {}
        for spec in step.fields:
            if spec.id in values:
                typed[spec.id] = values[spec.id]
            elif view.state.record(step.id).values.get(spec.id) is None:
                typed[spec.id] = default_value(spec, person_id)
        operator = CHAIR if step.approval is None and step.role == "工会主席" else CLERK
        operator = (operators or {}).get(step.id, operator)
        service.save_step(case.id, step.id, operator, typed)
        # Materials can depend on what was just typed (e.g. only for an election).
        state_values = service.view(case.id).state.values()
        materials = [m.id for m in step.materials if engine.applies(m, state_values)]
        service.save_step(case.id, step.id, operator, materials=materials)
        if step.log:
            service.add_log_entry(case.id, step.id, "公示期间无人提出异议。", CLERK)
        if step.hold is not None:
            record = service.view(case.id).state.record(step.id)
            ends = service.calendar.add(record.started_at, step.hold.limit, step.hold.unit)
            clock.now = ends.due + timedelta(hours=10)
        if step.approval is not None:
            approved = approvals.get(step.id, True)
            opinion = "同意" if approved else "不符合条件"
            if step.approval.external:
                scan = attach_scan(service, case.id, step.id)
                county = ExternalApprover("刘振华", "示例县总工会")
                service.approve(
                    case.id, step.id, county, approved, opinion, CLERK, scan_attachment_id=scan
                )
            else:
                preparer = view.state.record(step.approval.prepared_in).completed_by
                approver = CHAIR if preparer != CHAIR else AUDITOR
                service.approve(
                    case.id, step.id, service.staff.by_name(approver).id, approved, opinion,
                    approver,
                )  # fmt: skip
        service.complete_step(case.id, step.id, operator)
        clock.now += timedelta(hours=3)
    raise AssertionError("the procedure did not finish")


def path(view) -> list[str]:
    return [s.step.id for s in view.steps if s.status == engine.DONE]


def eligibility(view) -> dict[str, Any] | None:
    for record in view.state.steps.values():
        if record.eligibility is not None:
            return record.eligibility
    return None


__all__ = ["run_case", "path", "eligibility", "make_person", "make_enterprise", "datetime"]

"""One case as every screen and script shows it, built once for a moment.

``CaseService.view`` loads a case and builds a ``CaseView``: its status, outcome and deadline
state with their words, and for each step its state, due or done date, the day a waiting period
lets it be completed, the forms it offers, the fields and materials that apply with their
values as they read, the eligibility preview, the approval and its log. The case workspace only
draws it, ``uniondesk case show`` prints it (``view_json``), and the lists and the dashboard ask
the same functions (desktop.cases.status) for their rows, so they cannot disagree.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from desktop.book.procedures import (
    FROM_CASE_START,
    FROM_STEP_START,
    FieldSpec,
    Material,
    Procedure,
    Step,
)
from desktop.cases import engine
from desktop.cases.calendar import Deadline, DeadlineState
from desktop.cases.engine import CaseState
from desktop.cases.fields import FieldError, clean_field_value, personal_kind
from desktop.cases.records import Attachment, AuditEntry, CaseRow, EarlierPayment, LogEntry
from desktop.cases.status import (
    ACTIVE,
    CASE_STATUS_LABELS,
    DEADLINE_LABELS,
    DONE,
    OPEN,
    OUTCOME_LABELS,
    PENDING,
    SKIPPED,
    STEP_STATUS_LABELS,
    TERMINATED,
    case_status_text,
)
from desktop.formatting import (
    chinese_date,
    chinese_moment,
    month_day,
    time_limit_text,
    value_text,
)
from desktop.identity import mask_bank_account
from desktop.money import format_fen
from desktop.registry import Enterprise, Person

STEP_STATUS_SHOWN = {**STEP_STATUS_LABELS, DONE: "已完成 ✓"}


@dataclass(frozen=True)
class FieldEntry:
    """A step's field with what the case holds in it."""

    spec: FieldSpec
    value: Any  # as stored: fen, ISO text, a person's id…
    text: str  # as it reads, personal numbers masked; "" when empty
    applies: bool | None  # its condition on the saved case; None while undecided


@dataclass(frozen=True)
class MaterialEntry:
    material: Material
    received: bool
    applies: bool | None


@dataclass(frozen=True)
class StepView:
    step: Step
    number: int
    status: str  # pending / active / done / skipped (a pending step that will be skipped)
    status_text: str
    due: Deadline | None  # once the step has started
    deadline_state: str | None
    started_at: datetime | None
    done_at: datetime | None
    done_by: str
    hold_ends: Deadline | None
    forms: tuple[str, ...]
    fields: tuple[FieldEntry, ...]
    materials: tuple[MaterialEntry, ...]
    eligibility: dict[str, Any] | None  # the outcome recorded when the step was completed
    eligibility_preview: dict[str, Any] | None  # from the saved data, for the step being worked
    approval: dict[str, Any] | None
    approval_text: str
    note: str
    log: tuple[LogEntry, ...]
    rules: tuple[tuple[str, str | None], ...]  # (rule id, title or None when it left the book)
    counted_from: str  # where the step's time limit counts from, in words ("" from its start)
    # What the step's warnings say about its saved entries (allowed, but usually a slip).
    cautions: tuple[str, ...] = ()

    @property
    def deadline_label(self) -> str:
        return DEADLINE_LABELS.get(self.deadline_state or "", "")

    @property
    def completable_from(self) -> date | None:
        """The first day the waiting period lets the step be completed."""
        return engine.completable_from(self.hold_ends) if self.hold_ends is not None else None

    def due_text(self) -> str:
        """2026年3月4日前, with the hour when the limit is in hours."""
        return _due_text(self.due) if self.due is not None else ""

    def date_text(self, today: date) -> str:
        """For the narrow step list: the day a done step was done, or the day it is due."""
        if self.status == DONE and self.done_at is not None:
            return f"{month_day(self.done_at, today)}完成"
        if self.due is not None and self.status != SKIPPED:
            hour = f" {self.due.due:%H:%M}" if self.due.unit == "小时" else ""
            return f"{month_day(self.due.due, today)}{hour}前"
        if self.step.deadline is not None and self.status == PENDING:
            return f"时限 {self.step.deadline.text}"
        return ""

    def hold_text(self) -> str:
        """等待期：5 个工作日，2026年3月13日起可完成本步."""
        if self.step.hold is None:
            return ""
        text = f"等待期：{self.step.hold.text}"
        if self.hold_ends is not None:
            text += f"，{engine.completable_text(self.hold_ends)}"
        return text

    def field(self, field_id: str) -> FieldEntry:
        return next(entry for entry in self.fields if entry.spec.id == field_id)


@dataclass(frozen=True)
class CaseBatch:
    """A batch of a sign-off sheet or public notice the case was listed on: FF-2026-003."""

    number: str
    form_id: str
    form_title: str
    printed_at: datetime

    def text(self) -> str:
        """FF-2026-003（帮扶救助金发放签领表，2026年10月29日打印）"""
        return f"{self.number}（{self.form_title}，{chinese_date(self.printed_at)}打印）"


@dataclass(frozen=True)
class CaseView:
    """A case at one moment, as shown. ``row`` and ``state`` are the loaded records, for
    printing and the demo; screens read the named attributes."""

    row: CaseRow
    state: CaseState
    person: Person | None
    enterprise: Enterprise | None
    now: datetime
    deadline_state: str  # desktop.cases.status.case_deadline_state
    outcome: str | None
    steps: tuple[StepView, ...]
    timeline: tuple[AuditEntry, ...]
    attachments: tuple[Attachment, ...]
    earlier_payments: tuple[EarlierPayment, ...] = ()

    # --- the case ---------------------------------------------------------------------------

    def earlier_payments_text(self) -> str:
        """What the same person was already paid this year, for the steps that decide or pay
        money: "本年度已发放同类救助 2 笔，共 1,800.00 元：…"; empty when nothing."""
        if not self.earlier_payments:
            return ""
        total = sum(p.amount for p in self.earlier_payments)
        each = "；".join(
            f"{p.case_number}（{chinese_date(p.paid_on.date())}）{format_fen(p.amount)} 元"
            for p in self.earlier_payments
        )
        kind = f"“{self.row.kind}”" if self.row.kind else "同类"
        return (
            f"本年度已发放{kind} {len(self.earlier_payments)} 笔，"
            f"共 {format_fen(total)} 元：{each}。"
        )

    @property
    def id(self) -> int:
        return self.row.id

    @property
    def number(self) -> str:
        return self.row.number

    @property
    def status(self) -> str:
        return self.row.status

    @property
    def procedure(self) -> Procedure:
        return self.state.procedure

    @property
    def editable(self) -> bool:
        return self.row.status == OPEN

    @property
    def overdue(self) -> bool:
        return self.deadline_state == DeadlineState.OVERDUE

    @property
    def finished_late(self) -> bool:
        return self.deadline_state == DeadlineState.DONE_LATE

    @property
    def status_label(self) -> str:
        """办理中 / 已办结 / 已终止."""
        return CASE_STATUS_LABELS.get(self.row.status, self.row.status)

    @property
    def status_text(self) -> str:
        """The list's short words: 已超期, 今日到期, 超期办结…"""
        return case_status_text(self.row.status, self.deadline_state)

    @property
    def deadline_label(self) -> str:
        return DEADLINE_LABELS.get(self.deadline_state, "")

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS.get(self.outcome or "", "")

    @property
    def subject_text(self) -> str:
        """Who the case is about: a worker with the masked ID number, or a firm."""
        if self.person is not None:
            return f"{self.person.name}（身份证 {self.person.masked_id_number}）"
        if self.enterprise is not None:
            return self.enterprise.name
        return self.row.subject_name

    @property
    def time_limit_text(self) -> str:
        return time_limit_text(self.row.time_limit, self.row.time_limit_unit)

    @property
    def service_deadline(self) -> Deadline:
        return Deadline(self.row.due_at, self.row.time_limit_unit, self.row.time_limit)

    @property
    def due(self) -> datetime:
        """The deadline a list shows: the nearest running one while open, else the service's."""
        row = self.row
        return row.next_due_at if row.status == OPEN and row.next_due_at else row.due_at

    @property
    def service_due_text(self) -> str:
        return _due_text(self.service_deadline)

    @property
    def current(self) -> Step | None:
        return self.state.current

    @property
    def current_step(self) -> StepView | None:
        """The step being worked; a terminated case has none (its stopped step stays shown)."""
        if self.row.status == TERMINATED:
            return None
        return next((s for s in self.steps if s.status == ACTIVE), None)

    @property
    def pressing_step(self) -> StepView | None:
        """The current step when its own deadline is the nearest one the case's state is
        measured by (rather than the service's), so the header can say which."""
        row, current = self.row, self.current_step
        if not self.editable or current is None or row.step_due_at is None:
            return None
        if row.next_due_at != row.step_due_at:
            return None
        return current

    def step(self, step_id: str) -> StepView:
        return next(s for s in self.steps if s.step.id == step_id)

    def entries_that_apply(
        self, step_id: str, typed: Mapping[str, Any], today: date
    ) -> tuple[set[str], set[str]]:
        """Which of the step's fields and materials apply once ``typed`` (the raw entries of
        the form being filled in) is counted with the saved case: (field ids, material ids)."""
        step = self.procedure.step(step_id)
        values = self.state.values()
        specs = {spec.id: spec for spec in step.fields}
        for field_id, raw in typed.items():
            if field_id in specs:
                with contextlib.suppress(FieldError):
                    values[field_id] = clean_field_value(specs[field_id], raw, today=today)
        fields = {spec.id for spec in step.fields if engine.applies(spec, values)}
        materials = {m.id for m in step.materials if engine.applies(m, values)}
        return fields, materials


def _due_text(deadline: Deadline) -> str:
    if deadline.unit == "小时":
        return f"{chinese_moment(deadline.due)}前"
    return f"{chinese_date(deadline.due)}前"


def counted_from_text(procedure: Procedure, step: Step) -> str:
    if step.deadline is None or step.deadline.start == FROM_STEP_START:
        return ""
    if step.deadline.start == FROM_CASE_START:
        return "自受理起算"
    start = step.deadline.start
    if any(s.id == start for s in procedure.steps):
        return f"自“{procedure.step(start).title}”完成起算"
    spec = procedure.field(start)
    return f"自登记的{spec.label}起算" if spec is not None else ""


def approval_text(approval: Mapping[str, Any], attachments: tuple[Attachment, ...]) -> str:
    """王建国（工会主席）同意，意见：…。2026年3月6日 09:00；纸质签批，签字页：scan.pdf

    An approval by the higher union names its unit: 刘振华（某县总工会，上级工会）不同意…;
    one recorded from paper by somebody else says who recorded it."""
    decision = "同意" if approval["approved"] else "不同意"
    if approval.get("external"):
        text = f"{approval['approver']}（{approval['unit']}，上级工会）{decision}"
    else:
        text = f"{approval['approver']}（{approval['role']}）{decision}"
    if approval.get("opinion"):
        text += f"，意见：{approval['opinion']}"
    text += f"。{chinese_moment(datetime.fromisoformat(approval['at']))}"
    if approval.get("on_paper"):
        names = {a.id: a.file_name for a in attachments}
        text += f"；纸质签批，签字页：{names.get(approval.get('scan'), '（附件已不在）')}"
        recorder = approval.get("recorded_by")
        if recorder and recorder != approval["approver"]:
            text += f"，由{recorder}登记"
    return text


def shown_timeline(entries: Iterable[AuditEntry], procedure: Procedure) -> tuple[AuditEntry, ...]:
    """The case's audit trail as shown, bank accounts masked. Rows are written masked
    (desktop.cases.fields.display_value), but an older version wrote the payment's 收款账户 whole,
    as plain text: the numbers in the rows of a field holding an account are masked here (the
    words around them, and rows that hold no such number, as they were written)."""
    accounts = {
        spec.label
        for step in procedure.steps
        for spec in step.fields
        if personal_kind(spec) == "bank_account"
    }
    shown = []
    for entry in entries:
        if entry.field in accounts:
            entry = replace(
                entry,
                old_value=mask_bank_account(entry.old_value) if entry.old_value else None,
                new_value=mask_bank_account(entry.new_value) if entry.new_value else None,
            )
        shown.append(entry)
    return tuple(shown)


def step_status_text(status: str, case_status: str) -> str:
    if case_status == TERMINATED and status == ACTIVE:
        return "已终止"
    return STEP_STATUS_SHOWN[status]


# --- for scripts -------------------------------------------------------------------------------


def _iso(moment: datetime | date | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _shown_fields(step: StepView) -> list[FieldEntry]:
    """The fields a script sees: those that apply, and any that hold a value."""
    return [f for f in step.fields if f.applies is not False or f.text]


def whole_number_fields(view: CaseView) -> tuple[str, ...]:
    """The labels of the personal numbers (phones, ID numbers) ``view_json(view, reveal=True)``
    shows whole, for the audit trail; () when it shows none."""
    labels = [
        f.spec.label
        for step in view.steps
        for f in _shown_fields(step)
        if personal_kind(f.spec) and f.text
    ]
    return tuple(dict.fromkeys(labels))


def view_json(
    view: CaseView, reveal: bool = False, batches: Sequence[CaseBatch] = ()
) -> dict[str, Any]:
    """The case as `uniondesk case show --json` prints it; keys are a public interface.

    Personal numbers in the fields are masked unless ``reveal``; the caller records a reveal
    (desktop.office.Office.record_reveal with ``whole_number_fields``). ``batches`` are the
    sheets and notices the case was listed on (desktop.office.Office.case_batches)."""
    row = view.row
    return {
        "number": row.number,
        "procedure": row.procedure_id,
        "procedure_title": row.procedure_title,
        "procedure_version": view.procedure.version,
        "service_item": row.service_item_id,
        "service_item_name": row.service_item_name,
        "kind": row.kind,
        "subject": row.subject_name,
        "subject_type": "person" if row.person_id else "enterprise",
        "status": row.status,
        "status_text": view.status_text,
        "outcome": view.outcome,
        "overdue": view.overdue,
        "finished_late": view.finished_late,
        "deadline_state": view.deadline_state,
        "opened": row.opened_at.date().isoformat(),
        "opened_by": row.opened_by,
        "due": view.due.date().isoformat(),
        "service_due": row.due_at.date().isoformat(),
        "time_limit": row.time_limit,
        "time_limit_unit": row.time_limit_unit,
        "served": _iso(row.served_at.date()) if row.served_at else None,
        "closed": _iso(row.closed_at.date()) if row.closed_at else None,
        "responsible": row.responsible,
        "current_step": view.current_step.step.id if view.current_step else None,
        "steps": [_step_json(s, reveal) for s in view.steps],
        "batches": [
            {
                "number": batch.number,
                "form": batch.form_id,
                "form_title": batch.form_title,
                "printed": batch.printed_at.isoformat(timespec="minutes"),
            }
            for batch in batches
        ],
    }


def _field_value(entry: FieldEntry, reveal: bool) -> str | None:
    kind = personal_kind(entry.spec)
    if reveal and kind:
        return value_text(kind, entry.value, reveal=True) or None
    return entry.text or None


def _step_json(step: StepView, reveal: bool = False) -> dict[str, Any]:
    return {
        "id": step.step.id,
        "title": step.step.title,
        "role": step.step.role,
        "status": step.status,
        "due": _iso(step.due.due.date()) if step.due is not None else None,
        "done_at": step.done_at.isoformat(timespec="minutes") if step.done_at else None,
        "done_by": step.done_by or None,
        "deadline_state": step.deadline_state,
        "completable_from": _iso(step.completable_from),
        "warnings": list(step.cautions),
        "forms": list(step.forms),
        "fields": [
            {"id": f.spec.id, "label": f.spec.label, "value": _field_value(f, reveal)}
            for f in _shown_fields(step)
        ],
        "materials": [
            {"id": m.material.id, "label": m.material.label, "received": m.received}
            for m in step.materials
            if m.applies is not False
        ],
        "eligibility": step.eligibility,
        "approval": (
            {k: step.approval[k] for k in ("approved", "approver", "role", "opinion", "at")}
            if step.approval is not None
            else None
        ),
    }

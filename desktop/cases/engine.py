"""How a case moves through its procedure: pure rules, no database and no Qt.

The service layer loads a case into these plain objects, asks the engine what is missing or
what comes next, and writes the result back in one transaction. Everything here can be
tested with a procedure and a few dictionaries.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from desktop.book.conditions import OPENED_ON, lookup
from desktop.book.procedures import (
    FROM_CASE_START,
    FROM_STEP_START,
    PAID_THIS_YEAR,
    FieldSpec,
    Procedure,
    Step,
)
from desktop.cases.calendar import Deadline, WorkCalendar
from desktop.cases.fields import future_date_problem
from desktop.cases.status import (
    ACTIVE,
    CLOSED,
    DONE,
    OPEN,
    OUTCOME_DONE,
    OUTCOME_REFUSED,
    OUTCOME_TERMINATED,
    PENDING,
    REVIEW,
    SKIPPED,
    STEP_STATUS_LABELS,
    TERMINATED,
)
from desktop.dates import stored_date
from desktop.formatting import chinese_date, chinese_moment
from desktop.money import format_fen
from desktop.staff import HIGHER_UNION, ExternalApprover, Staff, same_person


@dataclass
class StepRecord:
    step_id: str
    status: str = PENDING
    started_at: datetime | None = None
    completed_at: datetime | None = None
    completed_by: str = ""
    completed_by_id: int | None = None  # the staff id; None for work done before staff ids
    edited_by: str = ""  # who last recorded data in it
    # Everyone who recorded data in it, by staff id: none of them may approve it.
    editor_ids: set[int] = field(default_factory=set)
    values: dict[str, Any] = field(default_factory=dict)
    materials: set[str] = field(default_factory=set)
    note: str = ""
    # Set by an eligibility step: {"eligible": bool, "level": str, "reason": str}
    eligibility: dict[str, Any] | None = None
    # Set by an approval step: {"approved": bool, "approver": str, "approver_id": staff id or
    # None (external), "role": post or 上级工会, "authority": 审核/审批/上级工会, "unit": the
    # external approver's unit, "opinion": str, "on_paper": bool, "scan": attachment id or None,
    # "at": iso time, "recorded_by": str, "recorded_by_id": staff id or None}
    approval: dict[str, Any] | None = None
    # The stored row as it was read, so a save writes only the steps that changed.
    stored_row: tuple[Any, ...] | None = field(default=None, compare=False, repr=False)


@dataclass
class CaseState:
    procedure: Procedure
    kind: str
    opened_at: datetime
    subject: Mapping[str, Any]  # person.* or enterprise.* attribute values
    steps: dict[str, StepRecord]
    status: str = OPEN
    # What other cases paid the same person this year (records.EarlierPayment), read when the
    # case is loaded; their sum is PAID_THIS_YEAR for the procedure's yearly-limit checks.
    earlier_payments: tuple[Any, ...] = ()

    def record(self, step_id: str) -> StepRecord:
        record = self.steps.get(step_id)
        if record is None:  # called for every step in every check: build records only once
            record = self.steps[step_id] = StepRecord(step_id)
        return record

    @property
    def current(self) -> Step | None:
        for step in self.procedure.steps:
            if self.record(step.id).status == ACTIVE:
                return step
        return None

    def values(self) -> dict[str, Any]:
        """Every name a condition may use, with what the case knows so far.

        The opening day rides along under OPENED_ON, so ``<date field>.days_to_opening`` is
        derived from the values themselves (desktop.book.conditions.lookup): entries a screen
        or the demo merges in before saving get their day counts too.
        """
        values: dict[str, Any] = dict(self.procedure.param_values())
        values.update(self.subject)
        values[PAID_THIS_YEAR] = sum(payment.amount for payment in self.earlier_payments)
        values["kind"] = self.kind or None
        values[OPENED_ON] = self.opened_at.date()
        for step in self.procedure.steps:
            record = self.record(step.id)
            values.update(record.values)
            if record.eligibility is not None:
                values["eligible"] = record.eligibility["eligible"]
                values["eligibility_level"] = record.eligibility.get("level") or None
            if step.approval is not None:
                decided = record.approval
                values[f"{step.id}.approved"] = None if decided is None else decided["approved"]
        return values


class StepBlocked(Exception):
    """A step cannot be completed yet; ``missing`` lists each thing, as the clerk reads it."""

    def __init__(self, step: Step, missing: list[str]):
        self.missing = missing
        items = "\n".join(f"· {m}" for m in missing)
        super().__init__(f"“{step.title}”还不能完成，还差：\n{items}")


# --- which steps apply -------------------------------------------------------------------------


def applies(condition_holder: Any, values: Mapping[str, Any]) -> bool | None:
    """True/False once decided, None while the case does not know enough yet."""
    when = condition_holder.when
    return True if when is None else when.evaluate(values)


def start(case: CaseState, now: datetime) -> None:
    """Activate the first step that applies."""
    _activate_next(case, after=-1, now=now)


def _activate_next(case: CaseState, after: int, now: datetime) -> Step | None:
    values = case.values()
    for index, step in enumerate(case.procedure.steps):
        if index <= after:
            continue
        record = case.record(step.id)
        if record.status == DONE and applies(step, values):
            continue  # done before a correction and untouched by it: stays done
        if applies(step, values):
            record.status = ACTIVE
            record.started_at = now
            _prefill_from_earlier_steps(step, record, values)
            return step
        # Undecided counts as not applying: by the time a step's turn comes, everything it
        # depends on comes from earlier steps, so "unknown" means "left empty". A step sent
        # back by a correction that no longer applies keeps no deadline of its own.
        record.status = SKIPPED
        record.started_at = record.completed_at = None
    case.status = CLOSED
    return None


def _prefill_from_earlier_steps(step: Step, record: StepRecord, values: Mapping[str, Any]) -> None:
    """A field that says ``prefill = "approved_amount"`` starts with what an earlier step
    recorded (the payment with the approved amount); the clerk may change it."""
    for spec in step.fields:
        if spec.prefill and record.values.get(spec.id) is None:
            value = values.get(spec.prefill)
            if value is not None:
                record.values[spec.id] = value


def preview_status(case: CaseState, step: Step) -> str:
    """For the stepper: a pending step that will surely be skipped shows as 不适用 early."""
    record = case.record(step.id)
    if record.status != PENDING:
        return record.status
    return SKIPPED if applies(step, case.values()) is False else PENDING


# --- corrections -------------------------------------------------------------------------------


def _reads(step: Step, names: set[str]) -> bool:
    """Whether the step's decision reads any of ``names`` (a date field's day counts too)."""
    uses = step.uses()
    return any(used == name or used.startswith(f"{name}.") for used in uses for name in names)


def _decides(step: Step, changed: set[str], values: dict[str, Any]) -> bool:
    """A step whose completion records a decision (eligibility, approval), pays money, or is
    held to checks that read what changed and do not plainly pass on the corrected values (a
    payment not above the approved amount, bills that must add up): corrected, it is done again,
    so nothing corrected escapes what completing it requires. A correction its checks do not
    read (an application's income beside its consent checks), or that they plainly pass (a
    医疗救助 date check on a 生活救助 case), leaves it done."""

    def reads_changed(check) -> bool:
        names = check.block_when.names()
        return any(n == c or n.startswith(f"{c}.") for n in names for c in changed)

    return (
        bool(step.eligibility)
        or step.approval is not None
        or any(
            reads_changed(check) and check.block_when.evaluate(values) is not False
            for check in step.checks
        )
        or any(spec.paid for spec in step.fields)
    )


def steps_to_review(case: CaseState, step_id: str, changed: set[str]) -> list[Step]:
    """The done steps a correction of ``step_id`` (its fields ``changed``) sends back: the
    corrected step itself when it records a decision, and every later done step whose decision
    reads what changed or follows from a decision sent back (an approval of a re-run
    eligibility, the payment of an approval to be given again)."""
    steps = case.procedure.steps
    corrected = case.procedure.step(step_id)
    touched = set(changed)
    sent_back: list[Step] = []
    reopened: set[str] = set()

    def send_back(step: Step) -> None:
        sent_back.append(step)
        reopened.add(step.id)
        if step.eligibility:
            touched.update({"eligible", "eligibility_level"})
        if step.approval is not None:
            touched.add(f"{step.id}.approved")
        touched.update(spec.id for spec in step.fields)

    if _decides(corrected, changed, case.values()) and changed:
        send_back(corrected)
    for step in steps[steps.index(corrected) + 1 :]:
        if case.record(step.id).status != DONE:
            continue
        prepared = step.approval.prepared_in if step.approval is not None else None
        if _reads(step, touched) or prepared in reopened | ({step_id} if changed else set()):
            send_back(step)
    return sent_back


def paid_in(case: CaseState, steps: list[Step]) -> int:
    """Fen recorded as paid in these steps' ``paid`` fields: what a correction would reverse."""
    return sum(
        value
        for step in steps
        for spec in step.fields
        if spec.paid
        and isinstance(value := case.record(step.id).values.get(spec.id), int)
        and not isinstance(value, bool)
    )


def forget_prefills(case: CaseState, changed: set[str]) -> None:
    """Steps not done yet start again from what was corrected: a payment prefilled with the
    old approved amount takes the new one when its turn comes."""
    for step in case.procedure.steps:
        record = case.record(step.id)
        if record.status == DONE:
            continue
        for spec in step.fields:
            if spec.prefill in changed:
                record.values.pop(spec.id, None)


def send_back_for_review(case: CaseState, steps: list[Step], now: datetime) -> Step | None:
    """Mark ``steps`` 需复核, dropping the decisions they recorded, and go back to the first of
    them: it is active again, later active work waits. Returns the step now active."""
    if not steps:
        return case.current
    order = case.procedure.steps
    first = min(order.index(step) for step in steps)
    for step in steps:
        record = case.record(step.id)
        record.status = REVIEW
        record.completed_at, record.completed_by, record.completed_by_id = None, "", None
        record.eligibility = None
        record.approval = None
    for step in order[first + 1 :]:
        record = case.record(step.id)
        if record.status == ACTIVE:
            record.status, record.started_at = PENDING, None
    again = order[first]
    record = case.record(again.id)
    record.status, record.started_at = ACTIVE, now
    case.status = OPEN
    return again


# --- what a step still needs -------------------------------------------------------------------


def visible_fields(step: Step, values: Mapping[str, Any]) -> list[FieldSpec]:
    return [spec for spec in step.fields if applies(spec, values)]


def missing_items(
    case: CaseState,
    step: Step,
    now: datetime,
    calendar: WorkCalendar,
) -> list[str]:
    record = case.record(step.id)
    values = case.values()
    missing: list[str] = []
    for material in step.materials:
        if material.required and applies(material, values) and material.id not in record.materials:
            missing.append(f"材料未收齐：{material.label}")
    for spec in visible_fields(step, values):
        if spec.required and record.values.get(spec.id) in (None, ""):
            missing.append(f"未填写：{spec.label}")
        # A date saved before its field refused the future, or under a clock set wrong.
        problem = future_date_problem(spec, stored_date(record.values.get(spec.id)), now.date())
        if problem:
            missing.append(problem)
    for check in step.checks:
        if check.block_when.holds(values):
            missing.append(reason_text(case, check.message, values))
    if step.eligibility and not missing and evaluate_eligibility(case, step) is None:
        missing.append("资格认定规则无法得出结论，请检查认定所需的数据")
    if step.approval is not None and record.approval is None:
        missing.append(f"未审批：需要{step.approval.role}审批")
    hold_ends = hold_end(case, step, calendar)
    if hold_ends is not None and now < completable_at(hold_ends):
        assert step.hold is not None
        missing.append(f"等待期 {step.hold.text}未满：{completable_text(hold_ends)}")
    return missing


def cautions(case: CaseState, step: Step) -> list[str]:
    """What the step's ``[[steps.warnings]]`` say about the case's entries as saved: allowed,
    but usually a slip, so the clerk looks again before completing the step."""
    values = case.values()
    return [
        reason_text(case, caution.message, values)
        for caution in step.cautions
        if caution.when.holds(values)
    ]


def completable_at(hold_ends: Deadline) -> datetime:
    """The first moment a step that waits until ``hold_ends`` may be completed: for a wait in
    days the start of the day after its last day (that day is waited out whole), for a wait in
    hours its end. The check above and every text about the wait ask this."""
    if hold_ends.unit == "小时":
        return hold_ends.due
    following = hold_ends.due_date + timedelta(days=1)
    return datetime.combine(following, time.min, tzinfo=hold_ends.due.tzinfo)


def completable_from(hold_ends: Deadline) -> date:
    """The first day the step may be completed (case show's ``completable_from``)."""
    return completable_at(hold_ends).date()


def completable_text(hold_ends: Deadline) -> str:
    """2026年12月8日起可完成本步; for a wait in hours with the minute (2026年12月8日 14:05起…)."""
    moment = completable_at(hold_ends)
    shown = chinese_moment(moment) if hold_ends.unit == "小时" else chinese_date(moment)
    return f"{shown}起可完成本步"


def recorded_day(case: CaseState, field_id: str) -> datetime | None:
    """The start of the day recorded in date field ``field_id`` of any step, None while empty."""
    for record in case.steps.values():
        day = stored_date(record.values.get(field_id))
        if day is not None:
            return datetime.combine(day, time.min, tzinfo=case.opened_at.tzinfo)
    return None


def hold_start(case: CaseState, step: Step) -> datetime | None:
    """When the step's waiting period (a public notice) begins, once the step has started: the
    later of the step's start and the date recorded in the field the procedure names (the day
    the notice went up), so a date typed earlier cannot shorten the wait. The printed notice's
    first day and the wait's end both ask this."""
    record = case.record(step.id)
    if step.hold is None or record.started_at is None:
        return None
    start = record.started_at
    if step.hold.start != FROM_STEP_START:
        posted = stored_date(record.values.get(step.hold.start))
        if posted is not None:
            start = max(start, datetime.combine(posted, time.min, tzinfo=start.tzinfo))
    return start


def hold_end(case: CaseState, step: Step, calendar: WorkCalendar) -> Deadline | None:
    """When the step's waiting period ends, counted by the calendar from ``hold_start``."""
    start = hold_start(case, step)
    if start is None:
        return None
    assert step.hold is not None
    return calendar.add(start, step.hold.limit, step.hold.unit)


def complete_step(
    case: CaseState,
    step_id: str,
    operator: str,
    now: datetime,
    calendar: WorkCalendar,
    operator_id: int | None = None,
) -> Step | None:
    """Complete the active step and start the next one that applies; returns that next step.

    Raises StepBlocked listing everything still missing; the case is unchanged then.
    """
    step = case.procedure.step(step_id)
    record = case.record(step_id)
    if record.status != ACTIVE:
        status = STEP_STATUS_LABELS[record.status]
        raise StepBlocked(step, [f"本步当前状态为“{status}”，不是办理中"])
    missing = missing_items(case, step, now, calendar)
    if missing:
        raise StepBlocked(step, missing)
    if step.eligibility:
        record.eligibility = evaluate_eligibility(case, step)
    record.status = DONE
    record.completed_at = now
    record.completed_by = operator
    record.completed_by_id = operator_id
    index = case.procedure.steps.index(step)
    return _activate_next(case, after=index, now=now)


# --- eligibility -------------------------------------------------------------------------------


def evaluate_eligibility(case: CaseState, step: Step) -> dict[str, Any] | None:
    """The first rule whose condition holds gives the outcome and its reason in plain words."""
    values = case.values()
    for rule in step.eligibility:
        if rule.when is None or rule.when.holds(values):
            reason = reason_text(case, rule.reason, values)
            return {"eligible": rule.eligible, "level": rule.level, "reason": reason}
    return None


def reason_text(case: CaseState, template: str, values: Mapping[str, Any]) -> str:
    procedure = case.procedure
    return format_reason(template, values, procedure.money_names(), procedure.date_names())


def format_reason(
    template: str,
    values: Mapping[str, Any],
    money_names: set[str],
    date_names: set[str] = frozenset(),
) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        value = lookup(values, name)
        if value is None:
            return "（未填写）"
        if name in money_names and isinstance(value, int):
            return f"{format_fen(value)} 元"
        if name in date_names and isinstance(value, str):
            day = stored_date(value)
            if day is not None:
                return chinese_date(day)
        return format_value(value)

    return re.sub(r"\{([^{}]+)\}", replace, template)


def format_value(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return chinese_date(value)
    return str(value)


# --- approval ----------------------------------------------------------------------------------


class ApprovalRefused(Exception):
    """The approval cannot be recorded as given; the message says why."""


def record_approval(
    case: CaseState,
    step_id: str,
    approver: Staff | ExternalApprover,
    operator: Staff | None,
    approved: bool,
    opinion: str,
    now: datetime,
    on_paper: bool = False,
    scan: int | None = None,
) -> None:
    """Record an approval given by ``approver`` and entered by ``operator`` at this desk.

    An approval inside the office is given by a registered staff member holding the role the
    step asks for, never by anyone who prepared, edited or completed the decision under review;
    given at the desk, the approver is the operator; given on paper, the signed page's scan is
    attached. An approval by the higher union is external: its official's name and unit and the
    scanned signed page.
    """
    step = case.procedure.step(step_id)
    record = case.record(step_id)
    need = step.approval
    if need is None:
        raise ApprovalRefused(f"“{step.title}”不需要审批")
    if record.status != ACTIVE:
        raise ApprovalRefused(f"“{step.title}”不在办理中，不能审批")
    if need.external:
        if not isinstance(approver, ExternalApprover):
            raise ApprovalRefused(
                f"“{step.title}”由上级工会审批：请登记上级工会审批人的姓名和单位，"
                "并附上签字页的扫描件。"
            )
        on_paper = True
        if scan is None:
            raise ApprovalRefused("上级工会的审批须附上签字页的扫描件，请先添加附件")
    else:
        if isinstance(approver, ExternalApprover):
            raise ApprovalRefused(
                f"“{step.title}”由本单位{need.role}审批，不能登记为上级工会的审批。"
            )
        _check_office_approver(case, step, approver, operator, on_paper)
        if on_paper and scan is None:
            raise ApprovalRefused(f"纸质签批须附上{approver.name}签字页的扫描件，请先添加附件")
    if not approved and not opinion.strip():
        raise ApprovalRefused("不同意时请写明审批意见（理由），以便告知申请人")
    internal = isinstance(approver, Staff)
    record.approval = {
        "approved": approved,
        "approver": approver.name,
        "approver_id": approver.id if internal else None,
        "role": need.role,
        "post": approver.post if internal else HIGHER_UNION,
        "authority": need.authority,
        "external": not internal,
        "unit": "" if internal else approver.unit,
        "opinion": opinion.strip(),
        "on_paper": on_paper,
        "scan": scan,
        "at": now.isoformat(timespec="seconds"),
        "recorded_by": operator.name if operator else "",
        "recorded_by_id": operator.id if operator else None,
    }


def _check_office_approver(
    case: CaseState, step: Step, approver: Staff, operator: Staff | None, on_paper: bool
) -> None:
    need = step.approval
    assert need is not None
    if not approver.active:
        raise ApprovalRefused(f"{approver.name}已停用，不能审批。")
    if not approver.holds(need.authority):
        raise ApprovalRefused(
            f"{approver.name}（{approver.post}）没有“{need.authority}”角色，不能作为{need.role}"
            f"审批。请由有{need.authority}角色的人员审批；角色在“设置 → 工作人员”中设定。"
        )
    prepared = case.record(need.prepared_in)
    preparers = prepared.editor_ids | ({prepared.completed_by_id} - {None})
    preparer_names = [prepared.completed_by, prepared.edited_by]
    if approver.id in preparers or any(same_person(approver.name, n) for n in preparer_names):
        prepared_title = case.procedure.step(need.prepared_in).title
        raise ApprovalRefused(
            f"{approver.name} 办理了“{prepared_title}”，不能审批自己作出的决定；"
            f"请由没有经手的{need.role}审批"
        )
    if not on_paper and (operator is None or operator.id != approver.id):
        raise ApprovalRefused(
            f"在电脑上审批须由{approver.name}本人操作：请先在“设置 → 工作人员”中把"
            f"{approver.name}设为当前经办人；或者勾选纸质签批，附上{approver.name}"
            "签字页的扫描件。"
        )


# --- deadlines ---------------------------------------------------------------------------------


def step_deadline(case: CaseState, step: Step, calendar: WorkCalendar) -> Deadline | None:
    if step.deadline is None:
        return None
    record = case.record(step.id)
    origin = step.deadline.start
    if origin == FROM_STEP_START:
        counted_from = record.started_at
    elif origin == FROM_CASE_START:
        counted_from = case.opened_at
    elif any(s.id == origin for s in case.procedure.steps):
        counted_from = case.record(origin).completed_at or record.started_at
    else:
        # A date recorded in an earlier step (the day the other side received a letter): the
        # period runs from that day, whenever the clerk got round to completing the step.
        counted_from = recorded_day(case, origin) or record.started_at
    if counted_from is None:
        return None
    return calendar.add(counted_from, step.deadline.limit, step.deadline.unit)


def case_outcome(case: CaseState) -> str | None:
    """How the case ended: refused when it went through a step the procedure marks as a
    refusal (告知不予救助, 选举结果未获批准的处理, ``refuses = true``), terminated, or done as
    asked; None while it is open. A finding along the way (a discrepancy in a reconciliation)
    is not a refusal unless the procedure's path says so."""
    if case.status == TERMINATED:
        return OUTCOME_TERMINATED
    if case.status != CLOSED:
        return None
    done = {step_id for step_id, record in case.steps.items() if record.status == DONE}
    return OUTCOME_REFUSED if refusing_steps(case.procedure) & done else OUTCOME_DONE


# Procedure versions written before steps could say ``refuses`` (cases keep the version they
# started with) named their refusal steps these ways.
LEGACY_REFUSAL_STEPS = frozenset(
    {"refusal_notice", "result_refused", "plan_refused", "not_adopted", "not_approved"}
)


def refusing_steps(procedure: Procedure) -> set[str]:
    """The steps a case that is refused goes through."""
    marked = {step.id for step in procedure.steps if step.refuses}
    if marked:
        return marked
    return {step.id for step in procedure.steps if step.id in LEGACY_REFUSAL_STEPS}


def service_finished_at(case: CaseState) -> datetime | None:
    """When the service promise was met: the first step marked ends_service that was done, or
    the close of the case when the path it took has no such step."""
    marked = [
        case.record(step.id).completed_at
        for step in case.procedure.steps
        if step.ends_service and case.record(step.id).status == DONE
    ]
    if marked:
        return min(m for m in marked if m is not None)
    if case.status == CLOSED:
        done = [r.completed_at for r in case.steps.values() if r.completed_at is not None]
        return max(done) if done else case.opened_at
    return None

"""Casework as the clerk does it: open a case, record a step, approve, complete, attach.

Each action loads the case, lets the pure engine decide, and writes the new state together with
its audit rows in one transaction, so an error leaves the case exactly as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from desktop import attachments
from desktop.attachments import AttachmentRefused
from desktop.book.procedures import Procedure, Step
from desktop.cases import engine, hardship_file
from desktop.cases.calendar import (
    OfficeDay,
    WorkCalendar,
    deadline_state,
    format_office_days,
)
from desktop.cases.case_view import (
    CaseView,
    FieldEntry,
    MaterialEntry,
    StepView,
    approval_text,
    counted_from_text,
    shown_timeline,
    step_status_text,
)
from desktop.cases.engine import ACTIVE, CLOSED, DONE, OPEN, TERMINATED, CaseState
from desktop.cases.fields import (
    CORRECTION_REASON_LIMIT,
    LOG_ENTRY_LIMIT,
    NOTE_LIMIT,
    OPINION_LIMIT,
    REPEAT_REASON_LIMIT,
    TERMINATE_REASON_LIMIT,
    FieldError,
    clean_field_value,
    display_value,
    edit_text,
)
from desktop.cases.records import AuditEntry, EarlierPayment
from desktop.cases.status import case_deadline_state
from desktop.errors import os_error_text
from desktop.formatting import chinese_moment
from desktop.money import format_fen
from desktop.presence import process_alive
from desktop.registry import Enterprise, Person
from desktop.staff import ExternalApprover, Staff
from desktop.store import audit
from desktop.store.book_repo import BookRepository
from desktop.store.case_repo import CaseFilter, CaseRepository, CaseRow
from desktop.store.office_repo import OfficeSettingsRepository
from desktop.store.registry_repo import RegistryRepository
from desktop.store.staff_repo import StaffRepository
from desktop.validation import TextError, clean_text

ATTACHMENTS_DIR = "attachments"
PARTIAL_PREFIX = "incoming-"
ATTACHMENT_CHUNK = 1 << 20
SOON_WORKING_DAYS = 3


class CaseError(Exception):
    """An action on a case cannot be done; the message says why and what to do."""


class RepeatNeedsReason(CaseError):
    """The same person already had this kind of aid this year; ``earlier`` shows the cases."""

    def __init__(self, earlier: list[CaseRow], kind: str):
        self.earlier = earlier
        listed = "、".join(f"{c.number}（{c.opened_at:%Y-%m-%d}受理）" for c in earlier)
        super().__init__(f"该职工今年已办理过“{kind}”：{listed}。同一年度再次办理须登记理由。")


class CaseChangedElsewhere(CaseError):
    """The case changed after the clerk's screen read it (another window, another program):
    saving over it would lose that change. The message says who changed what, and when."""

    def __init__(self, row: CaseRow, last: AuditEntry | None):
        self.row = row
        if last is not None:
            what = f"（{last.action}）" if last.action else ""
            who = f"{last.actor} 于 {chinese_moment(last.at)} 修改{what}"
        else:
            who = "在别处修改"
        super().__init__(
            f"案件 {row.number} 在您打开之后已被 {who}。为免覆盖别人的办理，刚才的操作没有保存。"
            "页面已换成最新的情况，您填写的内容仍在原处，请核对后再保存。"
        )


def _typed(text: object, what: str, limit: int, multiline: bool = False) -> str:
    """Text a clerk typed on a case, cleaned (desktop.validation.clean_text); CaseError if not."""
    try:
        return clean_text(text, what=what, limit=limit, multiline=multiline)
    except TextError as error:
        raise CaseError(str(error)) from error


class FieldErrors(CaseError):
    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("\n".join(errors.values()))


class CaseService:
    def __init__(
        self,
        db,
        data_dir: Path | None,
        clock: Callable[[], datetime] = lambda: datetime.now().replace(microsecond=0),
    ):
        self.db = db
        self.data_dir = data_dir
        self.clock = clock
        self.book = BookRepository(db)
        self.registry = RegistryRepository(db)
        self.repo = CaseRepository(db)
        self.staff = StaffRepository(db)
        self.settings = OfficeSettingsRepository(db)
        self._calendar: WorkCalendar | None = None

    # --- shared pieces -----------------------------------------------------------------------

    def _at_desk(self, operator: str) -> Staff:
        """The registered, active staff member doing this: every step, approval and payment
        carries a staff id, so work is done only by people on the office's list."""
        name = (operator or "").strip()
        if not name:
            raise CaseError("请先在“设置 → 工作人员与当前经办人”中选择经办人。")
        member = self.staff.by_name(name)
        if member is None or not member.active:
            raise CaseError(
                f"“{name}”不是本单位在册的工作人员，不能办理。请在“设置 → 工作人员与当前经办人”"
                "中登记，并设为当前经办人。"
            )
        return member

    @property
    def calendar(self) -> WorkCalendar:
        if self._calendar is None:
            self._calendar = WorkCalendar(self.repo.office_days())
        return self._calendar

    def replace_office_days(self, days: Iterable[OfficeDay], actor: str = "") -> None:
        """The office's whole table, as edited in the window; deadlines follow it."""
        days = sorted(days, key=lambda d: d.day)
        with self.db.atomic():
            before = format_office_days(self.repo.office_days())
            self.repo.replace_office_days(days)
            after = format_office_days(days)
            if before != after:
                years = "、".join(sorted({str(d.day.year) for d in days})) or "（空）"
                audit.record(
                    self.db, at=self.clock(), actor=actor or "系统", entity="calendar",
                    entity_id=0, action="修改节假日表", new=f"{len(days)} 天，{years} 年",
                )  # fmt: skip
        self._calendar = None

    def set_office_days(self, days: Iterable[OfficeDay], actor: str = "") -> None:
        """Replace the office's days for the years ``days`` cover; other years stay as they were
        (importing 2028 must not wipe 2027)."""
        days = list(days)
        years = {day.day.year for day in days}
        kept = [d for d in self.repo.office_days() if d.day.year not in years]
        self.replace_office_days(kept + days, actor)

    def procedure_for(self, service_item_id: str) -> Procedure:
        """The procedure version of the book now on the desk; new cases start with it."""
        source_hash = self.book.procedure_hashes().get(service_item_id)
        if source_hash is None:
            raise CaseError(f"服务项目 {service_item_id} 没有办理流程，请检查制度汇编。")
        return self.repo.procedure(source_hash)

    def _subject_values(self, row_person: Person | None, row_ent: Enterprise | None, today):
        if row_person is not None:
            return row_person.condition_values(today)
        if row_ent is not None:
            return row_ent.condition_values(today)
        return {}

    # --- opening a case ----------------------------------------------------------------------

    def open_case(
        self,
        service_item_id: str,
        operator: str,
        person_id: int | None = None,
        enterprise_id: int | None = None,
        repeat_reason: str = "",
    ) -> CaseRow:
        now = self.clock()
        repeat_reason = _typed(repeat_reason, "同年再次办理的理由", REPEAT_REASON_LIMIT)
        procedure = self.procedure_for(service_item_id)
        item = next((i for i in self.book.service_items() if i.id == service_item_id), None)
        if item is None:
            raise CaseError(f"服务项目 {service_item_id} 不存在。")
        person = enterprise = None
        if procedure.subject == "person":
            person = self.registry.person(person_id) if person_id is not None else None
            if person is None:
                raise CaseError(f"“{item.name}”的办理对象是职工，请先选择一名职工。")
            subject_name = person.name
        else:
            enterprise = (
                self.registry.enterprise(enterprise_id) if enterprise_id is not None else None
            )
            if enterprise is None:
                raise CaseError(f"“{item.name}”的办理对象是企业，请先选择一家单位。")
            subject_name = enterprise.name
        operator = self._at_desk(operator).name
        kind = procedure.kind_for(service_item_id)
        repeat_of = None
        if procedure.repeat_guard and person is not None:
            earlier = self.repo.earlier_cases(person.id, procedure.id, kind, now.year)
            if earlier and not repeat_reason:
                raise RepeatNeedsReason(earlier, kind or procedure.title)
            repeat_of = earlier[-1].id if earlier else None
        state = CaseState(
            procedure=procedure,
            kind=kind,
            opened_at=now,
            subject=self._subject_values(person, enterprise, now.date()),
            steps={},
        )
        engine.start(state, now)
        service_due = self.calendar.add(now, item.time_limit, item.time_limit_unit)
        with self.db.atomic():
            procedure_hash = self.repo.remember_procedure(procedure, now)
            serial = self.repo.next_serial(procedure.case_prefix, now.year)
            number = f"{procedure.case_prefix}-{now.year}-{serial:04d}"
            case_id = self.repo.insert_case(
                {
                    "number": number,
                    "prefix": procedure.case_prefix,
                    "year": now.year,
                    "serial": serial,
                    "procedure_id": procedure.id,
                    "procedure_hash": procedure_hash,
                    "procedure_title": procedure.title,
                    "service_item_id": item.id,
                    "service_item_name": item.name,
                    "kind": kind,
                    "person_id": person.id if person else None,
                    "enterprise_id": enterprise.id if enterprise else None,
                    "subject_name": subject_name,
                    "status": OPEN,
                    "responsible": self._case_responsible(item.responsible_person, operator),
                    "opened_at": now,
                    "opened_by": operator,
                    "time_limit": item.time_limit,
                    "time_limit_unit": item.time_limit_unit,
                    "due_at": service_due.due,
                    "repeat_of": repeat_of,
                    "repeat_reason": repeat_reason,
                }
            )
            self._prefill(state, person, enterprise, now.date())
            audit.record(
                self.db, at=now, actor=operator, entity="case", entity_id=case_id,
                case_id=case_id, action="受理", new=f"{item.name}：{subject_name}",
            )  # fmt: skip
            if repeat_reason:
                audit.record(
                    self.db, at=now, actor=operator, entity="case", entity_id=case_id,
                    case_id=case_id, action="同年再次办理", field="理由", new=repeat_reason,
                )  # fmt: skip
            self._write_state(case_id, state, service_due.due, previous=None)
        return self.repo.case(case_id)

    def _case_responsible(self, named: str, operator: str) -> str:
        """Who answers for a new case: the service item's 责任人 (服务清单), unless that is a
        staff member who has since left (deactivated); otherwise the operator who opens it, so
        no case is left without someone answering for it."""
        if named:
            member = self.staff.by_name(named)
            if member is None or member.active:
                return named
        return operator

    def _prefill(self, state: CaseState, person, enterprise, today: date) -> None:
        values = self._subject_values(person, enterprise, today)
        for step in state.procedure.steps:
            record = state.record(step.id)
            for spec in step.fields:
                if spec.prefill and values.get(spec.prefill) is not None:
                    record.values.setdefault(spec.id, values[spec.prefill])

    def _write_state(
        self, case_id: int, state: CaseState, service_due: datetime, previous: CaseRow | None
    ) -> None:
        """Persist steps and the case's summary columns (current step, next deadline)."""
        due: dict[str, datetime | None] = {}
        for step in state.procedure.steps:
            if state.record(step.id).started_at is None:
                continue
            deadline = engine.step_deadline(state, step, self.calendar)
            due[step.id] = deadline.due if deadline else None
        self.repo.save_steps(case_id, state, due)
        current = state.current
        served = engine.service_finished_at(state)
        step_due = due.get(current.id) if current is not None else None
        candidates = [d for d in (step_due, None if served else service_due) if d is not None]
        closed_at = None
        if state.status == CLOSED:
            # When the last step was done; the service may have been served earlier (served_at).
            done = [r.completed_at for r in state.steps.values() if r.completed_at is not None]
            closed_at = max(done) if done else self.clock()
        self.repo.update_case(
            case_id,
            {
                "status": state.status,
                "current_step_id": current.id if current else None,
                "current_step_title": current.title if current else "",
                "step_due_at": step_due,
                "next_due_at": min(candidates) if candidates and state.status == OPEN else None,
                "served_at": served,
                "closed_at": closed_at if state.status != OPEN else None,
                "outcome": engine.case_outcome(state),
            },
        )

    # --- loading -----------------------------------------------------------------------------

    def find_case(self, number: str) -> CaseRow | None:
        """The case with this number (BF-2026-0007), or None."""
        return self.repo.case_by_number(number.strip().upper())

    def office_days(self) -> list[OfficeDay]:
        """The office's own holiday table, by date."""
        return self.repo.office_days()

    def case_id(self, number: str) -> int:
        row = self.repo.case_by_number(number)
        if row is None:
            raise CaseError(f"找不到案件 {number}，请核对案件编号（如 BF-2026-0007）。")
        return row.id

    def _load(self, case_id: int) -> tuple[CaseRow, CaseState, Person | None, Enterprise | None]:
        row = self.repo.case(case_id)
        if row is None:
            raise CaseError(f"找不到编号为 {case_id} 的案件。")
        procedure = self.repo.procedure(row.procedure_hash)
        records, _ = self.repo.step_records(case_id)
        person = self.registry.person(row.person_id) if row.person_id else None
        enterprise = self.registry.enterprise(row.enterprise_id) if row.enterprise_id else None
        state = CaseState(
            procedure=procedure,
            kind=row.kind,
            opened_at=row.opened_at,
            subject=self._subject_values(person, enterprise, row.opened_at.date()),
            steps=records,
            status=row.status,
            earlier_payments=tuple(self._earlier_payments(row)),
        )
        return row, state, person, enterprise

    def _earlier_payments(self, row: CaseRow) -> list[EarlierPayment]:
        procedure = self.repo.procedure(row.procedure_hash)
        paid = {
            step.id: {spec.id for spec in step.fields if spec.paid}
            for step in procedure.steps
            if any(spec.paid for spec in step.fields)
        }
        return self.repo.earlier_payments(row, paid)

    @contextlib.contextmanager
    def _changing(
        self, case_id: int, expected_version: int | None
    ) -> Iterator[tuple[CaseRow, CaseState]]:
        """One write to a case: the case is read inside the write transaction (so what the
        write decides on is what it changes), refused if it changed since ``expected_version``
        (the version the clerk's screen showed), and its version counted up once written."""
        with self.db.atomic():
            row, state, _, _ = self._load(case_id)
            if expected_version is not None and row.version != expected_version:
                raise CaseChangedElsewhere(row, self.repo.last_change(case_id))
            yield row, state
            self.repo.bump_version(case_id)

    def view(self, case_id: int, with_record: bool = True) -> CaseView:
        """The case as every screen and script shows it, now (desktop.cases.case_view).

        ``with_record=False`` leaves out the timeline, attachments and logs, for code that works
        many cases step by step and never shows them (the demo office)."""
        row, state, person, enterprise = self._load(case_id)
        now = self.clock()
        values = state.values()
        attachments = tuple(self.repo.attachments(case_id)) if with_record else ()
        logs = self.repo.logs(case_id) if with_record else []
        rule_titles = self.book.rule_titles(
            {rule_id for step in state.procedure.steps for rule_id in step.rule_ids}
        )
        people: dict[int, Person | None] = {}
        steps = []
        for number, step in enumerate(state.procedure.steps, start=1):
            record = state.record(step.id)
            started = record.started_at is not None
            status = engine.preview_status(state, step)
            # A step that does not apply has no deadline to meet, whatever it was before.
            counts = started and status != engine.SKIPPED
            deadline = engine.step_deadline(state, step, self.calendar) if counts else None
            shown = None
            # A terminated case's stopped step is no longer measured against its deadline.
            if deadline is not None and not (row.status == TERMINATED and status == ACTIVE):
                shown = deadline_state(deadline, now, record.completed_at, self.calendar)
            preview = None
            if status == ACTIVE and step.eligibility:
                preview = engine.evaluate_eligibility(state, step)
            steps.append(
                StepView(
                    step=step,
                    number=number,
                    status=status,
                    status_text=step_status_text(status, row.status),
                    due=deadline,
                    deadline_state=shown,
                    started_at=record.started_at,
                    done_at=record.completed_at,
                    done_by=record.completed_by,
                    hold_ends=engine.hold_end(state, step, self.calendar),
                    forms=step.forms_for(values) if status != engine.SKIPPED else (),
                    fields=tuple(
                        FieldEntry(
                            spec,
                            record.values.get(spec.id),
                            self._value_text(spec, record.values.get(spec.id), people),
                            engine.applies(spec, values),
                        )
                        for spec in step.fields
                    ),
                    materials=tuple(
                        MaterialEntry(m, m.id in record.materials, engine.applies(m, values))
                        for m in step.materials
                    ),
                    eligibility=record.eligibility,
                    eligibility_preview=preview,
                    approval=record.approval,
                    approval_text=(
                        approval_text(record.approval, attachments) if record.approval else ""
                    ),
                    note=record.note,
                    log=tuple(entry for entry in logs if entry.step_id == step.id),
                    rules=tuple((rule_id, rule_titles.get(rule_id)) for rule_id in step.rule_ids),
                    counted_from=counted_from_text(state.procedure, step),
                    # Said while the case is open, of the step being worked and the steps done
                    # (an employer's unequal count is settled at a later step); a closed case's
                    # entries were looked at then, and a registry changed since says nothing.
                    cautions=(
                        tuple(engine.cautions(state, step))
                        if row.status == OPEN and status in (ACTIVE, DONE)
                        else ()
                    ),
                )
            )
        return CaseView(
            row=row,
            state=state,
            person=person,
            enterprise=enterprise,
            now=now,
            deadline_state=case_deadline_state(row, now, self.calendar),
            outcome=engine.case_outcome(state),
            steps=tuple(steps),
            timeline=(
                shown_timeline(self.repo.timeline(case_id), state.procedure) if with_record else ()
            ),
            attachments=attachments,
            earlier_payments=state.earlier_payments if with_record else (),
        )

    def _value_text(self, spec, value: Any, people: dict[int, Person | None]) -> str:
        if spec.type == "person" and value is not None:
            person_id = int(value)
            if person_id not in people:
                people[person_id] = self.registry.person(person_id)
            person = people[person_id]
            return f"{person.name}（{person.masked_id_number}）" if person else "（档案中已无此人）"
        return display_value(spec, value)

    def case_deadline_state(self, row: CaseRow) -> str:
        """Where a listed case stands now (desktop.cases.status.case_deadline_state)."""
        return case_deadline_state(row, self.clock(), self.calendar)

    # --- recording a step --------------------------------------------------------------------

    def _active(self, state: CaseState, step_id: str) -> Step:
        step = state.procedure.step(step_id)
        if state.status != OPEN:
            raise CaseError("案件已办结或终止，不能再修改。")
        if state.record(step_id).status != ACTIVE:
            raise CaseError(f"“{step.title}”不是当前办理的步骤，不能修改。")
        return step

    def save_step(
        self,
        case_id: int,
        step_id: str,
        operator: str,
        values: Mapping[str, Any] | None = None,
        materials: Iterable[str] | None = None,
        note: str | None = None,
        expected_version: int | None = None,
    ) -> None:
        """Record typed values, ticked materials and the note of the current step.

        Every field is checked first; if any is wrong nothing is saved and FieldErrors maps
        each wrong field to its message.
        """
        now = self.clock()
        self._at_desk(operator)
        with self._changing(case_id, expected_version) as (row, state):
            self._save_step(row, state, step_id, operator, now, values, materials, note)

    def correct_step(
        self,
        case_id: int,
        step_id: str,
        operator: str,
        reason: str,
        values: Mapping[str, Any] | None = None,
        materials: Iterable[str] | None = None,
        reversal: str = "",
        expected_version: int | None = None,
    ) -> list[Step]:
        """更正 a done step: its entries are changed with the reason on record (before and
        after), and the done steps whose decisions read what changed go back to 需复核 and
        are done again in their turn (engine.steps_to_review). A step with an approval is
        corrected by someone who may give that approval; money already paid is corrected only
        with a 冲正 entry saying how it was reversed. Returns the steps sent back."""
        now = self.clock()
        desk = self._at_desk(operator)
        reason = _typed(reason, "更正原因", CORRECTION_REASON_LIMIT, multiline=True)
        if not reason:
            raise CaseError("请写明更正的原因，例如：收入证明数字录错，按原件更正。")
        reversal = _typed(reversal, "冲正说明", CORRECTION_REASON_LIMIT, multiline=True)
        with self._changing(case_id, expected_version) as (row, state):
            step = state.procedure.step(step_id)
            if state.status != OPEN:
                raise CaseError("案件已办结或终止，不能再更正。")
            if state.record(step_id).status != DONE:
                raise CaseError(f"“{step.title}”还没有完成，直接修改后保存即可，不需要更正。")
            need = step.approval
            if need is not None and not need.external and not desk.holds(need.authority):
                raise CaseError(
                    f"“{step.title}”是{need.role}的审批，只有有“{need.authority}”角色的人员"
                    f"能更正；请由{need.role}本人办理。"
                )
            paid_before = engine.paid_in(state, [step])  # what was paid, not what is typed
            changed = self._save_step(
                row, state, step_id, operator, now, values, materials, None, correcting=reason
            )
            if not changed:
                raise CaseError("登记内容没有改动，不需要更正。")
            sent_back = engine.steps_to_review(state, step_id, changed)
            paid = paid_before + engine.paid_in(state, [s for s in sent_back if s.id != step_id])
            if paid and not reversal:
                raise CaseError(
                    f"这件案件已经发放了 {format_fen(paid)} 元，更正会让发放重新办理。请先登记"
                    "冲正：写明多发或少发的款项怎样退回或补发（收据、凭证号），再更正。"
                )
            if paid:
                audit.record(
                    self.db, at=now, actor=operator, entity="case", entity_id=case_id,
                    case_id=case_id, action="冲正", field="已发放金额",
                    old=f"{format_fen(paid)} 元", new=reversal,
                )  # fmt: skip
            engine.send_back_for_review(state, sent_back, now)
            engine.forget_prefills(state, changed)
            for again in sent_back:
                if again.hardship_file:
                    # What the step did to the worker's hardship file is not undone by itself:
                    # redoing the step sets it again; a different outcome needs a look.
                    audit.record(
                        self.db, at=now, actor=operator, entity="case", entity_id=case_id,
                        case_id=case_id, action="需核对困难档案", field=again.title,
                        new="本步重新办理；困难档案状态没有自动改回，结果不同时请在职工档案中核对",
                    )  # fmt: skip
            for again in sent_back:
                audit.record(
                    self.db, at=now, actor=operator, entity="case", entity_id=case_id,
                    case_id=case_id, action="需复核", field=again.title,
                    new=f"因“{step.title}”更正，须重新办理",
                )  # fmt: skip
            self._write_state(case_id, state, row.due_at, row)
        return sent_back

    def preview_correction(
        self, case_id: int, step_id: str, values: Mapping[str, Any]
    ) -> tuple[list[str], int]:
        """What correct_step would do with these entries, before the clerk gives the reason:
        the titles of the steps it sends back, and the fen already paid that a 冲正 must cover
        (0: none needed). Entries that cannot be read are left to correct_step to report."""
        _row, state, _, _ = self._load(case_id)
        step = state.procedure.step(step_id)
        record = state.record(step_id)
        specs = {spec.id: spec for spec in step.fields}
        changed = set()
        for key, raw in values.items():
            if key not in specs:
                continue
            try:
                value = clean_field_value(specs[key], raw, today=self.clock().date())
            except FieldError:
                continue
            if value != record.values.get(key):
                changed.add(key)
        if not changed:
            return [], 0
        sent_back = engine.steps_to_review(state, step_id, changed)
        paid = engine.paid_in(state, [step]) + engine.paid_in(
            state, [s for s in sent_back if s.id != step_id]
        )
        return [s.title for s in sent_back], paid

    def _save_step(
        self,
        row: CaseRow,
        state: CaseState,
        step_id: str,
        operator: str,
        now: datetime,
        values: Mapping[str, Any] | None,
        materials: Iterable[str] | None,
        note: str | None,
        correcting: str = "",
    ) -> set[str]:
        """Record entries of the active step, or (``correcting``: the reason) of a done one.
        Returns the ids of the fields whose values changed."""
        case_id = row.id
        step = state.procedure.step(step_id) if correcting else self._active(state, step_id)
        record = state.record(step_id)
        action = f"{step.title}：更正" if correcting else f"{step.title}：登记"
        cleaned: dict[str, Any] = {}
        errors: dict[str, str] = {}
        specs = {spec.id: spec for spec in step.fields}
        for key, raw in (values or {}).items():
            if key not in specs:
                raise CaseError(f"“{step.title}”没有登记项 {key}。")
            saved = record.values.get(key)
            unchanged = saved is not None and raw in (saved, edit_text(specs[key], saved))
            if isinstance(raw, str) and unchanged:
                # Saved before and not changed (as stored, or as the editor showed it): kept as
                # it is, even if a later version of the rules would not accept it typed afresh
                # (the clerk is not made to retype).
                cleaned[key] = saved
                continue
            try:
                cleaned[key] = clean_field_value(specs[key], raw, today=now.date())
            except FieldError as error:
                errors[key] = str(error)
        if note is not None and note != record.note:  # an unchanged note is kept as it is
            try:
                note = clean_text(note, what="备注", limit=NOTE_LIMIT, multiline=True)
            except TextError as error:
                errors["note"] = str(error)
        if errors:
            raise FieldErrors(errors)
        for key, value in cleaned.items():
            chosen = value if specs[key].type == "person" else None
            if chosen is not None and self.registry.person(chosen) is None:
                raise FieldErrors({key: f"{specs[key].label}：找不到所选职工"})
        known_materials = {m.id for m in step.materials}
        ticked = set(materials) if materials is not None else set(record.materials)
        if ticked - known_materials:
            raise CaseError(f"未知材料：{'、'.join(sorted(ticked - known_materials))}")
        changed_fields: set[str] = set()
        if correcting and any(record.values.get(k) != v for k, v in cleaned.items()):
            audit.record(
                self.db, at=now, actor=operator, entity="case", entity_id=case_id,
                case_id=case_id, action=f"{step.title}：更正原因", new=correcting,
            )  # fmt: skip
        for key, value in cleaned.items():
            old = record.values.get(key)
            if old != value:
                changed_fields.add(key)
                audit.record(
                    self.db, at=now, actor=operator, entity="case", entity_id=case_id,
                    case_id=case_id, action=action,
                    field=specs[key].label,
                    old=display_value(specs[key], old), new=display_value(specs[key], value),
                )  # fmt: skip
            record.values[key] = value
        changed = bool(changed_fields)
        if changed_fields and record.approval is not None and not correcting:
            # What the approver signed is not what the step now says: approved again.
            decided = "同意" if record.approval["approved"] else "不同意"
            audit.record(
                self.db, at=now, actor=operator, entity="case", entity_id=case_id,
                case_id=case_id, action=f"{step.title}：审批作废",
                field="、".join(specs[k].label for k in sorted(changed_fields)),
                old=f"{record.approval['approver']}：{decided}", new="登记内容改动，须重新审批",
            )  # fmt: skip
            record.approval = None
        labels = {m.id: m.label for m in step.materials}
        changed = changed or ticked != record.materials
        for added in sorted(ticked - record.materials):
            audit.record(
                self.db, at=now, actor=operator, entity="case", entity_id=case_id,
                case_id=case_id, action=f"{step.title}：收到材料", new=labels[added],
            )  # fmt: skip
        for removed in sorted(record.materials - ticked):
            audit.record(
                self.db, at=now, actor=operator, entity="case", entity_id=case_id,
                case_id=case_id, action=f"{step.title}：取消材料", old=labels[removed],
            )  # fmt: skip
        record.materials = ticked
        if note is not None and note != record.note:
            changed = True
            audit.record(
                self.db, at=now, actor=operator, entity="case", entity_id=case_id,
                case_id=case_id, action=f"{step.title}：备注", old=record.note or None,
                new=note,
            )  # fmt: skip
            record.note = note
        if changed:
            # Whoever records data in a step has a hand in its decision: they may not approve it.
            record.edited_by = operator
            record.editor_ids.add(self._at_desk(operator).id)
        if not correcting:
            self._write_state(case_id, state, row.due_at, row)
        return changed_fields

    def missing(self, case_id: int, step_id: str) -> list[str]:
        _, state, _, _ = self._load(case_id)
        return engine.missing_items(
            state, state.procedure.step(step_id), self.clock(), self.calendar
        )

    def eligibility_preview(self, case_id: int, step_id: str) -> dict[str, Any] | None:
        _, state, _, _ = self._load(case_id)
        return engine.evaluate_eligibility(state, state.procedure.step(step_id))

    def complete_step(
        self, case_id: int, step_id: str, operator: str, expected_version: int | None = None
    ) -> Step | None:
        """Complete the current step; raises engine.StepBlocked listing what is missing.

        A step is completed once: the case is read inside the write transaction, so a second
        window completing the same step at the same moment finds it done and is refused."""
        now = self.clock()
        desk = self._at_desk(operator)
        with self._changing(case_id, expected_version) as (row, state):
            step = self._active(state, step_id)
            skipped_before = {s for s, r in state.steps.items() if r.status == engine.SKIPPED}
            next_step = engine.complete_step(state, step_id, operator, now, self.calendar, desk.id)
            record = state.record(step_id)
            detail = ""
            if record.eligibility is not None:
                verdict = "符合" if record.eligibility["eligible"] else "不符合"
                detail = f"认定{verdict}：{record.eligibility['reason']}"
            audit.record(
                self.db, at=now, actor=operator, entity="case", entity_id=case_id,
                case_id=case_id, action=f"完成：{step.title}", new=detail or None,
            )  # fmt: skip
            skipped = [
                s.title
                for s in state.procedure.steps
                if state.record(s.id).status == engine.SKIPPED and s.id not in skipped_before
            ]
            if skipped:
                audit.record(
                    self.db, at=now, actor=operator, entity="case", entity_id=case_id,
                    case_id=case_id, action="不适用的步骤", new="、".join(skipped),
                )  # fmt: skip
            if state.status == CLOSED:
                audit.record(
                    self.db, at=now, actor=operator, entity="case", entity_id=case_id,
                    case_id=case_id, action="办结",
                )  # fmt: skip
            self._write_state(case_id, state, row.due_at, row)
            self._follow_hardship_file(row, state, step, operator, now)
        return next_step

    def _follow_hardship_file(
        self, row: CaseRow, state: CaseState, step: Step, operator: str, now: datetime
    ) -> None:
        """The worker's hardship file follows the step just completed (desktop.cases.
        hardship_file), in the step's transaction; the change is in the worker's record and in
        the case's."""
        if not step.hardship_file or row.person_id is None:
            return
        person = self.registry.person(row.person_id)
        if person is None:
            return
        change = hardship_file.file_change(step, state.values(), person.hardship_status, now.date())
        if change is None or (change.status, change.review_due) == (
            person.hardship_status, person.hardship_review_due
        ):  # fmt: skip
            return
        self.registry.update_person(
            person.id,
            {"hardship_status": change.status, "hardship_review_due": change.review_due},
            operator,
            now,
        )
        audit.record(
            self.db, at=now, actor=operator, entity="case", entity_id=row.id, case_id=row.id,
            action=f"{step.title}：困难档案", old=person.hardship_status or "无",
            new=change.text,
        )  # fmt: skip

    def approve(
        self,
        case_id: int,
        step_id: str,
        approver: int | ExternalApprover,
        approved: bool,
        opinion: str,
        operator: str,
        on_paper: bool = False,
        scan_attachment_id: int | None = None,
        expected_version: int | None = None,
    ) -> None:
        """Record an approval: ``approver`` is the staff id of the office's approver, or the
        higher union's official (desktop.staff.clean_external_approver); ``operator`` is who
        is at the desk. desktop.cases.engine.record_approval decides whether it is allowed."""
        now = self.clock()
        desk = self._at_desk(operator)
        try:
            opinion = clean_text(opinion, what="审批意见", limit=OPINION_LIMIT, multiline=True)
        except TextError as error:
            raise CaseError(str(error)) from error
        with self._changing(case_id, expected_version) as (row, state):
            step = self._active(state, step_id)
            if scan_attachment_id is not None and scan_attachment_id not in {
                a.id for a in self.repo.attachments(case_id) if a.step_id == step_id
            }:
                # A page attached to another step (an application form, a visit photo) is not
                # the signed approval: the signed page is added on this step.
                raise CaseError(
                    f"所选签字页扫描件不是在“{step.title}”这一步添加的。"
                    "请在本步点“添加附件…”添加签字页扫描件后再选。"
                )
            if isinstance(approver, ExternalApprover):
                signer: Any = approver
                signed_as = f"{approver.name}（{approver.unit}）"
            else:
                signer = self.staff.member(approver)
                if signer is None:
                    raise CaseError("审批人不是本单位登记的工作人员，请从列表中选择。")
                signed_as = signer.label
            try:
                engine.record_approval(
                    state, step_id, signer, desk, approved,
                    opinion, now, on_paper, scan_attachment_id,
                )  # fmt: skip
            except engine.ApprovalRefused as error:
                raise CaseError(str(error)) from error
            decision = "同意" if approved else "不同意"
            # An opinion that only repeats the decision would read "同意：同意" in the timeline.
            said = opinion.strip() if opinion.strip() not in ("", decision) else ""
            recorded = state.record(step_id).approval or {}
            paper = "（纸质签批，附签字页）" if recorded.get("on_paper") else ""
            external = "上级工会审批：" if recorded.get("external") else ""
            audit.record(
                self.db, at=now, actor=operator, entity="case", entity_id=case_id,
                case_id=case_id, action=f"{step.title}：审批", field=f"{external}{signed_as}",
                new=f"{decision}{paper}{'：' + said if said else ''}",
            )  # fmt: skip
            self._write_state(case_id, state, row.due_at, row)

    def add_log_entry(
        self,
        case_id: int,
        step_id: str,
        text: str,
        operator: str,
        expected_version: int | None = None,
    ) -> int:
        now = self.clock()
        self._at_desk(operator)
        with self._changing(case_id, expected_version) as (_row, state):
            step = self._active(state, step_id)
            if not step.log:
                raise CaseError(f"“{step.title}”没有登记记录的栏目。")
            text = _typed(text, step.log, LOG_ENTRY_LIMIT, multiline=True)
            if not text:
                raise CaseError(f"请填写{step.log}的内容。")
            entry_id = self.repo.add_log(case_id, step_id, now, operator, text)
            audit.record(
                self.db, at=now, actor=operator, entity="case", entity_id=case_id,
                case_id=case_id, action=step.log, new=text,
            )  # fmt: skip
        return entry_id

    def attachment_limit_mb(self) -> int:
        """The largest attachment the office accepts, in MB (设置 → 附件大小上限)."""
        return attachments.limit_mb_from_setting(self.settings.get(attachments.SIZE_LIMIT_SETTING))

    def set_attachment_limit_mb(self, limit_mb: int, actor: str = "") -> None:
        limit_mb = attachments.check_limit_mb(limit_mb)
        old = self.attachment_limit_mb()
        with self.db.atomic():
            self.settings.set_many({attachments.SIZE_LIMIT_SETTING: str(limit_mb)})
            if old != limit_mb:
                audit.record(
                    self.db, at=self.clock(), actor=actor or "系统", entity="office",
                    entity_id=0, action="修改附件大小上限", old=f"{old} MB", new=f"{limit_mb} MB",
                )  # fmt: skip

    def attach_file(
        self,
        case_id: int,
        step_id: str,
        source: Path,
        operator: str,
        purpose: str = "",
        expected_version: int | None = None,
    ) -> int:
        """Copy a scan into the data folder under its content hash and list it on the case.

        Only scans and documents (desktop.attachments) up to the office's size limit are taken;
        the file is copied a chunk at a time and the copy stops at the limit."""
        if self.data_dir is None:
            raise CaseError("没有数据文件夹，无法保存附件。")
        now = self.clock()
        self._at_desk(operator)
        self._load(case_id)  # an unknown case is refused before anything is copied
        source = Path(source)
        name = attachments.display_name(source.name)
        digest, size, stored_name = self._store_attachment(source)
        with self._changing(case_id, expected_version):
            attachment_id = self.repo.add_attachment(
                case_id,
                {
                    "step_id": step_id,
                    "file_name": name,
                    "stored_name": stored_name,
                    "sha256": digest,
                    "size": size,
                    "purpose": purpose,
                    "added_at": now,
                    "added_by": operator,
                },
            )
            audit.record(
                self.db, at=now, actor=operator, entity="case", entity_id=case_id,
                case_id=case_id, action="添加附件", new=f"{name}（SHA-256 {digest[:12]}…）",
            )  # fmt: skip
        return attachment_id

    def _store_attachment(self, source: Path) -> tuple[str, int, str]:
        """Copy ``source`` into the attachments folder under its SHA-256, a chunk at a time
        (a scan can be large); (digest, size, stored name). A failed copy leaves nothing.

        The kind is judged by the name before anything is read and by the first bytes before
        anything is written; the copy stops as soon as it passes the office's size limit."""
        assert self.data_dir is not None
        name = source.name
        limit_mb = self.attachment_limit_mb()
        limit = limit_mb * attachments.MB
        folder = self.data_dir / ATTACHMENTS_DIR
        # Named by this process, so a copy cut short by a crash is recognised and removed at the
        # next start (remove_abandoned_copies) while another window's copy in progress is kept.
        partial = folder / f"{PARTIAL_PREFIX}{os.getpid()}-{secrets.token_hex(8)}.part"
        digest = hashlib.sha256()
        size = 0
        try:
            kind = attachments.kind_by_name(name)
            with contextlib.suppress(OSError):  # an unreadable file is reported by open()
                if source.is_file() and source.stat().st_size > limit:
                    raise attachments.too_large(name, source.stat().st_size, limit_mb)
            folder.mkdir(parents=True, exist_ok=True)
            with open(source, "rb") as reader:
                chunk = reader.read(ATTACHMENT_CHUNK)
                if not chunk:
                    raise CaseError(f"文件 {attachments.display_name(name)} 是空的，请重新扫描。")
                attachments.check_head(name, kind, chunk[: attachments.HEAD_BYTES])
                with open(partial, "wb") as writer:
                    while chunk:
                        size += len(chunk)
                        if size > limit:
                            # A file that grew, or whose size the system did not say.
                            raise attachments.too_large(name, size, limit_mb, at_least=True)
                        digest.update(chunk)
                        writer.write(chunk)
                        chunk = reader.read(ATTACHMENT_CHUNK)
                    writer.flush()
                    os.fsync(writer.fileno())
            attachments.check_package(name, kind, partial)
            hexdigest = digest.hexdigest()
            suffix = Path(attachments.display_name(name)).suffix.lower()
            stored_name = f"{hexdigest[:2]}/{hexdigest}{suffix}"
            target = folder / stored_name
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                partial.unlink()
            else:
                partial.replace(target)
        except AttachmentRefused as error:
            with contextlib.suppress(OSError):
                partial.unlink()
            raise CaseError(str(error)) from error
        except OSError as error:
            with contextlib.suppress(OSError):
                partial.unlink()
            if error.filename and Path(error.filename) == source:
                raise CaseError(
                    f"无法读取文件 {source}：{os_error_text(error)}。请检查文件是否还在。"
                ) from error
            raise CaseError(
                f"附件没有保存：写入数据文件夹时出错（{os_error_text(error)}）。"
                "请检查磁盘空间和文件夹权限后再试。"
            ) from error
        except BaseException:
            with contextlib.suppress(OSError):
                partial.unlink()
            raise
        return hexdigest, size, stored_name

    def unlisted_attachment_files(self, listed: set[str]) -> list[str]:
        """Files in the attachments folder that no attachment row names (stored names, e.g.
        "ab/ab12….pdf"), leaving out copies in progress."""
        if self.data_dir is None:
            return []
        folder = self.data_dir / ATTACHMENTS_DIR
        if not folder.is_dir():
            return []
        return sorted(
            name
            for path in folder.rglob("*")
            if path.is_file()
            and not path.name.startswith(PARTIAL_PREFIX)
            and (name := path.relative_to(folder).as_posix()) not in listed
        )

    def remove_abandoned_copies(self) -> int:
        """Delete attachment copies left half-written by a process that is gone (killed, or
        its computer lost power); returns how many. A copy whose process still runs, another
        window's, is kept."""
        if self.data_dir is None:
            return 0
        removed = 0
        for partial in (self.data_dir / ATTACHMENTS_DIR).glob(f"{PARTIAL_PREFIX}*.part"):
            pid = partial.name.removeprefix(PARTIAL_PREFIX).split("-", 1)[0]
            if pid.isdigit() and int(pid) != os.getpid() and not process_alive(int(pid)):
                with contextlib.suppress(OSError):
                    partial.unlink()
                    removed += 1
        return removed

    def attachment_names(self) -> list[str]:
        """The stored name of every attachment file the office's cases list."""
        return self.repo.attachment_names()

    def attachment_path(self, stored_name: str) -> Path:
        assert self.data_dir is not None
        return self.data_dir / ATTACHMENTS_DIR / stored_name

    def terminate(
        self, case_id: int, reason: str, operator: str, expected_version: int | None = None
    ) -> None:
        now = self.clock()
        self._at_desk(operator)
        reason = _typed(reason, "终止办理的原因", TERMINATE_REASON_LIMIT, multiline=True)
        with self._changing(case_id, expected_version) as (_row, state):
            if state.status != OPEN:
                raise CaseError("案件已办结或终止。")
            if not reason:
                raise CaseError("请写明终止办理的原因（如申请人撤回申请）。")
            audit.record(
                self.db, at=now, actor=operator, entity="case", entity_id=case_id,
                case_id=case_id, action="终止办理", new=reason,
            )  # fmt: skip
            self.repo.update_case(
                case_id,
                {
                    "status": TERMINATED,
                    "closed_at": now,
                    "next_due_at": None,
                    # No step is being worked any more; the step list shows where it stopped.
                    "current_step_id": None,
                    "current_step_title": "",
                    "step_due_at": None,
                    "outcome": engine.OUTCOME_TERMINATED,
                },
            )

    # --- the dashboard -----------------------------------------------------------------------

    def dashboard(self) -> dict[str, Any]:
        now = self.clock()
        end_of_today = datetime.combine(now.date(), time(23, 59, 59))
        soon = self.calendar.add(now, SOON_WORKING_DAYS, "工作日").due
        counts = self.repo.due_counts(now, end_of_today, soon)
        counts["reviews_due"] = self.registry.count_reviews_due(now.date() + timedelta(days=30))
        counts["by_responsible"] = self.repo.open_by_responsible(now)
        return counts

    def on_time_rates(self) -> list[dict[str, Any]]:
        names = {item.id: item.name for item in self.book.service_items()}
        return [
            {
                "service_item": item_id,
                "name": names.get(item_id, item_id),
                "served": served,
                "on_time": on_time,
                "rate": on_time / served if served else None,
            }
            for item_id, served, on_time in self.repo.on_time_by_service_item()
        ]

    def _dated(self, filter: CaseFilter) -> CaseFilter:
        """Fill in the moments a deadline filter is measured against (the dashboard's)."""
        if filter.status not in ("overdue", "due_today", "due_soon") or filter.now is not None:
            return filter
        now = self.clock()
        end_of_today = datetime.combine(now.date(), time(23, 59, 59))
        bounds = {"now": now}
        if filter.status == "due_today":
            bounds.update(due_after=now, due_until=end_of_today)
        elif filter.status == "due_soon":
            soon = self.calendar.add(now, SOON_WORKING_DAYS, "工作日").due
            bounds.update(due_after=end_of_today, due_until=soon)
        return CaseFilter(**{**filter.__dict__, **bounds})

    def list_cases(self, filter: CaseFilter, **kwargs) -> list[CaseRow]:
        return self.repo.cases(self._dated(filter), **kwargs)

    def count_cases(self, filter: CaseFilter) -> int:
        return self.repo.count_cases(self._dated(filter))

"""The records casework reads and shows: a case's row, a list filter, log entries, attachments
and audit entries. Plain immutable data; the store fills them, every layer reads them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from desktop.attachments import display_name


def from_iso(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


@dataclass(frozen=True)
class CaseRow:
    id: int
    number: str
    procedure_id: str
    procedure_hash: str
    procedure_title: str
    service_item_id: str
    service_item_name: str
    kind: str
    person_id: int | None
    enterprise_id: int | None
    subject_name: str
    status: str
    current_step_id: str | None
    current_step_title: str
    responsible: str
    opened_at: datetime
    opened_by: str
    time_limit: int
    time_limit_unit: str
    due_at: datetime
    step_due_at: datetime | None
    next_due_at: datetime | None
    served_at: datetime | None
    closed_at: datetime | None
    repeat_of: int | None
    repeat_reason: str
    outcome: str | None = None  # done / refused / terminated once the case has ended
    version: int = 0  # counts the case's changes; a save based on an older one is refused

    @classmethod
    def from_row(cls, row: dict) -> CaseRow:
        values = {k: row[k] for k in cls.__dataclass_fields__}
        for key in (
            "opened_at", "due_at", "step_due_at", "next_due_at", "served_at", "closed_at",
        ):  # fmt: skip
            values[key] = from_iso(row[key])
        return cls(**values)


@dataclass(frozen=True)
class CaseFilter:
    status: str = ""  # open / closed / terminated / overdue, or "" for all
    service_item_id: str = ""
    person_id: int | None = None
    enterprise_id: int | None = None
    text: str = ""  # case number or subject name
    opened_from: date | None = None
    opened_to: date | None = None
    responsible: str = ""
    now: datetime | None = field(default=None, compare=False)  # for "overdue"
    # For "due_today" / "due_soon": open cases whose next deadline falls in (after, until].
    due_after: datetime | None = field(default=None, compare=False)
    due_until: datetime | None = field(default=None, compare=False)


@dataclass(frozen=True)
class LogEntry:
    id: int
    step_id: str
    at: datetime
    author: str
    text: str


@dataclass(frozen=True)
class Attachment:
    id: int
    step_id: str
    file_name: str
    stored_name: str
    sha256: str
    size: int
    purpose: str
    added_at: datetime
    added_by: str

    def __post_init__(self) -> None:
        # The name as every list, the timeline and scripts show it, also for a file listed
        # before names were cleaned when attached.
        object.__setattr__(self, "file_name", display_name(self.file_name))


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    entity: str
    action: str
    field: str
    old_value: str | None
    new_value: str | None


@dataclass(frozen=True)
class EarlierPayment:
    """Money paid to the same person in another case of the same procedure and kind."""

    case_number: str
    paid_on: datetime  # when the step recording it was completed
    amount: int  # fen

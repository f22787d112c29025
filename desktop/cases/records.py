"""The records casework reads and shows: a case's row, a list filter, log entries, attachments
and audit entries. Plain immutable data; the store fills them, every layer reads them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from desktop.attachments import display_name
from desktop.book.search import NUMBER_SEPARATORS, fold, typed_pinyin


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
    text: str = ""  # case number, subject name or its pinyin: see case_search
    opened_from: date | None = None
    opened_to: date | None = None
    responsible: str = ""
    now: datetime | None = field(default=None, compare=False)  # for "overdue"
    # For "due_today" / "due_soon": open cases whose next deadline falls in (after, until].
    due_after: datetime | None = field(default=None, compare=False)
    due_until: datetime | None = field(default=None, compare=False)


@dataclass(frozen=True)
class CaseSearch:
    """What a clerk typed into the case list's search box, read every way it can name a case.

    A case matches when any of these does:
    - ``name``: the text stands anywhere in the subject's name (华 finds 丁华);
    - ``number``: the letters and digits typed, hyphens and spaces dropped, stand anywhere in
      the case number read the same way (bf2026, 20260013, bf-2026-0013 find BF-2026-0013);
      only when a digit is typed, so that dh is pinyin and not the prefix of every DH case;
    - ``serial``: prefix (may be empty), year and serial typed with hyphens, the serial without
      its leading zeros (BF-2026-13, 2026-13 find BF-2026-0013);
    - ``pinyin``: the letters typed (spaces dropped) begin the initials or full pinyin of a
      person's name (dh, ding, dinghua, ding hua find 丁华), or stand anywhere in those of a
      firm's name (hx, huaxin find 示例华欣电子), as on the people page.
    """

    name: str
    number: str | None = None
    serial: tuple[str, int, int] | None = None
    pinyin: str | None = None


# Spaces and every kind of hyphen (the book's rule numbers read them the same way).
_NUMBER_SEPARATORS = re.compile(f"[\\s{NUMBER_SEPARATORS}]+")
# PREFIX-YEAR-SERIAL with the serial's leading zeros left out: bf-2026-13, 2026-13.
_SHORT_NUMBER = re.compile(r"(?:([a-z]+)-?)?([0-9]{4})-([0-9]{1,6})")


def case_search(text: str) -> CaseSearch | None:
    """How the case list reads ``text`` typed into its search box; None when it is blank."""
    name = text.strip()
    if not name:
        return None
    hyphenated = _NUMBER_SEPARATORS.sub("-", fold(name)).strip("-")
    compact = hyphenated.replace("-", "")
    number = compact.upper() if compact.isascii() and compact.isalnum() else None
    if number is not None and not any(ch.isdigit() for ch in number):
        number = None
    short = _SHORT_NUMBER.fullmatch(hyphenated)
    serial = (
        ((short.group(1) or "").upper(), int(short.group(2)), int(short.group(3)))
        if short
        else None
    )
    return CaseSearch(name=name, number=number, serial=serial, pinyin=typed_pinyin(name))


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

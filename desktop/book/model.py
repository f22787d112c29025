"""Plain data for the book, shared by the loader, the store, the CLI and the window."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

# 工作日 counts official working days (holidays and adjusted weekends), 自然日 calendar days.
TIME_LIMIT_UNITS = ("工作日", "自然日", "小时")
# The longest time limit a book may set, in any unit (the shipped book's longest is 90 自然日):
# counting a deadline walks the calendar day by day, so 99,999,999 工作日 would never end.
MAX_TIME_LIMIT = 3650

# How sure the book is of a rule, shown beside its source:
# 国家规定 — it restates a national law, regulation or the union charter, named in its source;
# 地方默认 — it holds the county's own choices (amounts, time limits, practice) it may change;
# 待核实 — its national source could not be checked against the public text yet.
STATUS_NATIONAL = "国家规定"
STATUS_LOCAL = "地方默认"
STATUS_UNVERIFIED = "待核实"
RULE_STATUSES = (STATUS_NATIONAL, STATUS_LOCAL, STATUS_UNVERIFIED)


@dataclass(frozen=True)
class Rule:
    id: str
    work_item_id: str
    title: str
    text: str
    source: str
    effective: date
    tags: tuple[str, ...] = ()
    # One of RULE_STATUSES. Nothing is claimed as national law unless the file says so.
    status: str = STATUS_UNVERIFIED

    @property
    def local_default(self) -> bool:
        """A local choice (an amount, a time limit) that the county union adjusts, not law."""
        return self.status == STATUS_LOCAL


@dataclass(frozen=True)
class WorkItem:
    id: str
    title: str
    section: str
    summary: str
    rules: tuple[Rule, ...] = ()


@dataclass(frozen=True)
class ServiceCategory:
    id: str
    name: str


@dataclass(frozen=True)
class ServiceItem:
    id: str
    category_id: str
    name: str
    standard: str
    time_limit: int
    time_limit_unit: str
    responsible_role: str
    work_item_id: str
    rule_ids: tuple[str, ...] = ()
    local_default: bool = False
    # The person the office put in charge; kept by the office, not by the book.
    responsible_person: str = ""

    @property
    def time_limit_text(self) -> str:
        """As a clerk says it: 10 个工作日, 20 个自然日, 24 小时."""
        if self.time_limit_unit == "小时":
            return f"{self.time_limit} 小时"
        return f"{self.time_limit} 个{self.time_limit_unit}"


@dataclass(frozen=True)
class Synonym:
    """A word clerks type that the rules put otherwise (婚丧), and what to search for instead:
    each entry of ``search_for`` is searched as if typed into the box (结婚; 去世 慰问)."""

    word: str
    search_for: tuple[str, ...]


@dataclass(frozen=True)
class Book:
    title: str
    version: str
    issuer: str
    effective: date
    note: str = ""
    work_items: tuple[WorkItem, ...] = ()
    service_categories: tuple[ServiceCategory, ...] = ()
    service_items: tuple[ServiceItem, ...] = ()
    procedures: tuple[Any, ...] = ()  # desktop.book.procedures.Procedure
    synonyms: tuple[Synonym, ...] = ()
    # Fingerprint of the source files, so an unchanged book is not imported again.
    content_hash: str = field(default="", compare=False)

    @property
    def rules(self) -> list[Rule]:
        return [rule for item in self.work_items for rule in item.rules]

    def procedure_for(self, service_item_id: str) -> Any:
        """The procedure that serves a checklist item (every item has exactly one)."""
        for procedure in self.procedures:
            if service_item_id in procedure.serves:
                return procedure
        raise KeyError(service_item_id)

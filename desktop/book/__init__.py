"""The county union's book: work items and their rules, and the service checklist (no Qt)."""

from desktop.book.model import (
    TIME_LIMIT_UNITS,
    Book,
    Rule,
    ServiceCategory,
    ServiceItem,
    WorkItem,
)

__all__ = [
    "TIME_LIMIT_UNITS",
    "Book",
    "Rule",
    "ServiceCategory",
    "ServiceItem",
    "WorkItem",
]

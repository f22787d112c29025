"""A worker's hardship file (困难档案) following their case: what completing a step does to it.

The procedure says it ([[steps.hardship_file]] in resources/book/procedures/*.toml): a family
whose recognition is final is filed (建档) with its next yearly review, a return visit that finds
the family still in hardship keeps the file (在档) and moves the review, one that finds the
hardship over ends it (脱困). A refusal names no rule, so it leaves the file as it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop.book.procedures import Step
from desktop.formatting import chinese_date
from desktop.registry import ACTIVE_HARDSHIP, review_due_after

FILED, KEPT = "建档", "在档"


@dataclass(frozen=True)
class FileChange:
    status: str
    review_due: date | None  # None: the file is no longer under care, nothing to review

    @property
    def text(self) -> str:
        """As the case's record and the clerk read it."""
        if self.review_due is None:
            return self.status
        return f"{self.status}，下次年度复核 {chinese_date(self.review_due)}"


def file_change(
    step: Step, values: Mapping[str, Any], current_status: str, done_on: date
) -> FileChange | None:
    """What completing ``step`` on ``done_on`` does to a file now at ``current_status``, given the
    case's values (desktop.cases.engine.CaseState.values); None when no rule of the step holds.

    Filing a family already under care keeps it under care: 建档 becomes 在档."""
    for rule in step.hardship_file:
        if rule.when is not None and not rule.when.holds(values):
            continue
        status = rule.status
        if status == FILED and current_status in ACTIVE_HARDSHIP:
            status = KEPT
        if status in ACTIVE_HARDSHIP:
            assert rule.review_months is not None
            return FileChange(status, review_due_after(done_on, rule.review_months))
        return FileChange(status, None)
    return None

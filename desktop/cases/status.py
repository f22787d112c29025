"""What a case or a step is called and how urgent it looks: one table and one decision for every
screen, sheet and command.

``case_deadline_state`` is the only place that decides whether a case is 已超期, 今日到期,
即将到期, 按时办结 or 超期办结; the case header, the step list, the case list, the dashboard, the
people page and ``uniondesk case list/show`` all ask it. Colours are the window's business; here
a state has a *tone* (urgent, warning, calm, muted) that the window maps to a colour once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from desktop.cases.calendar import (
    STATE_LABELS,
    Deadline,
    DeadlineState,
    WorkCalendar,
    deadline_state,
)
from desktop.cases.records import CaseRow

PENDING, ACTIVE, DONE, SKIPPED = "pending", "active", "done", "skipped"
# A done step whose decision read something corrected since: it is done again in its turn.
REVIEW = "review"
STEP_STATUS_LABELS: Final = {
    PENDING: "未开始",
    ACTIVE: "办理中",
    DONE: "已完成",
    SKIPPED: "不适用",
    REVIEW: "需复核",
}
OPEN, CLOSED, TERMINATED = "open", "closed", "terminated"
CASE_STATUS_LABELS: Final = {OPEN: "办理中", CLOSED: "已办结", TERMINATED: "已终止"}

# A terminated case has no deadline state of its own; lists show it as such.
TERMINATED_STATE: Final = "terminated"
DEADLINE_LABELS: Final = {**STATE_LABELS, TERMINATED_STATE: "已终止"}

# How a case ended: served as asked, refused (ineligible or approval refused), or stopped.
OUTCOME_DONE, OUTCOME_REFUSED, OUTCOME_TERMINATED = "done", "refused", "terminated"
OUTCOME_LABELS: Final = {
    OUTCOME_DONE: "已办结",
    OUTCOME_REFUSED: "不予办理",
    OUTCOME_TERMINATED: "已终止",
}

# Tones: how loudly a state should be shown.
URGENT, WARNING, CALM, ACTIVE_TONE, MUTED = "urgent", "warning", "calm", "active", "muted"
DEADLINE_TONES: Final = {
    DeadlineState.OVERDUE: URGENT,
    DeadlineState.DUE_TODAY: WARNING,
    DeadlineState.DUE_SOON: WARNING,
    DeadlineState.ON_TRACK: CALM,
    DeadlineState.DONE_ON_TIME: MUTED,
    DeadlineState.DONE_LATE: MUTED,
    TERMINATED_STATE: MUTED,
}


def case_deadline_state(row: CaseRow, now: datetime, calendar: WorkCalendar) -> str:
    """Where the case stands against its deadlines at ``now``: a DeadlineState value, or
    TERMINATED_STATE.

    An open case is measured by its nearest running deadline (the current step's or the
    service's); once the service is done (paid, refused, served) the promise to the worker is
    kept or broken, even while a follow-up step still runs.
    """
    if row.status == TERMINATED:
        return TERMINATED_STATE
    if row.status == OPEN and row.next_due_at is not None:
        nearest = Deadline(row.next_due_at, row.time_limit_unit, row.time_limit)
        return deadline_state(nearest, now, None, calendar)
    service = Deadline(row.due_at, row.time_limit_unit, row.time_limit)
    return deadline_state(service, now, row.served_at or row.closed_at, calendar)


def case_status_text(status: str, state: str) -> str:
    """Short words for a list: 办理中, 已超期, 今日到期, 即将到期, 已办结, 超期办结 or 已终止."""
    if status == OPEN and state != DeadlineState.ON_TRACK and state in DEADLINE_LABELS:
        return DEADLINE_LABELS[state]
    if status == CLOSED and state == DeadlineState.DONE_LATE:
        return DEADLINE_LABELS[state]
    return CASE_STATUS_LABELS.get(status, status)


def case_tone(state: str) -> str:
    return DEADLINE_TONES.get(state, CALM)

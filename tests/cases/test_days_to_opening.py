"""``<date field>.days_to_opening``: whole days from a recorded date to the day the case was
opened, derived for every date field and usable in conditions, checks and reasons.

The count depends only on the case (its opening day and what was recorded), never on today's
date, so the same case gives the same answer whenever it is looked at.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from desktop.book.conditions import OPENED_ON, lookup, parse_condition
from desktop.book.loader import BookError, read_stored_procedure
from desktop.cases import engine
from desktop.cases.calendar import WorkCalendar

CLAIM = """
id = "claim"
title = "申领"
version = "1"
subject = "person"
case_prefix = "SL"
serves = ["BF-07"]
summary = "测试用。"

[[params]]
id = "window"
label = "申领期限（日）"
type = "number"
value = 180

[[steps]]
id = "application"
title = "受理"
role = "工会专干"
instructions = "登记出院日期。"

[[steps.fields]]
id = "discharge_date"
label = "出院日期"
type = "date"
required = true

[[steps.fields]]
id = "hospital"
label = "住院医院"
type = "text"

[[steps.checks]]
block_when = "discharge_date.days_to_opening < 0"
message = "出院日期 {discharge_date} 晚于受理日期，请核对。"

[[steps]]
id = "decision"
title = "初审"
role = "工会专干"
instructions = "按出院日期认定。"

[[steps.eligibility]]
when = "discharge_date.days_to_opening > param.window"
eligible = false
reason = "出院至受理已 {discharge_date.days_to_opening} 日，超过 {param.window} 日。"

[[steps.eligibility]]
eligible = true
reason = "出院至受理 {discharge_date.days_to_opening} 日，在期限内。"
"""

OPENED = datetime(2026, 11, 20, 9, 30)


def case_with(discharge: str | None, opened: datetime = OPENED) -> engine.CaseState:
    procedure = read_stored_procedure(CLAIM)
    case = engine.CaseState(procedure, "", opened, {}, {})
    engine.start(case, opened)
    if discharge is not None:
        case.record("application").values["discharge_date"] = discharge
    return case


def test_the_count_runs_from_the_recorded_date_to_the_opening_day():
    values = {"discharge_date": "2026-03-01", OPENED_ON: date(2026, 11, 20)}
    name = "discharge_date.days_to_opening"
    assert lookup(values, name) == 264
    # A date after the opening day counts backwards; the same day is 0.
    assert lookup({**values, "discharge_date": "2026-11-25"}, name) == -5
    assert lookup({**values, "discharge_date": "2026-11-20"}, name) == 0


def test_an_unrecorded_date_or_opening_day_decides_nothing():
    condition = parse_condition("discharge_date.days_to_opening > 180")
    assert condition.evaluate({OPENED_ON: date(2026, 11, 20)}) is None
    assert condition.evaluate({"discharge_date": "2026-03-01"}) is None
    assert condition.evaluate({"discharge_date": "不是日期", OPENED_ON: date(2026, 11, 20)}) is None


def test_two_counts_subtract_to_the_days_between_their_dates():
    values = {
        "notice_date": "2026-12-01",
        "meeting_date": "2026-12-06",
        OPENED_ON: date(2026, 11, 20),
    }
    gap = "notice_date.days_to_opening - meeting_date.days_to_opening"
    assert parse_condition(f"{gap} < 7").holds(values)
    assert not parse_condition(f"{gap} < 7").holds({**values, "meeting_date": "2026-12-08"})


def test_the_case_gives_its_opening_day_not_todays_date():
    case = case_with("2026-03-01")
    assert lookup(case.values(), "discharge_date.days_to_opening") == 264
    # The same record in a case opened a month earlier is a month nearer its discharge.
    earlier = case_with("2026-03-01", opened=datetime(2026, 10, 21, 16, 0))
    assert lookup(earlier.values(), "discharge_date.days_to_opening") == 234
    # An entry merged in before it is saved (a form being filled in) is counted the same way.
    typed = {**case_with(None).values(), "discharge_date": "2026-11-10"}
    assert lookup(typed, "discharge_date.days_to_opening") == 10


@pytest.mark.parametrize(
    ("discharge", "eligible", "reason"),
    [
        ("2026-03-01", False, "出院至受理已 264 日，超过 180 日。"),
        ("2026-05-23", False, "出院至受理已 181 日，超过 180 日。"),
        ("2026-05-24", True, "出院至受理 180 日，在期限内。"),
    ],
)
def test_eligibility_reads_and_reports_the_count(discharge, eligible, reason):
    case = case_with(discharge)
    step = case.procedure.step("decision")
    assert engine.evaluate_eligibility(case, step) == {
        "eligible": eligible,
        "level": "",
        "reason": reason,
    }


def test_a_check_on_the_count_blocks_the_step_with_its_message():
    calendar = WorkCalendar()
    case = case_with("2026-11-25")
    step = case.procedure.step("application")
    assert engine.missing_items(case, step, OPENED, calendar) == [
        "出院日期 2026年11月25日 晚于受理日期，请核对。"
    ]
    case.record("application").values["discharge_date"] = "2026-11-19"
    assert engine.missing_items(case, step, OPENED, calendar) == []


def test_only_date_fields_have_a_count():
    broken = CLAIM.replace(
        'block_when = "discharge_date.days_to_opening < 0"',
        'block_when = "hospital.days_to_opening < 0"',
    )
    with pytest.raises(BookError) as caught:
        read_stored_procedure(broken)
    [problem] = caught.value.problems
    assert "不认识的名称：hospital.days_to_opening" in str(problem)
    assert "日期字段编号.days_to_opening" in str(problem)

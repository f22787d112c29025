"""A waiting period (公示) names the first day the step can be completed, and that is exactly the
day complete_step first lets it through: blocked to the last minute of the day before, open from
the first minute of the day itself, over weekends and public holidays, in working and natural
days; a wait in hours names the minute."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from desktop.book.loader import FIELD_NAMES
from desktop.book.procedures import ProcedureReader
from desktop.cases import engine
from desktop.cases.calendar import WorkCalendar
from desktop.tomlsource import SourceFile

CLERK = "李红梅"
CALENDAR = WorkCalendar()  # the national calendar: 2026 is known to chinesecalendar

PROCEDURE = """
id = "notice_only"
title = "公示"
version = "1"
subject = "person"
case_prefix = "GS"
serves = ["BF-01"]
summary = "只有一步公示。"

[[steps]]
id = "notice"
title = "张榜公示"
role = "工会专干"
instructions = "公示。"
hold = {{ limit = {limit}, unit = "{unit}" }}

[[steps]]
id = "visit"
title = "回访"
role = "工会专干"
instructions = "回访。"

[[steps.fields]]
id = "visit_date"
label = "回访日期"
type = "date"
not_future = true
"""


def started_case(limit: int, unit: str, started: datetime) -> engine.CaseState:
    problems: list[tuple[int, str]] = []
    text = PROCEDURE.format(limit=limit, unit=unit)
    reader = SourceFile(text, lambda line, message: problems.append((line, message)), FIELD_NAMES)
    procedure = ProcedureReader(reader).read()
    assert procedure is not None, problems
    case = engine.CaseState(procedure, "", started, {}, {})
    engine.start(case, started)
    return case


@pytest.mark.parametrize(
    ("started", "limit", "unit", "first", "said"),
    [
        # Thursday 5 March; counted Fri 6, Mon 9, Tue 10: the weekend is not counted.
        (datetime(2026, 3, 5, 9), 3, "工作日", datetime(2026, 3, 11), "2026年3月11日起可完成本步"),
        # Tuesday 29 September; counted Wed 30, Thu 8 and Fri 9 October after the National Day
        # holiday; Saturday 10 October is a working day in exchange, and the first one open.
        (
            datetime(2026, 9, 29, 9),
            3,
            "工作日",
            datetime(2026, 10, 10),
            "2026年10月10日起可完成本步",
        ),
        # Natural days whose last day is a Saturday end on Monday 9 March (民法典 第203条).
        (datetime(2026, 3, 5, 9), 2, "自然日", datetime(2026, 3, 10), "2026年3月10日起可完成本步"),
        # Natural days whose last day, 3 October, is in the holiday end on Thursday 8 October.
        (datetime(2026, 9, 28, 9), 5, "自然日", datetime(2026, 10, 9), "2026年10月9日起可完成本步"),
        # 15 natural days from Monday 2 March: the 17th is a Tuesday, so the 18th is the first.
        (datetime(2026, 3, 2, 9), 15, "自然日", datetime(2026, 3, 18), "2026年3月18日起可完成本步"),
        # Hours: 48 of them from Monday 10:00 are over on Wednesday at 10:00.
        (
            datetime(2026, 3, 2, 10),
            48,
            "小时",
            datetime(2026, 3, 4, 10),
            "2026年3月4日 10:00起可完成本步",
        ),
    ],
    ids=[
        "working-days-over-a-weekend",
        "working-days-over-national-day",
        "natural-days-ending-on-a-saturday",
        "natural-days-ending-in-a-holiday",
        "natural-days-on-weekdays",
        "hours",
    ],
)
def test_the_wait_names_the_first_day_complete_step_lets_it_through(
    started, limit, unit, first, said
):
    case = started_case(limit, unit, started)
    step = case.procedure.step("notice")
    hold_ends = engine.hold_end(case, step, CALENDAR)
    assert hold_ends is not None
    assert engine.completable_text(hold_ends) == said
    assert engine.completable_from(hold_ends) == first.date()

    just_before = first - timedelta(minutes=1)  # 23:59 of the day before (09:59 for hours)
    assert step.hold is not None
    expected = f"等待期 {step.hold.text}未满：{said}"  # 等待期 3 个工作日未满：…起可完成本步
    assert engine.missing_items(case, step, just_before, CALENDAR) == [expected]
    with pytest.raises(engine.StepBlocked):
        engine.complete_step(case, "notice", CLERK, just_before, CALENDAR)

    assert engine.missing_items(case, step, first, CALENDAR) == []
    engine.complete_step(case, "notice", CLERK, first, CALENDAR)
    assert case.record("notice").status == "done"


def test_a_day_the_step_waits_out_is_waited_out_whole():
    # Tuesday 10 March is the last day of the notice: still blocked in its last second.
    case = started_case(3, "工作日", datetime(2026, 3, 5, 9))
    last_second = datetime.combine(datetime(2026, 3, 10), time(23, 59, 59, 500_000))
    with pytest.raises(engine.StepBlocked, match="2026年3月11日起可完成本步"):
        engine.complete_step(case, "notice", CLERK, last_second, CALENDAR)


def test_a_date_of_something_done_that_is_still_to_come_holds_the_step():
    # Saved before the field refused the future (or under a clock set wrong): the step waits.
    case = started_case(1, "工作日", datetime(2026, 3, 2, 9))
    engine.complete_step(case, "notice", CLERK, datetime(2026, 3, 4, 9), CALENDAR)
    case.record("visit").values["visit_date"] = "2026-03-05"
    step = case.procedure.step("visit")
    assert engine.missing_items(case, step, datetime(2026, 3, 4, 18), CALENDAR) == [
        "回访日期 2026年3月5日 还没到（今天是 2026年3月4日），请填写已经发生的日期。"
    ]
    assert engine.missing_items(case, step, datetime(2026, 3, 5, 8), CALENDAR) == []

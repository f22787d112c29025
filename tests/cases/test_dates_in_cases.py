"""Dates typed into a case and into the register: any form a clerk types is stored as ISO and
reads 2026年3月2日 everywhere; a date of something already done cannot be after the service's
today (the clock passed in, never this computer's)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from desktop.cases.service import FieldErrors
from desktop.office import Office
from desktop.registry import RecordError, clean_enterprise, clean_person
from tests.cases.procedure_driver import CHAIR, CLERK, make_person, run_case
from tests.cases.test_casework import run_to_assessment

TODAY = date(2026, 3, 2)  # the clock fixture's Monday


def refusal_case(office, clock):
    """A case at 告知不予救助, whose 告知日期 (told_on) is a plain date field."""
    case = run_to_assessment(office, clock, income="900")
    assert office.cases.view(case.id).row.current_step_id == "refusal"
    return case


@pytest.mark.parametrize(
    "typed",
    [
        "2026年3月2日",
        "2026-03-02",
        "2026/3/2",
        "2026.03.02",
        "20260302",
        "２０２６年３月２日",
        " 2026-3-2 ",
    ],  # fmt: skip
)
def test_a_date_typed_in_any_form_is_stored_as_iso_and_reads_in_chinese(case_office, clock, typed):
    case = refusal_case(case_office, clock)
    case_office.cases.save_step(case.id, "refusal", CLERK, {"told_on": typed})
    view = case_office.cases.view(case.id)
    entry = view.step("refusal").fields[0]
    assert (entry.value, entry.text) == ("2026-03-02", "2026年3月2日")
    logged = [e for e in view.timeline if e.field == "告知日期"]
    assert [(e.old_value, e.new_value) for e in logged] == [("", "2026年3月2日")]


def test_a_date_sent_back_as_the_editor_shows_it_is_not_a_change(case_office, clock):
    case = refusal_case(case_office, clock)
    case_office.cases.save_step(case.id, "refusal", CLERK, {"told_on": "2026-03-02"})
    case_office.cases.save_step(case.id, "refusal", CLERK, {"told_on": "2026年3月2日"})
    view = case_office.cases.view(case.id)
    assert view.state.record("refusal").values["told_on"] == "2026-03-02"
    assert len([e for e in view.timeline if e.field == "告知日期"]) == 1


def test_an_impossible_date_is_refused_naming_the_field(case_office, clock):
    case = refusal_case(case_office, clock)
    with pytest.raises(FieldErrors) as refused:
        case_office.cases.save_step(case.id, "refusal", CLERK, {"told_on": "2026-02-30"})
    assert refused.value.errors == {
        "told_on": "告知日期：“2026-02-30”这一天不存在：2026年2月只有 28 天"
    }
    view = case_office.cases.view(case.id)
    assert "told_on" not in view.state.record("refusal").values


@pytest.fixture
def shipped_office(tmp_path, clock):
    with Office.open(tmp_path / "data") as office:
        office.set_up("示例镇总工会", [(CLERK, "工会专干"), (CHAIR, "工会主席")])
        office.cases.clock = clock
        yield office


def test_a_home_visit_still_to_come_is_refused_and_one_done_today_is_kept(shipped_office, clock):
    person = make_person(shipped_office)
    view = run_case(shipped_office, clock, "BF-01", {"person_id": person}, stop_before="home_visit")
    service = shipped_office.cases
    with pytest.raises(FieldErrors) as refused:
        service.save_step(view.row.id, "home_visit", CLERK, {"visit_date": "2026年3月5日"})
    assert refused.value.errors == {
        "visit_date": "走访日期 2026年3月5日 还没到（今天是 2026年3月2日），请填写已经发生的日期。"
    }
    # Today by the service's clock, whatever this computer's calendar says.
    service.save_step(view.row.id, "home_visit", CLERK, {"visit_date": "2026.3.2"})
    clock.advance(days=3)
    service.save_step(view.row.id, "home_visit", CLERK, {"visit_date": "2026年3月5日"})
    record = service.view(view.row.id).state.record("home_visit")
    assert record.values["visit_date"] == "2026-03-05"


def test_a_planned_meeting_may_be_in_the_future(shipped_office, clock):
    procedure = shipped_office.cases.procedure_for("ZZ-05")
    notice = procedure.step("notice")
    by_id = {spec.id: spec for spec in notice.fields}
    assert by_id["notice_date"].not_future and not by_id["meeting_date"].not_future


def test_register_dates_take_every_form_and_refuse_what_has_not_happened():
    values = clean_person({"hardship_review_due": "２０２７年３月１日"}, TODAY)
    assert values == {"hardship_review_due": date(2027, 3, 1)}  # a review due next year
    with pytest.raises(RecordError) as wrong:
        clean_person({"hardship_review_due": "27-03-01"}, TODAY)
    assert wrong.value.field == "hardship_review_due"
    assert str(wrong.value).startswith("档案年度复核日期：“27-03-01”的年份只写了 27")
    since = clean_enterprise({"headcount_25_since": "2025.6.1"}, TODAY)
    assert since == {"headcount_25_since": date(2025, 6, 1)}
    with pytest.raises(RecordError) as future:
        clean_enterprise({"headcount_25_since": "2026-03-03"}, TODAY)
    assert str(future.value) == (
        "职工人数达到 25 人的日期 2026年3月3日 还没到（今天是 2026年3月2日），"
        "请填写已经发生的日期。"
    )


def test_no_date_here_comes_from_this_computers_calendar(shipped_office, clock):
    clock.now = datetime(2031, 6, 9, 9, 0)  # years from the day the suite runs
    person = make_person(shipped_office)
    view = run_case(shipped_office, clock, "BF-01", {"person_id": person}, stop_before="home_visit")
    shipped_office.cases.save_step(view.row.id, "home_visit", CLERK, {"visit_date": "2031-06-09"})

"""A worker's hardship file (困难档案) follows their hardship-aid case, as the book says (W06-08,
W06-10): filed when the recognition is final, kept and its review moved at the return visit,
ended when the hardship is over, untouched by a refusal."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from desktop.office import Office
from desktop.registry import review_due_after
from tests.cases.procedure_driver import CHAIR, CLERK, make_person, path, run_case

NOW = datetime(2026, 1, 1, 9, 0)
# A family not yet filed, below the minimum living standard: 深度困难.
NEW_FAMILY = {
    "excluded_assets": False,
    "visit_conclusion": "情况属实",
    "hardship_cause": "本人或家庭成员患大病",
    "has_hardship_file": False,
    "pay_method": "银行转账",
}
FILED_FAMILY = {**NEW_FAMILY, "has_hardship_file": True}
STILL_IN_HARDSHIP = "困难状况未变，继续建档帮扶"


@pytest.fixture
def office(tmp_path, clock):
    with Office.open(tmp_path / "data") as office:
        office.set_up("示例镇总工会", [(CLERK, "工会专干"), (CHAIR, "工会主席")], NOW)
        office.cases.clock = clock
        yield office


def worker(office, sequence: int, status: str = "", review: str = "") -> int:
    person_id = make_person(office, income="600", sequence=sequence, status=status)
    if review:
        office.registry.update_person(
            person_id, {"hardship_review_due": date.fromisoformat(review)}, CLERK, NOW
        )
    return person_id


def file_of(office, person_id: int) -> tuple[str, date | None]:
    person = office.registry.person(person_id)
    return person.hardship_status, person.hardship_review_due


def done_on(view, step_id: str) -> date:
    return view.state.record(step_id).completed_at.date()


# Recognised as 深度困难 and approved, a new family is not filed yet: the county union reviews
# it first. Once the county agrees it is 建档, reviewed a year after that day; the case record
# says so too.
def test_a_new_family_is_filed_when_the_county_confirms_it(office, clock):
    waiting = worker(office, 11)
    view = run_case(
        office, clock, "BF-01", {"person_id": waiting}, NEW_FAMILY, stop_before="county_review"
    )
    assert view.state.record("eligibility").eligibility["level"] == "深度困难"
    assert file_of(office, waiting) == ("", None)

    filed = worker(office, 13)
    view = run_case(office, clock, "BF-01", {"person_id": filed}, NEW_FAMILY, stop_before="payment")
    confirmed = done_on(view, "county_review")
    a_year_on = date(confirmed.year + 1, confirmed.month, confirmed.day)
    assert file_of(office, filed) == ("建档", a_year_on)
    (entry,) = [e for e in view.timeline if e.action.endswith("困难档案")]
    assert entry.action == "上级工会复核（新建档家庭）：困难档案"
    assert entry.old_value == "无"
    day = f"{a_year_on.year}年{a_year_on.month}月{a_year_on.day}日"
    assert entry.new_value == f"建档，下次年度复核 {day}"


# The return visit finding the family still in hardship keeps the file and moves its review
# to a year after the visit.
def test_the_return_visit_keeps_the_file_and_moves_its_review(office, clock):
    person = worker(office, 11)
    values = {**NEW_FAMILY, "follow_up_result": STILL_IN_HARDSHIP}
    view = run_case(office, clock, "BF-01", {"person_id": person}, values)
    assert path(view)[-1] == "follow_up"
    visited = done_on(view, "follow_up")
    assert visited > done_on(view, "county_review")
    assert file_of(office, person) == ("在档", review_due_after(visited))


# A family filed before gets aid again: approved, its file stays 在档 with the review a year
# after the approval (the home visit and recognition were a review), with no county review.
def test_a_filed_family_approved_again_stays_filed_with_its_review_moved(office, clock):
    person = worker(office, 11, status="建档", review="2026-02-01")
    subject = {"person_id": person}
    view = run_case(office, clock, "BF-01", subject, FILED_FAMILY, stop_before="payment")
    assert "county_review" not in path(view)
    assert file_of(office, person) == ("在档", review_due_after(done_on(view, "approval")))


# The return visit finding the hardship over: 脱困, nothing left to review.
def test_the_hardship_over_at_the_return_visit_ends_the_file(office, clock):
    person = worker(office, 11, status="在档", review="2026-02-01")
    values = {**FILED_FAMILY, "follow_up_result": "困难情形消除，办理解困脱困"}
    run_case(office, clock, "BF-01", {"person_id": person}, values)
    assert file_of(office, person) == ("脱困", None)


# A refusal leaves the file as it was: not recognised, or recognised but not approved by the
# chair (which is why recognition alone does not file a family).
@pytest.mark.parametrize(
    ("values", "approvals"),
    [
        ({**NEW_FAMILY, "visit_conclusion": "与申报情况不符"}, {}),
        (NEW_FAMILY, {"approval": False}),
        (FILED_FAMILY, {"approval": False}),
    ],
    ids=["not-recognised", "new-family-refused", "filed-family-refused"],
)
def test_a_refusal_leaves_the_file_as_it_was(office, clock, values, approvals):
    before = ("脱困", None) if not values["has_hardship_file"] else ("在档", date(2026, 2, 1))
    person = worker(office, 11, status=before[0], review=str(before[1] or ""))
    view = run_case(office, clock, "BF-01", {"person_id": person}, values, approvals)
    assert path(view)[-1] == "refusal_notice" and view.outcome == "refused"
    assert file_of(office, person) == before
    assert not [e for e in view.timeline if e.action.endswith("困难档案")]


def test_a_review_a_year_on_from_a_leap_day_falls_on_the_last_of_february():
    assert review_due_after(date(2028, 2, 29)) == date(2029, 2, 28)
    assert review_due_after(date(2026, 11, 20)) == date(2027, 11, 20)

"""The demo office has the same shape whatever the day and hour it is built.

A newcomer's first look is the dashboard: overdue work, work due now, refusals, a withdrawal, a
late finish. The demo places those cases relative to the moment it is built for, so they are
there by construction; these tests build it at awkward moments to prove it.
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime

import pytest
from stdnum.cn import uscc as credit_code

from desktop.cases.calendar import DeadlineState
from desktop.demo import DEMO_COUNTY_OFFICIAL, DEMO_STAFF_BY_ROLE, DemoSize, fill_demo_office
from desktop.office import Office
from desktop.store.case_repo import CaseFilter
from tests.shared import DEMO_NOW

SMALL = DemoSize(people=20, enterprises=4, cases=30)

MOMENTS = [
    datetime(2026, 11, 30, 9, 15),  # a weekday morning, an hour into the day
    datetime(2026, 11, 30, 8, 5),  # before the office has been open an hour
    datetime(2026, 11, 29, 22, 30),  # a Sunday night
    datetime(2026, 10, 3, 11, 0),  # inside the National Day holiday
    datetime(2027, 2, 10, 9, 0),  # Spring Festival week of a year chinesecalendar lacks
    datetime(2028, 1, 3, 8, 30),
    datetime(2026, 1, 1, 0, 5),  # just after midnight on New Year's Day
]


def shape(office: Office, now: datetime) -> dict[str, int]:
    service = office.cases
    service.clock = lambda: now
    closed = service.list_cases(CaseFilter(status="closed"), limit=-1)
    refused = 0
    for row in closed:
        records = service.view(row.id).state.steps.values()
        refused += any(
            (r.approval is not None and not r.approval["approved"])
            or (r.eligibility is not None and not r.eligibility["eligible"])
            for r in records
        )
    every = service.list_cases(CaseFilter(), limit=-1)
    return {
        "open": service.count_cases(CaseFilter(status="open")),
        "overdue": service.count_cases(CaseFilter(status="overdue")),
        "due_now": service.count_cases(CaseFilter(status="due_today"))
        + service.count_cases(CaseFilter(status="due_soon")),
        "terminated": service.count_cases(CaseFilter(status="terminated")),
        "refused": refused,
        "late": sum(service.case_deadline_state(row) == DeadlineState.DONE_LATE for row in closed),
        "procedures": len({row.procedure_id for row in every}),
        "closed_procedures": len({row.procedure_id for row in closed}),
        "service_items": len({row.service_item_id for row in every}),
    }


def assert_demo_shape(office: Office, now: datetime) -> dict[str, int]:
    found = shape(office, now)
    items = len(office.book.service_items())
    procedures = len(set(office.book.procedure_hashes().values()))
    assert found["open"] >= 5, found
    assert found["overdue"] >= 2, found
    assert found["due_now"] >= 1, found
    assert found["terminated"] >= 1 and found["refused"] >= 1 and found["late"] >= 1, found
    assert found["procedures"] == found["closed_procedures"] == procedures, found
    assert found["service_items"] == items, found
    # Nothing in the demo happened after the moment it was built for.
    (last,) = office.db.execute("SELECT max(at) FROM audit_log").fetchone()
    assert datetime.fromisoformat(last) <= now
    (opened,) = office.db.execute("SELECT max(opened_at) FROM cases").fetchone()
    assert datetime.fromisoformat(opened) <= now
    return found


@pytest.mark.parametrize("now", MOMENTS, ids=lambda m: m.strftime("%Y%m%d-%H%M"))
def test_small_demo_has_its_shape_at_any_moment(now: datetime, caplog, tmp_path):
    # A data folder: the higher union's approvals carry their scanned pages.
    folder = tmp_path / "demo"
    with caplog.at_level(logging.WARNING, logger="desktop.demo"), Office.open(folder) as office:
        fill_demo_office(office, now=now, size=SMALL)
        assert_demo_shape(office, now)
    # Every case placed on purpose came out as planned, not just enough of them by chance.
    assert not caplog.records, [r.getMessage() for r in caplog.records]


def test_the_full_demo_has_its_shape(demo_template, demo_dir):
    with Office.open(demo_dir) as office:
        found = assert_demo_shape(office, DEMO_NOW)
    report = demo_template.report
    assert report["overdue"] == found["overdue"]
    assert report["due_today"] + report["due_soon"] == found["due_now"]


def test_the_same_moment_gives_the_same_demo(tmp_path):
    numbers = []
    for attempt in range(2):
        with Office.open(tmp_path / str(attempt)) as office:
            fill_demo_office(office, now=datetime(2027, 2, 10, 9, 0), size=SMALL)
            rows = office.cases.list_cases(CaseFilter(), order="number", limit=-1)
            numbers.append([(r.number, r.subject_name, r.status) for r in rows])
    assert numbers[0] == numbers[1]


def test_approvals_are_signed_by_the_holder_of_the_post(demo_dir):
    # W09-09: the chair and the finance staff do not audit; the auditor signs the audit review.
    expected = {**DEMO_STAFF_BY_ROLE, "上级工会": DEMO_COUNTY_OFFICIAL, "工会委员会": "王建国"}
    with Office.open(demo_dir) as office:
        signed = set()
        for row in office.cases.list_cases(CaseFilter(), limit=-1):
            for step_id, record in office.cases.view(row.id).state.steps.items():
                if record.approval is not None:
                    approval = record.approval
                    signed.add((row.procedure_id, step_id, approval["approver"], approval["role"]))
    for procedure, step, approver, role in signed:
        assert approver == expected[role], (procedure, step, approver, role)
    audits = {
        (approver, role) for procedure, step, approver, role in signed if step == "audit_review"
    }
    assert audits == {("赵立新", "经费审查委员")}


def test_demo_entries_make_sense_for_their_labels(demo_dir):
    """A year's accounts are of the right size and look back one year; a claim comes after the
    discharge; a refusal gives a reason that fits its procedure."""
    with Office.open(demo_dir) as office:
        views = [
            office.cases.view(row.id) for row in office.cases.list_cases(CaseFilter(), limit=-1)
        ]
    accounts = claims = 0
    for view in views:
        state, opened = view.state, view.state.opened_at.date()
        procedure = state.procedure.id
        for record in state.steps.values():
            opinion = (record.approval or {}).get("opinion", "")
            if procedure != "hardship_aid":
                assert "家庭收入" not in opinion, (view.row.number, opinion)
        if procedure == "funds_reconciliation" and "wage_total" in state.record("ledger").values:
            ledger = state.record("ledger").values
            accounts += 1
            assert ledger["year"] == opened.year - 1, view.row.number
            wages = ledger["wage_total"]  # fen: 100,000 to 100,000,000 元 a year
            assert 10_000_000 <= wages <= 10_000_000_000, view.row.number
            assert wages * 15 // 1000 <= ledger["funds_paid"] <= wages * 2 // 100
            assert 0 < ledger["dues_expected"] <= wages * 5 // 1000
        if procedure == "medical_mutual_aid" and state.kind == "互助金申领":
            discharged = state.record("application").values.get("discharge_date")
            if discharged:
                claims += 1
                assert date.fromisoformat(discharged) < opened, view.row.number
        # A case not worked yet holds only what was prefilled from the registry.
        if procedure == "re_election" and "seats" in state.record("request").values:
            request = state.record("request").values
            assert request["member_count"] > 0 and request["seats"] <= max(
                3, request["member_count"]
            )
    assert accounts and claims


def demo_views(demo_dir):
    with Office.open(demo_dir) as office:
        return [
            office.cases.view(row.id) for row in office.cases.list_cases(CaseFilter(), limit=-1)
        ]


def entered(view) -> dict:
    """Everything the case's steps hold, by field id."""
    values: dict = {}
    for record in view.state.steps.values():
        values.update(record.values)
    return values


def listed_names(text: str) -> list[str]:
    return [re.sub(r"（.*?）$", "", name) for name in text.split("、")]


def test_demo_firms_send_fewer_representatives_than_they_employ(demo_dir):
    """A county reviewer sent back a negotiation of 29 representatives for 8 employees, a
    founding of 31 applicants for 8, and a list of representatives reading 情况属实."""
    negotiations = foundings = 0
    for view in demo_views(demo_dir):
        values, number = entered(view), view.row.number
        headcount = values.get("headcount")
        if view.procedure.id == "collective_negotiation" and "worker_rep_count" in values:
            negotiations += 1
            reps = values["worker_rep_count"]
            assert 3 <= reps <= max(3, headcount // 3), (number, reps, headcount)
            names = listed_names(values["rep_list"])
            assert len(names) == reps and names[0] == values["worker_chief"], number
            assert all(2 <= len(name) <= 4 for name in names), (number, names)
            if "employer_rep_count" in values:
                employer = values["employer_rep_count"]
                assert employer <= reps, number
                assert len(listed_names(values["employer_rep_list"])) == employer, number
            if "adoption_expected" in values:
                assert values["adoption_present"] <= values["adoption_expected"] <= headcount
            assert values.get("meeting_count", 1) <= 10, number
        if view.procedure.id == "union_formation" and "applicants_count" in values:
            foundings += 1
            assert values["applicants_count"] <= headcount, number
            assert values["prep_group_size"] <= max(3, headcount // 2), number
            members = listed_names(values["prep_group_members"])
            assert len(members) == values["prep_group_size"], number
            if "certificate_no" in values:  # a union's code (81…), not a person's name
                assert credit_code.is_valid(values["certificate_no"]), number
                assert values["certificate_no"].startswith("81"), number
            if "bank_account_opened" in values:
                assert not re.search(r"\d", values["bank_account_opened"]), number
    assert negotiations and foundings
    for view in demo_views(demo_dir):
        for record in view.state.steps.values():
            for field_id in ("rep_list", "employer_rep_list", "prep_group_members"):
                assert "演示数据" not in str(record.values.get(field_id, "")), view.row.number


def test_demo_incomes_households_and_grants_agree(demo_dir):
    """A family earning 663 元 a year beside a worker's 2,223 元 a month, a household of one
    with a student child, a 会员本人去世 condolence of 95 元: each sent back by the county."""
    incomes = students = grants = 0
    for view in demo_views(demo_dir):
        values, number = entered(view), view.row.number
        procedure = view.procedure
        if procedure.id == "hardship_aid" and values.get("family_annual_income") is not None:
            incomes += 1
            yearly, own = values["family_annual_income"], values["own_monthly_income"]
            assert yearly >= 12 * own, (number, yearly, own)
            per_head, size = values["income_per_head"], values["household_size"]
            # per head is the month less medical and school costs, shared by everyone
            assert per_head * size * 12 <= yearly <= per_head * size * 12 * 13 // 10, number
        if procedure.id == "hardship_aid" and values.get("student_name"):
            students += 1
            assert values["household_size"] >= 2, number
            family = {m.name: m for m in view.person.household_members}
            child = family[values["student_name"]]  # the student is the family's child
            assert (
                child.relation in ("儿子", "女儿")
                and child.id_number == values["student_id_number"]
            ), number
        if procedure.id == "condolence" and values.get("approved_amount") is not None:
            grants += 1
            standards = {p.id: p.value for p in procedure.params}
            kind = values["condolence_type"]
            standard = standards[
                {
                    "结婚": "marriage_max", "生育": "childbirth_max", "生病住院": "hospital_max",
                    "退休离岗": "retirement_max", "会员本人去世": "member_death_max",
                    "直系亲属去世": "relative_death_max",
                }[kind]
            ]  # fmt: skip
            assert values["approved_amount"] == standard, (number, kind)
    assert incomes and students and grants

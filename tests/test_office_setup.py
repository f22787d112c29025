"""An office's set-up: several staff with posts, and who answers for each service item and case."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from desktop.cases.case_view import view_json
from desktop.cli import main
from desktop.identity import make_id_number
from desktop.office import Office
from desktop.registry import clean_person
from desktop.staff import Staff, responsible_for

NOW = datetime(2026, 3, 2, 9, 0)
FOUR = [
    ("李红梅", "工会专干"),
    ("王建国", "工会主席"),
    ("赵丽", "财务人员"),
    ("陈刚", "工会副主席", ["审核", "审批"]),
]


@pytest.fixture
def office():
    with Office.open(None) as office:
        office.cases.clock = lambda: NOW
        yield office


def responsibles(office: Office) -> dict[str, str]:
    return {item.id: item.responsible_person for item in office.book.service_items()}


def add_worker(office: Office, sequence: int = 11) -> int:
    values = clean_person(
        {"name": "张秀英", "id_number": make_id_number("620102", date(1978, 4, 9), sequence)},
        NOW.date(),
    )
    return office.registry.add_person(values, "李红梅", NOW)


# Set up with four staff, every service item is answered for by the person of its post: the
# clerk's items by the 工会专干, the chair's by the 工会主席 (not the vice-chair who also approves).
def test_set_up_with_four_staff_gives_each_service_item_the_person_of_its_post(office):
    office.set_up("城关镇总工会", FOUR, NOW)
    items = office.book.service_items()
    assert len(items) == 16
    for item in items:
        expected = {"工会专干": "李红梅", "工会主席": "王建国"}[item.responsible_role]
        assert item.responsible_person == expected, item.id
    trail = office.db.execute(
        "SELECT field, new_value FROM audit_log WHERE action = '按岗位填写服务项目责任人'"
    ).fetchall()
    assert len(trail) == 16 and trail[0] == ("ZZ-01 企业建会指导", "李红梅（工会专干）")
    assert [m.name for m in office.staff.members()] == ["李红梅", "王建国", "赵丽", "陈刚"]
    assert office.operator == "李红梅"


# An office whose chair is registered as 主任 with the approval role: the chair's items go to
# the approver; the clerk's items, with nobody in the post 工会专干, wait for the clerk to name
# someone, and a case opened meanwhile is answered for by whoever opens it.
def test_items_nobody_holds_the_post_of_wait_and_their_cases_fall_to_the_opener(office):
    office.set_up("城关镇总工会", [("李红梅", "社工"), ("王建国", "主任", ["审批"])], NOW)
    named = responsibles(office)
    assert named["ZZ-03"] == "王建国" and named["BF-01"] == ""
    person = add_worker(office)
    case = office.cases.open_case("BF-01", "李红梅", person_id=person)
    assert case.responsible == "李红梅"
    assert view_json(office.cases.view(case.id))["responsible"] == "李红梅"


# A staff member registered later takes the items of their post that nobody answers for; items
# already answered for (by the set-up or by the clerk) keep their person.
def test_a_staff_member_added_later_takes_the_unanswered_items_of_their_post(office):
    office.set_up("城关镇总工会", [("李红梅", "社工"), ("王建国", "工会主席")], NOW)
    office.set_responsible_person("BF-01", "孙敏")
    office.switch_operator(office.staff.by_name("王建国").id)
    office.staff.add("周强", "工会专干", now=NOW)
    named = responsibles(office)
    assert named["BF-01"] == "孙敏"  # the clerk's choice stays
    assert named["BF-02"] == named["ZZ-01"] == "周强"
    assert named["ZZ-03"] == "王建国"


# A new case carries its item's 责任人, as the list, the header and `case show` show it; when
# that person has left (deactivated), the case falls to the one who opens it.
def test_a_new_case_has_its_items_responsible_person(office):
    office.set_up("城关镇总工会", FOUR, NOW)
    person = add_worker(office)
    office.set_responsible_person("BF-02", "赵丽")
    case = office.cases.open_case("BF-02", "李红梅", person_id=person)
    assert case.responsible == "赵丽"
    office.switch_operator(office.staff.by_name("王建国").id)
    office.staff.deactivate(office.staff.by_name("赵丽").id, now=NOW)
    other = office.cases.open_case("BF-02", "王建国", person_id=add_worker(office, 13))
    assert other.responsible == "王建国"


def test_responsible_for_takes_the_first_active_holder_of_the_post():
    def member(staff_id, name, post, roles=("经办",), active=True):
        return Staff(staff_id, name, post, frozenset(roles), active)

    members = [
        member(1, "甲", "工会专干", active=False),
        member(2, "乙", "工会专干"),
        member(3, "丙", "工会专干"),
        member(4, "丁", "工会副主席", ("审批",)),
    ]
    assert responsible_for("工会专干", members).name == "乙"
    assert responsible_for("工会主席", members).name == "丁"  # the approver answers for them
    assert responsible_for("财务人员", members) is None


# An office set up before 责任人 were filled in: on upgrade its items get the person of their
# post and its open cases without one the clerk who opened them; closed cases stay as they were.
def test_an_upgraded_office_gets_responsible_people_for_items_and_open_cases(tmp_path):
    from desktop.store.schema import give_every_item_and_open_case_a_responsible_person

    with Office.open(tmp_path) as office:
        office.cases.clock = lambda: NOW
        office.set_up("城关镇总工会", [("李红梅", "工会专干"), ("王建国", "工会主席")], NOW)
        person = add_worker(office)
        open_case = office.cases.open_case("BF-01", "李红梅", person_id=person)
        closed = office.cases.open_case("ZZ-02", "李红梅", person_id=person)
        office.cases.terminate(closed.id, "申请人撤回申请", "李红梅")
        with office.db.atomic():
            # As the office looked before the upgrade: nothing filled in.
            office.db.execute("DELETE FROM service_responsibles")
            office.db.execute("UPDATE cases SET responsible = ''")
        with office.db.atomic():  # as opening the file runs it
            give_every_item_and_open_case_a_responsible_person(office.db)
    with Office.open(tmp_path) as office:
        named = responsibles(office)
        assert named["BF-01"] == "李红梅" and named["ZZ-03"] == "王建国"
        assert office.cases.repo.case(open_case.id).responsible == "李红梅"
        assert office.cases.repo.case(closed.id).responsible == ""
        assert office.check().ok


# `uniondesk init` takes an office of five, and says who answers for each service item.
def test_init_registers_five_staff_and_reports_each_items_responsible_person(tmp_path, capsys):
    staff = ["李红梅:工会专干", "王建国:工会主席", "赵丽:财务人员", "陈刚:工会副主席:审核+审批",
             "孙敏:社工"]  # fmt: skip
    data_dir = str(tmp_path / "正式")
    arguments = ["--data-dir", data_dir, "init", "--office-name", "城关镇总工会"]
    code = main([*arguments, *(part for entry in staff for part in ("--staff", entry)), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [(m["name"], m["role"]) for m in report["staff"]] == [
        tuple(entry.split(":")[:2]) for entry in staff
    ]
    assert report["responsible"]["BF-01"] == "李红梅" and report["responsible"]["ZZ-03"] == "王建国"
    assert set(report["responsible"].values()) == {"李红梅", "王建国"}

    code = main(["--data-dir", str(tmp_path / "另一个"), "init", "--office-name", "城关镇总工会",
                 "--staff", "李红梅:社工", "--staff", "王建国:工会主席"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "服务清单责任人按岗位填写了 3 项（王建国 3 项）；其余请在窗口的“服务清单”中填写。" in out

"""Approvals are given only by the right people: registered staff holding the role the step asks
for, never anyone who had a hand in the decision, at the desk as themselves or from a signed
page; the higher union's approvals are external and carry their scanned page."""

from __future__ import annotations

from datetime import datetime

import pytest

from desktop.cases.service import CaseError
from desktop.office import Office
from desktop.staff import ExternalApprover, StaffError, clean_external_approver
from desktop.store.schema import SCHEMA_VERSION, migrate
from tests.cases.procedure_driver import DEMO_SCAN, make_person, run_case
from tests.shared import staff_id

CLERK, CHAIR, VICE = "李红梅", "王建国", "张伟"
NOW = datetime(2026, 3, 2, 9, 0)
AID = {"excluded_assets": False, "visit_conclusion": "情况属实", "pay_method": "银行转账"}


@pytest.fixture
def office(tmp_path, clock):
    with Office.open(tmp_path / "data") as office:
        office.cases.clock = clock
        office.set_up("城关镇总工会", [(CLERK, "工会专干"), (CHAIR, "工会主席")], NOW)
        yield office


@pytest.fixture
def at_approval(office, clock):
    """A living-aid case whose eligibility the clerk decided, now at the chair's approval."""
    person = make_person(office)
    view = run_case(office, clock, "BF-01", {"person_id": person}, values=AID,
                    stop_before="approval")  # fmt: skip
    assert view.current.id == "approval"
    return view.row.id


def scan(office, case_id, tmp_path, step="approval") -> int:
    page = tmp_path / "签字页.pdf"
    page.write_bytes(DEMO_SCAN)
    return office.cases.attach_file(case_id, step, page, CLERK, "签字页")


def test_the_chair_approves_at_the_desk_as_the_operator(office, at_approval):
    office.switch_operator(staff_id(office, CHAIR))
    office.cases.approve(at_approval, "approval", staff_id(office, CHAIR), True, "同意", CHAIR)
    recorded = office.cases.view(at_approval).state.record("approval").approval
    assert recorded["approver"] == CHAIR and recorded["approver_id"] == staff_id(office, CHAIR)
    assert recorded["recorded_by_id"] == staff_id(office, CHAIR) and not recorded["external"]


def test_the_clerk_cannot_record_the_approval_in_the_chairs_name(office, at_approval, tmp_path):
    # At the desk as the clerk, naming the chair: refused, the chair must sign as himself...
    with pytest.raises(CaseError, match="在电脑上审批须由王建国本人操作"):
        office.cases.approve(at_approval, "approval", staff_id(office, CHAIR), True, "", CLERK)
    # ...or on paper, with the signed page attached, recorded as entered by the clerk.
    page = scan(office, at_approval, tmp_path)
    office.cases.approve(
        at_approval, "approval", staff_id(office, CHAIR), True, "", CLERK, on_paper=True,
        scan_attachment_id=page,
    )  # fmt: skip
    view = office.cases.view(at_approval)
    assert view.step("approval").approval_text.endswith("签字页：签字页.pdf，由李红梅登记")


def test_the_signed_page_is_one_added_on_the_approval_step(office, at_approval, tmp_path):
    # The household's application form, attached at the first step, is not a signed approval.
    form = scan(office, at_approval, tmp_path, step="application")
    with pytest.raises(CaseError, match="不是在“审批”这一步添加的"):
        office.cases.approve(
            at_approval, "approval", staff_id(office, CHAIR), True, "", CLERK, on_paper=True,
            scan_attachment_id=form,
        )  # fmt: skip
    assert office.cases.view(at_approval).current.id == "approval"  # nothing recorded


def test_whoever_had_a_hand_in_the_decision_cannot_approve_it(office, clock):
    # A vice-chair who may approve and also handles cases made this eligibility decision.
    office.switch_operator(staff_id(office, CHAIR))
    office.staff.add(VICE, "工会副主席", ["经办", "审批"])
    person = make_person(office)
    view = run_case(office, clock, "BF-01", {"person_id": person}, values=AID,
                    stop_before="approval", operators={"eligibility": VICE})  # fmt: skip
    assert view.state.record("eligibility").completed_by_id == staff_id(office, VICE)
    office.switch_operator(staff_id(office, VICE))
    with pytest.raises(CaseError, match="张伟 办理了“资格认定”，不能审批自己作出的决定"):
        office.cases.approve(view.row.id, "approval", staff_id(office, VICE), True, "", VICE)
    # Nor on paper, in somebody else's hand: the id decides, not who is at the desk.
    office.switch_operator(staff_id(office, CLERK))
    with pytest.raises(CaseError, match="张伟 办理了“资格认定”"):
        office.cases.approve(
            view.row.id, "approval", staff_id(office, VICE), True, "", CLERK, on_paper=True
        )
    # The chair, who had no hand in it, approves.
    office.switch_operator(staff_id(office, CHAIR))
    office.cases.approve(view.row.id, "approval", staff_id(office, CHAIR), True, "", CHAIR)


def test_only_registered_staff_holding_the_role_may_approve(office, at_approval):
    # Names are not approvers: an id that is nobody, or a clerk without the role.
    with pytest.raises(CaseError, match="不是本单位登记的工作人员"):
        office.cases.approve(at_approval, "approval", 999, True, "", CLERK)
    office.switch_operator(staff_id(office, CHAIR))
    office.staff.add("赵立新", "经费审查委员")  # 审核 only
    office.switch_operator(staff_id(office, "赵立新"))
    with pytest.raises(CaseError, match="赵立新（经费审查委员）没有“审批”角色"):
        office.cases.approve(
            at_approval, "approval", staff_id(office, "赵立新"), True, "", "赵立新"
        )
    # A retired approver is off the list for good.
    office.switch_operator(staff_id(office, CHAIR))
    office.staff.add(VICE, "工会副主席", ["审批"])
    office.staff.deactivate(staff_id(office, VICE))
    with pytest.raises(CaseError, match="张伟已停用，不能审批"):
        office.cases.approve(at_approval, "approval", staff_id(office, VICE), True, "", CHAIR)


def test_names_that_only_look_alike_are_one_person_or_refused(office):
    office.switch_operator(staff_id(office, CHAIR))
    with pytest.raises(StaffError, match=r"看不见的字符 U\+200B"):
        office.staff.add("王建\u200b国", "工会专干")
    with pytest.raises(StaffError, match="已有工作人员“王建国”"):
        office.staff.add(" 王建国 ", "工会专干")
    # The traditional-character form of the chair's name is the chair: a clerk registered as
    # 王建國 could otherwise prepare a decision and approve it as 王建国.
    with pytest.raises(StaffError, match="已有工作人员“王建国”"):
        office.staff.add("王建國", "工会专干")
    # The full-width and the plain spelling of a Latin name are the same person.
    office.staff.add("ＡＬＩ", "工会专干")
    with pytest.raises(StaffError, match="已有工作人员“ALI”"):
        office.staff.add("Ali", "工会专干")


def test_the_higher_unions_approval_is_external_with_its_signed_page(office, clock, tmp_path):
    person = make_person(office, status="")  # a new file: the county reviews it
    values = {**AID, "has_hardship_file": False}
    view = run_case(office, clock, "BF-01", {"person_id": person}, values=values,
                    stop_before="county_review")  # fmt: skip
    case_id = view.row.id
    assert view.current.id == "county_review"
    with pytest.raises(CaseError, match="由上级工会审批：请登记上级工会审批人的姓名和单位"):
        office.cases.approve(case_id, "county_review", staff_id(office, CHAIR), True, "", CHAIR)
    county = clean_external_approver(" 刘振华 ", "示例县总工会")
    with pytest.raises(CaseError, match="上级工会的审批须附上签字页的扫描件"):
        office.cases.approve(case_id, "county_review", county, True, "", CLERK)
    with pytest.raises(StaffError, match="请填写审批单位"):
        clean_external_approver("刘振华", "")
    page = scan(office, case_id, tmp_path, "county_review")
    office.cases.approve(
        case_id, "county_review", county, True, "同意建档", CLERK, scan_attachment_id=page
    )
    recorded = office.cases.view(case_id).state.record("county_review").approval
    assert recorded["external"] and recorded["approver_id"] is None
    assert (recorded["approver"], recorded["unit"], recorded["on_paper"]) == (
        "刘振华", "示例县总工会", True,
    )  # fmt: skip
    text = office.cases.view(case_id).step("county_review").approval_text
    assert text.startswith("刘振华（示例县总工会，上级工会）同意")
    # An office approval cannot be passed off as the county's.
    assert isinstance(county, ExternalApprover)


def test_steps_and_the_trail_record_staff_ids(office, at_approval):
    record = office.cases.view(at_approval).state.record("eligibility")
    assert record.completed_by == CLERK and record.completed_by_id == staff_id(office, CLERK)
    actors = office.db.execute(
        "SELECT DISTINCT actor, actor_id FROM audit_log WHERE case_id = ?", [at_approval]
    ).fetchall()
    assert [tuple(row) for row in actors] == [(CLERK, staff_id(office, CLERK))]
    assert office.check().ok


def test_setting_up_an_office_takes_the_chair_as_well_as_the_clerk(tmp_path):
    with Office.open(tmp_path / "new") as office:
        with pytest.raises(StaffError, match="登记的李红梅都没有“审批”角色"):
            office.set_up("城关镇总工会", [(CLERK, "工会专干")])
        with pytest.raises(StaffError, match="登记的王建国都有“审批”角色，还须有一位办事的经办人"):
            office.set_up("城关镇总工会", [(CHAIR, "工会主席")])
        assert office.staff.members() == [] and not office.has_office_data()


def test_the_last_approver_stays_and_a_clerk_cannot_promote_herself(office):
    with pytest.raises(StaffError, match="须由有审批角色的人员（王建国）作为当前经办人操作"):
        office.staff.update(staff_id(office, CLERK), "工会专干", ["经办", "审批"])
    office.switch_operator(staff_id(office, CHAIR))
    with pytest.raises(StaffError, match="本单位至少要有一位有审批角色的工作人员"):
        office.staff.update(staff_id(office, CHAIR), "工会主席", ["审核"])


def test_passwords_are_scrypt_hashes_and_guard_the_switch(office):
    chair = staff_id(office, CHAIR)
    with pytest.raises(StaffError, match="只有王建国本人可以设置自己的密码"):
        office.staff.set_password(chair, "zhuxi2026")
    office.switch_operator(chair)
    with pytest.raises(StaffError, match="密码至少 6 位"):
        office.staff.set_password(chair, "123")
    office.staff.set_password(chair, "zhuxi2026")
    office.switch_operator(staff_id(office, CLERK))
    with pytest.raises(StaffError, match="王建国的密码不对"):
        office.switch_operator(chair, "zhuxi2025")
    assert office.operator == CLERK
    assert office.switch_operator(chair, "zhuxi2026").name == CHAIR
    # Forgotten: cleared by an approver or at the command line, and the trail says so.
    office.staff.clear_password(chair)
    assert office.switch_operator(staff_id(office, CLERK)).name == CLERK
    assert office.switch_operator(chair).name == CHAIR
    actions = [row[0] for row in office.db.execute(
        "SELECT action FROM audit_log WHERE entity = 'staff' AND entity_id = ?", [chair]
    ).fetchall()]  # fmt: skip
    assert actions.count("设置密码") == 1 and actions.count("取消密码") == 1


def test_an_office_from_before_staff_ids_keeps_who_did_what(tmp_path):
    import sqlite_utils

    db = sqlite_utils.Database(tmp_path / "old.sqlite3")
    migrate(db, target=11)
    db.execute("INSERT INTO office_staff (name, role) VALUES ('王建国', '工会主席')")
    db.execute("INSERT INTO office_staff (name, role) VALUES ('李红梅', '工会专干')")
    migrate(db, target=SCHEMA_VERSION)
    rows = db.execute("SELECT name, roles, name_key FROM office_staff ORDER BY id").fetchall()
    assert [tuple(r) for r in rows] == [
        ("王建国", "审批,审核", "王建国"), ("李红梅", "经办", "李红梅"),
    ]  # fmt: skip


def test_the_operator_belongs_to_the_session_and_a_password_is_asked_again(tmp_path):
    folder = tmp_path / "data"
    with Office.open(folder) as office:
        office.set_up("城关镇总工会", [(CLERK, "工会专干"), (CHAIR, "工会主席")], NOW)
    clerk_desk, chair_desk = Office.open(folder), Office.open(folder)
    try:
        chair = staff_id(chair_desk, CHAIR)
        chair_desk.switch_operator(chair)
        chair_desk.staff.set_password(chair, "zhuxi2026")
        # The chair signing in elsewhere does not make the clerk's window the chair's.
        assert clerk_desk.operator == CLERK and chair_desk.operator == CHAIR
    finally:
        clerk_desk.close()
        chair_desk.close()
    # The next start: the last one at a desk protected themselves, so nobody is at the desk
    # until they give the password (the window asks) or somebody else is chosen.
    with Office.open(folder) as office:
        assert office.last_operator == CHAIR and office.operator == ""
        person = make_person(office)
        with pytest.raises(CaseError, match="请先在“设置 → 工作人员与当前经办人”中选择经办人"):
            office.cases.open_case("BF-01", office.operator, person_id=person)
        # Work is done only by people on the list: a name typed by a script is not enough.
        with pytest.raises(CaseError, match="“王建國國”不是本单位在册的工作人员"):
            office.cases.open_case("BF-01", "王建國國", person_id=person)
        office.switch_operator(staff_id(office, CHAIR), "zhuxi2026")
        assert office.operator == CHAIR

"""The demo office: a made-up township union to explore UnionDesk with, never a real one.

People, enterprises and cases are generated with a fixed seed and run through the real case
service (with a simulated clock), so every case in the demo is one the program could have
produced: its steps, approvals, deadlines and audit trail are all consistent.

Most cases are worked at random over two years; a few are placed on purpose relative to the
moment the demo is built (see SHOWCASE), so that whatever the day and hour, the office has
overdue work, work due now, refusals, a withdrawal and a late finish to show. The fill checks
that each of them came out as intended and logs any that did not (a county's edited procedure
may take a case elsewhere; the demo still opens). The tests check the shape independently.
"""

from __future__ import annotations

import logging
import random
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from desktop.book.procedures import Approval, FieldSpec, Procedure, Step
from desktop.cases import engine
from desktop.cases.calendar import DeadlineState, WorkCalendar
from desktop.cases.engine import CLOSED, OPEN, TERMINATED, CaseState, StepBlocked
from desktop.cases.service import CaseError, CaseService
from desktop.changes import OFFICE_ADDRESS, OFFICE_PHONE
from desktop.identity import make_credit_code, make_id_number
from desktop.office import IS_DEMO, OFFICE_NAME, Office
from desktop.registry import PeopleFilter, clean_enterprise, clean_person
from desktop.staff import CHAIR as CHAIR_POST
from desktop.staff import ExternalApprover, Staff, default_roles

DEMO_OFFICE_NAME = "示例镇总工会"

# Made-up staff, one per role the checklist and procedures name, spelled as the staff dialog
# offers them (desktop.staff.POSTS); the office replaces them with its own.
DEMO_STAFF_BY_ROLE = {
    "工会主席": "王建国",
    "工会专干": "李红梅",
    "经费审查委员": "赵立新",
    "女职工委员": "孙秀兰",
    "财务人员": "周静",
    "法律援助律师": "陈志远",
}
# Whose written decision a clerk records for an approval made outside the office (role 上级工会):
# a made-up official of the county union, never one of the office's own staff.
DEMO_COUNTY_OFFICIAL = "刘振华"
DEMO_COUNTY_UNIT = "示例县总工会"
# The scanned signed page every external approval in the demo carries: a one-page PDF.
DEMO_SCAN_NAME = "上级工会批复扫描件（演示）.pdf"
DEMO_SCAN = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 44>>stream\nBT /F1 24 Tf 72 760 Td (DEMO SCAN) Tj ET\nendstream endobj\n"
    b"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
log = logging.getLogger(__name__)

DEMO_STAFF_FALLBACK = "李红梅"
CHAIR = "王建国"


@dataclass(frozen=True)
class DemoSize:
    """How big the demo office is; tests build small ones, the shape is the same."""

    people: int = 240
    enterprises: int = 32
    cases: int = 520


DEMO_SIZE = DemoSize()

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩"
    "冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢"
)
GIVEN = "建国秀英桂兰志强海燕红梅丽娟文华明辉春花玉兰振华国庆淑珍永刚晓东静怡宏伟小红雪梅军平"
FIRMS = (
    "恒通机械", "金穗食品", "远航物流", "青山建材", "瑞丰纺织", "华欣电子", "宏达汽修", "绿源农业",
    "益康医药", "鑫源商贸", "天成印务", "安泰保安", "明珠酒店", "顺达快递", "佳美服装", "祥和家政",
    "兴业木业", "丰收粮油", "新星塑料", "长城包装", "瑞雪乳业", "东方陶瓷", "富民养殖", "联创软件",
    "锦程旅游", "平安物业", "宏图广告", "万家超市", "康乐餐饮", "金石矿业", "润泽水务", "星光影院",
)  # fmt: skip
REGION = "620102"
STREETS = ("工业园区", "振兴路", "新华街", "东环路")


class OfficeNotEmptyError(Exception):
    pass


class _DemoClock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def fill_demo_office(
    office: Office,
    seed: int = 2026,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
    size: DemoSize = DEMO_SIZE,
) -> dict[str, int]:
    """Give an empty office the demo name, staff, people, enterprises and cases, as of ``now``.

    Refuses an office that holds real data. All of it is written in one transaction: an
    interrupted fill leaves the folder empty, not half a demo.
    """
    _AS_DRAWN.clear()
    _FIRST_CONGRESS_QUORUM.clear()
    if office.settings.has_office_data():
        raise OfficeNotEmptyError(
            "这个数据文件夹里已经有办公数据，演示数据只能放进空的数据文件夹。"
            "请用 --data-dir 指定一个新的文件夹。"
        )
    rng = random.Random(seed)
    real_now = (now or datetime.now()).replace(microsecond=0)
    service = office.cases
    real_clock = service.clock
    clock = _DemoClock(real_now)
    service.clock = clock
    try:
        with office.db.atomic():
            office.settings.set_many(
                {
                    OFFICE_NAME: DEMO_OFFICE_NAME,
                    OFFICE_PHONE: "0931-8123456",
                    OFFICE_ADDRESS: "示例镇人民路 12 号工会办公室",
                    IS_DEMO: "1",
                }
            )
            for post, name in DEMO_STAFF_BY_ROLE.items():
                office.staff.repo.add(name, post, default_roles(post), "系统", real_now)
            office.set_operator(DEMO_STAFF_FALLBACK)
            for item in office.book.service_items():
                person = DEMO_STAFF_BY_ROLE.get(item.responsible_role, DEMO_STAFF_FALLBACK)
                office.book.set_responsible_person(item.id, person, now=real_now)
            enterprises = _make_enterprises(office, rng, real_now, size.enterprises)
            people = _make_people(office, rng, real_now, enterprises, size.people)
            cases = _make_cases(
                office, rng, clock, real_now, people, enterprises, size.cases, progress
            )
    finally:
        service.clock = real_clock
    return {"people": len(people), "enterprises": len(enterprises), "cases": cases}


def _make_enterprises(office: Office, rng: random.Random, now: datetime, count: int) -> list[int]:
    ids = []
    statuses = ["已建会"] * 5 + ["联合建会"] * 3 + ["未建会"] * 2 + ["筹建中"]
    for index, firm in enumerate(FIRMS[: max(1, min(count, len(FIRMS)))]):
        headcount = rng.choice([8, 12, 18, 23, 26, 30, 45, 60, 88, 120, 260])
        status = rng.choice(statuses)
        members = 0 if status == "未建会" else int(headcount * rng.uniform(0.6, 1.0))
        body = f"MA{index:04d}{rng.choice('ABCDEFGH')}{rng.choice('JKLMNPQR')}"
        raw = {
            "name": f"示例{firm}有限公司",
            "credit_code": make_credit_code("91", REGION, body),
            "address": f"示例镇{rng.choice(STREETS)}{rng.randint(1, 200)}号",
            "contact": _name(rng),
            "phone": f"0931-8{rng.randint(100000, 999999)}",
            "headcount": headcount,
            "member_count": members,
            "union_status": status,
            "headcount_25_since": (now.date() - timedelta(days=rng.randint(30, 900))).isoformat()
            if headcount >= 25
            else "",
            "management_sound": rng.random() < 0.6,
            "joint_activities_year": rng.randint(0, 6),
        }
        ids.append(office.registry.add_enterprise(clean_enterprise(raw, now.date()), "系统", now))
    return ids


def _name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def _make_people(
    office: Office, rng: random.Random, now: datetime, enterprises: list[int], count: int
) -> list[int]:
    ids = []
    for index in range(max(1, count)):
        birth = date(rng.randint(1962, 2003), rng.randint(1, 12), rng.randint(1, 28))
        hardship = rng.random() < 0.35
        status = rng.choice(["建档", "在档", "在档", "脱困"]) if hardship else ""
        review = None
        if status in ("建档", "在档"):
            review = now.date() + timedelta(days=rng.randint(-20, 330))
        raw = {
            "name": _name(rng),
            # Odd sequence digits are men's numbers, even ones women's.
            "id_number": make_id_number(REGION, birth, index * 2 + rng.randint(0, 1)),
            "phone": f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
            "enterprise_id": rng.choice(enterprises),
            "union_name": "示例镇总工会",
            "household_size": rng.randint(1, 6),
            "income_per_head": str(rng.randint(350, 1800) if hardship else rng.randint(1500, 4500)),
            "hardship_status": status,
            "hardship_review_due": review.isoformat() if review else "",
        }
        raw.update(_family_details(raw, birth, hardship, index, now.date()))
        ids.append(office.registry.add_person(clean_person(raw, now.date()), "系统", now))
    return ids


DEMO_STREETS = ("滨河路", "城关街", "新华巷", "兴平路", "建设东街", "光明村")
DEMO_BANKS = ("中国农业银行示例镇支行", "中国工商银行示例镇支行", "示例县农村信用合作联社")
DEMO_SCHOOLS = ("示例镇中心小学", "示例县第一中学", "示例职业技术学校", "兰州示例大学")


def _school_for(age: int) -> str:
    """Where a child of this age is: at home, in school, or at university, as a form shows it."""
    if age < 6:
        return "学龄前"
    if age < 12:
        return DEMO_SCHOOLS[0]
    if age < 18:
        return DEMO_SCHOOLS[1]
    return DEMO_SCHOOLS[2] if age < 20 else DEMO_SCHOOLS[3]


def _family_details(
    raw: dict[str, Any], birth: date, hardship: bool, index: int, today: date
) -> dict[str, Any]:
    """What the aid forms ask of a worker and their family: a household of ``household_size``
    (one to six people, so some forms print four to six rows), with the details filled in.

    Drawn from a generator of its own, so the rest of the demo is the same as before."""
    rng = random.Random(f"demo-family-{index}")
    size = raw["household_size"]
    age = today.year - birth.year
    married = size > 1 and (age >= 24 or rng.random() < 0.5)
    sequence = 10_000 + index * 20  # ID sequences of members, apart from the workers' own

    def member(relation: str, born: date, work: str, income: int | None) -> dict[str, Any]:
        nonlocal sequence
        sequence += 1
        female = relation in ("女儿", "母亲", "岳母", "婆婆") or (
            relation == "配偶" and int(raw["id_number"][16]) % 2 == 1
        )
        number = make_id_number(REGION, born, sequence * 2 + (0 if female else 1))
        sick = rng.random() < (0.35 if hardship else 0.1)
        health = rng.choice(["慢性病", "大病", "残疾"]) if sick else "健康"
        surname = raw["name"][0] if relation in ("儿子", "女儿", "父亲", "兄弟姐妹") else ""
        return {
            "name": (surname or rng.choice(SURNAMES)) + rng.choice(GIVEN) + rng.choice(GIVEN),
            "relation": relation,
            "id_number": number,
            "health": health,
            "disability_grade": rng.choice(["二级", "三级", "四级"]) if health == "残疾" else "",
            "work": work,
            "monthly_income": str(income) if income is not None else "",
        }

    members = []
    if married:
        spouse_birth = date(birth.year + rng.randint(-3, 3), rng.randint(1, 12), rng.randint(1, 28))
        job = rng.choice(["个体经营", "灵活就业", "务农", "无业"])
        members.append(member("配偶", spouse_birth, job, rng.randint(0, 2500) // 100 * 100))
    while len(members) < size - 1:
        child_year = birth.year + rng.randint(22, 34)
        if child_year <= today.year - 1 and len(members) < 4:
            born = date(child_year, rng.randint(1, 12), rng.randint(1, 28))
            child_age = today.year - born.year
            school = _school_for(child_age) if child_age < 23 else "外出务工"
            income = None if child_age < 23 else rng.randint(15, 40) * 100
            members.append(member(rng.choice(["儿子", "女儿"]), born, school, income))
        else:
            # One father and one mother at most; a family that has both takes a child instead.
            parents = [m["relation"] for m in members if m["relation"] in ("父亲", "母亲")]
            left = [r for r in ("父亲", "母亲") if r not in parents]
            if not left:  # a brother or sister living with the family
                born = date(birth.year + rng.randint(-6, 6), rng.randint(1, 12), rng.randint(1, 28))
                members.append(member("兄弟姐妹", born, "务农", rng.randint(8, 20) * 100))
                continue
            parent_year = birth.year - rng.randint(24, 32)
            born = date(parent_year, rng.randint(1, 12), rng.randint(1, 28))
            members.append(
                member(rng.choice(left), born, "退休" if rng.random() < 0.5 else "务农", None)
            )
    account = "6228" + "".join(str(rng.randint(0, 9)) for _ in range(15))
    sick = rng.random() < (0.4 if hardship else 0.08)
    health = rng.choice(["慢性病", "大病", "残疾"]) if sick else rng.choice(["健康", "一般"])
    return {
        "address": f"示例镇{rng.choice(DEMO_STREETS)}{rng.randint(1, 120)}号",
        "ethnicity": rng.choice(["汉族"] * 8 + ["回族", "东乡族"]),
        "political_status": rng.choice(["群众"] * 6 + ["中共党员", "共青团员"]),
        "marital_status": "已婚" if married else rng.choice(["未婚", "离异", "丧偶"]),
        "health": health,
        "disability_grade": rng.choice(["二级", "三级", "四级"]) if health == "残疾" else "",
        "hukou_type": rng.choice(["城镇", "农村"]),
        "housing": rng.choice(["自有住房", "租住", "借住", "公租房"] if hardship else ["自有住房"]),
        "bank_name": rng.choice(DEMO_BANKS),
        "bank_account": account,
        "household_members": members,
    }


@dataclass(frozen=True)
class _Showcase:
    """A case placed on purpose: which item, how many working days before today it was opened,
    how it is worked, and the shape it must have when the demo is done."""

    item_id: str
    days_back: int  # working days before today; 0 is the latest moment the office was open
    shape: str  # one of the SHAPE_* values
    stop_after: int | None = None  # steps completed before the clerk stopped
    approve: bool = True  # the approver's decision, where the case reaches one
    late: bool = False  # started only after its service time limit had run out
    minute: int = 0


SHAPE_OVERDUE = "overdue"
SHAPE_DUE_NOW = "due_now"  # due today or within 3 working days
SHAPE_CLOSED = "closed"
SHAPE_REFUSED = "refused"
SHAPE_LATE = "late"
SHAPE_TERMINATED = "terminated"

# Open work first: what the dashboard's tiles show the moment the demo opens.
SHOWCASE: tuple[_Showcase, ...] = (
    _Showcase("BF-01", 6, SHAPE_OVERDUE, stop_after=0),
    _Showcase("ZZ-02", 14, SHAPE_OVERDUE, stop_after=1),
    _Showcase("QY-02", 22, SHAPE_OVERDUE, stop_after=1),
    _Showcase("BF-05", 1, SHAPE_DUE_NOW, stop_after=0, minute=95),
    _Showcase("BF-03", 0, SHAPE_DUE_NOW, stop_after=0),
    _Showcase("ZZ-04", 25, SHAPE_TERMINATED, stop_after=1),
    _Showcase("BF-02", 60, SHAPE_REFUSED, approve=False),
    _Showcase("BF-01", 95, SHAPE_LATE, late=True),
    # One finished case of every procedure, far enough back for the longest to have closed.
    _Showcase("ZZ-01", 150, SHAPE_CLOSED),
    _Showcase("ZZ-02", 160, SHAPE_CLOSED),
    _Showcase("ZZ-03", 170, SHAPE_CLOSED),
    _Showcase("ZZ-04", 180, SHAPE_CLOSED),
    _Showcase("QY-01", 190, SHAPE_CLOSED),
    _Showcase("QY-02", 200, SHAPE_CLOSED),
    _Showcase("QY-03", 210, SHAPE_CLOSED),
    _Showcase("BF-01", 220, SHAPE_CLOSED),
    _Showcase("BF-05", 230, SHAPE_CLOSED),
    _Showcase("ZZ-05", 240, SHAPE_CLOSED),
    _Showcase("ZZ-06", 250, SHAPE_CLOSED),
    _Showcase("BF-07", 260, SHAPE_CLOSED),
)


GOLDEN_AUTUMN_ITEM = "BF-03"
# Procedures about a union that already exists: their cases are opened for firms with members.
UNION_PROCEDURES = {"members_congress", "re_election", "funds_reconciliation"}


@dataclass(frozen=True)
class _Planned:
    item_id: str
    opened: datetime
    showcase: _Showcase | None = None


def _working_days_back(calendar: WorkCalendar, today: date, count: int) -> date:
    """The working day ``count`` working days before ``today`` (at least one)."""
    day = today
    for _ in range(max(1, count)):
        day -= timedelta(days=1)
        while not calendar.is_working_day(day):
            day -= timedelta(days=1)
    return day


def _showcase_opened(calendar: WorkCalendar, now: datetime, showcase: _Showcase) -> datetime:
    """When a showcase case was opened: office hours of a working day before ``now``.

    days_back 0 is this morning when the office has been open an hour, else the last
    working afternoon before today.
    """
    at = time(9, 30) if showcase.days_back else time(9, 0)
    moment = timedelta(minutes=showcase.minute)
    today = now.date()
    if showcase.days_back == 0:
        opened = datetime.combine(today, at) + moment
        if calendar.is_working_day(today) and opened <= now - timedelta(hours=1):
            return opened
        return datetime.combine(_working_days_back(calendar, today, 1), time(15, 0)) + moment
    return datetime.combine(_working_days_back(calendar, today, showcase.days_back), at) + moment


def _plan_cases(office: Office, rng: random.Random, now: datetime, count: int) -> list[_Planned]:
    """Every case to open, in the order it was opened: the showcase and random history."""
    items = office.book.service_items()
    calendar = office.cases.calendar
    known = {item.id for item in items}
    planned = [
        _Planned(s.item_id, _showcase_opened(calendar, now, s), s)
        for s in SHOWCASE
        if s.item_id in known
    ]
    # Hardship aid is most of a township office's casework; every item still gets cases.
    weights = {item.id: (3 if item.id.startswith("BF") else 1) for item in items}
    every_item = [item.id for item in items]
    plan = every_item + (every_item * 3)[: max(0, count - len(planned) - len(every_item))]
    extra = max(0, count - len(planned) - len(plan))
    plan += rng.choices(list(weights), weights=list(weights.values()), k=extra)
    starts = sorted(
        _on_a_working_day(
            calendar,
            _office_hours(now - timedelta(days=rng.uniform(1, 730), hours=rng.uniform(0, 8))),
        )
        for _ in plan
    )
    rng.shuffle(plan)
    planned += [_Planned(item_id, opened) for item_id, opened in zip(plan, starts, strict=True)]
    return sorted(planned, key=lambda p: p.opened)


def _make_cases(
    office: Office,
    rng: random.Random,
    clock: _DemoClock,
    now: datetime,
    people: list[int],
    enterprises: list[int],
    count: int,
    progress: Callable[[int, int], None] | None,
) -> int:
    service = office.cases
    on_register = office.registry.people(PeopleFilter(hardship_only=True), limit=len(people))
    hardship = [person.id for person in on_register] or people
    # A congress, a re-election or a union's accounts need a union with members.
    unionised = [
        e for e in enterprises if office.registry.enterprise(e).member_count > 0
    ] or enterprises
    planned = _plan_cases(office, rng, now, count)
    showcased: list[tuple[int, _Showcase]] = []
    students_aided: dict[int, set[int]] = {}  # year → the families with a 金秋助学 case in it
    for index, plan in enumerate(planned):
        clock.now = plan.opened
        procedure = service.procedure_for(plan.item_id)
        subject: dict[str, Any]
        if procedure.subject == "person":
            # Aid is asked for mostly by families on the hardship register.
            pool = hardship if plan.item_id.startswith("BF") and rng.random() < 0.85 else people
            subject = {"person_id": rng.choice(pool)}
            if plan.item_id == GOLDEN_AUTUMN_ITEM:  # for a child of theirs at school
                aided = students_aided.setdefault(plan.opened.year, set())
                subject["person_id"] = _with_a_student(
                    office, subject["person_id"], pool, people, plan.opened.date(), index, aided
                )
                aided.add(subject["person_id"])
        else:
            pool = unionised if procedure.id in UNION_PROCEDURES else enterprises
            subject = {"enterprise_id": rng.choice(pool)}
        try:
            case = service.open_case(plan.item_id, DEMO_STAFF_FALLBACK, **subject)
        except CaseError:
            reason = "家庭再次遭遇变故（演示数据）"
            case = service.open_case(
                plan.item_id, DEMO_STAFF_FALLBACK, repeat_reason=reason, **subject
            )
        show = plan.showcase
        if show is not None:
            showcased.append((case.id, show))
            _work_showcase(office, rng, clock, now, case.id, procedure, show)
        elif rng.random() < 0.03:
            service.terminate(case.id, "申请人撤回申请（演示数据）", DEMO_STAFF_FALLBACK)
        else:
            # Cases are worked at a clerk's pace until today; a few are left stalled, more of
            # them among the recent ones.
            age_days = (now - plan.opened).days
            stalled = rng.random() < (0.08 if age_days <= 60 else 0.004)
            stop_after = rng.randint(0, 6) if stalled else None
            _run_case(office, rng, clock, now, case.id, procedure, stop_after)
        if progress is not None:
            progress(index + 1, len(planned))
    clock.now = now
    for case_id, show in showcased:
        _check_shape(service, case_id, show)
    return len(planned)


def _work_showcase(
    office: Office,
    rng: random.Random,
    clock: _DemoClock,
    now: datetime,
    case_id: int,
    procedure: Procedure,
    show: _Showcase,
) -> None:
    service = office.cases
    if show.late:
        # The applicant's papers sat unread past the service's time limit.
        due = service.view(case_id, with_record=False).row.due_at
        clock.now = _office_hours(due + timedelta(days=1, hours=2))
    if show.shape == SHAPE_TERMINATED:
        _run_case(office, rng, clock, now, case_id, procedure, show.stop_after, show.approve)
        clock.now = min(now, clock.now + timedelta(days=1))
        service.terminate(case_id, "申请人已调离本镇，撤回申请（演示数据）", DEMO_STAFF_FALLBACK)
        return
    _run_case(office, rng, clock, now, case_id, procedure, show.stop_after, show.approve)


def _check_shape(service: CaseService, case_id: int, show: _Showcase) -> None:
    """Log a showcase case that is not what the demo promises."""
    view = service.view(case_id, with_record=False)
    row = view.row
    state = service.case_deadline_state(row)
    refused = any(
        (record.approval is not None and not record.approval["approved"])
        or (record.eligibility is not None and not record.eligibility["eligible"])
        for record in view.state.steps.values()
    )
    expected = {
        SHAPE_OVERDUE: row.status == OPEN and state == DeadlineState.OVERDUE,
        SHAPE_DUE_NOW: row.status == OPEN
        and state in (DeadlineState.DUE_TODAY, DeadlineState.DUE_SOON),
        SHAPE_CLOSED: row.status == CLOSED,
        SHAPE_REFUSED: row.status == CLOSED and refused,
        SHAPE_LATE: row.status == CLOSED and state == DeadlineState.DONE_LATE,
        SHAPE_TERMINATED: row.status == TERMINATED,
    }[show.shape]
    if not expected:
        log.warning(
            "演示案件 %s（%s）没有按计划成为“%s”：现为 %s/%s，停在“%s”",
            row.number, show.item_id, show.shape, row.status, state, row.current_step_title,
        )  # fmt: skip


def _on_a_working_day(calendar: WorkCalendar, moment: datetime) -> datetime:
    """The same time of day on the working day on or before ``moment``: offices are shut at
    weekends and holidays."""
    day = moment.date()
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return datetime.combine(day, moment.time())


def _next_working_day(calendar: WorkCalendar, moment: datetime) -> datetime:
    """``moment``, or the morning of the next working day when it falls on a day off: clerks
    finish steps at work."""
    day = moment.date()
    if calendar.is_working_day(day):
        return moment
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return datetime.combine(day, time(9, moment.minute))


def _office_hours(moment: datetime) -> datetime:
    hour = 8 + (moment.hour % 9)
    return datetime.combine(moment.date(), time(hour, moment.minute))


def _run_case(
    office: Office,
    rng: random.Random,
    clock: _DemoClock,
    now: datetime,
    case_id: int,
    procedure: Procedure,
    stop_after: int | None,
    approve: bool | None = None,
) -> None:
    """Work the case step by step until it closes, ``stop_after`` steps are done or the
    clerk's next move would be after ``now``. ``approve`` forces the approvers' decisions
    and a smooth path (quorums met); None lets chance decide."""
    service = office.cases
    done = 0
    while True:
        view = service.view(case_id, with_record=False)
        step = view.current
        if step is None or (stop_after is not None and done >= stop_after):
            return
        operator = DEMO_STAFF_BY_ROLE.get(step.role, DEMO_STAFF_FALLBACK)
        if operator == CHAIR and step.approval is None:
            operator = DEMO_STAFF_FALLBACK
        values_now = view.state.values()
        # Only the fields that apply, in order: a later field may depend on an earlier one.
        record = view.state.record(step.id)
        values = _step_values(step, rng, clock.now, view, values_now, smooth=approve is not None)
        known = {**values_now, **values}
        materials = [m.id for m in step.materials if engine.applies(m, known) is not False]
        service.save_step(case_id, step.id, operator, values, materials)
        # Saving changes no deadline, so the view read before it still tells the dates.
        if step.hold is not None:
            ends = service.calendar.add(record.started_at, step.hold.limit, step.hold.unit)
            clock.now = _office_hours(ends.due + timedelta(hours=9))
        else:
            clock.now = _next_working_moment(rng, clock.now, view, step.id)
        clock.now = _next_working_day(service.calendar, clock.now)
        if clock.now >= now:
            return
        if step.approval is not None:
            approved = rng.random() < 0.88 if approve is None else approve
            # An approver does not say yes to what the step's checks forbid (a 代表大会 for a
            # small union, too few candidates): that request is refused with the rule's reason.
            forbidden = _forbidden_if_approved(step, service.view(case_id, with_record=False).state)
            opinion = "同意"
            if forbidden or not approved:
                approved = False
                opinion = forbidden or _refusal_opinion(procedure, step)
            if step.approval.external:
                scan = _attach_demo_scan(office, case_id, step.id, operator)
                county = ExternalApprover(DEMO_COUNTY_OFFICIAL, DEMO_COUNTY_UNIT)
                service.approve(
                    case_id, step.id, county, approved, opinion, operator, scan_attachment_id=scan
                )
            else:
                approver = _demo_approver(office, step.approval, view.state)
                # The approver signs at the desk, as the operator, in the demo.
                service.approve(case_id, step.id, approver.id, approved, opinion, approver.name)
        try:
            service.complete_step(case_id, step.id, operator)
        except StepBlocked:
            return
        done += 1


def _demo_approver(office: Office, approval: Approval, state: CaseState) -> Staff:
    """Who signs an approval: a staff member holding the role it asks for, preferring the holder
    of the post it names (the chair for the chair and the committee, the funds reviewer for the
    funds review); never a person who had a hand in the decision under review."""
    prepared = state.record(approval.prepared_in)
    hands = prepared.editor_ids | ({prepared.completed_by_id} - {None})
    holders = [m for m in office.staff.holding(approval.authority) if m.id not in hands]
    holders.sort(key=lambda member: (member.post != approval.role, member.post != CHAIR_POST))
    if not holders:
        raise RuntimeError(f"demo: nobody may approve {approval.role} ({approval.authority})")
    return holders[0]


def _attach_demo_scan(office: Office, case_id: int, step_id: str, operator: str) -> int:
    with tempfile.TemporaryDirectory() as folder:
        scan = Path(folder) / DEMO_SCAN_NAME
        scan.write_bytes(DEMO_SCAN)
        return office.cases.attach_file(case_id, step_id, scan, operator, "上级工会批复签字页")


# What an approver writes when saying no, by procedure and step; others get the generic one.
# Each fits its procedure: income is a reason to refuse aid, not a reconciliation.
REFUSAL_OPINIONS = {
    ("hardship_aid", "approval"): "经复核，家庭收入超过认定标准",
    ("hardship_aid", "county_review"): "经县总工会复核，家庭收入超过建档标准，不予建档",
    ("condolence", "approval"): "经核实，本次慰问事由不在县慰问标准表的范围内",
    ("medical_mutual_aid", "review"): "经审核，本次住院费用不在所参加项目的保障范围内，不予给付",
    ("funds_reconciliation", "audit_review"): "对账金额与所附凭证不一致，请重新核对后再报",
    ("re_election", "plan_review"): "选举办法草案不完善，请按审查意见修改后重新请示",
    ("re_election", "result_approval"): "选举会议记录和计票材料不全，请补齐后重新报批",
}
GENERIC_REFUSAL = "经审核，材料不符合要求，请补正后重报"


def _refusal_opinion(procedure: Procedure, step: Step) -> str:
    return REFUSAL_OPINIONS.get((procedure.id, step.id), GENERIC_REFUSAL)


def _forbidden_if_approved(step: Step, state: engine.CaseState) -> str:
    """The refusal an approver writes when the step's checks forbid approving, else ""."""
    approving = {**state.values(), f"{step.id}.approved": True}
    for check in step.checks:
        if check.block_when.holds(approving):
            message = engine.reason_text(state, check.message, approving)
            # The check speaks to the clerk ("请把审批改为…"); the opinion keeps the reason.
            reason = message.split("请把审批")[0].rstrip("：:，,。 ")
            return f"{reason}。请按此修改后重新报批。"
    return ""


def _step_values(
    step: Step,
    rng: random.Random,
    now: datetime,
    view: Any,
    values_now: dict[str, Any],
    smooth: bool,
) -> dict[str, Any]:
    """Entries for the fields of ``step`` that apply, in order (a later field may depend on an
    earlier one). Entries the step's own checks refuse (a 代表大会 for a small union, cash for a
    wedding) are drawn again, as a clerk corrects them before completing the step."""
    record = view.state.record(step.id)
    values: dict[str, Any] = {}
    for _attempt in range(30):
        values = {}
        for spec in step.fields:
            known = {**values_now, **values}
            if spec.id == "expected_count" and known.get("meeting_type") == "会员代表大会":
                # Prefilled with the whole membership, which is a 会员大会's attendance.
                values[spec.id] = _delegate_quota(step, known)
                continue
            applies = engine.applies(spec, known) is not False
            if applies and (view.state.procedure.id, spec.id) == ACCOUNT_LINE_FIELD:
                # The draws the payment's 收款账户 took as one line of text ("中国农业银行示例镇支行
                # 6228 4800 …"); its 账号 now comes from the record, prefilled or not.
                rng.randint(1000, 9999), rng.randint(1000, 9999)
            if record.values.get(spec.id) is None and applies:
                values[spec.id] = _demo_value(spec, rng, now, view, known, smooth=smooth)
        known = {**values_now, **record.values, **values}
        if not any(check.block_when.holds(known) for check in step.checks):
            break
    return values


def _delegate_quota(
    step: Step,
    known: dict[str, Any],
    field_id: str = "expected_count",
    members_key: str = "member_count",
) -> int:
    """A 会员代表大会's delegates: about a quarter of the members, moved into the quota band
    the step's warnings hold it to (《基层工会会员代表大会条例》), so the demo draws no warning."""
    members = known.get(members_key) or 30
    start = min(members, max(30, members // 4))
    for count in sorted(range(1, members + 1), key=lambda n: (abs(n - start), n)):
        trial = {**known, field_id: count}
        if not any(caution.when.holds(trial) for caution in step.cautions):
            return count
    return start


def _next_working_moment(rng: random.Random, now: datetime, view: Any, step_id: str) -> datetime:
    """When the clerk finishes the step: usually within its time limit, now and then late."""
    later = _office_hours(now + timedelta(days=rng.choice([0, 1, 1, 2, 3, 5])))
    # Office hours are folded into 8:00–16:59, which can move a same-day time backwards.
    later = max(later, now + timedelta(minutes=rng.randint(20, 120)))
    dues = [s.due.due for s in view.steps if s.step.id == step_id and s.due is not None]
    if view.row.served_at is None:
        dues.append(view.row.due_at)  # the promise to the worker bounds every step before it
    if not dues or later <= min(dues) or rng.random() < 0.04:
        return later
    return max(now, _office_hours(min(dues) - timedelta(hours=rng.uniform(9, 30))))


# Values that must agree with others on paper: what is paid is what was approved, a meeting
# comes after its notice and has its quorum, the approved amount is not above the request.
PAID_FROM_APPROVED = {"pay_amount", "funeral_pay_amount"}
APPROVED = {"approved_amount"}
FUTURE_DATES = {
    "planned_date", "meeting_date", "congress_date", "next_visit_date", "performance_due",
    "next_inspection", "growth_next_visit",
}  # fmt: skip
ATTENDANCE = {  # present field → (expected field, votes field or "")
    "present_count": ("expected_count", "min_votes"),
    "congress_present": ("congress_expected", ""),
    "adoption_present": ("adoption_expected", "adoption_for"),
}
DEMO_CONSENTS = {"consent_personal_info", "consent_sensitive_info", "notice_with_name"}
DEMO_TEXT = (  # words in a field's label → a plausible entry
    (("学校",), ("兰州大学", "西北师范大学", "兰州职业技术学院", "甘肃农业大学")),
    (("医院",), ("示例县人民医院", "示例市第一人民医院")),
    (("病",), ("冠心病", "慢性肾功能衰竭", "乳腺癌", "脑梗塞")),
    (("项目", "工种", "岗位"), ("家政服务员培训", "电工上岗培训", "物业保洁岗位")),
    (("方式",), ("座谈会和问卷", "职工代表大会征集")),
    (("议题",), ("工资调整幅度和劳动安全卫生",)),
)


def _planned_value(
    spec: FieldSpec, rng: random.Random, view: Any, known: dict[str, Any], smooth: bool
) -> Any:
    """Entries whose size or date must make sense for their label and agree with the rest of
    the case: a year's accounts, hospital bills, a discharge before the claim, an election plan
    for the union's size. None leaves the field to the plain rules of _demo_value.

    Random history has a hitch now and then (arrears, a claim too late, a plan without enough
    candidates), as real files do; ``smooth`` leaves them out."""

    def hitch(chance: float) -> bool:
        return not smooth and rng.random() < chance

    field_id, opened = spec.id, view.state.opened_at.date()
    if spec.type == "number" and spec.label.endswith("年度"):
        return opened.year - 1  # a yearly reconciliation looks back on the year before
    if spec.type == "money":
        return _planned_money(field_id, rng, known, hitch)
    if spec.type == "number":
        return _planned_count(field_id, rng, known, hitch)
    if spec.type == "choice" and field_id == "meeting_type":
        members = known.get("member_count")
        if members is not None and members <= 100:  # a small union holds a members' assembly
            return "会员代表大会" if hitch(0.05) else "会员大会"
        return None
    if spec.type == "date":
        day = _planned_date(field_id, rng, opened, known, hitch)
        return day.isoformat() if day is not None else None
    return None


def _whole_yuan(fen: float) -> int:
    return int(fen) // 100 * 100


def _planned_money(
    field_id: str, rng: random.Random, known: dict[str, Any], hitch: Callable[[float], bool]
) -> int | None:
    wages, paid = known.get("wage_total"), known.get("funds_paid")
    if field_id == "wage_total":  # a year's wages of the whole workforce
        headcount = known.get("enterprise.headcount") or 30
        return headcount * rng.randrange(48_000, 96_000, 100) * 100
    if field_id == "funds_paid" and wages:  # 2% of the wages (工会法 第四十三条)
        due = wages * 2 // 100
        return _whole_yuan(due * rng.uniform(0.85, 0.98)) if hitch(0.12) else due
    if field_id == "return_expected" and paid:  # the base union's share (the demo's 60%)
        return paid * 60 // 100
    if field_id == "return_received" and known.get("return_expected"):
        expected = known["return_expected"]
        return _whole_yuan(expected * rng.uniform(0.7, 0.95)) if hitch(0.1) else expected
    if field_id == "dues_expected" and wages:  # 0.5% of the members' wages
        headcount = known.get("enterprise.headcount") or 1
        members = min(known.get("enterprise.member_count") or headcount, headcount)
        return wages * members // headcount * 5 // 1000
    if field_id == "dues_collected" and known.get("dues_expected"):
        expected = known["dues_expected"]
        return _whole_yuan(expected * rng.uniform(0.8, 0.97)) if hitch(0.1) else expected
    if field_id == "fee":  # a member's yearly contribution to mutual aid
        return rng.choice([30, 50, 60, 100, 120]) * 100
    if field_id == "total_cost":  # a hospital stay's eligible costs
        return rng.randrange(4_000, 60_000, 100) * 100
    if field_id == "insurance_paid" and known.get("total_cost"):
        return _whole_yuan(known["total_cost"] * rng.uniform(0.5, 0.75))
    if field_id == "granted_amount" and known.get("total_cost"):
        own = known["total_cost"] - (known.get("insurance_paid") or 0)
        return min(_whole_yuan(own * rng.uniform(0.3, 0.5)), 2_000_000)
    return None


def _planned_count(
    field_id: str, rng: random.Random, known: dict[str, Any], hitch: Callable[[float], bool]
) -> int | None:
    if field_id == "seats":  # a new committee, small for a small union
        members = known.get("member_count") or 30
        return rng.randint(3, max(3, min(15, members // 4)))
    if field_id == "candidates" and known.get("seats"):
        seats = known["seats"]  # 差额选举: a few more candidates than seats
        return seats if hitch(0.06) else seats + rng.randint(1, 3)
    if field_id == "committee_size" and known.get("seats"):
        return known["seats"]
    if field_id == "delay_months":  # 一般不超过半年; now and then a union asks for more
        return rng.randint(7, 10) if hitch(0.05) else rng.randint(2, 6)
    if field_id == "expected_count" and known.get("member_count"):
        members = known["member_count"]
        if known.get("meeting_type") == "会员代表大会":
            return min(members, max(30, members // 4))
        return members
    return None


def _planned_date(
    field_id: str,
    rng: random.Random,
    opened: date,
    known: dict[str, Any],
    hitch: Callable[[float], bool],
) -> date | None:
    if field_id == "discharge_date":  # claims come in weeks after discharge, a few too late
        return opened - timedelta(days=rng.randint(181, 240) if hitch(0.05) else rng.randint(3, 60))
    if field_id == "term_end":  # the term the union asks to renew ends soon
        return opened + timedelta(days=rng.randint(15, 75))
    if field_id == "period_end" and known.get("period_start"):  # a year's cover
        start = date.fromisoformat(known["period_start"])
        try:
            anniversary = start.replace(year=start.year + 1)
        except ValueError:  # 29 February
            anniversary = start.replace(year=start.year + 1, day=28)
        return anniversary - timedelta(days=1)
    if field_id == "extension_until" and known.get("mediation_date"):  # 不超过15日
        return date.fromisoformat(known["mediation_date"]) + timedelta(days=rng.randint(5, 15))
    return None


# The hospital stay, the bills and the student's school and account on the 医疗救助 and 金秋助学
# applications. They draw from a generator of their own, seeded by the case, so adding them left
# every other entry the demo makes as it was.
AID_APPLICATION_FIELDS = {
    "hospital", "hospital_in_date", "hospital_out_date", "medical_total_cost",
    "insurance_reimbursed", "other_reimbursed", "student_id_number", "major", "schooling_years",
    "tuition", "payee_name", "payee_bank", "payee_account", "admission_level", "student_status",
    "grade", "enrollment_year",
}  # fmt: skip
MAJORS = {
    "本科": ("计算机科学与技术", "临床医学", "汉语言文学", "土木工程", "会计学"),
    "研究生": ("材料科学与工程", "临床医学", "教育学", "农业工程"),
    "高职（专科）": ("护理", "机电一体化技术", "学前教育", "汽车检测与维修技术"),
    "中等职业学校": ("机电技术应用", "计算机应用", "汽车运用与维修", "护理"),
}
SCHOOLING_YEARS = {"本科": 4, "研究生": 3, "高职（专科）": 3, "普通高中": 3, "中等职业学校": 3}
# How old a first-year student is at each level.
FIRST_YEAR_AGE = {"本科": 18, "研究生": 22, "高职（专科）": 18, "普通高中": 15, "中等职业学校": 15}


def _own_rng(view: Any, field_id: str) -> random.Random:
    """A generator of the field's own, seeded by the case: entries added to the demo later draw
    from it, so every entry the demo made before stays as it was."""
    return random.Random(f"{view.row.number}:{field_id}")


def _aid_application_value(field_id: str, view: Any, known: dict[str, Any]) -> Any:
    rng = _own_rng(view, field_id)
    opened = view.state.opened_at.date()
    person = view.person
    level = known.get("admission_level") or "本科"
    # The family's own child at school, when it has one (the demo opens 金秋助学 for such
    # families): the level, the year and the number follow the child's age and school.
    student = _student_of(person, opened)
    if student is not None and field_id in ("admission_level", "student_status", "grade"):
        member, age = student
        level = _student_level(member.work, age)
        grade = _student_grade(level, age)
        if field_id == "admission_level":
            return level
        if field_id == "student_status":
            return "新生" if grade == 1 else "在校生"
        return grade
    if student is not None and field_id == "student_id_number":
        return student[0].id_number
    if field_id == "hospital":
        return rng.choice(("示例县人民医院", "示例市第一人民医院", "甘肃省人民医院"))
    if field_id == "hospital_in_date":
        return (opened - timedelta(days=rng.randint(30, 90))).isoformat()
    if field_id == "hospital_out_date":
        admitted = date.fromisoformat(known["hospital_in_date"])
        return min(admitted + timedelta(days=rng.randint(7, 25)), opened).isoformat()
    if field_id == "medical_total_cost":  # a serious illness's year of bills, in fen
        return rng.randrange(20_000, 80_000, 100) * 100
    if field_id == "insurance_reimbursed":
        return _whole_yuan(known["medical_total_cost"] * rng.uniform(0.6, 0.75))
    if field_id == "other_reimbursed":  # a mutual-aid or commercial payout now and then
        return _whole_yuan(known["medical_total_cost"] * 0.05) if rng.random() < 0.5 else 0
    if field_id == "admission_level":  # now and then a graduate student among the undergraduates
        return "研究生" if rng.random() < 0.25 else "本科"
    if field_id == "student_status":
        return "在校生" if rng.random() < 0.4 else "新生"
    if field_id == "grade":
        return rng.randint(2, SCHOOLING_YEARS[level])
    if field_id == "enrollment_year":  # the autumn the student started, the grade years ago
        return opened.year - known["grade"] + (1 if opened.month >= 9 else 0)
    if field_id == "student_id_number":  # a school leaver of 18, or older further on
        age = FIRST_YEAR_AGE[level] + (known.get("grade") or 1) - 1
        born = date(opened.year - age, rng.randint(1, 12), rng.randint(1, 28))
        return make_id_number(REGION, born, rng.randint(1, 400))
    if field_id == "major":
        return rng.choice(MAJORS[level])
    if field_id == "schooling_years":
        return SCHOOLING_YEARS[level]
    if field_id == "tuition":
        if level == "中等职业学校":  # 中职 is free of tuition
            return 0
        if level == "普通高中":
            return rng.randrange(800, 1_601, 100) * 100
        if level == "高职（专科）":
            return 4_000 * 100
        return rng.randrange(4_500, 8_001, 100) * 100
    if field_id == "payee_name":  # the parent, the member applying, receives it
        return person.name if person else _name(rng)
    if field_id == "payee_bank":
        return person.bank_name if person and person.bank_name else "中国农业银行示例镇支行"
    if person and person.bank_account:
        return person.bank_account
    return f"6228 4800 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)} 123"


# The 工会会员登记表 columns a member's application asks (籍贯, 学历, 职务/职称, 月工资收入, the
# workplace, the 工会小组). Like the aid applications' details they draw from a generator of their
# own, seeded by the case, so adding them left every other entry the demo makes as it was.
MEMBER_REGISTER_FIELDS = {
    "employer", "native_place", "education", "job_title", "monthly_wage", "union_group",
}  # fmt: skip
NATIVE_PLACES = (
    "甘肃省榆中县", "甘肃省皋兰县", "甘肃省永登县", "甘肃省定西市安定区", "甘肃省天水市秦州区",
    "甘肃省会宁县", "陕西省宝鸡市陈仓区", "河南省周口市川汇区",
)  # fmt: skip
EDUCATION_WEIGHTS = {"大学本科": 3, "大学专科": 4, "中专（中技）": 3, "高中（职高）": 4, "初中": 2}
JOB_TITLES = ("操作工", "车间班组长", "质检员", "助理工程师", "仓库保管员", "营业员", "配送员")
UNION_GROUPS = ("第一工会小组", "第二工会小组", "生产车间小组", "后勤服务小组")


def _member_register_value(field_id: str, view: Any) -> Any:
    rng = _own_rng(view, field_id)
    person = view.person
    if field_id == "employer":  # the workplace on file, as the applicant writes it
        if person is not None and person.enterprise_name:
            return person.enterprise_name
        return rng.choice(("示例镇商贸有限公司", "示例镇物流配送站", "示例镇家政服务中心"))
    if field_id == "native_place":
        return rng.choice(NATIVE_PLACES)
    if field_id == "education":
        return rng.choices(list(EDUCATION_WEIGHTS), weights=list(EDUCATION_WEIGHTS.values()))[0]
    if field_id == "job_title":
        return rng.choice(JOB_TITLES)
    if field_id == "monthly_wage":  # a worker's month, in whole yuan, in fen
        return rng.randrange(2_600, 8_001, 100) * 100
    return rng.choice(UNION_GROUPS)


# The congress notices' contact, and the first congress's notice, place and attendance. Like
# the aid applications' fields they draw from a generator of their own, seeded by the case; the
# first congress's expected and present counts still take the draws they always took from the
# shared one, so every other entry the demo makes stays as it was.
CONGRESS_CONTACT_FIELDS = {"contact_person", "contact_phone"}
CONGRESS_PROCEDURES = {"members_congress", "re_election"}
FIRST_CONGRESS_FIELDS = {
    "meeting_type", "congress_place", "congress_notice_date", "congress_expected",
    "congress_contact", "congress_phone", "congress_present",
}  # fmt: skip
# A first congress's quorum (met or missed), decided by the shared generator's draws when its
# expected count is drawn and used for its present count, the next field of the same step.
_FIRST_CONGRESS_QUORUM: dict[str, bool] = {}


def _congress_contact_value(field_id: str, view: Any) -> str:
    own = _own_rng(view, field_id)
    if field_id in ("contact_person", "congress_contact"):
        return _name(own)
    return f"139{own.randint(10000000, 99999999)}"


def _first_congress_value(
    field_id: str,
    rng: random.Random,
    now: datetime,
    view: Any,
    known: dict[str, Any],
    smooth: bool,
) -> Any:
    """The first congress of a new union: a 会员大会 of every member on the enterprise's
    record (a 代表大会 above a hundred), noticed at least 7 days ahead, mostly quorate."""
    own = _own_rng(view, field_id)
    # The members on the firm's record, or those just recruited when it has none yet.
    members = known.get("enterprise.member_count") or known.get("applicants_count") or 0
    if field_id == "meeting_type":
        return "会员代表大会" if members > 100 else "会员大会"
    if field_id == "congress_place":
        return own.choice(("职工活动室", "一楼会议室", "职工食堂", "三楼多功能厅"))
    if field_id == "congress_notice_date":
        meeting = date.fromisoformat(known["congress_date"])
        return min(now.date(), meeting - timedelta(days=own.randint(7, 10))).isoformat()
    if field_id in ("congress_contact", "congress_phone"):
        return _congress_contact_value(field_id, view)
    if field_id == "congress_expected":
        # The draws this count and the present count took before they followed the record.
        drawn = rng.randint(1, 61)
        quorate = smooth or rng.random() < 0.95
        if quorate:
            rng.randint(-(-drawn * 2 // 3), drawn)
        _FIRST_CONGRESS_QUORUM[view.row.number] = quorate
        if known.get("meeting_type") == "会员大会" and members > 0:
            return members
        if known.get("meeting_type") == "会员代表大会" and members > 0:
            step = next(s for s in view.state.procedure.steps if s.id == "first_congress")
            return _delegate_quota(step, known, field_id, "enterprise.member_count")
        return drawn
    total = known["congress_expected"]  # congress_present
    quorum = -(-total * 2 // 3)
    if _FIRST_CONGRESS_QUORUM.pop(view.row.number, True):
        return own.randint(quorum, total)
    return max(1, quorum - 1)


# What a union's proposal to negotiate (集体协商要约书) and the employer's reply name: topics, the
# meeting proposed, the data asked for, the contact, the employer's representatives. A generator
# of their own, seeded by the case, so adding them left every other entry the demo makes as it was.
NEGOTIATION_FIELDS = {
    "employer_legal_rep", "proposed_meeting_date", "proposed_meeting_place", "requested_data",
    "contact_person", "contact_phone", "topic_other_text", "employer_chief", "employer_rep_count",
    "employer_rep_list",
}  # fmt: skip
USUAL_TOPICS = {"topic_hours", "topic_rest", "topic_safety"}
TOPIC_DEMANDS = (
    "年度工资增幅不低于6%；一线岗位计件单价随之调整。",
    "高温岗位津贴每月不低于300元；夜班补贴每班不低于30元。",
    "每周工作不超过40小时，加班须经本人同意并按规定支付加班费。",
    "女职工孕期、哺乳期不安排夜班；每年组织一次妇科检查。",
)
SPARE_DRAWS: dict[str, Callable[[random.Random], Any]] = {
    "worker_rep_count": lambda rng: rng.randint(3, 50),  # 企业方协商代表人数, min 3 max 50
    "worker_chief": lambda rng: _name(rng),  # 企业方首席代表
}


def _negotiation_value(field_id: str, view: Any, known: dict[str, Any], now: datetime) -> Any:
    rng = _own_rng(view, field_id)
    if field_id == "topic_pay":  # wages are on every table
        return True
    if field_id == "topic_list":
        return rng.choice(TOPIC_DEMANDS)
    if field_id.startswith("topic_") and field_id != "topic_other_text":
        return rng.random() < (0.7 if field_id in USUAL_TOPICS else 0.15)
    if field_id == "topic_other_text":
        return "集体合同期限"
    if field_id == "proposed_meeting_date":  # after the employer's 20 days to answer
        return (now.date() + timedelta(days=rng.randint(25, 35))).isoformat()
    if field_id == "proposed_meeting_place":
        return rng.choice(("企业工会会议室", "企业二楼会议室", "示例镇总工会会议室"))
    if field_id == "requested_data":
        return "企业上年度生产经营状况，职工工资总额和人数，上年度工资支付情况。"
    if field_id == "contact_phone":
        return f"0931-{rng.randint(8100000, 8999999)}"
    if field_id == "employer_rep_count":  # now and then the employer names fewer
        workers = known.get("worker_rep_count") or 5
        return max(3, workers - rng.randint(1, 3)) if rng.random() < 0.15 else workers
    if field_id == "employer_rep_list":
        count = known.get("employer_rep_count") or 3
        return _names(view, field_id, count, known.get("employer_chief") or "", "首席代表")
    return _name(rng)  # the legal representative, the contact, the employer's chief


def _demo_value(
    spec: FieldSpec,
    rng: random.Random,
    now: datetime,
    view: Any,
    known: dict[str, Any],
    smooth: bool = False,
) -> Any:
    """A plausible entry for the field that agrees with the rest of the case; ``smooth`` leaves
    out the hitches (a missed quorum, a disqualifying "yes") that random history has now and
    then.

    Fields added since the demo was first drawn take their entries from generators of their own
    (_own_value); the others take from the shared one the draws they always took (_drawn_value),
    and what they are given is then fitted to the case (_fitted_value): the student is the
    family's child, a condolence follows the county's standard, representatives are fewer than
    the workforce. So every case keeps the history it had."""
    procedure_id = view.state.procedure.id
    if spec.id in OWN_FIELDS.get(procedure_id, ()):
        return _own_value(spec, view, known)
    as_drawn = _AS_DRAWN.setdefault(view.row.number, {})
    drawn = _drawn_value(spec, rng, now, view, {**known, **as_drawn}, smooth)
    fitted = _fitted_value(spec, view, known, drawn, as_drawn)
    if fitted is None or fitted == drawn:
        return drawn
    if spec.id in LATER_DRAWS_READ:
        as_drawn[spec.id] = drawn
    return fitted


def _drawn_value(
    spec: FieldSpec,
    rng: random.Random,
    now: datetime,
    view: Any,
    known: dict[str, Any],
    smooth: bool = False,
    spare: bool = True,
) -> Any:
    """An entry for the field by the demo's first rules, drawn from the shared generator."""
    if spec.id == "admission_level":
        # The draws the level took when it was 本科 or 专科（高职）, so the rest of the demo office
        # stays as it was; the level itself now comes from the case's own generator.
        two_levels = ("本科", "高职（专科）")
        drawn = two_levels[0] if rng.random() < 0.7 else rng.choice(two_levels)
        return drawn if drawn == "高职（专科）" else _aid_application_value(spec.id, view, known)
    if spec.id == "grade":
        rng.randint(1, 999)  # the draw the 新生's 录取通知书编号 takes, for the same reason
    if spec.id in AID_APPLICATION_FIELDS:
        return _aid_application_value(spec.id, view, known)
    if view.procedure.id == "member_admission" and spec.id in MEMBER_REGISTER_FIELDS:
        return _member_register_value(spec.id, view)

    procedure_id = view.state.procedure.id
    if procedure_id == "union_formation" and spec.id in FIRST_CONGRESS_FIELDS:
        return _first_congress_value(spec.id, rng, now, view, known, smooth)
    if procedure_id in CONGRESS_PROCEDURES and spec.id in CONGRESS_CONTACT_FIELDS:
        return _congress_contact_value(spec.id, view)
    negotiating = view.state.procedure.id == "collective_negotiation"
    if negotiating and (spec.id in NEGOTIATION_FIELDS or spec.id.startswith("topic_")):
        return _negotiation_value(spec.id, view, known, now)
    if negotiating and spec.id in SPARE_DRAWS and spare:
        # The employer's count and chief were drawn after these before they moved to the reply
        # step: the draws are still taken, so the cases after them stay as they were.
        value = _drawn_value(spec, rng, now, view, known, smooth, spare=False)
        SPARE_DRAWS[spec.id](rng)
        return value
    low = spec.minimum if spec.minimum is not None else None
    high = spec.maximum if spec.maximum is not None else None
    if spec.type in ("money", "number", "choice", "date"):
        planned = _planned_value(spec, rng, view, known, smooth)
        if planned is not None:
            return planned
    if spec.type == "money":
        if spec.id in PAID_FROM_APPROVED and known.get("approved_amount") is not None:
            return known["approved_amount"]
        low = low if low is not None else 10_000
        high = high if high is not None else 500_000
        high = max(low, min(high, max(low * 10, 300_000)))
        if spec.id == "self_pay" and known.get("medical_total_cost") is not None:
            rng.random()  # the draw self_pay always took, so the cases after it stay as they were
            reimbursed = known["insurance_reimbursed"] + (known.get("other_reimbursed") or 0)
            return known["medical_total_cost"] - reimbursed
        if spec.id in APPROVED:
            asked = known.get("amount_requested") or known.get("proposed_amount")
            if asked is not None:
                high = max(low, min(high, asked))
        return rng.randrange(low, high + 1, 100) if high > low else low
    if spec.type == "number":
        for present, (expected, votes) in ATTENDANCE.items():
            total = known.get(expected)
            if total and spec.id == present:
                quorum = -(-total * 2 // 3)  # two thirds, rounded up
                if smooth or rng.random() < 0.95:
                    return rng.randint(quorum, total)
                return max(1, quorum - 1)
            if total and spec.id == votes:
                came = known.get(present) or total
                majority = total // 2 + 1  # 半数以上 of all representatives, present or not
                return rng.randint(majority, came) if came >= majority else rng.randint(0, came)
        low = low if low is not None else 1
        high = high if high is not None else max(low, 10)
        return rng.randint(low, min(high, low + 60))
    if spec.type == "choice":
        return spec.choices[0] if rng.random() < 0.7 else rng.choice(spec.choices)
    if spec.type == "bool" and spec.id in DEMO_CONSENTS:
        # An applicant who will not let the union handle their data has no case to show; the
        # notice names only those who agreed to it. Drawn without the random stream, so the
        # rest of the demo office stays as it was before these questions were asked.
        return known.get("consent_publicity") is True if spec.id == "notice_with_name" else True
    if spec.type == "bool":
        # Questions whose "yes" disqualifies or complicates: mostly "no", as in real files.
        usually_no = spec.id in {
            "excluded_assets", "student_aided_before", "urgent_case", "urgent",
            "in_waiting_period",
        }  # fmt: skip
        if usually_no and smooth:
            return False
        if spec.id == "ballots_valid":  # more ballots back than handed out is rare
            return smooth or rng.random() < 0.97
        return rng.random() < (0.1 if usually_no else 0.8)
    if spec.type == "date":
        if spec.id in FUTURE_DATES:
            return (now.date() + timedelta(days=rng.randint(7, 20))).isoformat()
        return now.date().isoformat()
    if spec.type == "id_number":
        person = view.person
        if "领取人" in spec.label:  # a relative who receives the money: not the member's number
            born = date(rng.randint(1950, 1995), rng.randint(1, 12), rng.randint(1, 28))
            return make_id_number(REGION, born, rng.randint(1, 400))
        return person.id_number if person else make_id_number(REGION, date(1985, 1, 1), 7)
    if spec.type == "phone":
        return f"139{rng.randint(10000000, 99999999)}"
    if spec.type == "person":
        return view.person.id if view.person else None
    if spec.type == "longtext":
        if "refus" in spec.id or "不予" in spec.label or "理由" in spec.label:
            # The reason the case was turned down: the approver's, else the eligibility's.
            for record in view.state.steps.values():
                if record.approval and not record.approval["approved"]:
                    return record.approval.get("opinion") or "审批未同意（演示数据）。"
            for record in view.state.steps.values():
                if record.eligibility and not record.eligibility["eligible"]:
                    return record.eligibility["reason"]
            return "经审核，不符合本项目的条件（演示数据）。"
        return "经核实，情况属实（演示数据）。"
    label = spec.label
    for words, choices in DEMO_TEXT:
        if any(word in label for word in words):
            return rng.choice(choices)
    if any(word in label for word in ("人", "代表", "姓名")):
        return _name(rng)
    if any(word in label for word in ("地点", "地址", "住址")):
        return f"示例镇{rng.choice(STREETS)}{rng.randint(1, 200)}号"
    if "账" in label:
        digits = f"{rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
        return f"中国农业银行示例镇支行 6228 4800 {digits}"
    if "编号" in label or "号" in label:
        return f"{now.year}-{rng.randint(1, 999):04d}"
    return "演示内容"


# --- entries fitted to the case ------------------------------------------------------------

ACCOUNT_LINE_FIELD = ("hardship_aid", "bank_account")
# Per case, the entries as first drawn where the demo made fitted ones instead: later fields
# draw as they did from those (an approval below the amount asked for, a quorum of the expected
# count), so the cases after it stay as they were. Emptied for every demo office.
_AS_DRAWN: dict[str, dict[str, Any]] = {}
# The fitted entries whose first-drawn value later fields' shared draws read: the amount asked
# for bounds the approval's draw, the expected count the quorum's.
LATER_DRAWS_READ = {
    "amount_requested", "proposed_amount", *ATTENDANCE, *(e for e, _ in ATTENDANCE.values()),
}  # fmt: skip
# Fields added after the demo was first drawn: no draws from the shared generator.
OWN_FIELDS = {
    # The payment's 账号 is on the worker's record; its old draws are taken in _step_values.
    "hardship_aid": {"account_holder", "pay_bank_name", "bank_account"},
    "condolence": {"receiver_relation", "funeral_receiver_relation"},
}
# A worker's relative as a condolence form names them: the family record's relation → the
# choices of 领取人与去世会员的关系 and of 签收人与会员的关系.
DEATH_RELATION = {"配偶": "配偶", "儿子": "子女", "女儿": "子女", "父亲": "父母", "母亲": "父母"}
SIGNER_RELATION = {**DEATH_RELATION, "兄弟姐妹": "其他亲属"}
# Who receives a member's death grant: the spouse first, then a child, a parent, a sibling.
NEXT_OF_KIN = ("配偶", "儿子", "女儿", "父亲", "母亲", "兄弟姐妹")
CONDOLENCE_STANDARDS = {  # 慰问类别 → the county standard's parameter
    "结婚": "marriage_max", "生育": "childbirth_max", "生病住院": "hospital_max",
    "退休离岗": "retirement_max", "会员本人去世": "member_death_max",
    "直系亲属去世": "relative_death_max",
}  # fmt: skip
STUDENT_SCHOOLS = DEMO_SCHOOLS[1:]  # a county high school, a vocational school, a university


def _own_value(spec: FieldSpec, view: Any, known: dict[str, Any]) -> Any:
    person = view.person
    if spec.id == "account_holder":  # the aid goes to the worker's own account
        return person.name if person else _name(_own_rng(view, spec.id))
    if spec.id == "pay_bank_name":
        return person.bank_name if person and person.bank_name else DEMO_BANKS[0]
    if spec.id == "bank_account":
        if person is not None and person.bank_account:
            return person.bank_account
        return "6228" + "".join(str(d) for d in _own_rng(view, spec.id).choices(range(10), k=15))
    signer = known.get("receiver") or known.get("funeral_receiver")  # *_relation
    return _signer(view)[1] if signer == _signer(view)[0] else "本人"


def _fitted_value(
    spec: FieldSpec, view: Any, known: dict[str, Any], drawn: Any, as_drawn: dict[str, Any]
) -> Any:
    """The entry that agrees with the rest of the case, in place of ``drawn``; None keeps it.
    ``as_drawn`` holds the case's earlier entries as they were drawn before being fitted."""
    procedure_id = view.state.procedure.id
    fitted = _fitted_attendance(spec, view, known, drawn, as_drawn)
    if fitted is not None:
        return fitted
    fitting = {
        "hardship_aid": _fitted_aid,
        "condolence": _fitted_condolence,
        "collective_negotiation": _fitted_negotiation,
        "union_formation": _fitted_formation,
    }.get(procedure_id)
    fitted = fitting(spec, view, known, drawn) if fitting else None
    if fitted is None and spec.type == "name" and drawn == "演示内容":
        return _name(_own_rng(view, spec.id))  # a 记录员 is somebody
    return fitted


def _fitted_attendance(
    spec: FieldSpec, view: Any, known: dict[str, Any], drawn: Any, as_drawn: dict[str, Any]
) -> int | None:
    """Who came and who voted, against an expected count that was fitted (the whole workforce,
    not the count first drawn): quorate and carried exactly when the drawn ones were."""
    for present, (expected, votes) in ATTENDANCE.items():
        if expected not in as_drawn or spec.id not in (present, votes):
            continue
        rng = _own_rng(view, spec.id)
        total, drawn_total = known[expected], as_drawn[expected]
        if spec.id == present:
            quorum = -(-total * 2 // 3)
            met = drawn >= -(-drawn_total * 2 // 3)
            return rng.randint(quorum, total) if met else max(1, quorum - 1)
        came = known.get(present) or total
        drawn_came = as_drawn.get(present, known.get(present)) or drawn_total
        carried = drawn >= drawn_total // 2 + 1 and drawn_came >= drawn_total // 2 + 1
        majority = total // 2 + 1
        if carried and came >= majority:
            return rng.randint(majority, came)
        return rng.randint(0, min(came, majority - 1))
    return None


def _age_on(id_number: str, day: date) -> int | None:
    try:
        born = date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _student_of(person: Any, opened: date) -> tuple[Any, int] | None:
    """The family's child at a high school or above when the case was opened, and their age."""
    for member in person.household_members if person is not None else ():
        if member.relation in ("儿子", "女儿") and member.work in STUDENT_SCHOOLS:
            age = _age_on(member.id_number, opened)
            if age is not None and 15 <= age <= 22:
                return member, age
    return None


def _student_level(school: str, age: int) -> str:
    if school == DEMO_SCHOOLS[1]:
        return "普通高中"
    if school == DEMO_SCHOOLS[2]:
        return "高职（专科）" if age >= 18 else "中等职业学校"
    return "本科"


def _student_grade(level: str, age: int) -> int:
    return max(1, min(SCHOOLING_YEARS[level], age - FIRST_YEAR_AGE[level] + 1))


def _with_a_student(
    office: Office,
    chosen: int,
    pool: list[int],
    everyone: list[int],
    opened: date,
    index: int,
    aided: set[int],
) -> int:
    """The worker a 金秋助学 case is for: ``chosen`` when a child of theirs is at a high school
    or above, else one of the pool (or anyone) who has such a child, as poor as ``chosen`` by
    the relative-hardship line, so the case is decided as it was before students were
    matched to families; a family already ``aided`` this year only when no other will do."""
    registry = office.registry
    drawn = registry.person(chosen)
    if _student_of(drawn, opened) is not None and chosen not in aided:
        return chosen
    params = {p.id: p.value for p in office.cases.procedure_for(GOLDEN_AUTUMN_ITEM).params}
    line = params.get("min_living_standard", 75_000) * params.get("relative_multiple", 2)

    def poor(person: Any) -> bool:
        return (person.income_per_head or 0) < line

    choose = random.Random(f"demo-student-{index}").choice
    for people in (pool, everyone):
        parents = [registry.person(p) for p in people]
        parents = [p for p in parents if _student_of(p, opened) is not None]
        fresh = [p for p in parents if p.id not in aided]
        alike = [p for p in fresh if poor(p) == poor(drawn)]
        if alike or fresh:
            return choose(alike or fresh).id
    return chosen


def _household_income(view: Any, known: dict[str, Any]) -> tuple[int, int]:
    """(the worker's own monthly income, the family's yearly income), in fen, that agree with
    the household size and the income per head the application records: per head is the
    family's month less medical and school costs, shared among everyone."""
    rng = _own_rng(view, "household_income")
    size = max(1, known.get("household_size") or 1)
    per_head = known.get("income_per_head") or 0
    net = per_head * size
    month = _whole_yuan(net * rng.uniform(1.0, 1.25))  # before the costs per head leaves out
    month = max(month, net)
    own = month if size == 1 else _whole_yuan(month * rng.uniform(0.4, 0.9))
    return own, month * 12


GOLDEN_AUTUMN_STANDARDS = {  # 就读学段 → the standard's parameter
    "普通高中": "golden_autumn_high_school", "中等职业学校": "golden_autumn_vocational",
    "高职（专科）": "golden_autumn_college", "本科": "golden_autumn_undergraduate",
    "研究生": "golden_autumn_postgraduate",
}  # fmt: skip


def _param(view: Any, param_id: str | None) -> int | None:
    return next((p.value for p in view.state.procedure.params if p.id == param_id), None)


def _fitted_aid(spec: FieldSpec, view: Any, known: dict[str, Any], drawn: Any) -> Any:
    if known.get("kind") == "金秋助学" and spec.id in ("amount_requested", "approved_amount"):
        # A student's grant is the level's standard: asked for and approved as it is.
        level = known.get("admission_level")
        found = _student_of(view.person, view.state.opened_at.date())
        if level is None and found is not None:  # asked for before the level is entered
            level = _student_level(found[0].work, found[1])
        standard = _param(view, GOLDEN_AUTUMN_STANDARDS.get(level or ""))
        if standard is None:
            return None
        return min(standard, known.get("amount_requested") or standard)
    if spec.id in ("own_monthly_income", "family_annual_income"):
        own, yearly = _household_income(view, known)
        return own if spec.id == "own_monthly_income" else yearly
    if spec.id in ("student_name", "admission_school", "admission_level"):
        found = _student_of(view.person, view.state.opened_at.date())
        if found is not None:
            member, age = found
            if spec.id == "admission_level":
                return _student_level(member.work, age)
            return member.name if spec.id == "student_name" else member.work
    return None


def _signer(view: Any) -> tuple[str, str]:
    """Who signed for a condolence and their relation (签收人与会员的关系): mostly the member,
    now and then a relative from the family record collecting for them."""
    person = view.person
    members = person.household_members if person else ()
    relatives = [m for m in members if m.relation in SIGNER_RELATION]
    rng = _own_rng(view, "signer")
    if person is None or not relatives or rng.random() < 0.85:
        return (person.name if person else "", "本人")
    relative = rng.choice(relatives)
    return relative.name, SIGNER_RELATION[relative.relation]


def _next_of_kin(view: Any) -> tuple[str, str, str] | None:
    """Who receives a member's death grant: (name, relation, ID number) from the family record."""
    person = view.person
    members = list(person.household_members) if person is not None else []
    for relation in NEXT_OF_KIN:
        for member in members:
            if member.relation == relation and member.id_number:
                return member.name, DEATH_RELATION.get(relation, "兄弟姐妹"), member.id_number
    return None


def _fitted_condolence(spec: FieldSpec, view: Any, known: dict[str, Any], drawn: Any) -> Any:
    if spec.id in ("proposed_amount", "approved_amount"):
        # The county's standard for the kind; a proposal drawn above it stays, to be refused.
        standard = _param(view, CONDOLENCE_STANDARDS.get(known.get("condolence_type") or ""))
        if standard is None:
            return None
        if spec.id == "approved_amount":
            return min(standard, known.get("proposed_amount") or standard)
        if drawn > standard:  # asked above the standard, a little, to be refused and redone
            return standard + _own_rng(view, spec.id).randint(1, 5) * 10_000
        return standard
    kin = _next_of_kin(view) if known.get("condolence_type") == "会员本人去世" else None
    if spec.id in ("recipient", "recipient_relation", "recipient_id_number") and kin:
        return kin[("recipient", "recipient_relation", "recipient_id_number").index(spec.id)]
    if spec.id == "funeral_receiver" and known.get("condolence_type") == "会员本人去世":
        return known.get("recipient") or drawn
    if spec.id in ("receiver", "funeral_receiver"):
        return _signer(view)[0] or None
    return None


def _rep_count(view: Any, known: dict[str, Any]) -> int:
    """A side's negotiators: at least 3 (《集体合同规定》第十九条), about one in ten of the
    workforce beyond that, at most 9, and never more than a third of it where it allows 3."""
    headcount = known.get("headcount") or known.get("enterprise.headcount") or 30
    most = max(3, min(9, headcount // 10 + 3, headcount // 3))
    return _own_rng(view, "worker_rep_count").randint(3, most)


def _names(view: Any, field_id: str, count: int, first: str, first_role: str) -> str:
    """A list of ``count`` people, ``first`` with their role: 陈华秀（首席代表）、张建国、李丽."""
    rng = _own_rng(view, field_id)
    names = [f"{first}（{first_role}）"] if first else []
    while len(names) < count:
        name = _name(rng)
        if name != first and all(not n.startswith(name) for n in names):
            names.append(name)
    return "、".join(names)


def _fitted_negotiation(spec: FieldSpec, view: Any, known: dict[str, Any], drawn: Any) -> Any:
    headcount = known.get("headcount") or 0
    if spec.id == "worker_rep_count":
        return _rep_count(view, known)
    if spec.id == "rep_list":
        count = known.get("worker_rep_count") or 3
        return _names(view, spec.id, count, known.get("worker_chief") or "", "首席代表")
    if spec.id == "meeting_count":  # a contract is agreed in a few sittings
        return _own_rng(view, spec.id).randint(1, 4)
    if spec.id == "adoption_expected" and headcount:
        if known.get("adoption_form") == "全体职工大会" or headcount <= 100:
            return headcount
        return max(30, min(headcount // 5, 100))  # 职工代表 of a large workforce
    if spec.id == "opinion_count" and headcount:
        return min(drawn, headcount)
    if spec.id == "filing_department":
        return "示例县人力资源和社会保障局"
    return None


def _fitted_formation(spec: FieldSpec, view: Any, known: dict[str, Any], drawn: Any) -> Any:
    headcount = known.get("headcount") or 0
    rng = _own_rng(view, spec.id)
    if spec.id == "applicants_count" and headcount:  # most of the workforce joins
        joined = rng.randint(-(-headcount * 6 // 10), headcount)
        return known.get("enterprise.member_count") or joined
    if spec.id == "prep_group_size" and headcount:  # a few of the workers
        return min(drawn, max(3, headcount // 2))
    if spec.id == "joint_member_count" and headcount:
        return min(drawn, headcount)
    if spec.id == "registered_count":  # the step is done when every member is registered
        return known.get("applicants_count") or known.get("enterprise.member_count") or drawn
    if spec.id == "prep_group_members":
        return _names(view, spec.id, known.get("prep_group_size") or 3, _name(rng), "组长")
    if spec.id == "election_result":
        committee = _names(view, spec.id, rng.choice((3, 5)), "", "")
        chair = committee.split("、")[0]
        return f"选举产生第一届工会委员会委员：{committee}；{chair}当选工会主席。"
    if spec.id == "certificate_no":  # a union's legal-person code starts 81
        body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
        return make_credit_code("81", REGION, body)
    if spec.id == "bank_account_opened":  # the bank, not an account
        return rng.choice(DEMO_BANKS)
    return None


__all__ = ["fill_demo_office", "OfficeNotEmptyError", "DEMO_OFFICE_NAME", "Step"]

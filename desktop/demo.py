"""The demo office: a made-up township union to explore UnionDesk with, never a real one.

People, enterprises and cases are generated with a fixed seed and run through the real case
service (with a simulated clock), so every case in the demo is one the program could have
produced: its steps, approvals, deadlines and audit trail are all consistent.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from desktop.book.procedures import FieldSpec, Procedure, Step
from desktop.cases import engine
from desktop.cases.engine import StepBlocked
from desktop.cases.service import CaseError
from desktop.identity import make_credit_code, make_id_number
from desktop.office import IS_DEMO, OFFICE_NAME, Office
from desktop.registry import clean_enterprise, clean_person
from desktop.store.registry_repo import PeopleFilter

DEMO_OFFICE_NAME = "示例镇总工会"

# Made-up staff, one per role the checklist names; the office replaces them with its own.
DEMO_STAFF_BY_ROLE = {
    "工会主席": "王建国",
    "工会专干": "李红梅",
    "经审委员": "赵立新",
    "女职工委员": "孙秀兰",
    "财务人员": "周静",
    "法律援助律师": "陈志远",
}
DEMO_STAFF_FALLBACK = "李红梅"
CHAIR = "王建国"

DEMO_PEOPLE = 240
DEMO_ENTERPRISES = 32
DEMO_CASES = 520

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
) -> dict[str, int]:
    """Give an empty office the demo name, staff, people, enterprises and cases.

    Refuses an office that holds real data. All of it is written in one transaction: an
    interrupted fill leaves the folder empty, not half a demo.
    """
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
            office.settings.set_many({OFFICE_NAME: DEMO_OFFICE_NAME, IS_DEMO: "1"})
            for role, name in DEMO_STAFF_BY_ROLE.items():
                office.registry.add_staff(name, role)
            office.set_operator(DEMO_STAFF_FALLBACK)
            for item in office.book.service_items():
                person = DEMO_STAFF_BY_ROLE.get(item.responsible_role, DEMO_STAFF_FALLBACK)
                office.book.set_responsible_person(item.id, person)
            enterprises = _make_enterprises(office, rng, real_now)
            people = _make_people(office, rng, real_now, enterprises)
            cases = _make_cases(office, rng, clock, real_now, people, enterprises, progress)
    finally:
        service.clock = real_clock
    return {"people": len(people), "enterprises": len(enterprises), "cases": cases}


def _make_enterprises(office: Office, rng: random.Random, now: datetime) -> list[int]:
    ids = []
    statuses = ["已建会"] * 5 + ["联合建会"] * 3 + ["未建会"] * 2 + ["筹建中"]
    for index, firm in enumerate(FIRMS[:DEMO_ENTERPRISES]):
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
    office: Office, rng: random.Random, now: datetime, enterprises: list[int]
) -> list[int]:
    ids = []
    for index in range(DEMO_PEOPLE):
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
        ids.append(office.registry.add_person(clean_person(raw, now.date()), "系统", now))
    return ids


def _make_cases(
    office: Office,
    rng: random.Random,
    clock: _DemoClock,
    now: datetime,
    people: list[int],
    enterprises: list[int],
    progress: Callable[[int, int], None] | None,
) -> int:
    service = office.cases
    items = office.book.service_items()
    on_register = office.registry.people(PeopleFilter(hardship_only=True), limit=len(people))
    hardship = [person.id for person in on_register] or people
    # Hardship aid is most of a township office's casework; every item still gets cases.
    weights = {item.id: (3 if item.id.startswith("BF") else 1) for item in items}
    plan = [item.id for item in items] * 4
    plan += rng.choices(list(weights), weights=list(weights.values()), k=DEMO_CASES - len(plan))
    starts = sorted(
        now - timedelta(days=rng.uniform(1, 730), hours=rng.uniform(0, 8)) for _ in plan
    )
    rng.shuffle(plan)
    made = 0
    for index, (item_id, opened) in enumerate(zip(plan, starts, strict=True)):
        opened = _office_hours(opened)
        clock.now = opened
        procedure = service.procedure_for(item_id)
        subject: dict[str, Any]
        if procedure.subject == "person":
            # Aid is asked for mostly by families on the hardship register.
            pool = hardship if item_id.startswith("BF") and rng.random() < 0.85 else people
            subject = {"person_id": rng.choice(pool)}
        else:
            subject = {"enterprise_id": rng.choice(enterprises)}
        try:
            case = service.open_case(item_id, DEMO_STAFF_FALLBACK, **subject)
        except CaseError:
            reason = "家庭再次遭遇变故（演示数据）"
            case = service.open_case(item_id, DEMO_STAFF_FALLBACK, repeat_reason=reason, **subject)
        made += 1
        age_days = (now - opened).days
        if rng.random() < 0.03:
            service.terminate(case.id, "申请人撤回申请（演示数据）", DEMO_STAFF_FALLBACK)
        else:
            # Cases are worked at a clerk's pace until today; a few are left stalled so the
            # dashboard has overdue work to show, more of them among the recent ones.
            stalled = rng.random() < (0.08 if age_days <= 60 else 0.004)
            stop_after = rng.randint(0, 6) if stalled else None
            _run_case(office, rng, clock, now, case.id, procedure, stop_after)
        if progress is not None:
            progress(index + 1, len(plan))
    return made


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
) -> None:
    service = office.cases
    done = 0
    while True:
        view = service.view(case_id)
        step = view.current
        if step is None or (stop_after is not None and done >= stop_after):
            return
        operator = DEMO_STAFF_BY_ROLE.get(step.role, DEMO_STAFF_FALLBACK)
        if operator == CHAIR and step.approval is None:
            operator = DEMO_STAFF_FALLBACK
        values_now = view.state.values()
        # Only the fields that apply, in order: a later field may depend on an earlier one.
        recorded = view.state.record(step.id).values
        values: dict[str, Any] = {}
        for spec in step.fields:
            known = {**values_now, **values}
            if recorded.get(spec.id) is None and engine.applies(spec, known) is not False:
                values[spec.id] = _demo_value(spec, rng, clock.now, view, known)
        known = {**values_now, **values}
        materials = [m.id for m in step.materials if engine.applies(m, known) is not False]
        service.save_step(case_id, step.id, operator, values, materials)
        if step.hold is not None:
            record = service.view(case_id).state.record(step.id)
            ends = service.calendar.add(record.started_at, step.hold.limit, step.hold.unit)
            clock.now = _office_hours(ends.due + timedelta(hours=9))
        else:
            clock.now = _next_working_moment(service, rng, clock.now, case_id, step.id)
        if clock.now >= now:
            return
        if step.approval is not None:
            preparer = service.view(case_id).state.record(step.approval.prepared_in).completed_by
            approver = CHAIR if preparer != CHAIR else "赵立新"
            approved = rng.random() < 0.88
            service.approve(
                case_id, step.id, approver, step.approval.role, approved,
                "同意" if approved else "经复核，家庭收入超过认定标准", approver,
            )  # fmt: skip
        try:
            service.complete_step(case_id, step.id, operator)
        except StepBlocked:
            return
        done += 1


def _next_working_moment(
    service: Any, rng: random.Random, now: datetime, case_id: int, step_id: str
) -> datetime:
    """When the clerk finishes the step: usually within its time limit, now and then late."""
    later = _office_hours(now + timedelta(days=rng.choice([0, 1, 1, 2, 3, 5])))
    # Office hours are folded into 8:00–16:59, which can move a same-day time backwards.
    later = max(later, now + timedelta(minutes=rng.randint(20, 120)))
    view = service.view(case_id)
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
DEMO_TEXT = (  # words in a field's label → a plausible entry
    (("学校",), ("兰州大学", "西北师范大学", "兰州职业技术学院", "甘肃农业大学")),
    (("医院",), ("示例县人民医院", "示例市第一人民医院")),
    (("病",), ("冠心病", "慢性肾功能衰竭", "乳腺癌", "脑梗塞")),
    (("项目", "工种", "岗位"), ("家政服务员培训", "电工上岗培训", "物业保洁岗位")),
    (("方式",), ("座谈会和问卷", "职工代表大会征集")),
    (("议题",), ("工资调整幅度和劳动安全卫生",)),
)


def _demo_value(
    spec: FieldSpec, rng: random.Random, now: datetime, view: Any, known: dict[str, Any]
) -> Any:
    low = spec.minimum if spec.minimum is not None else None
    high = spec.maximum if spec.maximum is not None else None
    if spec.type == "money":
        if spec.id in PAID_FROM_APPROVED and known.get("approved_amount") is not None:
            return known["approved_amount"]
        low = low if low is not None else 10_000
        high = high if high is not None else 500_000
        high = max(low, min(high, max(low * 10, 300_000)))
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
                return rng.randint(quorum, total) if rng.random() < 0.95 else max(1, quorum - 1)
            if total and spec.id == votes:
                # No more votes than people present (a meeting short of its quorum has few).
                most = known.get(present) or total
                return rng.randint(min(total // 2 + 1, most), most)
        low = low if low is not None else 1
        high = high if high is not None else max(low, 10)
        return rng.randint(low, min(high, low + 60))
    if spec.type == "choice":
        return spec.choices[0] if rng.random() < 0.7 else rng.choice(spec.choices)
    if spec.type == "bool":
        # Questions whose "yes" disqualifies or complicates: mostly "no", as in real files.
        usually_no = spec.id in {"excluded_assets", "student_aided_before", "urgent_case", "urgent"}
        return rng.random() < (0.1 if usually_no else 0.8)
    if spec.type == "date":
        if spec.id in FUTURE_DATES:
            return (now.date() + timedelta(days=rng.randint(7, 20))).isoformat()
        return now.date().isoformat()
    if spec.type == "id_number":
        person = view.person
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


__all__ = ["fill_demo_office", "OfficeNotEmptyError", "DEMO_OFFICE_NAME", "Step"]

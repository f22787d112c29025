"""Workers and enterprises as the office keeps them: what a valid record is (no Qt, no SQL).

Input arrives as text from a form or the command line; ``clean_person`` and
``clean_enterprise`` turn it into typed values or raise RecordError naming the field.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from desktop.dates import DateError, parse_date
from desktop.formatting import chinese_month, not_yet_text
from desktop.household import (
    ETHNIC_GROUPS,
    HOUSING_TYPES,
    HUKOU_TYPES,
    MARITAL_STATUSES,
    POLITICAL_STATUSES,
    HouseholdMember,
    MemberError,
    check_choice,
    check_health,
    clean_household,
    health_text,
)
from desktop.identity import (
    IdentityError,
    mask_bank_account,
    mask_id_number,
    mask_phone,
    parse_bank_account,
    parse_credit_code,
    parse_id_number,
    parse_phone,
)
from desktop.money import MoneyError, parse_yuan
from desktop.validation import MAX_PERSON_NAME_LENGTH, TextError, clean_person_name, clean_text

HARDSHIP_STATUSES = ("", "建档", "在档", "脱困", "退出")
ACTIVE_HARDSHIP = ("建档", "在档")
UNION_STATUSES = ("未建会", "筹建中", "已建会", "联合建会")
GENDERS = ("男", "女")
# The most characters each typed text of a record holds; the editors ask these too. Names are
# as long as people's names are (desktop.validation); a union's or a firm's name as long as the
# longest registered ones; they print whole, wrapping in their cells.
ENTERPRISE_TEXT_LIMITS = {"name": 60, "address": 80, "contact": MAX_PERSON_NAME_LENGTH}
# A workplace typed for a firm not registered is as long as a registered firm's name.
PERSON_TEXT_LIMITS = {
    "name": MAX_PERSON_NAME_LENGTH,
    "union_name": 40,
    "employer_name": ENTERPRISE_TEXT_LIMITS["name"],
    # 家庭住址 as the household register writes it, to the house number; 开户银行 to the branch.
    "address": 80,
    "bank_name": 40,
}
# The person's details the aid forms ask for that are one of a list (desktop.household).
PERSON_CHOICES = {
    "ethnicity": ETHNIC_GROUPS,
    "political_status": POLITICAL_STATUSES,
    "marital_status": MARITAL_STATUSES,
    "hukou_type": HUKOU_TYPES,
    "housing": HOUSING_TYPES,
}
MIN_ENTERPRISE_NAME_LENGTH = 2
# A hardship file is reviewed once a year (动态管理, W06-08; 地方默认: a procedure may say
# otherwise in its [[steps.hardship_file]] review_months).
HARDSHIP_REVIEW_MONTHS = 12

PERSON_LABELS = {
    "name": "姓名",
    "id_number": "身份证号码",
    "phone": "电话",
    "enterprise_id": "工作单位",
    "employer_name": "工作单位（未登记的单位）",
    "union_name": "所在工会",
    "household_size": "家庭人口",
    "income_per_head": "家庭月人均收入",
    "hardship_status": "困难档案状态",
    "hardship_review_due": "档案年度复核日期",
    "gender": "性别",
    "birth_date": "出生日期",
    "address": "家庭住址",
    "ethnicity": "民族",
    "political_status": "政治面貌",
    "marital_status": "婚姻状况",
    "health": "健康状况",
    "disability_grade": "残疾等级",
    "hukou_type": "户口类型",
    "housing": "住房",
    "bank_name": "开户银行",
    "bank_account": "银行账号",
    "household_members": "家庭成员",
}
# The person columns that hold personal numbers, with their kind (desktop.identity): masked in
# the audit trail, as everywhere else. An enterprise's phone is its office line, not personal.
PERSON_NUMBER_COLUMNS = {"id_number": "id_number", "phone": "phone", "bank_account": "bank_account"}
ENTERPRISE_LABELS = {
    "name": "单位名称",
    "credit_code": "统一社会信用代码",
    "address": "地址",
    "contact": "联系人",
    "phone": "联系电话",
    "headcount": "职工人数",
    "member_count": "会员人数",
    "union_status": "建会状态",
    "headcount_25_since": "职工人数达到 25 人的日期",
    "management_sound": "管理规范",
    "joint_activities_year": "本年度参加联合工会活动次数",
}


def review_due_after(day: date, months: int = HARDSHIP_REVIEW_MONTHS) -> date:
    """A hardship file's next review: the same day ``months`` later (the month's last day when
    it has no such day: a file opened on 29 February is reviewed on 28 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class PeopleFilter:
    text: str = ""  # name, pinyin initials, or the digits of an ID number
    hardship_only: bool = False
    enterprise_id: int | None = None


class RecordError(ValueError):
    """One field is wrong; ``field`` names it so the form can point at it."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    id_number: str
    gender: str
    birth_date: date
    phone: str = ""
    enterprise_id: int | None = None
    # The 工作单位 as every screen and form shows it: the registered enterprise's name, or the
    # name typed for a firm the office has not registered (employer_name).
    enterprise_name: str = ""
    union_name: str = ""
    household_size: int | None = None
    income_per_head: int | None = None  # fen per month
    hardship_status: str = ""
    hardship_review_due: date | None = None
    employer_name: str = ""  # typed, for a firm not registered; "" when linked to one
    address: str = ""
    ethnicity: str = ""
    political_status: str = ""
    marital_status: str = ""
    health: str = ""
    disability_grade: str = ""  # only with health 残疾
    hukou_type: str = ""
    housing: str = ""
    bank_name: str = ""
    bank_account: str = ""
    household_members: tuple[HouseholdMember, ...] = ()

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_bank_account(self) -> str:
        return mask_bank_account(self.bank_account) if self.bank_account else ""

    @property
    def health_text(self) -> str:
        return health_text(self.health, self.disability_grade)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone) if self.phone else ""

    def review_overdue(self, today: date) -> bool:
        """An active hardship file whose yearly review date has passed."""
        due = self.hardship_review_due
        return self.hardship_status in ACTIVE_HARDSHIP and due is not None and due < today

    def age_on(self, day: date) -> int:
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))

    def condition_values(self, today: date) -> dict[str, Any]:
        """The person.* names a procedure's conditions and prefills may use."""
        return {
            "person.household_size": self.household_size,
            "person.income_per_head": self.income_per_head,
            "person.hardship_status": self.hardship_status or None,
            "person.gender": self.gender,
            "person.age": self.age_on(today),
        }


@dataclass(frozen=True)
class Enterprise:
    id: int
    name: str
    credit_code: str = ""
    address: str = ""
    contact: str = ""
    phone: str = ""
    headcount: int = 0
    member_count: int = 0
    union_status: str = "未建会"
    headcount_25_since: date | None = None
    management_sound: bool = False
    joint_activities_year: int = 0

    def condition_values(self, today: date) -> dict[str, Any]:
        return {
            "enterprise.headcount": self.headcount,
            "enterprise.member_count": self.member_count,
            "enterprise.union_status": self.union_status,
        }


@dataclass(frozen=True)
class GrowthCriterion:
    label: str
    met: bool
    detail: str


def growth_progress(enterprise: Enterprise, today: date) -> list[GrowthCriterion]:
    """The growth-list criteria for leaving a joint union and forming the firm's own."""
    since = enterprise.headcount_25_since
    stable = enterprise.headcount >= 25 and since is not None and since <= today - timedelta(183)
    if enterprise.headcount < 25:
        stable_detail = f"现有职工 {enterprise.headcount} 人，不足 25 人"
    elif since is None:
        stable_detail = "职工已达 25 人，请登记达到 25 人的日期"
    else:
        months = (today.year - since.year) * 12 + today.month - since.month
        stable_detail = f"自 {chinese_month(since)} 起保持 25 人以上，已 {max(months, 0)} 个月"
    coverage = enterprise.member_count / enterprise.headcount if enterprise.headcount else 0.0
    return [
        GrowthCriterion("职工人数稳定在 25 人以上满半年", stable, stable_detail),
        GrowthCriterion(
            "管理规范", enterprise.management_sound, "是" if enterprise.management_sound else "否"
        ),
        GrowthCriterion(
            "会员覆盖率达到 90%",
            coverage >= 0.9,
            f"会员 {enterprise.member_count} 人 / 职工 {enterprise.headcount} 人 = {coverage:.0%}",
        ),
        GrowthCriterion(
            "每年参加联合工会活动 4 次以上",
            enterprise.joint_activities_year >= 4,
            f"本年度 {enterprise.joint_activities_year} 次",
        ),
    ]


# --- cleaning input ---------------------------------------------------------------------------


def _optional_int(field: str, label: str, text: Any, low: int, high: int) -> int | None:
    if text is None or str(text).strip() == "":
        return None
    try:
        value = int(str(text).strip())
    except ValueError as error:
        raise RecordError(field, f"{label}应为整数，现在是“{text}”。") from error
    if not low <= value <= high:
        raise RecordError(field, f"{label}应在 {low} 到 {high} 之间，现在是 {value}。")
    return value


def _optional_date(field: str, label: str, text: Any, not_after: date | None = None) -> date | None:
    """A typed date (desktop.dates.parse_date), None for nothing; ``not_after``: today, for a
    date something already happened on."""
    if text is None or str(text).strip() == "":
        return None
    try:
        day = parse_date(text)
    except DateError as error:
        raise RecordError(field, f"{label}：{error}。") from error
    if not_after is not None and day > not_after:
        raise RecordError(field, not_yet_text(label, day, not_after))
    return day


def _text(
    field: str, labels: Mapping[str, str], limits: Mapping[str, int], raw: Mapping[str, Any]
) -> str:
    try:
        return clean_text(raw[field], what=labels[field], limit=limits[field])
    except TextError as error:
        raise RecordError(field, str(error)) from error


def clean_person(raw: Mapping[str, Any], today: date) -> dict[str, Any]:
    """Typed values for a person from what was typed; raises RecordError for the first wrong field.

    Only the keys present in ``raw`` are cleaned, so an edit may change a single field.
    """
    values: dict[str, Any] = {}
    if "name" in raw:
        try:
            values["name"] = clean_person_name(raw["name"])
        except TextError as error:
            raise RecordError("name", str(error)) from error
        if not values["name"]:
            raise RecordError("name", "请填写姓名。")
    if "id_number" in raw:
        try:
            parsed = parse_id_number(str(raw["id_number"]), today=today)
        except IdentityError as error:
            raise RecordError("id_number", str(error)) from error
        values["id_number"] = parsed.number
        values["gender"] = parsed.gender
        values["birth_date"] = parsed.birth_date
    if "phone" in raw:
        text = str(raw["phone"] or "").strip()
        try:
            values["phone"] = parse_phone(text) if text else ""
        except IdentityError as error:
            raise RecordError("phone", str(error)) from error
    if "enterprise_id" in raw:
        values["enterprise_id"] = raw["enterprise_id"] or None
    if "employer_name" in raw:
        employer = _text("employer_name", PERSON_LABELS, PERSON_TEXT_LIMITS, raw)
        if employer and len(employer) < MIN_ENTERPRISE_NAME_LENGTH:
            raise RecordError("employer_name", "请填写工作单位的全称（至少 2 个字），或留空。")
        values["employer_name"] = employer
    # One workplace: a link to a registered enterprise, or the name typed for one that is not.
    if values.get("enterprise_id"):
        values["employer_name"] = ""
    elif values.get("employer_name"):
        values["enterprise_id"] = None
    if "union_name" in raw:
        values["union_name"] = _text("union_name", PERSON_LABELS, PERSON_TEXT_LIMITS, raw)
    if "household_size" in raw:
        values["household_size"] = _optional_int(
            "household_size", "家庭人口", raw["household_size"], 1, 30
        )
    if "income_per_head" in raw:
        text = raw["income_per_head"]
        if text is None or str(text).strip() == "":
            values["income_per_head"] = None
        elif isinstance(text, int):
            values["income_per_head"] = text
        else:
            try:
                values["income_per_head"] = parse_yuan(str(text))
            except MoneyError as error:
                raise RecordError("income_per_head", f"家庭月人均收入：{error}") from error
    if "hardship_status" in raw:
        status = str(raw["hardship_status"] or "").strip()
        if status not in HARDSHIP_STATUSES:
            allowed = "、".join(s for s in HARDSHIP_STATUSES if s)
            raise RecordError(
                "hardship_status", f"困难档案状态“{status}”不对，只能是 {allowed}，或留空。"
            )
        values["hardship_status"] = status
    if "hardship_review_due" in raw:
        values["hardship_review_due"] = _optional_date(
            "hardship_review_due", "档案年度复核日期", raw["hardship_review_due"]
        )
    for field in ("address", "bank_name"):
        if field in raw:
            values[field] = _text(field, PERSON_LABELS, PERSON_TEXT_LIMITS, raw)
    for field, allowed in PERSON_CHOICES.items():
        if field in raw:
            try:
                values[field] = check_choice(raw[field], allowed, PERSON_LABELS[field])
            except ValueError as error:
                raise RecordError(field, str(error)) from error
    if "health" in raw or "disability_grade" in raw:
        try:
            values["health"], values["disability_grade"] = check_health(
                raw.get("health"), raw.get("disability_grade")
            )
        except ValueError as error:
            field = "disability_grade" if "残疾等级" in str(error) else "health"
            raise RecordError(field, str(error)) from error
    if "bank_account" in raw:
        text = str(raw["bank_account"] or "").strip()
        try:
            values["bank_account"] = parse_bank_account(text) if text else ""
        except IdentityError as error:
            raise RecordError("bank_account", str(error)) from error
    if values.get("bank_account") and "bank_name" in raw and not values.get("bank_name"):
        raise RecordError(
            "bank_name", "填写了银行账号，请同时填写开户银行（如 农业银行某某支行）。"
        )
    if "household_members" in raw:
        members = [
            m if isinstance(m, Mapping) else _member_raw(m) for m in raw["household_members"]
        ]
        try:
            values["household_members"] = tuple(clean_household(members, today))
        except MemberError as error:
            raise RecordError("household_members", str(error)) from error
    return values


def _member_raw(member: HouseholdMember) -> dict[str, Any]:
    """A member already kept, as the raw values it is cleaned again from."""
    return {
        "name": member.name,
        "relation": member.relation,
        "id_number": member.id_number,
        "health": member.health,
        "disability_grade": member.disability_grade,
        "work": member.work,
        "monthly_income": member.monthly_income,
    }


def clean_enterprise(raw: Mapping[str, Any], today: date) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if "name" in raw:
        name = _text("name", ENTERPRISE_LABELS, ENTERPRISE_TEXT_LIMITS, raw)
        if len(name) < MIN_ENTERPRISE_NAME_LENGTH:
            raise RecordError("name", "请填写单位全称（至少 2 个字）。")
        values["name"] = name
    if "credit_code" in raw:
        text = str(raw["credit_code"] or "").strip()
        try:
            values["credit_code"] = parse_credit_code(text).code if text else None
        except IdentityError as error:
            raise RecordError("credit_code", str(error)) from error
    if "address" in raw:
        values["address"] = _text("address", ENTERPRISE_LABELS, ENTERPRISE_TEXT_LIMITS, raw)
    if "contact" in raw:
        try:
            values["contact"] = clean_person_name(raw["contact"], what="联系人")
        except TextError as error:
            raise RecordError("contact", str(error)) from error
    if "phone" in raw:
        text = str(raw["phone"] or "").strip()
        try:
            values["phone"] = parse_phone(text) if text else ""
        except IdentityError as error:
            raise RecordError("phone", str(error)) from error
    for key, high in (("headcount", 1_000_000), ("member_count", 1_000_000)):
        if key in raw:
            values[key] = _optional_int(key, ENTERPRISE_LABELS[key], raw[key], 0, high) or 0
    if "joint_activities_year" in raw:
        activities = raw["joint_activities_year"]
        values["joint_activities_year"] = (
            _optional_int("joint_activities_year", "联合工会活动次数", activities, 0, 366) or 0
        )
    if "union_status" in raw:
        status = str(raw["union_status"] or "").strip()
        if status not in UNION_STATUSES:
            raise RecordError(
                "union_status", f"建会状态“{status}”不对，只能是 {'、'.join(UNION_STATUSES)}。"
            )
        values["union_status"] = status
    if "headcount_25_since" in raw:
        values["headcount_25_since"] = _optional_date(
            "headcount_25_since", "职工人数达到 25 人的日期", raw["headcount_25_since"], today
        )
    if "management_sound" in raw:
        values["management_sound"] = bool(raw["management_sound"])
    if values.get("member_count", 0) > values.get("headcount", 10**9):
        raise RecordError("member_count", "会员人数不能多于职工人数，请核对。")
    return values

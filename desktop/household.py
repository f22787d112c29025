"""A worker's family as the aid forms ask for it (no Qt, no SQL): the choices of 民族, 政治面貌,
婚姻状况, 健康状况, 户口类型 and 住房 the county union's forms use, and the household members
(姓名, 与申请人关系, 身份证号码, 健康状况, 工作单位或就读学校, 月收入).

The lists are kept here, once: the person dialog offers them, clean_person and
clean_household_member hold input to them, and the forms print what they hold.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop.identity import IdentityError, mask_id_number, parse_id_number
from desktop.money import MoneyError, format_fen, parse_yuan
from desktop.validation import TextError, clean_person_name, clean_text

# The 56 ethnic groups in the order of GB/T 3304 (中国各民族名称的罗马字母拼写法和代码), then
# the two entries the standard gives for people of no listed group and of foreign origin.
ETHNIC_GROUPS = (
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
    "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
    "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族",
    "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族",
    "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族",
    "保安族", "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族",
    "基诺族", "其他", "外国血统中国籍人士",
)  # fmt: skip
# 政治面貌 as GB/T 4762 lists it, the eight democratic parties under one entry.
POLITICAL_STATUSES = (
    "中共党员", "中共预备党员", "共青团员", "民主党派成员", "无党派人士", "群众",
)  # fmt: skip
MARITAL_STATUSES = ("未婚", "已婚", "离异", "丧偶")
DISABLED = "残疾"
HEALTH_STATUSES = ("健康", "一般", "慢性病", "大病", DISABLED)
# 残疾等级 of the 残疾人证 (GB/T 26341): 一级 is the most severe.
DISABILITY_GRADES = ("一级", "二级", "三级", "四级")
HUKOU_TYPES = ("城镇", "农村")
HOUSING_TYPES = ("自有住房", "租住", "借住", "公租房", "无房")
RELATIONS = (
    "配偶", "儿子", "女儿", "父亲", "母亲", "公公", "婆婆", "岳父", "岳母",
    "孙子女", "外孙子女", "兄弟姐妹", "儿媳", "女婿", "其他",
)  # fmt: skip
# A family as large as any the office helps; the forms print every member.
MAX_HOUSEHOLD_MEMBERS = 20
MEMBER_TEXT_LIMITS = {"work": 40}
# Who reads a member's monthly income: above this it is a typing slip (a year's pay typed).
MAX_MEMBER_MONTHLY_INCOME_FEN = 100_000_00

MEMBER_LABELS = {
    "name": "姓名",
    "relation": "与申请人关系",
    "id_number": "身份证号码",
    "health": "健康状况",
    "disability_grade": "残疾等级",
    "work": "工作单位或就读学校",
    "monthly_income": "月收入",
}


class MemberError(ValueError):
    """One field of one household member is wrong: ``field`` names it (as MEMBER_LABELS)."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


def health_text(health: str, disability_grade: str) -> str:
    """健康状况 as forms and lists print it: 残疾（二级） for a disability with its grade."""
    if health == DISABLED and disability_grade:
        return f"{DISABLED}（{disability_grade}）"
    return health


@dataclass(frozen=True)
class HouseholdMember:
    name: str
    relation: str
    id_number: str = ""
    health: str = ""
    disability_grade: str = ""
    work: str = ""
    monthly_income: int | None = None  # fen

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number) if self.id_number else ""

    @property
    def health_text(self) -> str:
        return health_text(self.health, self.disability_grade)

    def age_on(self, day: date) -> int | None:
        """Age from the ID number's birth date; None without a number."""
        if not self.id_number:
            return None
        born = parse_id_number(self.id_number, today=day).birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def summary(self, reveal: bool = False) -> str:
        """One line for the audit trail and lists: 李芳（配偶，6208**********1234，健康，…）."""
        number = self.id_number if reveal else self.masked_id_number
        income = f"月收入 {format_fen(self.monthly_income)} 元" if self.monthly_income else ""
        parts = [self.relation, number, self.health_text, self.work, income]
        return f"{self.name}（{'，'.join(p for p in parts if p)}）"


def check_choice(value: Any, allowed: tuple[str, ...], what: str) -> str:
    """``value`` if it is one of ``allowed`` or empty; raises ValueError with the message."""
    text = str(value or "").strip()
    if text and text not in allowed:
        listed = "、".join(allowed) if len(allowed) <= 16 else "、".join(allowed[:6]) + " 等"
        raise ValueError(f"{what}“{text}”不在可选项中，请从 {listed} 中选择，或留空。")
    return text


def check_health(health: Any, grade: Any, what: str = "") -> tuple[str, str]:
    """健康状况 and 残疾等级 together: a grade only, and always, with 残疾."""
    health_value = check_choice(health, HEALTH_STATUSES, f"{what}健康状况")
    grade_value = check_choice(grade, DISABILITY_GRADES, f"{what}残疾等级")
    if health_value == DISABLED and not grade_value:
        raise ValueError(f"{what}健康状况为残疾时，请选择残疾等级（照残疾人证填写一级到四级）。")
    if grade_value and health_value != DISABLED:
        raise ValueError(f"{what}只有健康状况为残疾时才填写残疾等级，请清空残疾等级。")
    return health_value, grade_value


def clean_household_member(raw: Mapping[str, Any], position: int, today: date) -> HouseholdMember:
    """One family member from what was typed; ``position`` (from 1) names them in messages."""
    who = f"第 {position} 位家庭成员的"
    try:
        name = clean_person_name(raw.get("name"), what=f"{who}姓名")
    except TextError as error:
        raise MemberError("name", str(error)) from error
    if not name:
        raise MemberError("name", f"请填写{who}姓名。")
    who = f"家庭成员“{name}”的"
    relation = str(raw.get("relation") or "").strip()
    if not relation:
        raise MemberError("relation", f"请选择{who}与申请人关系。")
    try:
        relation = check_choice(relation, RELATIONS, f"{who}与申请人关系")
        health, grade = check_health(raw.get("health"), raw.get("disability_grade"), who)
    except ValueError as error:
        field = "relation" if "关系" in str(error) else "health"
        raise MemberError(field, str(error)) from error
    id_text = str(raw.get("id_number") or "").strip()
    id_number = ""
    if id_text:
        try:
            id_number = parse_id_number(id_text, today=today).number
        except IdentityError as error:
            raise MemberError("id_number", f"{who}{error}") from error
    try:
        work = clean_text(
            raw.get("work"), what=f"{who}工作单位或就读学校", limit=MEMBER_TEXT_LIMITS["work"]
        )
    except TextError as error:
        raise MemberError("work", str(error)) from error
    income_raw = raw.get("monthly_income")
    income: int | None = None
    if isinstance(income_raw, int) and not isinstance(income_raw, bool):
        income = income_raw
    elif income_raw is not None and str(income_raw).strip():
        try:
            income = parse_yuan(str(income_raw))
        except MoneyError as error:
            raise MemberError("monthly_income", f"{who}月收入：{error}。") from error
    if income is not None and not 0 <= income <= MAX_MEMBER_MONTHLY_INCOME_FEN:
        raise MemberError(
            "monthly_income",
            f"{who}月收入 {format_fen(income)} 元超出常理（最多 "
            f"{format_fen(MAX_MEMBER_MONTHLY_INCOME_FEN)} 元），请填写每月收入，不是全年收入。",
        )
    return HouseholdMember(name, relation, id_number, health, grade, work, income)


def clean_household(raws: list[Mapping[str, Any]], today: date) -> list[HouseholdMember]:
    """All members, in order; the same ID number twice in one family is a slip."""
    if len(raws) > MAX_HOUSEHOLD_MEMBERS:
        raise MemberError(
            "name", f"家庭成员最多登记 {MAX_HOUSEHOLD_MEMBERS} 位，现在是 {len(raws)} 位。"
        )
    members = [clean_household_member(raw, i, today) for i, raw in enumerate(raws, start=1)]
    seen: dict[str, str] = {}
    for member in members:
        if member.id_number and member.id_number in seen:
            raise MemberError(
                "id_number",
                f"家庭成员“{member.name}”和“{seen[member.id_number]}”的身份证号码相同，请核对。",
            )
        if member.id_number:
            seen[member.id_number] = member.name
    return members

"""One household of six to print: the aid forms' family tables are tested with the first few of
its members, typed into the registry or set straight on a case's printed data."""

from __future__ import annotations

from datetime import date

from desktop.household import HouseholdMember
from desktop.identity import make_id_number

SIX = [
    ("刘桂兰", "配偶", date(1979, 4, 2), "慢性病", "", "个体经营", "1200"),
    ("王志强", "儿子", date(2004, 6, 1), "健康", "", "兰州示例大学", ""),
    ("王海燕", "女儿", date(2008, 9, 9), "残疾", "二级", "示例县第一中学", ""),
    ("王明辉", "儿子", date(2012, 1, 20), "健康", "", "示例镇中心小学", ""),
    ("王建国", "父亲", date(1950, 3, 3), "大病", "", "务农", "300"),
    ("赵秀英", "母亲", date(1953, 8, 8), "健康", "", "务农", ""),
]


def typed_members(size: int) -> list[dict]:
    """The first ``size`` members as the person dialog sends them (income in yuan, as typed)."""
    return [
        {
            "name": name,
            "relation": relation,
            "health": health,
            "disability_grade": grade,
            "work": work,
            "monthly_income": income,
            "id_number": make_id_number("620102", born, 700 + i),
        }  # fmt: skip
        for i, (name, relation, born, health, grade, work, income) in enumerate(SIX[:size])
    ]


def household_members(size: int) -> tuple[HouseholdMember, ...]:
    """The first ``size`` members as the registry holds them (income in fen)."""
    return tuple(
        HouseholdMember(
            name,
            relation,
            make_id_number("620102", born, 700 + i),
            health,
            grade,
            work,
            int(income) * 100 if income else None,
        )  # fmt: skip
        for i, (name, relation, born, health, grade, work, income) in enumerate(SIX[:size])
    )

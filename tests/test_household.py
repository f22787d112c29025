"""A worker's family details and household members: what is accepted, what is refused and why,
how they are kept and how the trail records them."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
import sqlite_utils

from desktop.household import ETHNIC_GROUPS, HouseholdMember
from desktop.identity import (
    IdentityError,
    make_id_number,
    mask_bank_account,
    mask_personal,
    parse_bank_account,
)
from desktop.paths import DATABASE_FILE_NAME
from desktop.registry import RecordError, clean_person
from desktop.store import open_database
from desktop.store.registry_repo import RegistryRepository

TODAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 9, 0)
HEAD = make_id_number("620802", date(1978, 5, 6), 11)
SPOUSE = make_id_number("620802", date(1980, 2, 3), 12)
CHILD = make_id_number("620802", date(2010, 9, 1), 13)


def member(name="李芳", relation="配偶", **more):
    return {"name": name, "relation": relation, **more}


def test_bank_accounts_are_masked_in_groups_of_four_and_keep_only_the_ends():
    assert mask_bank_account("6228480012345678901") == "6228 **** **** 8901"
    assert mask_bank_account("6228 4800 1234 5678") == "6228 **** **** 5678"
    assert mask_personal("bank_account", "6217000012345678") == "6217 **** **** 5678"


def test_a_bank_card_number_in_a_log_line_is_masked():
    from desktop.identity import hide_personal_numbers

    line = "保存失败：账号 6228480012345678901，身份证 " + HEAD
    assert hide_personal_numbers(line) == (
        f"保存失败：账号 6228 **** **** 8901，身份证 {HEAD[:4]}{'*' * 10}{HEAD[-4:]}"
    )


def test_bank_accounts_are_read_as_typed_and_wrong_ones_say_why():
    assert parse_bank_account(" 6228-4800 1234 5678 901 ") == "6228480012345678901"
    with pytest.raises(IdentityError, match="只能是数字，其中的“O”不对"):
        parse_bank_account("6228O80012345678")
    with pytest.raises(IdentityError, match="现在是 5 位"):
        parse_bank_account("62284")


@pytest.mark.parametrize(
    ("raw", "field", "message"),
    [
        ({"ethnicity": "火星族"}, "ethnicity", "民族“火星族”不在可选项中"),
        ({"political_status": "党员"}, "political_status", "政治面貌“党员”不在可选项中"),
        ({"marital_status": "同居"}, "marital_status", "婚姻状况“同居”不在可选项中"),
        ({"hukou_type": "外地"}, "hukou_type", "户口类型“外地”不在可选项中"),
        ({"housing": "别墅"}, "housing", "住房“别墅”不在可选项中"),
        ({"health": "残疾"}, "disability_grade", "健康状况为残疾时，请选择残疾等级"),
        ({"health": "健康", "disability_grade": "二级"}, "disability_grade", "请清空残疾等级"),
        ({"address": "街" * 81}, "address", "家庭住址太长（81 个字），最多 80 个字"),
        ({"bank_account": "12ab"}, "bank_account", "银行账号只能是数字"),
        ({"bank_name": "", "bank_account": "6228480012345678"}, "bank_name", "请同时填写开户银行"),
    ],
)
def test_each_new_detail_refuses_bad_input_with_a_chinese_message(raw, field, message):
    with pytest.raises(RecordError, match=message) as caught:
        clean_person(raw, TODAY)
    assert caught.value.field == field


def test_the_details_are_kept_as_chosen():
    values = clean_person(
        {
            "address": "  白银市  平川区 兴平路 12 号 ",
            "ethnicity": "回族",
            "political_status": "中共党员",
            "marital_status": "已婚",
            "health": "残疾",
            "disability_grade": "二级",
            "hukou_type": "农村",
            "housing": "租住",
            "bank_name": "农业银行平川支行",
            "bank_account": "6228 4800 1234 5678 901",
        },
        TODAY,
    )
    assert values["address"] == "白银市 平川区 兴平路 12 号"
    assert values["disability_grade"] == "二级"
    assert values["bank_account"] == "6228480012345678901"
    assert len(ETHNIC_GROUPS) == 58  # the 56 groups, 其他 and 外国血统中国籍人士


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (member(name=""), "请填写第 1 位家庭成员的姓名"),
        (member(relation=""), "请选择家庭成员“李芳”的与申请人关系"),
        (member(relation="朋友"), "与申请人关系“朋友”不在可选项中"),
        (member(id_number="620802198002031234"), "家庭成员“李芳”的身份证号码校验位不对"),
        (member(health="残疾"), "家庭成员“李芳”的健康状况为残疾时，请选择残疾等级"),
        (member(monthly_income="一千"), "家庭成员“李芳”的月收入：.*只能包含数字"),
        (member(monthly_income="150000"), "超出常理.*不是全年收入"),
        (member(work="厂" * 41), "工作单位或就读学校太长"),
    ],
)
def test_a_wrong_household_member_is_refused_naming_who_and_what(raw, message):
    with pytest.raises(RecordError, match=message) as caught:
        clean_person({"household_members": [raw]}, TODAY)
    assert caught.value.field == "household_members"


def test_the_same_id_number_twice_in_one_family_is_refused():
    twice = [member(id_number=SPOUSE), member("张小明", "儿子", id_number=SPOUSE)]
    with pytest.raises(RecordError, match="“张小明”和“李芳”的身份证号码相同"):
        clean_person({"household_members": twice}, TODAY)


def test_household_members_are_saved_edited_and_each_change_is_in_the_trail_masked():
    db = open_database(None)
    repo = RegistryRepository(db)
    family = [
        member(id_number=SPOUSE, health="慢性病", work="个体", monthly_income="800"),
        member("张小明", "儿子", id_number=CHILD, work="平川区第一中学"),
    ]
    values = clean_person({"name": "张伟", "id_number": HEAD, "household_members": family}, TODAY)
    person_id = repo.add_person(values, "李红梅", NOW)
    person = repo.person(person_id)
    assert [m.name for m in person.household_members] == ["李芳", "张小明"]
    assert person.household_members[0].monthly_income == 80000
    assert person.household_members[1].age_on(TODAY) == 16

    kept = list(person.household_members)
    changed = [kept[0], {"name": "张小红", "relation": "女儿", "health": "残疾",
                         "disability_grade": "三级", "work": "在家"}]  # fmt: skip
    repo.update_person(person_id, clean_person({"household_members": changed}, TODAY), "x", NOW)
    after = repo.person(person_id).household_members
    assert [(m.name, m.health_text) for m in after] == [
        ("李芳", "慢性病"),
        ("张小红", "残疾（三级）"),
    ]

    trail = db.execute(
        "SELECT old_value, new_value FROM audit_log WHERE field = 'household_members' ORDER BY id"
    ).fetchall()
    assert len(trail) == 2
    assert "张小明" in trail[1][0] and "张小红" in trail[1][1]
    assert SPOUSE not in "".join(trail[1]) and SPOUSE[:4] + "*" * 10 + SPOUSE[-4:] in trail[1][1]

    # Saving the same family again changes nothing and records nothing.
    again = clean_person({"household_members": list(after)}, TODAY)
    repo.update_person(person_id, again, "x", NOW)
    count = "SELECT count(*) FROM audit_log WHERE field = 'household_members'"
    assert db.execute(count).fetchone()[0] == 2


def test_a_bank_account_change_is_written_masked_in_the_trail():
    db = open_database(None)
    repo = RegistryRepository(db)
    person_id = repo.add_person(clean_person({"name": "张伟", "id_number": HEAD}, TODAY), "x", NOW)
    values = clean_person({"bank_name": "农业银行", "bank_account": "6228480012345678901"}, TODAY)
    repo.update_person(person_id, values, "x", NOW)
    (new,) = db.execute("SELECT new_value FROM audit_log WHERE field = 'bank_account'").fetchone()
    assert new == "6228 **** **** 8901"
    assert repo.person(person_id).masked_bank_account == "6228 **** **** 8901"


def test_a_database_from_before_family_details_upgrades_in_place(tmp_path: Path):
    from desktop.store.schema import MIGRATIONS, add_family_details, migrate

    path = tmp_path / DATABASE_FILE_NAME
    db = sqlite_utils.Database(path)
    migrate(db, target=MIGRATIONS.index(add_family_details))
    db.execute(
        "INSERT INTO people (id, name, name_initials, name_pinyin, id_number, gender, birth_date,"
        " created_at, updated_at) VALUES (1, '曾辉伟', 'zhw', 'zenghuiwei', ?,"
        " '男', '1978-05-06', '2026-01-01T00:00:00', '2026-01-01T00:00:00')",
        [HEAD],
    )
    db.conn.commit()
    db.close()

    db = open_database(path)
    repo = RegistryRepository(db)
    person = repo.person(1)
    assert person.name == "曾辉伟"
    assert (person.address, person.ethnicity, person.bank_account) == ("", "", "")
    assert person.household_members == ()
    repo.update_person(
        1, clean_person({"household_members": [member(id_number=SPOUSE)]}, TODAY), "x", NOW
    )
    assert repo.person(1).household_members == (HouseholdMember("李芳", "配偶", SPOUSE),)

"""Identity numbers: what a clerk types, what is kept, and the messages a clerk sees."""

from __future__ import annotations

import re
from datetime import date

import pytest
from stdnum.cn import ric, uscc

from desktop.identity import (
    CreditCode,
    IdentityError,
    IdNumber,
    mask_id_number,
    mask_name_for_notice,
    mask_phone,
    organization_check_character,
    parse_card_number,
    parse_credit_code,
    parse_id_number,
    parse_phone,
)

TODAY = date(2024, 6, 15)


def make_id(first_17: str) -> str:
    """A made-up ID number with a correct check digit (nobody's real number)."""
    assert len(first_17) == 17
    return first_17 + ric.calc_check_digit(first_17 + "0")


def make_id_with_check(check: str, birth: str = "19900101", region: str = "620802") -> str:
    """A made-up ID number for `birth` whose check digit comes out as `check`."""
    for sequence in range(1000):
        number = make_id(f"{region}{birth}{sequence:03d}")
        if number[-1] == check:
            return number
    raise AssertionError(f"no sequence gives check digit {check}")


def wrong_check(number: str) -> tuple[str, str]:
    """The number with its last character replaced by a wrong one, and the right one."""
    right = number[-1]
    wrong = "5" if right != "5" else "6"
    return number[:-1] + wrong, right


def make_credit_code(first_8: str, organization_body: str) -> str:
    """A made-up credit code with both check characters computed."""
    first_17 = first_8 + organization_body + organization_check_character(organization_body)
    code = first_17 + uscc.calc_check_digit(first_17)
    assert uscc.is_valid(code) or not first_8.isdigit()
    return code


def message(excinfo: pytest.ExceptionInfo[IdentityError]) -> str:
    return str(excinfo.value)


# --- ID numbers: valid input -----------------------------------------------------------------


def test_valid_id_number_gives_birth_date_and_gender():
    number = make_id("62080219900307123")  # 17th digit 3: odd

    parsed = parse_id_number(number, today=TODAY)

    assert parsed == IdNumber(number=number, birth_date=date(1990, 3, 7), gender="男")


def test_even_17th_digit_is_female():
    number = make_id("62080219900307124")
    assert parse_id_number(number, today=TODAY).gender == "女"


def test_place_code_newer_than_the_birth_year_is_accepted():
    # 620802 (崆峒区) dates from 2002; people born earlier got it when issued a card there.
    # stdnum's validate() rejects such numbers by its place table, so we check the region only.
    number = make_id("62080219900307123")
    assert not ric.is_valid(number)
    assert ric.calc_check_digit(number) == number[-1]
    assert parse_id_number(number, today=TODAY).number == number


def test_zero_17th_digit_is_female():
    number = make_id("62080219900307120")
    assert parse_id_number(number, today=TODAY).gender == "女"


def test_lowercase_x_and_surrounding_spaces_are_accepted_and_normalized():
    number = make_id_with_check("X")
    typed = "  " + number[:-1] + "x \t"

    assert parse_id_number(typed, today=TODAY).number == number
    assert number.endswith("X")


def test_spaces_inside_and_full_width_digits_are_accepted():
    number = make_id("62080219900307123")
    spaced = f"{number[:6]} {number[6:14]} {number[14:]}"
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number)

    assert parse_id_number(spaced, today=TODAY).number == number
    assert parse_id_number(full_width, today=TODAY).number == number


def test_id_number_passes_stdnum_check_digit_and_ours_agree():
    for sequence in range(0, 1000, 37):
        number = make_id(f"11010519800101{sequence:03d}")
        assert parse_id_number(number, today=TODAY).number == number


def test_taiwan_residence_permit_region_83_is_accepted():
    number = make_id("83000019900101123")
    assert parse_id_number(number, today=TODAY).birth_date == date(1990, 1, 1)


def test_birth_today_is_accepted_but_tomorrow_is_not():
    born_today = make_id("62080220240615123")
    assert parse_id_number(born_today, today=TODAY).birth_date == TODAY

    born_tomorrow = make_id("62080220240616123")
    with pytest.raises(IdentityError) as excinfo:
        parse_id_number(born_tomorrow, today=TODAY)
    assert message(excinfo) == (
        "身份证号码第 7–14 位的出生日期“20240616”（2024 年 6 月 16 日）晚于今天，请核对。"
    )


def test_today_defaults_to_the_real_date():
    assert parse_id_number(make_id("62080219900307123")).birth_date == date(1990, 3, 7)


# --- ID numbers: messages --------------------------------------------------------------------


def test_wrong_check_digit_names_the_expected_digit():
    number = make_id_with_check("X")
    typo, right = wrong_check(number)

    with pytest.raises(IdentityError) as excinfo:
        parse_id_number(typo, today=TODAY)

    assert message(excinfo) == (
        "身份证号码校验位不对：最后一位应为 X，现在是 5。请核对是否抄错了某一位。"
    )
    assert right == "X"


def test_swapped_digits_are_caught_by_the_check_digit():
    number = make_id("62080219900307123")
    swapped = number[:14] + number[15] + number[14] + number[16:]
    assert swapped != number

    with pytest.raises(IdentityError) as excinfo:
        parse_id_number(swapped, today=TODAY)

    assert "校验位" in message(excinfo)
    assert f"应为 {ric.calc_check_digit(swapped)}" in message(excinfo)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("62080219900307123", "身份证号码应为 18 位，现在是 17 位。"),
        ("6208021990030712345", "身份证号码应为 18 位，现在是 19 位。"),
        ("", "还没有填写身份证号码，请填写 18 位身份证号码。"),
        ("   ", "还没有填写身份证号码，请填写 18 位身份证号码。"),
    ],
)
def test_length_messages(typed, expected):
    with pytest.raises(IdentityError) as excinfo:
        parse_id_number(typed, today=TODAY)
    assert message(excinfo) == expected


def test_old_15_digit_number_asks_for_the_new_one():
    with pytest.raises(IdentityError) as excinfo:
        parse_id_number("620802900307123", today=TODAY)
    assert message(excinfo) == "15 位的旧身份证号码请换成 18 位的新号码。"


def test_letter_o_instead_of_zero_names_the_position():
    number = make_id("62080219900307123")
    typed = number[:6] + "O" + number[7:]

    with pytest.raises(IdentityError) as excinfo:
        parse_id_number(typed, today=TODAY)

    assert message(excinfo) == "身份证号码只能由数字和末位的 X 组成，第 7 位“O”不是数字。"


def test_x_in_the_middle_is_rejected():
    with pytest.raises(IdentityError) as excinfo:
        parse_id_number("6208021990X307123X", today=TODAY)
    assert message(excinfo) == "身份证号码只有最后一位可以是 X，第 11 位的“X”不对。"


def test_impossible_birth_date_is_quoted():
    number = make_id("62080219901332123")

    with pytest.raises(IdentityError) as excinfo:
        parse_id_number(number, today=TODAY)

    assert message(excinfo) == "身份证号码第 7–14 位的出生日期“19901332”不是有效日期。"


def test_february_29_only_in_leap_years():
    assert parse_id_number(make_id("62080220000229123"), today=TODAY).birth_date == date(
        2000, 2, 29
    )
    with pytest.raises(IdentityError) as excinfo:
        parse_id_number(make_id("62080219990229123"), today=TODAY)
    assert "出生日期“19990229”不是有效日期" in message(excinfo)


def test_birth_year_before_1900_is_rejected():
    with pytest.raises(IdentityError) as excinfo:
        parse_id_number(make_id("62080218500101123"), today=TODAY)
    assert message(excinfo) == "身份证号码第 7–14 位的出生日期“18500101”早于 1900 年，请核对。"


@pytest.mark.parametrize("province", ["00", "10", "16", "20", "39", "47", "60", "66", "72", "99"])
def test_invalid_province_code_is_named(province):
    number = make_id(f"{province}080219900307123")

    with pytest.raises(IdentityError) as excinfo:
        parse_id_number(number, today=TODAY)

    assert message(excinfo) == (
        f"身份证号码前 2 位是省份代码，“{province}”不是有效的省份代码。请核对前 6 位的地址码。"
    )


@pytest.mark.parametrize("province", ["11", "15", "23", "37", "46", "54", "65", "71", "81", "82"])
def test_valid_province_codes_are_accepted(province):
    number = make_id(f"{province}010119900307123")
    assert parse_id_number(number, today=TODAY).number == number


# --- ID numbers: age and masking -------------------------------------------------------------


def test_age_on_around_the_birthday():
    person = parse_id_number(make_id("62080219900615123"), today=TODAY)

    assert person.age_on(date(2024, 6, 14)) == 33
    assert person.age_on(date(2024, 6, 15)) == 34
    assert person.age_on(date(2024, 6, 16)) == 34
    assert person.age_on(date(1990, 6, 15)) == 0


def test_age_on_for_a_leap_day_birthday():
    person = parse_id_number(make_id("62080220000229123"), today=TODAY)

    assert person.age_on(date(2023, 2, 28)) == 22
    assert person.age_on(date(2023, 3, 1)) == 23
    assert person.age_on(date(2024, 2, 29)) == 24


def test_age_on_before_birth_is_an_error():
    person = parse_id_number(make_id("62080219900615123"), today=TODAY)
    with pytest.raises(ValueError):
        person.age_on(date(1990, 6, 14))


def test_masked_keeps_first_and_last_four():
    number = make_id("62080219900307123")
    person = parse_id_number(number, today=TODAY)

    assert person.masked == number[:4] + "**********" + number[-4:]
    assert len(person.masked) == 18


@pytest.mark.parametrize(
    ("stored", "masked"),
    [
        ("620802199003071234", "6208**********1234"),
        (" 62080219900307123x ", "6208**********123X"),
        ("620802900307123", "6208*******7123"),
        ("12345678", "12****78"),
        ("12345", "1***5"),
        ("12", "**"),
        ("1", "*"),
        ("", ""),
    ],
)
def test_mask_id_number_never_shows_much_of_short_input(stored, masked):
    assert mask_id_number(stored) == masked


def test_mask_id_number_tolerates_none():
    assert mask_id_number(None) == ""  # type: ignore[arg-type]


# --- Unified social credit codes -------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    ["91110108551385082Q", "91110000600037341L", "12440600MB2C07549J"],
)
def test_known_valid_credit_codes_are_accepted(code):
    assert uscc.is_valid(code)
    assert parse_credit_code(code) == CreditCode(code=code)


def test_made_up_trade_union_code_is_accepted():
    code = make_credit_code("81620802", "MA7K3P2B")
    assert code.startswith("81")
    assert parse_credit_code(code).code == code


def test_agricultural_collective_code_with_letter_department_is_accepted():
    code = make_credit_code("N2620802", "MB0A1234")
    assert parse_credit_code(code).code == code


def test_credit_code_is_tidied():
    code = "91110108551385082Q"
    assert parse_credit_code(" 9111 0108 5513 8508 2q ").code == code
    assert parse_credit_code("91110108-551385082-q").code == code


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("9111010855138508", "统一社会信用代码应为 18 位，现在是 16 位。"),
        ("91110108551385082Q1", "统一社会信用代码应为 18 位，现在是 19 位。"),
        ("", "还没有填写统一社会信用代码，请填写 18 位统一社会信用代码。"),
    ],
)
def test_credit_code_length_messages(typed, expected):
    with pytest.raises(IdentityError) as excinfo:
        parse_credit_code(typed)
    assert message(excinfo) == expected


def test_letter_o_in_credit_code_suggests_zero():
    with pytest.raises(IdentityError) as excinfo:
        parse_credit_code("9111O108551385082Q")
    assert message(excinfo) == (
        "统一社会信用代码不使用字母 I、O、Z、S、V，第 5 位“O”不对。如果是数字 0，请改成 0。"
    )


@pytest.mark.parametrize(("letter", "position"), [("I", 10), ("Z", 12), ("S", 15), ("V", 9)])
def test_excluded_letters_are_named(letter, position):
    code = list("91110108551385082Q")
    code[position - 1] = letter

    with pytest.raises(IdentityError) as excinfo:
        parse_credit_code("".join(code))

    assert f"不使用字母 I、O、Z、S、V，第 {position} 位“{letter}”不对" in message(excinfo)


def test_other_characters_in_credit_code_are_named():
    with pytest.raises(IdentityError) as excinfo:
        parse_credit_code("91110108551385082号")
    assert message(excinfo) == "统一社会信用代码只能由数字和大写字母组成，第 18 位“号”不对。"


def test_unknown_registration_department_is_named():
    code = make_credit_code("01110108", "55138508")
    with pytest.raises(IdentityError) as excinfo:
        parse_credit_code(code)
    assert message(excinfo).startswith("统一社会信用代码第 1 位是登记管理部门代码，“0”不是有效代码")
    assert "请核对第 1 位" in message(excinfo)


@pytest.mark.parametrize("kind", ["0", "A"])
def test_invalid_organization_type_is_named(kind):
    code = make_credit_code(f"9{kind}110108", "55138508")
    with pytest.raises(IdentityError) as excinfo:
        parse_credit_code(code)
    assert message(excinfo) == (
        f"统一社会信用代码第 2 位是机构类别代码，应为 1–9 的数字，现在是“{kind}”。"
    )


def test_letter_in_region_code_is_named():
    code = make_credit_code("9111A108", "55138508")
    with pytest.raises(IdentityError) as excinfo:
        parse_credit_code(code)
    assert message(excinfo) == (
        "统一社会信用代码第 3–8 位是登记管理机关行政区划码，只能是数字，第 5 位“A”不是数字。"
    )


def test_organization_code_check_digit_is_computed_per_gb_11714():
    # 55138508-2 and 60003734-1 are the organization codes inside the known-valid codes above.
    assert organization_check_character("55138508") == "2"
    assert organization_check_character("60003734") == "1"
    assert organization_check_character("MB2C0754") == "9"
    bodies = {organization_check_character(f"{n:08d}") for n in range(200)}
    assert "X" in bodies and "0" in bodies


def test_wrong_organization_code_check_digit_names_expected_value():
    first_17 = "91110108" + "55138508" + "7"  # right organization check digit is 2
    code = first_17 + uscc.calc_check_digit(first_17)  # final character made consistent

    with pytest.raises(IdentityError) as excinfo:
        parse_credit_code(code)

    assert message(excinfo) == (
        "统一社会信用代码第 9–17 位是组织机构代码，其中第 17 位校验码应为 2，现在是 7。"
        "请核对第 9–17 位是否抄错了。"
    )


def test_typo_in_organization_code_is_reported_there_first():
    with pytest.raises(IdentityError) as excinfo:
        parse_credit_code("91110108551835082Q")  # 8 and 3 swapped
    assert "第 9–17 位是组织机构代码" in message(excinfo)


def test_wrong_final_check_character_names_expected_value():
    with pytest.raises(IdentityError) as excinfo:
        parse_credit_code("91110108551385082A")
    assert message(excinfo) == (
        "统一社会信用代码最后一位校验码应为 Q，现在是 A。请核对是否抄错了某一位。"
    )


def test_typo_in_region_code_is_caught_by_final_check():
    with pytest.raises(IdentityError) as excinfo:
        parse_credit_code("91110180551385082Q")
    expected = uscc.calc_check_digit("91110180551385082")
    assert message(excinfo).startswith(f"统一社会信用代码最后一位校验码应为 {expected}，")


# --- Phone numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "normalized"),
    [
        ("13812345678", "13812345678"),
        (" 138 1234 5678 ", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("0086 13812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("19912345678", "19912345678"),
        ("0931-8123456", "0931-8123456"),
        ("09318123456", "0931-8123456"),
        ("(0931) 8123456", "0931-8123456"),
        ("0931 812 3456", "0931-8123456"),
        ("010-62345678", "010-62345678"),
        ("02155556666", "021-55556666"),
        ("0755-88889999", "0755-88889999"),
        ("+86 931 8123456", "0931-8123456"),
    ],
)
def test_valid_phone_numbers_are_normalized(typed, normalized):
    assert parse_phone(typed) == normalized


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1381234567", "手机号码应为 11 位数字，现在是 10 位。"),
        ("138123456789", "手机号码应为 11 位数字，现在是 12 位。"),
        ("12812345678", "手机号码第 2 位应为 3–9，现在是 2。请核对号码。"),
        ("0931-812345", "固定电话区号 0931 后面的号码应为 7–8 位，现在是 6 位。"),
        ("0931-812345678", "固定电话区号 0931 后面的号码应为 7–8 位，现在是 9 位。"),
        ("0931-0123456", "固定电话区号 0931 后面的号码不能以 0 开头，请核对区号和号码。"),
        ("8123456", "固定电话请加上区号，例如 0931-8123456。"),
        ("5551234567", "电话号码应以 1（手机）或 0（固定电话区号）开头，现在第 1 位是 5。"),
        ("138l2345678", "电话号码只能包含数字、空格和短横线，“l”不对。"),
        ("0931-8123456转801", "电话号码只能包含数字、空格和短横线，“转”不对。"),
        (
            "138\u200b12345678",
            "电话号码里有看不见的字符 U+200B（ZERO WIDTH SPACE），多半是从别处粘贴带来的。"
            "请删掉后重新输入号码。",
        ),
        ("+1 415 555 0100", "只能填写国内电话号码，国家代码应为 +86。"),
        ("", "还没有填写电话号码，请填写手机号码或带区号的固定电话。"),
        (" - ", "还没有填写电话号码，请填写手机号码或带区号的固定电话。"),
        ("+86", "电话号码只有国家代码，请填写完整的号码。"),
    ],
)
def test_phone_messages(typed, expected):
    with pytest.raises(IdentityError) as excinfo:
        parse_phone(typed)
    assert message(excinfo) == expected


@pytest.mark.parametrize(
    ("stored", "masked"),
    [
        ("13812345678", "138****5678"),
        ("+86 138-1234-5678", "138****5678"),
        ("0931-8123456", "0931-***3456"),
        ("021-55556666", "021-****6666"),
        ("09318123456", "0931-***3456"),
        ("12812345678", "128*****678"),
        ("12345", "1***5"),
        ("", ""),
    ],
)
def test_mask_phone(stored, masked):
    assert mask_phone(stored) == masked


def test_identity_error_is_a_value_error():
    assert issubclass(IdentityError, ValueError)


@pytest.mark.parametrize(
    ("name", "printed"),
    [
        ("张秀丽", "张*丽"),
        ("张三", "张*"),
        ("欧阳娜娜", "欧**娜"),
        ("司马相如", "司**如"),
        ("阿依古丽·买买提", "阿***·**提"),
        ("阿依古丽•买买提", "阿***·**提"),  # a middle dot typed in another form
        ("王", "王"),
        ("", ""),
    ],
)
def test_public_notice_hides_the_middle_of_a_name(name, printed):
    assert mask_name_for_notice(name) == printed


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("2026-0511", "2026-0511"),
        ("gh-620102-0031", "GH-620102-0031"),
        ("ＧＨ－６２０１０２－００３１", "GH-620102-0031"),  # typed with a full-width keyboard
        (" 6201 0200 1234 ", "620102001234"),
    ],
)
def test_card_numbers_are_kept_as_the_card_prints_them(typed, number):
    assert parse_card_number(typed) == number


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "请填写会员证号。"),
        ("工会2026", "会员证号只能由数字、英文字母和短横线“-”组成，其中的“工”不对"),
        ("2026/0511", "其中的“/”不对"),
        ("126", "会员证号应为 4 到 30 位，现在是 3 位"),
        ("1" * 31, "会员证号应为 4 到 30 位，现在是 31 位"),
        ("ABCD", "会员证号“ABCD”里没有数字"),
        ("-2026-0511", "短横线“-”只能单个写在数字或字母之间"),
        ("2026--0511", "短横线“-”只能单个写在数字或字母之间"),
    ],
)
def test_a_wrong_card_number_says_what_to_fix(typed, message):
    with pytest.raises(IdentityError, match=re.escape(message)):
        parse_card_number(typed)

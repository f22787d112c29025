"""Identity numbers a clerk types in: resident ID, unified social credit code, phone number.

Each parser tidies what was typed (spaces, full-width characters, lowercase letters) and either
returns the normalized value or raises IdentityError whose message is one Chinese sentence a
clerk can act on: which part is wrong and what it should be.

Check characters come from python-stdnum (GB 11643 for ID numbers, GB 32100 for credit codes);
the GB 11714 organization-code check inside a credit code is computed here, as stdnum has none.
We do not call stdnum's ``validate``: its ID check also requires the 6-digit place code to have
existed in the birth year (620802, created 2002, fails for anyone born before), and its
credit-code check requires the first eight characters to be digits, which rejects real codes
such as rural collectives (N…).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from stdnum.cn import ric, uscc

from desktop.validation import (
    MIDDLE_DOT,
    MIDDLE_DOT_FORMS,
    character_name,
    is_control,
    is_invisible,
)


class IdentityError(ValueError):
    """A typed identity number is unusable; the message tells the clerk what to fix."""


def _tidy(text: object) -> str:
    """Full-width characters made half-width, surrounding blanks removed."""
    return unicodedata.normalize("NFKC", str(text or "")).strip()


def _without_blanks(text: str) -> str:
    return "".join(text.split())


# --- Resident identity card number (GB 11643) ----------------------------------------------

ID_LENGTH = 18

# First two digits of the address code: provinces, plus 71 Taiwan, 81 Hong Kong, 82 Macao,
# and 83 for residence permits of Taiwan residents.
PROVINCE_CODES = frozenset(
    [*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47), *range(50, 55)]
    + [*range(61, 66), 71, 81, 82, 83]
)

EARLIEST_BIRTH_YEAR = 1900


@dataclass(frozen=True)
class IdNumber:
    """A checked 18-digit resident ID number and what it says about its holder."""

    number: str
    birth_date: date
    gender: str  # "男" or "女"

    @property
    def masked(self) -> str:
        """The number with its middle hidden, e.g. "6208**********1234"."""
        return mask_id_number(self.number)

    def age_on(self, day: date) -> int:
        """Full years of age on `day`; a 29 February birthday counts from 1 March."""
        if day < self.birth_date:
            raise ValueError(f"{day.isoformat()} 早于出生日期 {self.birth_date.isoformat()}。")
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - int(before_birthday)


def parse_id_number(text: str, today: date | None = None) -> IdNumber:
    """Check a typed resident ID number; raise IdentityError saying which part is wrong."""
    today = today or date.today()
    number = _without_blanks(_tidy(text)).upper()
    if not number:
        raise IdentityError("还没有填写身份证号码，请填写 18 位身份证号码。")

    for position, char in enumerate(number, start=1):
        if char.isascii() and char.isdigit():
            continue
        if char == "X" and position == len(number):
            continue
        if char == "X":
            raise IdentityError(f"身份证号码只有最后一位可以是 X，第 {position} 位的“X”不对。")
        raise IdentityError(
            f"身份证号码只能由数字和末位的 X 组成，第 {position} 位“{char}”不是数字。"
        )

    if len(number) == 15 and number.isdigit():
        raise IdentityError("15 位的旧身份证号码请换成 18 位的新号码。")
    if len(number) != ID_LENGTH:
        raise IdentityError(f"身份证号码应为 {ID_LENGTH} 位，现在是 {len(number)} 位。")

    province = number[:2]
    if int(province) not in PROVINCE_CODES:
        raise IdentityError(
            f"身份证号码前 2 位是省份代码，“{province}”不是有效的省份代码。请核对前 6 位的地址码。"
        )

    birth_text = number[6:14]
    try:
        birth_date = date(int(birth_text[:4]), int(birth_text[4:6]), int(birth_text[6:]))
    except ValueError:
        raise IdentityError(f"身份证号码第 7–14 位的出生日期“{birth_text}”不是有效日期。") from None
    if birth_date.year < EARLIEST_BIRTH_YEAR:
        raise IdentityError(
            f"身份证号码第 7–14 位的出生日期“{birth_text}”早于 {EARLIEST_BIRTH_YEAR} 年，请核对。"
        )
    if birth_date > today:
        raise IdentityError(
            f"身份证号码第 7–14 位的出生日期“{birth_text}”"
            f"（{birth_date.year} 年 {birth_date.month} 月 {birth_date.day} 日）晚于今天，请核对。"
        )

    expected = ric.calc_check_digit(number)
    if number[-1] != expected:
        raise IdentityError(
            f"身份证号码校验位不对：最后一位应为 {expected}，现在是 {number[-1]}。"
            "请核对是否抄错了某一位。"
        )

    gender = "男" if int(number[16]) % 2 else "女"
    return IdNumber(number=number, birth_date=birth_date, gender=gender)


def _mask_middle(text: str, keep: int) -> str:
    """Hide all but `keep` characters at each end; short text keeps at most a third visible."""
    keep = min(keep, (len(text) - 1) // 3)
    if keep <= 0:
        return "*" * len(text)
    return text[:keep] + "*" * (len(text) - 2 * keep) + text[-keep:]


def mask_id_number(number: str) -> str:
    """A stored ID number with its middle hidden: "6208**********1234". Never raises."""
    return _mask_middle(_without_blanks(_tidy(number)).upper(), 4)


# --- Unified social credit code (GB 32100) -------------------------------------------------

CREDIT_CODE_LENGTH = 18

# GB 32100 characters: digits and capital letters except I, O, Z, S, V (same as stdnum's).
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_EXCLUDED_LETTERS = {"I": "1", "O": "0", "Z": "2", "S": "5", "V": ""}

# Registration departments (position 1) in GB 32100 and the codes assigned since:
# 1 机构编制, 2 外交, 3 司法行政, 4 文化, 5 民政, 6 旅游, 7 宗教, 8 工会, 9 市场监管（工商）,
# A 中央军委改革和编制办公室, G 公安, J 住房城乡建设, N 农业农村, Q 侨联, Y 其他.
REGISTRATION_DEPARTMENTS = frozenset("123456789AGJNQY")

# GB 11714 organization code (positions 9–17): weights for the eight body characters.
_ORGANIZATION_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


@dataclass(frozen=True)
class CreditCode:
    """A checked 18-character unified social credit code."""

    code: str


def organization_check_character(body: str) -> str:
    """The GB 11714 check character for an 8-character organization code body."""
    total = sum(
        int(char, 36) * weight
        for char, weight in zip(body, _ORGANIZATION_CODE_WEIGHTS, strict=True)
    )
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def parse_credit_code(text: str) -> CreditCode:
    """Check a typed unified social credit code; raise IdentityError saying which part is wrong."""
    code = _tidy(text).upper()
    code = re.sub(r"[\s\-]", "", code)
    if not code:
        raise IdentityError("还没有填写统一社会信用代码，请填写 18 位统一社会信用代码。")
    if len(code) != CREDIT_CODE_LENGTH:
        raise IdentityError(
            f"统一社会信用代码应为 {CREDIT_CODE_LENGTH} 位，现在是 {len(code)} 位。"
        )

    for position, char in enumerate(code, start=1):
        if char in CREDIT_CODE_ALPHABET:
            continue
        if char in _EXCLUDED_LETTERS:
            hint = _EXCLUDED_LETTERS[char]
            advice = f"如果是数字 {hint}，请改成 {hint}。" if hint else "请核对这一位。"
            raise IdentityError(
                f"统一社会信用代码不使用字母 I、O、Z、S、V，第 {position} 位“{char}”不对。" + advice
            )
        raise IdentityError(
            f"统一社会信用代码只能由数字和大写字母组成，第 {position} 位“{char}”不对。"
        )

    if code[0] not in REGISTRATION_DEPARTMENTS:
        raise IdentityError(
            f"统一社会信用代码第 1 位是登记管理部门代码，“{code[0]}”不是有效代码"
            "（市场监管部门登记的为 9，工会为 8，民政部门登记的为 5）。请核对第 1 位。"
        )
    if not ("1" <= code[1] <= "9"):
        raise IdentityError(
            f"统一社会信用代码第 2 位是机构类别代码，应为 1–9 的数字，现在是“{code[1]}”。"
        )
    for position in range(3, 9):
        char = code[position - 1]
        if not char.isdigit():
            raise IdentityError(
                "统一社会信用代码第 3–8 位是登记管理机关行政区划码，只能是数字，"
                f"第 {position} 位“{char}”不是数字。"
            )

    organization_expected = organization_check_character(code[8:16])
    if code[16] != organization_expected:
        raise IdentityError(
            "统一社会信用代码第 9–17 位是组织机构代码，其中第 17 位校验码应为 "
            f"{organization_expected}，现在是 {code[16]}。请核对第 9–17 位是否抄错了。"
        )

    expected = uscc.calc_check_digit(code)
    if code[-1] != expected:
        raise IdentityError(
            f"统一社会信用代码最后一位校验码应为 {expected}，现在是 {code[-1]}。"
            "请核对是否抄错了某一位。"
        )
    return CreditCode(code=code)


# --- Phone numbers --------------------------------------------------------------------------

MOBILE_LENGTH = 11
_PHONE_SEPARATORS = re.compile(r"[\s\-()]")


def _landline_area_length(digits: str) -> int:
    """Area codes 010 and 020–029 have three digits; all others four."""
    return 3 if digits[1] in "12" else 4


def _is_mobile_start(digits: str) -> bool:
    return digits[:1] == "1" and digits[1:2] != "0"


def parse_phone(text: str) -> str:
    """A mainland mobile ("13812345678") or landline ("0931-8123456") number, normalized.

    Spaces, hyphens and brackets may be typed; a +86 / 0086 / 86 country prefix is dropped.
    Raise IdentityError saying what is wrong.
    """
    typed = _tidy(text)
    if not _PHONE_SEPARATORS.sub("", typed):
        raise IdentityError("还没有填写电话号码，请填写手机号码或带区号的固定电话。")

    international = False
    if typed.startswith("+"):
        typed = typed[1:].lstrip()
        if not typed.startswith("86"):
            raise IdentityError("只能填写国内电话号码，国家代码应为 +86。")
        typed, international = typed[2:], True
    elif typed.startswith("0086"):
        typed, international = typed[4:], True

    for char in typed:
        if not (char.isascii() and char.isdigit()) and not _PHONE_SEPARATORS.match(char):
            if is_invisible(char) or is_control(char):
                raise IdentityError(
                    f"电话号码里有看不见的字符 {character_name(char)}，多半是从别处粘贴带来的。"
                    "请删掉后重新输入号码。"
                )
            raise IdentityError(f"电话号码只能包含数字、空格和短横线，“{char}”不对。")
    digits = _PHONE_SEPARATORS.sub("", typed)
    if not international and len(digits) == 13 and digits.startswith("861"):
        digits = digits[2:]
    # +86 931 8123456: the area code loses its 0 abroad. Beijing's 10 then starts with 1 like a
    # mobile number, but no mobile number starts with 10.
    if international and digits[:1] not in ("", "0") and not _is_mobile_start(digits):
        digits = "0" + digits
    if not digits:
        raise IdentityError("电话号码只有国家代码，请填写完整的号码。")

    if digits[0] == "1":
        if len(digits) != MOBILE_LENGTH:
            raise IdentityError(f"手机号码应为 {MOBILE_LENGTH} 位数字，现在是 {len(digits)} 位。")
        if digits[1] not in "3456789":
            raise IdentityError(f"手机号码第 2 位应为 3–9，现在是 {digits[1]}。请核对号码。")
        return digits

    if digits[0] == "0":
        if len(digits) < 2:
            raise IdentityError("固定电话的区号不完整，例如 0931-8123456。")
        area_length = _landline_area_length(digits)
        area, local = digits[:area_length], digits[area_length:]
        if not 7 <= len(local) <= 8:
            raise IdentityError(
                f"固定电话区号 {area} 后面的号码应为 7–8 位，现在是 {len(local)} 位。"
            )
        if local[0] in "01":
            raise IdentityError(
                f"固定电话区号 {area} 后面的号码不能以 {local[0]} 开头，请核对区号和号码。"
            )
        return f"{area}-{local}"

    if 7 <= len(digits) <= 8:
        raise IdentityError("固定电话请加上区号，例如 0931-8123456。")
    raise IdentityError(
        f"电话号码应以 1（手机）或 0（固定电话区号）开头，现在第 1 位是 {digits[0]}。"
    )


def mask_phone(number: str) -> str:
    """A phone number with its middle hidden: "138****5678", "0931-***3456". Never raises."""
    try:
        phone = parse_phone(number)
    except IdentityError:
        return _mask_middle(_without_blanks(_tidy(number)), 3)
    if "-" in phone:
        area, local = phone.split("-")
        return f"{area}-{'*' * (len(local) - 4)}{local[-4:]}"
    return f"{phone[:3]}****{phone[-4:]}"


# --- Bank account (银行卡号或存折账号) -----------------------------------------------------

# A debit card has 16 to 19 digits; a passbook or a social-security card account may be shorter
# or longer, so only the bounds any Chinese bank account keeps are checked, not a card's Luhn
# digit (a passbook account has none).
BANK_ACCOUNT_LENGTHS = (8, 30)


def parse_bank_account(text: str) -> str:
    """A bank account as typed (blanks and dashes allowed), as its digits; raises IdentityError."""
    digits = re.sub(r"[\s\-]", "", _tidy(text))
    if not digits:
        raise IdentityError("请填写银行账号。")
    wrong = next((ch for ch in digits if not ch.isdigit() or not ch.isascii()), None)
    if wrong is not None:
        raise IdentityError(
            f"银行账号只能是数字，其中的“{wrong}”不对；请照银行卡或存折上的账号填写。"
        )
    low, high = BANK_ACCOUNT_LENGTHS
    if not low <= len(digits) <= high:
        raise IdentityError(
            f"银行账号应为 {low} 到 {high} 位数字（银行卡一般 16 到 19 位），"
            f"现在是 {len(digits)} 位，请核对。"
        )
    return digits


# An account number written among words ("中国农业银行示例镇支行 6228 4800 1234 5678"): a run of
# digits, maybe in groups split by single blanks or dashes.
_NUMBER_AMONG_WORDS = re.compile(r"(?<![0-9A-Za-z])\d+(?:[ \-]\d+)*(?![0-9A-Za-z])")


def mask_bank_account(number: str) -> str:
    """A bank account with all but its first and last four digits hidden, in the groups of four
    a card is printed in: "6228 **** **** 8901" (how many digits are hidden is not told).

    Text with words around the number (older versions kept 户名、开户行、账号 in one line) keeps
    its words and has every number of 8 digits or more in it masked:
    "中国农业银行示例镇支行 6228 **** **** 5678". Never raises."""
    digits = _without_blanks(_tidy(number)).replace("-", "")
    if digits and not digits.isdigit():
        return _NUMBER_AMONG_WORDS.sub(_masked_number_among_words, str(number).strip())
    if len(digits) < 12:
        return _mask_middle(digits, 2)
    return f"{digits[:4]} **** **** {digits[-4:]}"


def _masked_number_among_words(match: re.Match[str]) -> str:
    digits = re.sub(r"[ \-]", "", match.group())
    low, _high = BANK_ACCOUNT_LENGTHS
    return mask_bank_account(digits) if len(digits) >= low else match.group()


# --- 会员证号 (membership card number) -------------------------------------------------------

# Offices number their cards their own way (2026-0511, GH-620102-0031, a national system's
# digits): only what every such number keeps is checked, not any one office's scheme.
CARD_NUMBER_LENGTHS = (4, 30)
CARD_NUMBER_EXAMPLE = "2026-0511"


def parse_card_number(text: str) -> str:
    """A membership card number as typed: full-width made half-width, blanks dropped, letters
    in capitals ("gh-620102-0031" is "GH-620102-0031"); raises IdentityError saying what is
    wrong and how to write it."""
    number = _without_blanks(_tidy(text)).upper()
    if not number:
        raise IdentityError("请填写会员证号。")
    wrong = next((ch for ch in number if not (ch.isascii() and (ch.isalnum() or ch == "-"))), None)
    if wrong is not None:
        raise IdentityError(
            f"会员证号只能由数字、英文字母和短横线“-”组成，其中的“{wrong}”不对；"
            f"请照会员证上的号码填写，如 {CARD_NUMBER_EXAMPLE}。"
        )
    low, high = CARD_NUMBER_LENGTHS
    if not low <= len(number) <= high:
        raise IdentityError(
            f"会员证号应为 {low} 到 {high} 位，现在是 {len(number)} 位；请照会员证上的号码核对。"
        )
    if not any(ch.isdigit() for ch in number):
        raise IdentityError(
            f"会员证号“{number}”里没有数字；请照会员证上的号码填写，如 {CARD_NUMBER_EXAMPLE}。"
        )
    if number.startswith("-") or number.endswith("-") or "--" in number:
        raise IdentityError(f"会员证号“{number}”的短横线“-”只能单个写在数字或字母之间，请核对。")
    return number


# The kinds of value that are personal numbers: masked wherever they are shown, printed or
# written to the audit trail, unless the clerk asks for the whole number (a reveal, which
# desktop.office.Office.record_reveal keeps in the trail).
PERSONAL_NUMBER_KINDS = ("id_number", "phone", "bank_account")


def mask_personal(kind: str, value: str) -> str:
    """A value of field type ``kind`` as it is shown unless revealed: an ID number, a phone or
    a bank account with its middle hidden (mask_id_number, mask_phone, mask_bank_account); a
    value of any other kind, nothing, or a number already masked, unchanged. Never raises."""
    text = str(value)
    if kind not in PERSONAL_NUMBER_KINDS or not text.strip() or "*" in text:
        return text
    if kind == "bank_account":
        return mask_bank_account(text)
    return mask_id_number(text) if kind == "id_number" else mask_phone(text)


def mask_name_for_notice(name: str) -> str:
    """A person's name as a public notice (公示) prints it, partly hidden as county practice asks:
    the first and last characters kept, those between starred: 张秀丽 → 张*丽, 欧阳娜娜 → 欧**娜.
    A two-character name keeps its surname only (张三 → 张*), since keeping both would hide
    nothing. The middle dot of a minority or foreign name stays, so the name's shape is as
    written: 阿依古丽·买买提 → 阿***·**提. Never raises; an empty name gives ""."""
    text = _tidy(name)
    for dot in MIDDLE_DOT_FORMS:
        text = text.replace(dot, MIDDLE_DOT)
    letters = [i for i, char in enumerate(text) if char not in (MIDDLE_DOT, " ")]
    if len(letters) < 2:
        return text
    keep = {letters[0]} if len(letters) == 2 else {letters[0], letters[-1]}
    return "".join(char if i in keep or i not in letters else "*" for i, char in enumerate(text))


# Anything in free text that looks like an ID number or a mobile number: 17 digits and a digit
# or X, or 11 digits starting 13–19, not part of a longer run of letters and digits.
_ID_NUMBER_LIKE = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")
_MOBILE_LIKE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")
# A bank card's 16 to 19 digits (an 18-digit one is caught as an ID number first).
_BANK_CARD_LIKE = re.compile(r"(?<![0-9A-Za-z])\d{16,19}(?![0-9A-Za-z])")


def hide_personal_numbers(text: str) -> str:
    """``text`` with every ID number, bank card number and mobile number in it masked, for text
    that leaves the program without a field type to go by: log files and error details sent to
    maintainers."""
    text = _ID_NUMBER_LIKE.sub(lambda m: mask_id_number(m.group()), text)
    text = _BANK_CARD_LIKE.sub(lambda m: mask_bank_account(m.group()), text)
    return _MOBILE_LIKE.sub(lambda m: mask_phone(m.group()), text)


def make_id_number(region: str, birth: date, sequence: int) -> str:
    """A well-formed ID number for made-up people (the demo office, tests): never a real one's
    on purpose, though any valid number could belong to someone, so demo data stays masked."""
    from stdnum.cn import ric

    body = f"{region}{birth:%Y%m%d}{sequence % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check digit


def make_credit_code(registration: str, region: str, organization_body: str) -> str:
    """A well-formed unified social credit code for made-up enterprises (demo, tests).

    ``registration`` is 2 characters (e.g. "91"), ``region`` 6 digits, ``organization_body``
    8 characters of the code alphabet; both check characters are computed.
    """
    from stdnum.cn import uscc

    first_17 = (
        registration + region + organization_body + organization_check_character(organization_body)
    )
    return first_17 + uscc.calc_check_digit(first_17)

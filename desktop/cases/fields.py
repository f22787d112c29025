"""Reading what a clerk typed into a step's field, by the field's type; Chinese messages."""

from __future__ import annotations

from datetime import date
from typing import Any

from desktop.book.procedures import FieldSpec
from desktop.dates import DateError, parse_date, stored_date
from desktop.formatting import chinese_date, not_yet_text, value_text
from desktop.identity import (
    PERSONAL_NUMBER_KINDS,
    IdentityError,
    parse_bank_account,
    parse_card_number,
    parse_id_number,
    parse_phone,
)
from desktop.money import MAX_FEN, MoneyError, format_fen, parse_yuan
from desktop.validation import (
    TextError,
    character_name,
    clean_person_name,
    clean_text,
    is_control,
    is_invisible,
)

# What else a clerk types on a case, each as long as where it is shown or printed allows.
NOTE_LIMIT = 500  # a step's 备注 (step.<id>.note on a form: a box as wide as the page)
LOG_ENTRY_LIMIT = 500  # one entry of a step's log (公示异议记录 and the like)
TERMINATE_REASON_LIMIT = 200  # why a case was ended (终止办理), kept in the timeline
CORRECTION_REASON_LIMIT = 200  # why a done step was corrected, and how money was reversed
REPEAT_REASON_LIMIT = 50  # 同年再次办理的理由: a one-line cell of 帮扶救助审批表
# 审批意见: the approval box of 帮扶救助审批表 holds this much on the form's one sheet.
OPINION_LIMIT = 300

TRUE_TEXTS = {"是", "true", "1", "yes", "y", "有"}
FALSE_TEXTS = {"否", "false", "0", "no", "n", "无"}


class FieldError(ValueError):
    """What is wrong with one field; the message starts with the field's label."""

    def __init__(self, spec: FieldSpec, message: str, labelled: bool = False):
        self.field_id = spec.id
        super().__init__(message if labelled else f"{spec.label}：{message}")


def clean_field_value(spec: FieldSpec, raw: Any, today: date | None = None) -> Any:
    """The stored value (JSON-friendly: int, str, bool or None) for what was entered.

    Money is fen, dates are ISO text, a person is their registry id. Empty input is None;
    whether that is allowed is decided when the step is completed, not while typing.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    kind = spec.type
    if kind in ("text", "longtext", "name"):
        limit = spec.length_limit
        assert limit is not None
        try:
            if kind == "name":
                text = clean_person_name(raw, what=spec.label)
            else:
                text = clean_text(raw, what=spec.label, limit=limit, multiline=kind == "longtext")
        except TextError as error:
            raise FieldError(spec, str(error), labelled=True) from error
        return text or None
    if isinstance(raw, str):
        # A number, sum or date that looks right on screen but carries a pasted hidden
        # character inside it: say which, rather than "“1000​”只能包含数字". Blanks and
        # invisible characters around it are only tidied away by the parsers.
        shown = [i for i, ch in enumerate(raw) if not (ch.isspace() or is_invisible(ch))]
        raw = raw[shown[0] : shown[-1] + 1] if shown else ""
        if not raw:
            return None
        for ch in raw:
            if is_invisible(ch) or is_control(ch):
                raise FieldError(
                    spec, f"{spec.label}里有看不见的字符 {character_name(ch)}，多半是从别处"
                    "粘贴带来的。请删掉后重新输入。", labelled=True,
                )  # fmt: skip
    if kind == "number":
        if isinstance(raw, bool):
            raise FieldError(spec, "应为整数")
        try:
            value = int(str(raw).strip().replace(",", ""))
        except ValueError as error:
            raise FieldError(spec, f"应为整数，现在是“{raw}”") from error
        _check_bounds(spec, value, str(value))
        return value
    if kind == "money":
        if isinstance(raw, int) and not isinstance(raw, bool):
            # Fen from a record or a prefill: held to what parse_yuan lets a clerk type.
            if raw < 0:
                raise FieldError(spec, f"金额 {format_fen(raw)} 元是负数，请填写 0 或更多")
            if raw >= MAX_FEN:
                raise FieldError(spec, f"金额 {format_fen(raw)} 元过大，请核对位数")
            value = raw
        else:
            try:
                value = parse_yuan(str(raw))
            except MoneyError as error:
                raise FieldError(spec, str(error)) from error
        _check_bounds(spec, value, f"{format_fen(value)} 元")
        return value
    if kind == "date":
        try:
            day = parse_date(raw)
        except DateError as error:
            raise FieldError(spec, str(error)) from error
        if spec.not_future:
            if today is None:
                raise TypeError(f"{spec.id}: a date that may not be in the future needs today")
            problem = future_date_problem(spec, day, today)
            if problem:
                raise FieldError(spec, problem, labelled=True)
        return day.isoformat()
    if kind == "choice":
        text = str(raw).strip()
        if text not in spec.choices:
            raise FieldError(spec, f"“{text}”不在可选项中：{'、'.join(spec.choices)}")
        return text
    if kind == "id_number":
        try:
            return parse_id_number(str(raw), today=today).number
        except IdentityError as error:
            raise FieldError(spec, str(error)) from error
    if kind == "phone":
        try:
            return parse_phone(str(raw))
        except IdentityError as error:
            raise FieldError(spec, str(error)) from error
    if kind == "bank_account":
        try:
            return parse_bank_account(str(raw))
        except IdentityError as error:
            raise FieldError(spec, str(error)) from error
    if kind == "card_number":
        try:
            return parse_card_number(str(raw))
        except IdentityError as error:
            # "会员证号只能由…" needs no "会员证号：" before it.
            said = str(error)
            raise FieldError(spec, said, labelled=said.startswith(spec.label)) from error
    if kind == "person":
        # A registry id: an int from the picker, or its digits from a script; nothing else
        # (int() would truncate 1.5, take True as 1 and overflow on infinity).
        text = raw.strip() if isinstance(raw, str) else ""
        if isinstance(raw, int) and not isinstance(raw, bool):
            person_id = raw
        elif text.isascii() and text.isdigit() and len(text) <= 19:  # 2**63 has 19 digits
            person_id = int(text)
        else:
            raise FieldError(spec, "请从职工档案中选择一人")
        if not 0 < person_id < 2**63:
            raise FieldError(spec, "请从职工档案中选择一人")
        return person_id
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in TRUE_TEXTS:
            return True
        if text in FALSE_TEXTS:
            return False
        raise FieldError(spec, f"请选择“是”或“否”，现在是“{raw}”")
    raise FieldError(spec, f"未知的类型 {kind}")  # pragma: no cover - the loader checks types


def future_date_problem(spec: FieldSpec, day: date | None, today: date) -> str:
    """Why ``day`` cannot stand in a field that records something already done (a visit, a
    payment, a receipt): "" when it is today or earlier, or the field allows the future."""
    if not spec.not_future or day is None or day <= today:
        return ""
    return not_yet_text(spec.label, day, today)


def _check_bounds(spec: FieldSpec, value: int, shown: str) -> None:
    def bound(limit: int) -> str:
        return f"{format_fen(limit)} 元" if spec.type == "money" else str(limit)

    if spec.minimum is not None and value < spec.minimum:
        raise FieldError(spec, f"{shown} 小于下限 {bound(spec.minimum)}")
    if spec.maximum is not None and value > spec.maximum:
        raise FieldError(spec, f"{shown} 超过上限 {bound(spec.maximum)}")


# Fields that hold a bank account as a line of text: hardship_aid before 2026.8 kept the
# payment's 收款账户（户名、开户行、账号） in one text field of this id. Cases opened then keep
# that version, and the number in it is masked like any bank account's.
ACCOUNT_TEXT_FIELD_IDS = frozenset({"bank_account"})


def personal_kind(spec: FieldSpec) -> str | None:
    """The kind of personal number the field holds (desktop.identity.PERSONAL_NUMBER_KINDS),
    masked wherever it is shown unless revealed; None for a field that holds none."""
    if spec.type in PERSONAL_NUMBER_KINDS:
        return spec.type
    if spec.type == "text" and spec.id in ACCOUNT_TEXT_FIELD_IDS:
        return "bank_account"
    return None


def display_value(spec: FieldSpec, value: Any, reveal: bool = False) -> str:
    """How a stored value reads on a screen, in the timeline or a script's output; ID numbers,
    phones and bank accounts masked unless ``reveal`` (desktop.formatting.value_text)."""
    return value_text(personal_kind(spec) or spec.type, value, reveal)


def edit_text(spec: FieldSpec, value: Any) -> str:
    """The text an editor starts with for a stored value (money in 元, no separators, dates
    as 2026年11月30日)."""
    if value is None:
        return ""
    if spec.type == "money":
        return f"{int(value) // 100}.{int(value) % 100:02d}".removesuffix(".00")
    if spec.type == "bool":
        return "是" if value else "否"
    if spec.type == "date":
        day = stored_date(value)
        return chinese_date(day) if day is not None else str(value)
    return str(value)

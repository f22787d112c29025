"""The names a form may print, and how each kind of value reads on paper.

A form cell names what it shows, e.g. ``person.name``, ``case.number`` or
``step.application.reason``. The names come from the case, the person or enterprise it is
about, the office, the document itself, the step fields the procedures declare, and for the
rows of a sign-off sheet, ``row.*``. ``FieldCatalogue`` knows all of them, so a form that names
something no context can provide is refused when it is loaded, not when it is printed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop.book.procedures import FIELD_TYPES, Procedure
from desktop.formatting import as_date, chinese_date, chinese_month
from desktop.household import (
    ETHNIC_GROUPS,
    HOUSING_TYPES,
    HUKOU_TYPES,
    MARITAL_STATUSES,
    POLITICAL_STATUSES,
)
from desktop.identity import PERSONAL_NUMBER_KINDS, mask_personal
from desktop.money import format_fen
from desktop.printing.capitals import fen_to_capitals


@dataclass(frozen=True)
class FieldInfo:
    """What a printable name holds: a label for messages and its type for formatting."""

    name: str
    label: str
    type: str = "text"  # one of the procedure field types
    choices: tuple[str, ...] = ()


def _infos(prefix: str, spec: Mapping[str, tuple[str, str]]) -> dict[str, FieldInfo]:
    return {
        f"{prefix}.{key}": FieldInfo(f"{prefix}.{key}", label, kind)
        for key, (label, kind) in spec.items()
    }


CASE_FIELDS = _infos(
    "case",
    {
        "number": ("案件编号", "text"),
        "service_item": ("服务项目", "text"),
        "procedure": ("办理事项", "text"),
        "kind": ("类别", "text"),
        "subject": ("办理对象", "text"),
        "status": ("办理状态", "text"),
        "opened": ("受理日期", "date"),
        "opened_by": ("受理人", "text"),
        "responsible": ("责任人", "text"),
        "due": ("办结时限", "date"),
        "closed": ("办结日期", "date"),
        "repeat_reason": ("同年再次办理的理由", "text"),
    },
)
PERSON_FIELDS = _infos(
    "person",
    {
        "name": ("姓名", "text"),
        "gender": ("性别", "text"),
        "birth_date": ("出生日期", "date"),
        "age": ("年龄", "number"),
        "id_number": ("身份证号码", "id_number"),
        "phone": ("联系电话", "phone"),
        "enterprise": ("工作单位", "text"),
        "union_name": ("所在工会", "text"),
        "household_size": ("家庭人口", "number"),
        "income_per_head": ("家庭月人均收入", "money"),
        "hardship_status": ("困难档案状态", "text"),
        "address": ("家庭住址", "text"),
        "ethnicity": ("民族", "text"),
        "political_status": ("政治面貌", "text"),
        "marital_status": ("婚姻状况", "text"),
        "health": ("健康状况", "text"),  # 残疾（二级） with the grade
        "hukou_type": ("户口类型", "text"),
        "housing": ("住房", "text"),
        "bank_name": ("开户银行", "text"),
        "bank_account": ("银行账号", "bank_account"),
    },
)
# The person's details that are one of a list, for ``format = "choices"`` without writing them.
for _key, _choices in {
    "ethnicity": ETHNIC_GROUPS,
    "political_status": POLITICAL_STATUSES,
    "marital_status": MARITAL_STATUSES,
    "hukou_type": HUKOU_TYPES,
    "housing": HOUSING_TYPES,
}.items():
    _info = PERSON_FIELDS[f"person.{_key}"]
    PERSON_FIELDS[_info.name] = FieldInfo(_info.name, _info.label, _info.type, _choices)
# One household member, for the rows a form repeats for each (``each = "family"``).
MEMBER_FIELDS = _infos(
    "member",
    {
        "serial": ("序号", "number"),
        "name": ("姓名", "text"),
        "relation": ("与申请人关系", "text"),
        "age": ("年龄", "number"),
        "id_number": ("身份证号码", "id_number"),
        "health": ("健康状况", "text"),
        "work": ("工作单位或就读学校", "text"),
        "monthly_income": ("月收入", "money"),
    },
)
ENTERPRISE_FIELDS = _infos(
    "enterprise",
    {
        "name": ("单位名称", "text"),
        "credit_code": ("统一社会信用代码", "text"),
        "address": ("地址", "text"),
        "contact": ("联系人", "text"),
        "phone": ("联系电话", "text"),  # the firm's office line, not personal data
        "headcount": ("职工人数", "number"),
        "member_count": ("会员人数", "number"),
        "union_status": ("建会状态", "text"),
    },
)
OFFICE_FIELDS = _infos(
    "office",
    {
        "name": ("工会名称", "text"),
        "operator": ("当前经办人", "text"),
        "phone": ("本工会联系电话", "text"),  # the office's line, not personal data
        "address": ("本工会地址", "text"),
    },
)
DOC_FIELDS = _infos(
    "doc",
    {
        "number": ("编号", "text"),
        "date": ("打印日期", "date"),
    },
)
# What every step has besides its own fields: who completed it and when, its note, and for
# eligibility and approval steps the outcome.
STEP_META = {
    "completed": ("完成日期", "date"),
    "completed_by": ("经办人", "text"),
    "note": ("备注", "longtext"),
    "eligible": ("认定结果", "eligible"),
    "level": ("认定等级", "text"),
    "reason": ("认定理由", "longtext"),
    "finding": ("认定依据", "text"),
    "approver": ("审批人", "text"),
    "approval_role": ("审批人岗位", "text"),
    "decision": ("审批结果", "text"),
    "opinion": ("审批意见", "longtext"),
    "approved_on": ("审批日期", "date"),
    "hold": ("等待期（公示期）", "text"),
    "hold_start": ("等待期起算日期", "date"),
    "hold_end": ("等待期满日期", "date"),
    "due": ("办理时限到期日", "date"),
}
# The columns a sign-off sheet row may carry; rows are plain dicts with these keys.
ROW_FIELDS = _infos(
    "row",
    {
        "serial": ("序号", "number"),
        "name": ("姓名", "text"),
        "id_number": ("身份证号码", "id_number"),
        "phone": ("联系电话", "phone"),
        "amount_fen": ("金额", "money"),
        "kind": ("类别", "text"),
        "case_number": ("案件编号", "text"),
        "notice_name": ("公示姓名（部分遮蔽）", "text"),
        "enterprise": ("工作单位", "text"),
        "date": ("日期", "date"),
        "note": ("备注", "text"),
    },
)

FIXED_FIELDS = {
    **CASE_FIELDS, **PERSON_FIELDS, **ENTERPRISE_FIELDS, **OFFICE_FIELDS, **DOC_FIELDS,
}  # fmt: skip
NAMESPACES = ("case", "person", "enterprise", "office", "doc", "step", "row", "member")

# How a cell may ask a value to be written; None means "by its type".
FORMATS = {
    "text": "原样",
    "date": "日期：2026年11月22日",
    "month": "年月：1985年3月",
    "money": "金额数字：12,000.00",
    "money_yuan": "金额带单位：12,000.00 元",
    "capitals": "人民币大写：壹万贰仟元整",
    "money_both": "数字和大写：12,000.00 元（人民币大写：壹万贰仟元整）",
    "choices": "列出全部选项并勾选：■本人 □配偶",
    "yesno": "是否勾选：■是 □否",
    "eligible": "认定结果：符合 / 不符合",
    "clause": "接在表单文字中间：去掉末尾的句号等标点",
}
# What a typed text may end with that the form's own words after it would double (。。).
CLAUSE_ENDINGS = "。.；;，,、！!？? \n"
MONEY_FORMATS = {"money", "money_yuan", "capitals", "money_both"}
DATE_FORMATS = {"date", "month"}
CHECKED, UNCHECKED = "■", "□"
# A blank date on paper, for the hand to fill in.
BLANK_DATE = "年　　月　　日"


class UnknownField(ValueError):
    """A name no context provides; the message lists what is close or available."""


class FieldCatalogue:
    """Every name a form may print, with the step fields of the given procedures.

    Step ids repeat between procedures (most have an ``application`` step), so a form's step
    fields are looked up in the procedures that print it (a step's ``forms = [...]``); a form
    no procedure prints yet is checked against all of them.
    """

    def __init__(self, procedures: Iterable[Procedure] | None, form_id: str | None = None):
        self.procedures = list(procedures) if procedures is not None else None
        self.form_id = form_id
        printing = [
            p
            for p in self.procedures or ()
            if form_id is not None and any(form_id in s.form_ids for s in p.steps)
        ]
        self.printed_by = [p.id for p in printing]
        self.steps: dict[str, dict[str, FieldInfo]] = {}
        for procedure in printing or self.procedures or ():
            for step in procedure.steps:
                known = self.steps.setdefault(step.id, {})
                for key, (label, kind) in STEP_META.items():
                    name = f"step.{step.id}.{key}"
                    known.setdefault(key, FieldInfo(name, f"{step.title}：{label}", kind))
                for spec in step.fields:
                    name = f"step.{step.id}.{spec.id}"
                    known.setdefault(
                        spec.id,
                        FieldInfo(name, spec.label, spec.printed_kind, tuple(spec.choices)),
                    )

    def condition_names(self) -> set[str] | None:
        """The names a form's conditions may use: those of the procedures that print it (all
        procedures for a form none prints yet); None when there are no procedures to ask."""
        if self.procedures is None:
            return None
        printing = [p for p in self.procedures if p.id in self.printed_by] or self.procedures
        return {name for procedure in printing for name in procedure.condition_names()}

    def for_form(self, form_id: str) -> FieldCatalogue:
        """The catalogue of one form: step fields of the procedures that print it."""
        return FieldCatalogue(self.procedures, form_id)

    def info(self, name: str, allow_rows: bool = False) -> FieldInfo:
        """The field called ``name``; raises UnknownField with a message for the editor."""
        parts = name.split(".")
        namespace = parts[0]
        if namespace not in NAMESPACES or len(parts) < 2:
            raise UnknownField(
                f"字段“{name}”的写法不对，应以 {'、'.join(n + '.' for n in NAMESPACES)} 开头，"
                "如 person.name、case.number、step.application.reason"
            )
        if namespace == "row":
            if not allow_rows:
                raise UnknownField(f"字段“{name}”只能用在签领表的表格列（[[table.columns]]）中")
            return _fixed(name, ROW_FIELDS, "row")
        if namespace == "member":
            return _fixed(name, MEMBER_FIELDS, "member")
        if namespace != "step":
            return _fixed(name, FIXED_FIELDS, namespace)
        if len(parts) != 3:
            raise UnknownField(
                f"步骤字段“{name}”应写成 step.步骤编号.字段编号，如 step.application.reason"
            )
        _, step_id, field_id = parts
        if self.procedures is None:
            # No procedures to check against: accept the shape, type unknown.
            meta = STEP_META.get(field_id)
            return FieldInfo(name, meta[0] if meta else field_id, meta[1] if meta else "text")
        where = (
            f"打印本表的办理流程（{'、'.join(self.printed_by)}）" if self.printed_by else "办理流程"
        )
        fields = self.steps.get(step_id)
        if fields is None:
            raise UnknownField(
                f"字段“{name}”：{where}中没有编号为“{step_id}”的步骤"
                f"（有：{'、'.join(sorted(self.steps))}）"
            )
        found = fields.get(field_id)
        if found is None:
            own = [k for k in fields if k not in STEP_META]
            raise UnknownField(
                f"字段“{name}”：{where}中步骤“{step_id}”没有登记项“{field_id}”"
                f"（有：{'、'.join(own) or '无'}；以及 {'、'.join(STEP_META)}）"
            )
        return found


def _fixed(name: str, known: Mapping[str, FieldInfo], namespace: str) -> FieldInfo:
    found = known.get(name)
    if found is None:
        keys = [k.split(".", 1)[1] for k in known if k.startswith(namespace + ".")]
        raise UnknownField(f"没有字段“{name}”，{namespace}. 后面可以写：{'、'.join(keys)}")
    return found


def check_format(fmt: str, info: FieldInfo, has_choices: bool) -> str | None:
    """Why ``fmt`` cannot print ``info``, or None when it can."""
    if fmt not in FORMATS:
        return f"格式“{fmt}”不对，可用：{'、'.join(FORMATS)}"
    if fmt in MONEY_FORMATS and info.type not in ("money", "text"):
        return f"格式“{fmt}”只能用于金额字段，“{info.name}”是{_type_label(info.type)}"
    if fmt in DATE_FORMATS and info.type not in ("date", "text"):
        return f"格式“{fmt}”只能用于日期字段，“{info.name}”是{_type_label(info.type)}"
    if fmt == "yesno" and info.type not in ("bool", "text"):
        return f"格式 yesno 只能用于是/否字段，“{info.name}”是{_type_label(info.type)}"
    if fmt == "choices" and not (info.choices or has_choices):
        return f'“{info.name}”没有可选项，格式 choices 须同时写 choices = ["…", …]'
    return None


def _type_label(kind: str) -> str:
    return FIELD_TYPES.get(kind, {"eligible": "认定结果"}.get(kind, kind))


# --- writing values ----------------------------------------------------------------------------


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def format_value(
    value: Any,
    info: FieldInfo,
    fmt: str | None = None,
    choices: tuple[str, ...] = (),
    reveal_personal: bool = False,
) -> str:
    """How ``value`` of field ``info`` reads on paper; "" for nothing to print.

    ID numbers and personal phone numbers are masked unless ``reveal_personal``; a value that
    is already masked stays as it is.
    """
    kind = info.type
    fmt = fmt or _default_format(kind)
    options = choices or info.choices
    if fmt in ("choices", "yesno"):
        return " ".join(choice_items(value, fmt, options))
    if is_empty(value):
        return ""
    if fmt in DATE_FORMATS:
        day = as_date(value)
        if day is None:
            return str(value)
        return chinese_month(day) if fmt == "month" else chinese_date(day)
    if fmt in MONEY_FORMATS:
        if isinstance(value, bool) or not isinstance(value, int):
            return str(value)
        if fmt == "money":
            return format_fen(value)
        if fmt == "money_yuan":
            return f"{format_fen(value)} 元"
        capitals = fen_to_capitals(value) if value >= 0 else ""
        if fmt == "capitals":
            return capitals
        return f"{format_fen(value)} 元（人民币大写：{capitals}）"
    if fmt == "clause":
        return str(value).rstrip(CLAUSE_ENDINGS)
    if fmt == "eligible":
        if isinstance(value, bool):
            return "符合" if value else "不符合"
        return str(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if kind in PERSONAL_NUMBER_KINDS and not reveal_personal:
        return mask_personal(kind, str(value))
    if isinstance(value, date):
        return chinese_date(value)
    return str(value)


def choice_items(value: Any, fmt: str, options: tuple[str, ...]) -> list[str]:
    """□/■ before each option, ■ for the one chosen: ["■是", "□否"]."""
    if fmt == "yesno":
        if is_empty(value):
            return [f"{UNCHECKED}是", f"{UNCHECKED}否"]
        yes = bool(value) if isinstance(value, bool) else str(value) in ("是", "true", "1")
        return [f"{CHECKED if yes else UNCHECKED}是", f"{UNCHECKED if yes else CHECKED}否"]
    if isinstance(value, bool) and len(options) == 1:
        # A yes/no field as one box of a list (协商议题 ■劳动报酬): ticked when yes.
        return [f"{CHECKED if value else UNCHECKED}{options[0]}"]
    chosen = "" if is_empty(value) else str(value)
    if isinstance(value, bool) and len(options) == 2:
        # A yes/no field ticked by its own words: ■同意 □不同意.
        chosen = options[0] if value else options[1]
    return [f"{CHECKED if c == chosen else UNCHECKED}{c}" for c in options]


def _default_format(kind: str) -> str:
    return {
        "date": "date",
        "money": "money_yuan",
        "eligible": "eligible",
    }.get(kind, "text")

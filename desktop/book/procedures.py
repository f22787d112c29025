"""Procedures as data: the steps a case goes through, read from procedures/*.toml.

The file format is documented for county editors in resources/book/procedures/README.md.
A procedure is checked on load against the rest of the book (rules, service items) and its
conditions are parsed, so a typo is reported with its file and line before any case runs.
The source text is kept with the parsed procedure: a case stores the text it started with,
and keeps running by that version when the book changes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from desktop.book.conditions import (
    Condition,
    ExpressionError,
    days_to_opening_name,
    parse_condition,
)
from desktop.book.model import MAX_TIME_LIMIT, TIME_LIMIT_UNITS
from desktop.money import MAX_FEN
from desktop.registry import ACTIVE_HARDSHIP, HARDSHIP_REVIEW_MONTHS, HARDSHIP_STATUSES
from desktop.staff import APPROVE, HIGHER_UNION, REVIEW
from desktop.tomlsource import (
    Checker,
    SourceFile,
    any_value,
    nonempty_text,
    text_list,
    true_or_false,
)
from desktop.validation import MAX_PERSON_NAME_LENGTH

SUBJECTS = {"person": "职工", "enterprise": "企业"}
FIELD_TYPES = {
    "text": "一行文字",
    "longtext": "多行文字",
    "name": "姓名",
    "number": "整数",
    "money": "金额",
    "date": "日期",
    "choice": "选项",
    "id_number": "身份证号码",
    "phone": "电话号码",
    "bank_account": "银行账号",
    "card_number": "会员证号",
    "person": "职工",
    "bool": "是/否",
}
# How many characters typed text may hold when its field declares no max_length. The forms'
# boxes decide it: a one-line field fits the one-line cells that print such fields, and a
# multi-line field at its limit keeps each form that prints it on one sheet (the fields whose
# box is smaller declare their own max_length; tests/printing/test_text_limits.py measures
# every form). A field may declare up to the ceiling, never more: a million characters typed
# or pasted would print a 2,000-page form.
DEFAULT_TEXT_LENGTHS = {"text": 50, "longtext": 500}
MAX_TEXT_LENGTHS = {"text": 200, "longtext": 2000}
PARAM_TYPES = ("money", "number")
PERSON_ATTRIBUTES = {
    "household_size": "number",
    "income_per_head": "money",
    "hardship_status": "text",
    "gender": "text",
    "age": "number",
}
ENTERPRISE_ATTRIBUTES = {
    "headcount": "number",
    "member_count": "number",
    "union_status": "text",
}
# Where a deadline is counted from, besides the id of another step (counted from its completion).
FROM_STEP_START = "step"
FROM_CASE_START = "start"
# The money already paid (fields marked ``paid``) to the same person under the same procedure
# and kind in the calendar year the case was opened, other cases only: for yearly limits.
PAID_THIS_YEAR = "case.paid_this_year"


@dataclass(frozen=True)
class Period:
    limit: int
    unit: str
    start: str = FROM_STEP_START

    @property
    def text(self) -> str:
        return f"{self.limit} 小时" if self.unit == "小时" else f"{self.limit} 个{self.unit}"


@dataclass(frozen=True)
class Param:
    id: str
    label: str
    type: str
    value: int  # fen for money


@dataclass(frozen=True)
class Material:
    id: str
    label: str
    required: bool = True
    when: Condition | None = None


@dataclass(frozen=True)
class FieldSpec:
    id: str
    label: str
    type: str
    required: bool = False
    minimum: int | None = None  # fen for money
    maximum: int | None = None
    prefill: str = ""
    when: Condition | None = None
    help: str = ""
    choices: tuple[str, ...] = ()
    max_length: int | None = None  # as declared; length_limit is what applies
    # Money actually handed over (发放金额): summed per person and year across cases, so a
    # procedure's checks can hold aid to its yearly limits (PAID_THIS_YEAR).
    paid: bool = False
    # A date of something already done (a visit, a payment): never after the service's today.
    not_future: bool = False
    # A work phone the case publishes (the contact on a meeting notice): printed whole, as the
    # office's own phone is, not masked like a member's personal number.
    published: bool = False

    @property
    def printed_kind(self) -> str:
        """The kind a form prints this field as: a published phone is plain text."""
        return "text" if self.published else self.type

    @property
    def length_limit(self) -> int | None:
        """The most characters this field holds (None: not typed text); every check and every
        editor asks this."""
        if self.type == "name":
            return MAX_PERSON_NAME_LENGTH
        if self.type in DEFAULT_TEXT_LENGTHS:
            return self.max_length or DEFAULT_TEXT_LENGTHS[self.type]
        return None


@dataclass(frozen=True)
class EligibilityRule:
    when: Condition | None
    eligible: bool
    level: str
    reason: str


@dataclass(frozen=True)
class Check:
    """A combination of recorded values the rules forbid: while ``block_when`` holds, the step
    cannot be completed, and ``message`` (with {field} values filled in) says why."""

    block_when: Condition
    message: str


@dataclass(frozen=True)
class Caution:
    """A combination of recorded values that is allowed but usually a slip (a 会员大会 whose
    expected attendance is not the union's membership): while ``when`` holds, the step page and
    ``uniondesk case show`` say ``message``; the step can still be completed."""

    when: Condition
    message: str


@dataclass(frozen=True)
class HardshipFileRule:
    """What completing a step does to the worker's hardship file (困难档案): the first rule
    whose ``when`` holds sets ``status``. 建档 and 在档 keep the file under care and set its next
    yearly review ``review_months`` after the day the step is done; 脱困 and 退出 end it."""

    when: Condition | None
    status: str
    review_months: int | None = None


@dataclass(frozen=True)
class Approval:
    """Who approves: a post (工会主席, 上级工会), the role a staff member must hold to sign for
    it (审批 or 审核; desktop.staff), and the step whose decision is under review."""

    role: str
    prepared_in: str
    authority: str = APPROVE

    @property
    def external(self) -> bool:
        """Approved outside the office (the higher union): recorded from its signed page."""
        return self.role == HIGHER_UNION


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    role: str
    instructions: str
    rule_ids: tuple[str, ...] = ()
    form_ids: tuple[str, ...] = ()
    # A form printed only for some cases (the medical-aid application for 医疗救助): id → when.
    form_conditions: tuple[tuple[str, Condition], ...] = ()
    when: Condition | None = None
    deadline: Period | None = None
    hold: Period | None = None
    log: str = ""
    # Completing this step ends the service promise (the on-time rate); later steps follow up.
    ends_service: bool = False
    materials: tuple[Material, ...] = ()
    fields: tuple[FieldSpec, ...] = ()
    eligibility: tuple[EligibilityRule, ...] = ()
    approval: Approval | None = None
    checks: tuple[Check, ...] = ()
    cautions: tuple[Caution, ...] = ()
    # A case closed through this step was refused (告知不予…, 未获批准的处理): its outcome.
    refuses: bool = False
    hardship_file: tuple[HardshipFileRule, ...] = ()

    def uses(self) -> set[str]:
        """Every name this step's decision reads: its conditions, eligibility rules, checks,
        reasons and prefills. A correction of any of them elsewhere puts this step back to
        需复核 (desktop.cases.engine.correct_step)."""
        conditions = [self.when, *(c for _f, c in self.form_conditions)]
        conditions += [spec.when for spec in self.fields] + [m.when for m in self.materials]
        conditions += [rule.when for rule in self.eligibility]
        conditions += [check.block_when for check in self.checks]
        names = {name for c in conditions if c is not None for name in c.names()}
        texts = [rule.reason for rule in self.eligibility] + [c.message for c in self.checks]
        names |= {n for text in texts for n in re.findall(r"\{([^{}]+)\}", text)}
        names |= {spec.prefill for spec in self.fields if spec.prefill}
        return names

    def forms_for(self, values: Mapping[str, Any]) -> tuple[str, ...]:
        """The forms this step prints for a case with these values (undecided counts as yes)."""
        conditions = dict(self.form_conditions)
        return tuple(
            form_id
            for form_id in self.form_ids
            if form_id not in conditions or conditions[form_id].evaluate(values) is not False
        )


@dataclass(frozen=True)
class Procedure:
    id: str
    title: str
    version: str
    subject: str
    case_prefix: str
    serves: tuple[str, ...]
    summary: str
    steps: tuple[Step, ...]
    params: tuple[Param, ...] = ()
    kind_by_service_item: dict[str, str] = field(default_factory=dict, compare=False)
    repeat_guard: bool = False
    source_text: str = field(default="", compare=False, repr=False)

    @property
    def source_hash(self) -> str:
        return procedure_hash(self.source_text)

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def field(self, field_id: str) -> FieldSpec | None:
        for step in self.steps:
            for spec in step.fields:
                if spec.id == field_id:
                    return spec
        return None

    def kind_for(self, service_item_id: str) -> str:
        return self.kind_by_service_item.get(service_item_id, "")

    def condition_names(self) -> set[str]:
        """Every name a condition about a case of this procedure may use."""
        return condition_names(
            self.subject,
            [p.id for p in self.params],
            [s.id for s in self.steps if s.approval is not None],
            [(spec.id, spec.type) for s in self.steps for spec in s.fields],
        )

    def param_values(self) -> dict[str, int]:
        return {f"param.{p.id}": p.value for p in self.params}

    def date_names(self) -> set[str]:
        """Names whose values are dates (ISO text), so a reason shows them as 2026年3月1日."""
        return {s.id for step in self.steps for s in step.fields if s.type == "date"}

    def money_names(self) -> set[str]:
        """Names whose values are fen, so a reason shows them as 1,234.00 元."""
        names = {f"param.{p.id}" for p in self.params if p.type == "money"} | {PAID_THIS_YEAR}
        names |= {s.id for step in self.steps for s in step.fields if s.type == "money"}
        if self.subject == "person":
            names |= {f"person.{k}" for k, kind in PERSON_ATTRIBUTES.items() if kind == "money"}
        return names


def condition_names(
    subject: str,
    param_ids: Iterable[str],
    approval_step_ids: Iterable[str],
    fields: Iterable[tuple[str, Any]],
) -> set[str]:
    """Every name a condition of a procedure may use: the case's kind and eligibility, the
    subject's attributes, the parameters, each approval's outcome and each field (id, type),
    with the day count every date field gives."""
    names = {"kind", "eligible", "eligibility_level", PAID_THIS_YEAR}
    attributes = PERSON_ATTRIBUTES if subject == "person" else ENTERPRISE_ATTRIBUTES
    names |= {f"{subject}.{a}" for a in attributes}
    names |= {f"param.{p}" for p in param_ids}
    names |= {f"{step_id}.approved" for step_id in approval_step_ids}
    for field_id, kind in fields:
        names.add(field_id)
        if kind == "date":
            names.add(days_to_opening_name(field_id))
    return names


def procedure_hash(source_text: str) -> str:
    return hashlib.sha256(source_text.encode("utf-8")).hexdigest()


# --- reading a procedure file ------------------------------------------------------------------


def yuan_to_fen(value: Any) -> int:
    """A money amount written in 元 (int, float or text with at most 2 decimals) as fen."""
    if isinstance(value, bool):
        raise ValueError("应为金额（元）")
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation as error:
        raise ValueError(f"“{value}”不是金额，请写数字，如 750 或 1200.50") from error
    if not amount.is_finite():  # 1e999 and inf in TOML are floats: infinity
        raise ValueError(f"“{value}”不是金额，请写数字，如 750 或 1200.50")
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"金额“{value}”最多两位小数")
    if abs(fen) >= MAX_FEN:
        raise ValueError(f"金额“{value}”过大，请核对位数")
    return int(fen)


def _lower_identifier(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", value.strip()):
        raise ValueError(f"编号“{value}”只能用小写英文字母、数字和下划线，且以字母开头")
    return value.strip()


def _subject(value: Any) -> str:
    if not isinstance(value, str) or value not in SUBJECTS:
        raise ValueError(f"办理对象“{value}”只能是 person（职工）或 enterprise（企业）")
    return value


def _case_prefix(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{2}", value.strip()):
        raise ValueError(f"案件编号前缀“{value}”应为两个大写英文字母，如 BF")
    return value.strip()


def _param_type(value: Any) -> str:
    if value not in PARAM_TYPES:
        raise ValueError(f"参数类型“{value}”只能是 money（金额）或 number（整数）")
    return value


def _field_type(value: Any) -> str:
    if not isinstance(value, str) or value not in FIELD_TYPES:
        raise ValueError(f"类型“{value}”不对，可用：{'、'.join(FIELD_TYPES)}")
    return value


def _text_mapping(value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(v, str) and v.strip() for v in value.values()
    ):
        raise ValueError('应写成 { "BF-01" = "生活救助", … }')
    return {str(k): v.strip() for k, v in value.items()}


def _authority(value: Any) -> str:
    if value not in (REVIEW, APPROVE):
        raise ValueError(f"authority = “{value}”不对，只能是 {REVIEW} 或 {APPROVE}")
    return value


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"“{value}”应为整数")
    return value


# The keys of each table in a procedure file, their checkers and whether they are required.
# A key checked with any_value is checked with the rest of its table (a condition, a period).
PROCEDURE_FIELDS: dict[str, tuple[Checker, bool]] = {
    "id": (_lower_identifier, True),
    "title": (nonempty_text, True),
    "version": (nonempty_text, True),
    "subject": (_subject, True),
    "case_prefix": (_case_prefix, True),
    "serves": (text_list, True),
    "summary": (nonempty_text, True),
    "kind_by_service_item": (_text_mapping, False),
    "repeat_guard": (true_or_false, False),
}
PARAM_FIELDS: dict[str, tuple[Checker, bool]] = {
    "id": (_lower_identifier, True),
    "label": (nonempty_text, True),
    "type": (_param_type, True),
    "value": (any_value, True),
}
STEP_FIELDS: dict[str, tuple[Checker, bool]] = {
    "id": (_lower_identifier, True),
    "title": (nonempty_text, True),
    "role": (nonempty_text, True),
    "instructions": (nonempty_text, True),
    "rules": (text_list, False),
    "forms": (text_list, False),
    "form_when": (any_value, False),
    "when": (any_value, False),
    "deadline": (any_value, False),
    "hold": (any_value, False),
    "log": (nonempty_text, False),
    "ends_service": (true_or_false, False),
    "refuses": (true_or_false, False),
}
STEP_TABLES = (
    "materials", "fields", "eligibility", "approval", "checks", "warnings", "hardship_file",
)  # fmt: skip
MATERIAL_FIELDS: dict[str, tuple[Checker, bool]] = {
    "id": (_lower_identifier, True),
    "label": (nonempty_text, True),
    "required": (true_or_false, False),
    "when": (any_value, False),
}
FIELD_SPEC_FIELDS: dict[str, tuple[Checker, bool]] = {
    "id": (_lower_identifier, True),
    "label": (nonempty_text, True),
    "type": (_field_type, True),
    "required": (true_or_false, False),
    "min": (any_value, False),
    "max": (any_value, False),
    "prefill": (nonempty_text, False),
    "not_future": (true_or_false, False),
    "when": (any_value, False),
    "help": (nonempty_text, False),
    "choices": (text_list, False),
    "max_length": (_integer, False),
    "paid": (true_or_false, False),
    "published": (true_or_false, False),
}
ELIGIBILITY_FIELDS: dict[str, tuple[Checker, bool]] = {
    "when": (any_value, False),
    "eligible": (true_or_false, True),
    "level": (nonempty_text, False),
    "reason": (nonempty_text, True),
}
APPROVAL_FIELDS: dict[str, tuple[Checker, bool]] = {
    "role": (nonempty_text, True),
    "prepared_in": (_lower_identifier, True),
    "authority": (_authority, False),
}
HARDSHIP_FILE_FIELDS: dict[str, tuple[Checker, bool]] = {
    "when": (any_value, False),
    "status": (nonempty_text, True),
    "review_months": (_integer, False),
}
# The longest a hardship file may go between reviews (五年).
MAX_REVIEW_MONTHS = 60
CHECK_FIELDS: dict[str, tuple[Checker, bool]] = {
    "block_when": (any_value, True),
    "message": (nonempty_text, True),
}
CAUTION_FIELDS: dict[str, tuple[Checker, bool]] = {
    "when": (any_value, True),
    "message": (nonempty_text, True),
}


class ProcedureReader:
    """Checks one procedure file; problems go to the file reader with their lines.

    ``known_rules`` and ``known_service_items`` are None when re-reading a stored version whose
    references may since have left the book; those checks are then skipped.
    """

    def __init__(
        self,
        reader: SourceFile,
        known_rules: set[str] | None = None,
        known_service_items: set[str] | None = None,
    ):
        self.reader = reader
        self.known_rules = known_rules
        self.known_service_items = known_service_items

    def read(self) -> Procedure | None:
        reader = self.reader
        if reader.data is None:
            return None
        header = reader.table(
            reader.data,
            PROCEDURE_FIELDS,
            reader.source.top(),
            what="流程",
            ignore=("params", "steps"),
        )
        params = self._params()
        raw_steps = reader.array("steps")
        if not raw_steps:
            reader.problem(1, "流程没有任何步骤，请至少写一个 [[steps]]")
        if header is None:
            return None
        names = self._condition_names(header["subject"], params, raw_steps)
        step_ids = [s.get("id") for s in raw_steps if isinstance(s, dict)]
        seen_fields: set[str] = set()
        steps = [
            _StepReader(reader, index, raw, names, step_ids, self.known_rules, raw_steps).read(
                seen_fields
            )
            for index, raw in enumerate(raw_steps)
        ]
        read_steps = [step for step in steps if step is not None]
        # Every check runs, so the editor sees all problems at once.
        checks = [
            len(read_steps) == len(steps),
            self._served_items_exist(header["serves"]),
            self._kinds_are_for_served_items(header),
            self._at_most_one_eligibility_step(read_steps),
        ]
        if not all(checks) or params is None:
            return None
        return Procedure(
            id=header["id"],
            title=header["title"],
            version=header["version"],
            subject=header["subject"],
            case_prefix=header["case_prefix"],
            serves=header["serves"],
            summary=header["summary"],
            steps=tuple(read_steps),
            params=tuple(params),
            kind_by_service_item=header.get("kind_by_service_item", {}),
            repeat_guard=header.get("repeat_guard", False),
            source_text=reader.text,
        )

    def _condition_names(
        self, subject: str, params: list[Param] | None, raw_steps: list[Any]
    ) -> set[str]:
        """Every name a condition in this procedure may use (see condition_names)."""
        steps = [s for s in raw_steps if isinstance(s, dict)]
        approving = [s["id"] for s in steps if "approval" in s and isinstance(s.get("id"), str)]
        fields = [
            (f["id"], f.get("type"))
            for s in steps
            for f in (s.get("fields") or [])
            if isinstance(f, dict) and isinstance(f.get("id"), str)
        ]
        return condition_names(subject, [p.id for p in params or ()], approving, fields)

    def _params(self) -> list[Param] | None:
        reader = self.reader
        params: list[Param] = []
        ok = True
        for index, raw in enumerate(reader.array("params")):
            where = reader.source.at("params", index)
            fields = reader.table(raw, PARAM_FIELDS, where, what=f"第 {index + 1} 个参数")
            if fields is None:
                ok = False
                continue
            try:
                value = (
                    yuan_to_fen(fields["value"])
                    if fields["type"] == "money"
                    else _integer(fields["value"])
                )
            except ValueError as error:
                reader.problem(where.key("value"), f"参数 {fields['id']} 的值有误：{error}")
                ok = False
                continue
            if any(p.id == fields["id"] for p in params):
                reader.problem(where.key("id"), f"参数编号 {fields['id']} 重复")
                ok = False
                continue
            params.append(Param(fields["id"], fields["label"], fields["type"], value))
        return params if ok else None

    def _served_items_exist(self, serves: tuple[str, ...]) -> bool:
        if self.known_service_items is None:
            return True
        unknown = [s for s in serves if s not in self.known_service_items]
        if unknown:
            line = self.reader.source.top().key("serves")
            self.reader.problem(line, f"服务项目不存在：{'、'.join(unknown)}")
        return not unknown

    def _kinds_are_for_served_items(self, header: dict[str, Any]) -> bool:
        kinds = header.get("kind_by_service_item", {})
        strays = [s for s in kinds if s not in header["serves"]]
        if strays:
            self.reader.problem(
                self.reader.source.top().key("kind_by_service_item"),
                f"kind_by_service_item 中的 {'、'.join(strays)} 不在本流程的 serves 中",
            )
        return not strays

    def _at_most_one_eligibility_step(self, steps: list[Step]) -> bool:
        if sum(1 for s in steps if s.eligibility) > 1:
            self.reader.problem(1, "一个流程最多一个步骤写资格认定（[[steps.eligibility]]）")
            return False
        return True


class _StepReader:
    """One [[steps]] entry of a procedure file and the tables under it.

    Every part is read and checked even after a problem, so all of them are reported; a step
    with any problem gives no Step.
    """

    def __init__(
        self,
        reader: SourceFile,
        index: int,
        raw: Any,
        names: set[str],
        step_ids: list[Any],
        known_rules: set[str] | None,
        raw_steps: Sequence[Any] = (),
    ):
        self.reader = reader
        self.index = index
        self.raw = raw
        self.names = names
        self.step_ids = step_ids
        self.known_rules = known_rules
        # The date fields of the steps before this one: a deadline may count from one of them.
        self.earlier_dates = {
            f.get("id")
            for s in raw_steps[:index]
            if isinstance(s, dict)
            for f in (s.get("fields") or [])
            if isinstance(f, dict) and f.get("type") == "date"
        }
        self.where = reader.source.at("steps", index)
        self.what = f"第 {index + 1} 个步骤"
        self.failures = 0

    def fail(self, line: int, message: str) -> None:
        self.reader.problem(line, message)
        self.failures += 1

    def read(self, seen_fields: set[str]) -> Step | None:
        fields = self.reader.table(
            self.raw, STEP_FIELDS, self.where, what=self.what, ignore=STEP_TABLES
        )
        if fields is None:
            return None
        self.what = f"步骤“{fields['title']}”"
        self._check_id_is_unique(fields["id"])
        rule_ids = self._rules(fields.get("rules", ()))
        when = self.condition(fields["when"], self.where.key("when")) if "when" in fields else None
        form_conditions = self._form_conditions(fields)
        deadline = self._period(fields, "deadline")
        hold = self._period(fields, "hold")
        materials = self._materials()
        specs = self._fields(seen_fields)
        eligibility = self._eligibility()
        approval = self._approval()
        checks = self._checks()
        cautions = self._cautions()
        hardship_file = self._hardship_file()
        if self.failures:
            return None
        return Step(
            id=fields["id"],
            title=fields["title"],
            role=fields["role"],
            instructions=fields["instructions"],
            rule_ids=rule_ids,
            form_ids=tuple(fields.get("forms", ())),
            form_conditions=form_conditions,
            when=when,
            deadline=deadline,
            hold=hold,
            log=fields.get("log", ""),
            ends_service=fields.get("ends_service", False),
            refuses=fields.get("refuses", False),
            materials=materials,
            fields=specs,
            eligibility=eligibility,
            approval=approval,
            checks=checks,
            cautions=cautions,
            hardship_file=hardship_file,
        )

    def condition(self, text: Any, line: int, what: str = "") -> Condition | None:
        """``text`` parsed as a condition using only names this procedure has."""
        what = what or self.what
        if not isinstance(text, str):
            self.fail(line, f"{what}的条件应为文字，用引号括起来")
            return None
        shown = text if len(text) <= 80 else f"{text[:80]}…"  # a runaway line stays readable
        try:
            condition = parse_condition(text)
        except ExpressionError as error:
            self.fail(line, f"{what}的条件“{shown}”写错了：{error}")
            return None
        unknown = sorted(condition.names() - self.names)
        if unknown:
            self.fail(
                line,
                f"{what}的条件“{shown}”用到了不认识的名称：{'、'.join(unknown)}。"
                "可用：字段编号、日期字段编号.days_to_opening、kind、eligible、eligibility_level、"
                "步骤编号.approved、person.属性 / enterprise.属性、param.参数编号",
            )
            return None
        return condition

    def _check_id_is_unique(self, step_id: str) -> None:
        ids = self.step_ids
        if ids.count(step_id) > 1 and ids.index(step_id) != self.index:
            self.fail(self.where.key("id"), f"步骤编号 {step_id} 重复，同一流程内须唯一")

    def _rules(self, rule_ids: tuple[str, ...]) -> tuple[str, ...]:
        if self.known_rules is not None:
            missing = [r for r in rule_ids if r not in self.known_rules]
            if missing:
                self.fail(
                    self.where.key("rules"),
                    f"{self.what}引用的制度条款不存在：{'、'.join(missing)}",
                )
        return tuple(rule_ids)

    def _form_conditions(self, fields: dict[str, Any]) -> tuple[tuple[str, Condition], ...]:
        """``form_when = { form_id = "condition" }``: forms this step prints only for some
        cases."""
        line = self.where.key("form_when")
        raw = fields.get("form_when", {})
        if not isinstance(raw, dict):
            self.fail(
                line,
                f'{self.what}的 form_when 应写成 {{ 表单编号 = "条件" }}，例如 '
                "{ medical_aid_application = \"kind == '医疗救助'\" }",
            )
            return ()
        conditions = []
        for form_id, text in raw.items():
            if form_id not in fields.get("forms", ()):
                self.fail(line, f"{self.what}的 form_when 提到的表单 {form_id} 不在本步的 forms 中")
                continue
            condition = self.condition(text, line, f"{self.what}的表单 {form_id}")
            if condition is not None:
                conditions.append((form_id, condition))
        return tuple(conditions)

    def _period(self, fields: dict[str, Any], key: str) -> Period | None:
        """The step's ``deadline`` (办理时限) or ``hold`` (等待期), None when it has none."""
        if key not in fields:
            return None
        raw, line, what = fields[key], self.where.key(key), self.what
        label = "办理时限" if key == "deadline" else "等待期"
        allowed = {"limit", "unit", "from"}
        if not isinstance(raw, dict) or not {"limit", "unit"} <= set(raw) or set(raw) - allowed:
            example = '{ limit = 5, unit = "工作日", from = "step" }'
            self.fail(line, f"{what}的{label}应写成 {key} = {example}")
            return None
        limit, unit, start = raw["limit"], raw["unit"], raw.get("from", FROM_STEP_START)
        if key == "hold":
            # A wait counts from the step's start, or from a date recorded in the step (the day
            # the notice went up), whichever is later: it cannot be shortened by backdating.
            date_fields = [
                f.get("id") for f in self.raw.get("fields", []) if isinstance(f, dict)
                and f.get("type") == "date"
            ]  # fmt: skip
            if start != FROM_STEP_START and start not in date_fields:
                self.fail(
                    line,
                    f"{what}的等待期 from = “{start}”不对：应为 step（本步开始）"
                    "或本步中一个日期登记项的编号（从登记的日期起算）",
                )
                return None
        if (
            isinstance(limit, bool)
            or not isinstance(limit, int)
            or not 0 <= limit <= MAX_TIME_LIMIT
        ):
            self.fail(line, f"{what}的{label} limit 应为 0 到 {MAX_TIME_LIMIT} 之间的整数")
            return None
        if unit not in TIME_LIMIT_UNITS:
            self.fail(line, f"{what}的{label}单位“{unit}”只能是 {'、'.join(TIME_LIMIT_UNITS)}")
            return None
        earlier_steps = self.step_ids[: self.index]
        if (
            key == "deadline"
            and start not in (FROM_STEP_START, FROM_CASE_START)
            and start not in earlier_steps
            and start not in self.earlier_dates
        ):
            self.fail(
                line,
                f"{what}的{label} from = “{start}”不对：应为 step（本步开始）、start（案件受理）、"
                "本步之前某一步的编号（该步完成时起算）或本步之前的一个日期登记项的编号"
                "（从登记的日期起算）",
            )
            return None
        if key == "deadline" and start in earlier_steps and start in self.earlier_dates:
            self.fail(line, f"{what}的{label} from = “{start}”既是步骤编号又是登记项编号，请改名")
            return None
        return Period(limit, unit, start)

    def _materials(self) -> tuple[Material, ...]:
        materials = []
        for index, raw in enumerate(self.reader.array("materials", self.raw, self.where)):
            where = self.reader.source.at_nested("steps", self.index, "materials", index)
            what = f"{self.what}的第 {index + 1} 项材料"
            m = self.reader.table(raw, MATERIAL_FIELDS, where, what=what)
            if m is None:
                self.failures += 1
                continue
            when = self.condition(m["when"], where.key("when"), what) if "when" in m else None
            materials.append(Material(m["id"], m["label"], m.get("required", True), when))
        return tuple(materials)

    def _fields(self, seen: set[str]) -> tuple[FieldSpec, ...]:
        specs = []
        for index, raw in enumerate(self.reader.array("fields", self.raw, self.where)):
            spec = self._field(index, raw, seen)
            if spec is not None:
                specs.append(spec)
        return tuple(specs)

    def _field(self, index: int, raw: Any, seen: set[str]) -> FieldSpec | None:
        """One 登记项; ``seen`` holds the field ids of the procedure's earlier steps."""
        where = self.reader.source.at_nested("steps", self.index, "fields", index)
        f = self.reader.table(
            raw, FIELD_SPEC_FIELDS, where, what=f"{self.what}的第 {index + 1} 个登记项"
        )
        if f is None:
            self.failures += 1
            return None
        failures_before = self.failures
        what = f"登记项“{f['label']}”"
        if f["id"] in seen:
            self.fail(where.key("id"), f"{what}的编号 {f['id']} 在本流程中重复")
        seen.add(f["id"])
        if f["type"] == "choice" and not f.get("choices"):
            self.fail(where.entry(), f'{what}是选项类型，须写 choices = ["…", "…"]')
        if f.get("choices") and f["type"] != "choice":
            self.fail(where.key("choices"), f"{what}不是选项类型（choice），不要写 choices")
        bounds: dict[str, int | None] = {"min": None, "max": None}
        for key in ("min", "max"):
            if key not in f:
                continue
            if f["type"] not in ("number", "money"):
                self.fail(where.key(key), f"{what}只有整数和金额类型可以写 {key}")
                continue
            try:
                bounds[key] = yuan_to_fen(f[key]) if f["type"] == "money" else _integer(f[key])
            except ValueError as error:
                self.fail(where.key(key), f"{what}的 {key} 有误：{error}")
        max_length = f.get("max_length")
        if max_length is not None:
            ceiling = MAX_TEXT_LENGTHS.get(f["type"])
            if ceiling is None:
                kinds = "、".join(f"{FIELD_TYPES[k]}（{k}）" for k in MAX_TEXT_LENGTHS)
                self.fail(where.key("max_length"), f"{what}只有{kinds}可以写 max_length")
            elif not 1 <= max_length <= ceiling:
                self.fail(
                    where.key("max_length"),
                    f"{what}的 max_length 应在 1 到 {ceiling} 之间（{FIELD_TYPES[f['type']]}最多"
                    f" {ceiling} 个字），现在是 {max_length}",
                )
        if f.get("not_future") and f["type"] != "date":
            self.fail(where.key("not_future"), f"{what}不是日期类型（date），不要写 not_future")
        prefill = f.get("prefill", "")
        if prefill and prefill not in self.names:
            self.fail(
                where.key("prefill"),
                f"{what}的 prefill “{prefill}”不是可用的档案属性，也不是前面步骤的登记项",
            )
        if f.get("paid") and f["type"] != "money":
            self.fail(where.key("paid"), f"{what}不是金额类型（money），不能写 paid = true")
        if f.get("published") and f["type"] != "phone":
            self.fail(
                where.key("published"),
                f"{what}不是电话类型（phone），不能写 published = true"
                "（只有对外公布的联系电话完整打印）",
            )
        when = self.condition(f["when"], where.key("when"), what) if "when" in f else None
        if self.failures > failures_before:
            return None
        return FieldSpec(
            id=f["id"],
            label=f["label"],
            type=f["type"],
            required=f.get("required", False),
            minimum=bounds["min"],
            maximum=bounds["max"],
            prefill=prefill,
            when=when,
            help=f.get("help", ""),
            choices=tuple(f.get("choices", ())),
            max_length=max_length,
            paid=f.get("paid", False),
            not_future=f.get("not_future", False),
            published=f.get("published", False),
        )

    def _eligibility(self) -> tuple[EligibilityRule, ...]:
        """资格认定: rules tried in order; the last, without ``when``, is the conclusion when
        none of the others holds."""
        raw_rules = self.reader.array("eligibility", self.raw, self.where)
        rules = []
        for index, raw in enumerate(raw_rules):
            where = self.reader.source.at_nested("steps", self.index, "eligibility", index)
            what = f"{self.what}的第 {index + 1} 条认定规则"
            e = self.reader.table(raw, ELIGIBILITY_FIELDS, where, what=what)
            if e is None:
                self.failures += 1
                continue
            last = index == len(raw_rules) - 1
            when = None
            if "when" in e:
                when = self.condition(e["when"], where.key("when"), what)
                if last:
                    self.fail(
                        where.key("when"),
                        f"{what}是最后一条，不要写 when：它给出“以上都不成立时”的结论",
                    )
            elif not last:
                self.fail(where.entry(), f"{what}缺少 when；只有最后一条可以不写")
            unknown = sorted(set(re.findall(r"\{([^{}]+)\}", e["reason"])) - self.names)
            if unknown:
                self.fail(
                    where.key("reason"),
                    f"{what}的理由中 {{{'}、{'.join(unknown)}}} 不是字段或参数编号",
                )
            rules.append(EligibilityRule(when, e["eligible"], e.get("level", ""), e["reason"]))
        return tuple(rules)

    def _checks(self) -> tuple[Check, ...]:
        """Combinations of entries the rules forbid: while ``block_when`` holds, the step cannot
        be completed and ``message`` says what to correct."""
        found = self._conditions_with_messages("checks", CHECK_FIELDS, "block_when", "校验")
        return tuple(Check(condition, message) for condition, message in found)

    def _cautions(self) -> tuple[Caution, ...]:
        """``[[steps.warnings]]``: combinations that are allowed but usually a slip; while
        ``when`` holds, the step says ``message`` and can still be completed."""
        found = self._conditions_with_messages("warnings", CAUTION_FIELDS, "when", "提醒")
        return tuple(Caution(condition, message) for condition, message in found)

    def _conditions_with_messages(
        self, key: str, fields: dict[str, tuple[Checker, bool]], condition_key: str, noun: str
    ) -> list[tuple[Condition, str]]:
        """The step's ``[[steps.<key>]]`` tables, each a condition and a message that may name
        fields and parameters in braces; what cannot be read is reported and left out."""
        found = []
        for index, raw in enumerate(self.reader.array(key, self.raw, self.where)):
            where = self.reader.source.at_nested("steps", self.index, key, index)
            what = f"{self.what}的第 {index + 1} 条{noun}"
            table = self.reader.table(raw, fields, where, what=what)
            if table is None:
                self.failures += 1
                continue
            condition = self.condition(table[condition_key], where.key(condition_key), what)
            unknown = sorted(set(re.findall(r"\{([^{}]+)\}", table["message"])) - self.names)
            if unknown:
                self.fail(
                    where.key("message"),
                    f"{what}的说明中 {{{'}、{'.join(unknown)}}} 不是字段或参数编号",
                )
            if condition is not None:
                found.append((condition, table["message"]))
        return found

    def _hardship_file(self) -> tuple[HardshipFileRule, ...]:
        """困难档案: what completing this step does to the worker's hardship file, the first rule
        whose ``when`` holds; none holding leaves the file as it is."""
        rules = []
        statuses = [status for status in HARDSHIP_STATUSES if status]
        for index, raw in enumerate(self.reader.array("hardship_file", self.raw, self.where)):
            where = self.reader.source.at_nested("steps", self.index, "hardship_file", index)
            what = f"{self.what}的第 {index + 1} 条困难档案规则"
            h = self.reader.table(raw, HARDSHIP_FILE_FIELDS, where, what=what)
            if h is None:
                self.failures += 1
                continue
            if "person.hardship_status" not in self.names:
                self.fail(where.entry(), f"{what}：只有办理对象是职工（person）的流程才有困难档案")
                continue
            status = h["status"]
            if status not in statuses:
                self.fail(
                    where.key("status"),
                    f"{what}的 status “{status}”不对，只能是 {'、'.join(statuses)}",
                )
                continue
            months = h.get("review_months")
            if status in ACTIVE_HARDSHIP:
                months = HARDSHIP_REVIEW_MONTHS if months is None else months
                if not 1 <= months <= MAX_REVIEW_MONTHS:
                    self.fail(
                        where.key("review_months"),
                        f"{what}的 review_months 应在 1 到 {MAX_REVIEW_MONTHS} 之间（几个月后"
                        f"年度复核），现在是 {months}",
                    )
                    continue
            elif months is not None:
                self.fail(
                    where.key("review_months"),
                    f"{what}：{status}后档案不再复核，不要写 review_months",
                )
                continue
            when = self.condition(h["when"], where.key("when"), what) if "when" in h else None
            if "when" in h and when is None:
                continue
            rules.append(HardshipFileRule(when, status, months))
        return tuple(rules)

    def _approval(self) -> Approval | None:
        if "approval" not in self.raw:
            return None
        where = self.reader.source.at_nested("steps", self.index, "approval", 0)
        a = self.reader.table(
            self.raw["approval"], APPROVAL_FIELDS, where, what=f"{self.what}的审批"
        )
        if a is None:
            self.failures += 1
            return None
        if a["prepared_in"] not in self.step_ids[: self.index + 1]:
            self.fail(
                where.key("prepared_in"),
                f"{self.what}的审批 prepared_in = “{a['prepared_in']}”应为本步或之前某一步的编号",
            )
            return None
        return Approval(a["role"], a["prepared_in"], a.get("authority") or APPROVE)

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
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from desktop.book.conditions import (
    Condition,
    ExpressionError,
    days_to_opening_name,
    parse_condition,
)
from desktop.book.model import TIME_LIMIT_UNITS

SUBJECTS = {"person": "职工", "enterprise": "企业"}
FIELD_TYPES = {
    "text": "一行文字",
    "longtext": "多行文字",
    "number": "整数",
    "money": "金额",
    "date": "日期",
    "choice": "选项",
    "id_number": "身份证号码",
    "phone": "电话号码",
    "person": "职工",
    "bool": "是/否",
}
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
class Approval:
    role: str
    prepared_in: str


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

    def param_values(self) -> dict[str, int]:
        return {f"param.{p.id}": p.value for p in self.params}

    def date_names(self) -> set[str]:
        """Names whose values are dates (ISO text), so a reason shows them as 2026年3月1日."""
        return {s.id for step in self.steps for s in step.fields if s.type == "date"}

    def money_names(self) -> set[str]:
        """Names whose values are fen, so a reason shows them as 1,234.00 元."""
        names = {f"param.{p.id}" for p in self.params if p.type == "money"}
        names |= {s.id for step in self.steps for s in step.fields if s.type == "money"}
        if self.subject == "person":
            names |= {f"person.{k}" for k, kind in PERSON_ATTRIBUTES.items() if kind == "money"}
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
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"金额“{value}”最多两位小数")
    return int(fen)


class ProcedureReader:
    """Checks one procedure file; problems go to the file reader with their lines.

    ``known_rules`` and ``known_service_items`` are None when re-reading a stored version whose
    references may since have left the book; those checks are then skipped.
    """

    def __init__(
        self,
        reader: Any,
        known_rules: set[str] | None = None,
        known_service_items: set[str] | None = None,
    ):
        self.reader = reader
        self.known_rules = known_rules
        self.known_service_items = known_service_items

    def problem(self, line: int, message: str) -> None:
        self.reader.problem(line, message)

    def read(self) -> Procedure | None:
        from desktop.book import loader  # the checkers live there; no import cycle at load

        reader = self.reader
        if reader.data is None:
            return None
        top = reader.lines.top()
        header = reader.table(
            reader.data,
            {
                "id": (_lower_identifier, True),
                "title": (loader._text, True),
                "version": (loader._text, True),
                "subject": (_subject, True),
                "case_prefix": (_case_prefix, True),
                "serves": (loader._tags, True),
                "summary": (loader._text, True),
                "kind_by_service_item": (_text_mapping, False),
                "repeat_guard": (loader._flag, False),
            },
            top,
            what="流程",
            ignore=("params", "steps"),
        )
        params = self._params()
        raw_steps = reader.array("steps")
        if not raw_steps:
            reader.problem(1, "流程没有任何步骤，请至少写一个 [[steps]]")
        if header is None:
            return None
        step_ids = [s.get("id") for s in raw_steps if isinstance(s, dict)]
        approval_steps = [s.get("id") for s in raw_steps if isinstance(s, dict) and "approval" in s]
        names = self._base_names(header["subject"], params)
        names |= {f"{step_id}.approved" for step_id in approval_steps if isinstance(step_id, str)}
        raw_fields = [
            f
            for s in raw_steps
            if isinstance(s, dict)
            for f in (s.get("fields") or [])
            if isinstance(f, dict) and isinstance(f.get("id"), str)
        ]
        names |= {f["id"] for f in raw_fields}
        # Every date field gives the days from its date to the day the case was opened.
        names |= {days_to_opening_name(f["id"]) for f in raw_fields if f.get("type") == "date"}
        steps: list[Step] = []
        seen_fields: set[str] = set()
        broken = False
        for index, raw in enumerate(raw_steps):
            step = self._step(index, raw, names, step_ids, seen_fields)
            if step is None:
                broken = True
            else:
                steps.append(step)
        if self.known_service_items is not None:
            unknown = [s for s in header["serves"] if s not in self.known_service_items]
            if unknown:
                reader.problem(top.key("serves"), f"服务项目不存在：{'、'.join(unknown)}")
                broken = True
        kinds = header.get("kind_by_service_item", {})
        strays = [s for s in kinds if s not in header["serves"]]
        if strays:
            reader.problem(
                top.key("kind_by_service_item"),
                f"kind_by_service_item 中的 {'、'.join(strays)} 不在本流程的 serves 中",
            )
            broken = True
        if sum(1 for s in steps if s.eligibility) > 1:
            reader.problem(1, "一个流程最多一个步骤写资格认定（[[steps.eligibility]]）")
            broken = True
        if broken or params is None:
            return None
        return Procedure(
            id=header["id"],
            title=header["title"],
            version=header["version"],
            subject=header["subject"],
            case_prefix=header["case_prefix"],
            serves=header["serves"],
            summary=header["summary"],
            steps=tuple(steps),
            params=tuple(params),
            kind_by_service_item=kinds,
            repeat_guard=header.get("repeat_guard", False),
            source_text=reader.text,
        )

    def _base_names(self, subject: str, params: list[Param] | None) -> set[str]:
        names = {"kind", "eligible", "eligibility_level"}
        attributes = PERSON_ATTRIBUTES if subject == "person" else ENTERPRISE_ATTRIBUTES
        names |= {f"{subject}.{a}" for a in attributes}
        names |= {f"param.{p.id}" for p in params or ()}
        return names

    def _params(self) -> list[Param] | None:
        reader = self.reader
        from desktop.book import loader

        params: list[Param] = []
        ok = True
        for index, raw in enumerate(reader.array("params")):
            where = reader.lines.at("params", index)
            fields = reader.table(
                raw,
                {
                    "id": (_lower_identifier, True),
                    "label": (loader._text, True),
                    "type": (_param_type, True),
                    "value": (lambda v: v, True),
                },
                where,
                what=f"第 {index + 1} 个参数",
            )
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

    def _condition(self, text: Any, line: int, names: set[str], what: str) -> Condition | None:
        if not isinstance(text, str):
            self.problem(line, f"{what}的条件应为文字，用引号括起来")
            return None
        try:
            condition = parse_condition(text)
        except ExpressionError as error:
            self.problem(line, f"{what}的条件“{text}”写错了：{error}")
            return None
        unknown = sorted(condition.names() - names)
        if unknown:
            self.problem(
                line,
                f"{what}的条件“{text}”用到了不认识的名称：{'、'.join(unknown)}。"
                "可用：字段编号、日期字段编号.days_to_opening、kind、eligible、eligibility_level、"
                "步骤编号.approved、person.属性 / enterprise.属性、param.参数编号",
            )
            return None
        return condition

    def _step(
        self,
        index: int,
        raw: Any,
        names: set[str],
        step_ids: list[Any],
        seen_fields: set[str],
    ) -> Step | None:
        from desktop.book import loader

        reader = self.reader
        what = f"第 {index + 1} 个步骤"
        where = reader.lines.at("steps", index)
        fields = reader.table(
            raw,
            {
                "id": (_lower_identifier, True),
                "title": (loader._text, True),
                "role": (loader._text, True),
                "instructions": (loader._text, True),
                "rules": (loader._tags, False),
                "forms": (loader._tags, False),
                "form_when": (lambda v: v, False),
                "when": (lambda v: v, False),
                "deadline": (lambda v: v, False),
                "hold": (lambda v: v, False),
                "log": (loader._text, False),
                "ends_service": (loader._flag, False),
            },
            where,
            what=what,
            ignore=("materials", "fields", "eligibility", "approval", "checks"),
        )
        if fields is None:
            return None
        what = f"步骤“{fields['title']}”"
        ok = True
        step_id = fields["id"]
        if step_ids.count(step_id) > 1 and step_ids.index(step_id) != index:
            self.problem(where.key("id"), f"步骤编号 {step_id} 重复，同一流程内须唯一")
            ok = False
        rule_ids = fields.get("rules", ())
        if self.known_rules is not None:
            missing = [r for r in rule_ids if r not in self.known_rules]
            if missing:
                missing_text = "、".join(missing)
                self.problem(where.key("rules"), f"{what}引用的制度条款不存在：{missing_text}")
                ok = False
        when = None
        if "when" in fields:
            when = self._condition(fields["when"], where.key("when"), names, what)
            ok = ok and when is not None
        form_conditions = []
        raw_form_when = fields.get("form_when", {})
        if not isinstance(raw_form_when, dict):
            self.problem(
                where.key("form_when"),
                f'{what}的 form_when 应写成 {{ 表单编号 = "条件" }}，例如 '
                "{ medical_aid_application = \"kind == '医疗救助'\" }",
            )
            ok = False
            raw_form_when = {}
        for form_id, text in raw_form_when.items():
            if form_id not in fields.get("forms", ()):
                self.problem(
                    where.key("form_when"),
                    f"{what}的 form_when 提到的表单 {form_id} 不在本步的 forms 中",
                )
                ok = False
                continue
            condition = self._condition(
                text, where.key("form_when"), names, f"{what}的表单 {form_id}"
            )
            ok = ok and condition is not None
            if condition is not None:
                form_conditions.append((form_id, condition))
        deadline = hold = None
        for key in ("deadline", "hold"):
            if key in fields:
                date_fields = [
                    f.get("id") for f in raw.get("fields", []) if isinstance(f, dict)
                    and f.get("type") == "date"
                ]  # fmt: skip
                period = self._period(
                    fields[key], where.key(key), what, key, step_ids, index, date_fields
                )
                ok = ok and period is not None
                if key == "deadline":
                    deadline = period
                else:
                    hold = period

        materials = []
        for m_index, raw_material in enumerate(reader.array("materials", raw, where)):
            m_where = reader.lines.at_nested("steps", index, "materials", m_index)
            m_what = f"{what}的第 {m_index + 1} 项材料"
            m = reader.table(
                raw_material,
                {
                    "id": (_lower_identifier, True),
                    "label": (loader._text, True),
                    "required": (loader._flag, False),
                    "when": (lambda v: v, False),
                },
                m_where,
                what=m_what,
            )
            if m is None:
                ok = False
                continue
            m_when = None
            if "when" in m:
                m_when = self._condition(m["when"], m_where.key("when"), names, m_what)
                ok = ok and m_when is not None
            materials.append(Material(m["id"], m["label"], m.get("required", True), m_when))

        specs = []
        for f_index, raw_field in enumerate(reader.array("fields", raw, where)):
            spec = self._field(index, f_index, raw_field, what, names, seen_fields)
            if spec is None:
                ok = False
            else:
                specs.append(spec)

        rules = []
        raw_rules = reader.array("eligibility", raw, where)
        for e_index, raw_rule in enumerate(raw_rules):
            e_where = reader.lines.at_nested("steps", index, "eligibility", e_index)
            e_what = f"{what}的第 {e_index + 1} 条认定规则"
            e = reader.table(
                raw_rule,
                {
                    "when": (lambda v: v, False),
                    "eligible": (loader._flag, True),
                    "level": (loader._text, False),
                    "reason": (loader._text, True),
                },
                e_where,
                what=e_what,
            )
            if e is None:
                ok = False
                continue
            last = e_index == len(raw_rules) - 1
            e_when = None
            if "when" in e:
                e_when = self._condition(e["when"], e_where.key("when"), names, e_what)
                ok = ok and e_when is not None
                if last:
                    self.problem(
                        e_where.key("when"),
                        f"{e_what}是最后一条，不要写 when：它给出“以上都不成立时”的结论",
                    )
                    ok = False
            elif not last:
                self.problem(e_where.entry(), f"{e_what}缺少 when；只有最后一条可以不写")
                ok = False
            unknown = sorted(set(re.findall(r"\{([^{}]+)\}", e["reason"])) - names)
            if unknown:
                self.problem(
                    e_where.key("reason"),
                    f"{e_what}的理由中 {{{'}、{'.join(unknown)}}} 不是字段或参数编号",
                )
                ok = False
            rules.append(EligibilityRule(e_when, e["eligible"], e.get("level", ""), e["reason"]))

        checks = []
        for c_index, raw_check in enumerate(reader.array("checks", raw, where)):
            c_where = reader.lines.at_nested("steps", index, "checks", c_index)
            c_what = f"{what}的第 {c_index + 1} 条校验"
            c = reader.table(
                raw_check,
                {"block_when": (lambda v: v, True), "message": (loader._text, True)},
                c_where,
                what=c_what,
            )
            if c is None:
                ok = False
                continue
            block_when = self._condition(c["block_when"], c_where.key("block_when"), names, c_what)
            unknown = sorted(set(re.findall(r"\{([^{}]+)\}", c["message"])) - names)
            if unknown:
                self.problem(
                    c_where.key("message"),
                    f"{c_what}的说明中 {{{'}、{'.join(unknown)}}} 不是字段或参数编号",
                )
                ok = False
            if block_when is None:
                ok = False
            else:
                checks.append(Check(block_when, c["message"]))

        approval = None
        if "approval" in raw:
            a_where = reader.lines.at_nested("steps", index, "approval", 0)
            a = reader.table(
                raw["approval"],
                {"role": (loader._text, True), "prepared_in": (_lower_identifier, True)},
                a_where,
                what=f"{what}的审批",
            )
            if a is None:
                ok = False
            elif a["prepared_in"] not in step_ids[: index + 1]:
                self.problem(
                    a_where.key("prepared_in"),
                    f"{what}的审批 prepared_in = “{a['prepared_in']}”应为本步或之前某一步的编号",
                )
                ok = False
            else:
                approval = Approval(a["role"], a["prepared_in"])
        if not ok:
            return None
        return Step(
            id=step_id,
            title=fields["title"],
            role=fields["role"],
            instructions=fields["instructions"],
            rule_ids=tuple(rule_ids),
            form_ids=tuple(fields.get("forms", ())),
            form_conditions=tuple(form_conditions),
            when=when,
            deadline=deadline,
            hold=hold,
            log=fields.get("log", ""),
            ends_service=fields.get("ends_service", False),
            materials=tuple(materials),
            fields=tuple(specs),
            eligibility=tuple(rules),
            approval=approval,
            checks=tuple(checks),
        )

    def _period(
        self,
        raw: Any,
        line: int,
        what: str,
        key: str,
        step_ids: list[Any],
        index: int,
        date_fields: list[Any] = (),
    ) -> Period | None:
        label = "办理时限" if key == "deadline" else "等待期"
        allowed = {"limit", "unit", "from"}
        if not isinstance(raw, dict) or not {"limit", "unit"} <= set(raw) or set(raw) - allowed:
            example = '{ limit = 5, unit = "工作日", from = "step" }'
            self.problem(line, f"{what}的{label}应写成 {key} = {example}")
            return None
        if key == "hold":
            # A wait counts from the step's start, or from a date recorded in the step (the day
            # the notice went up), whichever is later: it cannot be shortened by backdating.
            start = raw.get("from", FROM_STEP_START)
            if start != FROM_STEP_START and start not in date_fields:
                self.problem(
                    line,
                    f"{what}的等待期 from = “{start}”不对：应为 step（本步开始）"
                    "或本步中一个日期登记项的编号（从登记的日期起算）",
                )
                return None
        limit, unit, start = raw["limit"], raw["unit"], raw.get("from", FROM_STEP_START)
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            self.problem(line, f"{what}的{label} limit 应为不小于 0 的整数")
            return None
        if unit not in TIME_LIMIT_UNITS:
            self.problem(line, f"{what}的{label}单位“{unit}”只能是 {'、'.join(TIME_LIMIT_UNITS)}")
            return None
        if key == "hold":
            pass
        elif start not in (FROM_STEP_START, FROM_CASE_START) and start not in step_ids[:index]:
            self.problem(
                line,
                f"{what}的{label} from = “{start}”不对：应为 step（本步开始）、start（案件受理）"
                "或本步之前某一步的编号（该步完成时起算）",
            )
            return None
        return Period(limit, unit, start)

    def _field(
        self,
        step_index: int,
        index: int,
        raw: Any,
        step_what: str,
        names: set[str],
        seen: set[str],
    ) -> FieldSpec | None:
        from desktop.book import loader

        reader = self.reader
        where = reader.lines.at_nested("steps", step_index, "fields", index)
        what = f"{step_what}的第 {index + 1} 个登记项"
        f = reader.table(
            raw,
            {
                "id": (_lower_identifier, True),
                "label": (loader._text, True),
                "type": (_field_type, True),
                "required": (loader._flag, False),
                "min": (lambda v: v, False),
                "max": (lambda v: v, False),
                "prefill": (loader._text, False),
                "when": (lambda v: v, False),
                "help": (loader._text, False),
                "choices": (loader._tags, False),
            },
            where,
            what=what,
        )
        if f is None:
            return None
        what = f"登记项“{f['label']}”"
        ok = True
        if f["id"] in seen:
            self.problem(where.key("id"), f"{what}的编号 {f['id']} 在本流程中重复")
            ok = False
        seen.add(f["id"])
        if f["type"] == "choice" and not f.get("choices"):
            self.problem(where.entry(), f'{what}是选项类型，须写 choices = ["…", "…"]')
            ok = False
        if f.get("choices") and f["type"] != "choice":
            self.problem(where.key("choices"), f"{what}不是选项类型（choice），不要写 choices")
            ok = False
        bounds: dict[str, int | None] = {"min": None, "max": None}
        for key in ("min", "max"):
            if key not in f:
                continue
            if f["type"] not in ("number", "money"):
                self.problem(where.key(key), f"{what}只有整数和金额类型可以写 {key}")
                ok = False
                continue
            try:
                bounds[key] = yuan_to_fen(f[key]) if f["type"] == "money" else _integer(f[key])
            except ValueError as error:
                self.problem(where.key(key), f"{what}的 {key} 有误：{error}")
                ok = False
        prefill = f.get("prefill", "")
        if prefill and prefill not in names:
            self.problem(where.key("prefill"), f"{what}的 prefill “{prefill}”不是可用的档案属性")
            ok = False
        when = None
        if "when" in f:
            when = self._condition(f["when"], where.key("when"), names, what)
            ok = ok and when is not None
        if not ok:
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
        )


def _lower_identifier(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", value.strip()):
        raise ValueError(f"编号“{value}”只能用小写英文字母、数字和下划线，且以字母开头")
    return value.strip()


def _subject(value: Any) -> str:
    if value not in SUBJECTS:
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
    if value not in FIELD_TYPES:
        raise ValueError(f"类型“{value}”不对，可用：{'、'.join(FIELD_TYPES)}")
    return value


def _text_mapping(value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(v, str) and v.strip() for v in value.values()
    ):
        raise ValueError('应写成 { "BF-01" = "生活救助", … }')
    return {str(k): v.strip() for k, v in value.items()}


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"“{value}”应为整数")
    return value

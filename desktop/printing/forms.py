"""Form layouts as data: forms/*.toml read, checked and turned into plain objects.

Each file describes one official form: the page, the title, a grid of rows whose cells are
labels, values bound to named fields, text boxes and signature/seal boxes, and for sign-off
sheets a table of columns repeated over as many pages as the rows need. The format is written
up for the county union in forms/README.md.

Every problem in every file is collected and reported together (FormError), each with the file,
the line and the key path (``rows[4].cells[3].field``, counted from 1) so the person editing the
file can find it. Field names are checked against what a print context can provide, including
the step fields of the procedures, so a typo never reaches paper.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.book.conditions import Condition, ExpressionError, parse_condition
from desktop.book.procedures import Procedure
from desktop.identity import PERSONAL_NUMBER_KINDS
from desktop.printing.fields import (
    FORMATS,
    FieldCatalogue,
    FieldInfo,
    UnknownField,
    check_format,
)
from desktop.tomlsource import (
    TomlSource,
    TomlSyntaxError,
    TomlTooComplex,
    UnreadableFile,
    listed_problems,
    parse,
    read_text,
)

SHEET, SIGNOFF = "sheet", "signoff"
KINDS = {SHEET: "一般表格", SIGNOFF: "签领表（多行，可跨页）"}
# Page sizes in mm, portrait.
PAGE_SIZES = {
    "A4": (210.0, 297.0),
    "A3": (297.0, 420.0),
    "A5": (148.0, 210.0),
    "B5": (176.0, 250.0),
}
ORIENTATIONS = {"portrait": "纵向", "landscape": "横向"}
ALIGNS = {"left": "靠左", "center": "居中", "right": "靠右"}
LABEL_FILLS = {"grey": "浅灰底", "none": "无底色"}
TABLE_ROWS = {"cases": "每件案件一行", "handwritten": "空白行，手写"}

MIN_SIGN_COLUMN_MM = 35.0
MIN_SIGNOFF_ROW_MM = 10.0
DEFAULT_ROW_MM = 9.0


# --- the model ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Placeholder:
    """``{person.name}`` in a text, or ``{a|b:format}``: the first of a, b that has a value."""

    infos: tuple[FieldInfo, ...]
    format: str | None = None


@dataclass(frozen=True)
class TextRef:
    """``{texts.clerk_opinion}`` in a text: the form's text block of that name, the first of
    its alternatives whose condition the case meets."""

    name: str


@dataclass(frozen=True)
class Template:
    parts: tuple[str | Placeholder | TextRef, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.parts

    @property
    def infos(self) -> list[FieldInfo]:
        return [i for p in self.parts if isinstance(p, Placeholder) for i in p.infos]

    @property
    def text_refs(self) -> list[str]:
        return [p.name for p in self.parts if isinstance(p, TextRef)]


@dataclass(frozen=True)
class Conditional:
    """When something is printed: ``when`` must hold and ``unless`` must not. A condition
    that cannot be decided yet (a blank form, a decision not taken) does not hold, so a
    ``when`` text waits for its facts and an ``unless`` text prints until they are known."""

    when: Condition | None = None
    unless: Condition | None = None

    def shows(self, values: Any) -> bool:
        if self.when is not None and not self.when.holds(values):
            return False
        return self.unless is None or not self.unless.holds(values)


ALWAYS = Conditional()


@dataclass(frozen=True)
class TextChoice:
    """One alternative of a text block (``[[texts.名称]]``)."""

    text: Template
    where: str
    condition: Conditional = ALWAYS

    @property
    def names(self) -> list[str]:
        return [i.name for i in self.infos]


@dataclass(frozen=True)
class Cell:
    """One cell of a grid row. ``kind`` is label, value, box, sign, text or blank."""

    kind: str
    where: str
    span: int = 1
    label: str = ""
    fields: tuple[FieldInfo, ...] = ()
    text: Template = Template()
    format: str | None = None
    choices: tuple[str, ...] = ()
    align: str | None = None
    size: float | None = None
    bold: bool = False
    fill: bool | None = None
    sign: str = ""
    seal: bool = False
    date: tuple[FieldInfo, ...] = ()
    # Whether the cell's content prints for this case; its ruling and signature line always do.
    condition: Conditional = ALWAYS


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    where: str
    height: float = DEFAULT_ROW_MM  # minimum, mm
    columns: tuple[float, ...] = ()  # widths in mm, scaled to the page (the form's or its own)
    repeat: int = 1
    border: bool = True
    # "family": printed once for each household member (member.* fields), at least ``repeat``
    # times (blank rows to write in); as many as the family has, over pages as they need.
    each: str = ""
    # A row kept tall for handwriting that may shrink down to this many mm (never below its text)
    # when that keeps the form a page shorter: a filled form then does not end on a page holding
    # only its last row.
    shrink_to: float | None = None
    # Whether the row is printed at all for this case: a signature block of one party only
    # where that party signs (an employer that never answered signs nothing).
    condition: Conditional = ALWAYS


@dataclass(frozen=True)
class Column:
    """A column of a sign-off table."""

    title: str
    width: float  # mm after scaling
    where: str
    value: FieldInfo | None = None
    format: str | None = None
    align: str = "center"
    sign: bool = False
    sum: bool = False
    # Instead of one value: a text filled from each row, e.g. "{texts.receiver}".
    text: Template | None = None


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: str = "cases"
    row_height: float = MIN_SIGNOFF_ROW_MM
    header_height: float = MIN_SIGNOFF_ROW_MM
    blank_rows: int = 0  # 0: as many as fill one page
    # A sign-in sheet filled from a case has at least a row for each person expected: the
    # number is the first of these fields with a value (应到人数 as each procedure records it).
    min_rows: tuple[FieldInfo, ...] = ()

    @property
    def sum_column(self) -> int | None:
        return next((i for i, c in enumerate(self.columns) if c.sum), None)

    def expected_rows(self, values: Mapping[str, Any]) -> int | None:
        """How many rows the case in ``values`` needs at least (``min_rows``), or None when
        the form asks for none or the case has not recorded the number yet."""
        for info in self.min_rows:
            value = values.get(info.name)
            if isinstance(value, int) and not isinstance(value, bool):
                return value
        return None


@dataclass(frozen=True)
class PageSpec:
    size: str = "A4"
    orientation: str = "portrait"
    top: float = 20.0
    bottom: float = 18.0
    left: float = 20.0
    right: float = 20.0
    font_size: float = 10.5  # 五号

    @property
    def width(self) -> float:
        w, h = PAGE_SIZES[self.size]
        return h if self.orientation == "landscape" else w

    @property
    def height(self) -> float:
        w, h = PAGE_SIZES[self.size]
        return w if self.orientation == "landscape" else h

    @property
    def content_width(self) -> float:
        return self.width - self.left - self.right


@dataclass(frozen=True)
class Form:
    id: str
    title: str
    kind: str
    path: Path
    page: PageSpec
    subtitle: str = ""
    heading_left: Template = Template()
    heading_right: Template = Template()
    rows: tuple[Row, ...] = ()
    table: Table | None = None
    rows_after: tuple[Row, ...] = ()
    notes: tuple[Template, ...] = ()
    footer: Template = Template()
    label_fill: bool = True
    # Text blocks by name: alternatives, the first whose condition the case meets is printed.
    texts: dict[str, tuple[TextChoice, ...]] = field(default_factory=dict)
    # A sign-off sheet over cases is numbered as a batch: FF-2026-003 for the prefix FF.
    batch_prefix: str = ""

    def fields(self) -> list[FieldInfo]:
        """Every field the form prints, in the order they appear, each once."""
        infos: list[FieldInfo] = []
        for template in (self.heading_left, self.heading_right, self.footer, *self.notes):
            infos += template.infos
        for choices in self.texts.values():
            for choice in choices:
                infos += choice.text.infos
        for row in (*self.rows, *self.rows_after):
            for cell in row.cells:
                infos += [*cell.fields, *cell.date, *cell.text.infos]
        if self.table is not None:
            infos += [c.value for c in self.table.columns if c.value is not None]
            infos += [i for c in self.table.columns if c.text is not None for i in c.text.infos]
        first: dict[str, FieldInfo] = {}
        for info in infos:
            first.setdefault(info.name, info)
        return list(first.values())

    def field_names(self) -> list[str]:
        """Every field the form prints, for checks and for the clerk's preview."""
        return [info.name for info in self.fields()]

    def personal_fields(self) -> tuple[str, ...]:
        """The labels of the personal numbers (ID numbers, phones) the form prints: masked
        unless the clerk asks for them whole; a form without any has nothing to reveal."""
        labels = [i.label for i in self.fields() if i.type in PERSONAL_NUMBER_KINDS]
        return tuple(dict.fromkeys(labels))


# --- problems ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormProblem:
    file: str
    line: int
    key: str
    message: str

    def __str__(self) -> str:
        where = self.file + (f" 第 {self.line} 行" if self.line else "")
        key = f"，{self.key}" if self.key else ""
        return f"{where}{key}：{self.message}"


class FormError(Exception):
    """Form files cannot be used as they are; ``problems`` says where and why."""

    def __init__(self, problems: list[FormProblem]):
        self.problems = problems
        lines = "\n".join(f"  · {p}" for p in listed_problems(problems))
        super().__init__(f"表单版式文件有 {len(problems)} 处错误，请改正后再打印：\n{lines}")


def _key_path(path: tuple[Any, ...]) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        else:
            text += ("." if text else "") + part
    return text


# --- reading one file --------------------------------------------------------------------------

TOP_KEYS = {
    "id": "表单编号",
    "title": "标题",
    "subtitle": "副标题",
    "kind": "类型",
    "columns": "列宽",
    "footer": "页脚",
    "notes": "说明",
    "page": "页面",
    "heading": "标题下一行",
    "style": "样式",
    "rows": "表格行",
    "table": "签领表格",
    "rows_after": "签领表格之后的行",
    "texts": "按案件选用的文字",
    "batch_prefix": "签领表批次号的字头",
}
PAGE_KEYS = {"size", "orientation", "margins", "font_size"}
MARGIN_KEYS = ("top", "bottom", "left", "right")
ROW_KEYS = {"cells", "height", "shrink_to", "columns", "repeat", "border", "each", "when", "unless"}
ROW_EACH = {"family": "每位家庭成员一行（member.…）"}
CELL_KEYS = {
    "label", "field", "text", "format", "choices", "span", "align", "size", "bold", "fill",
    "sign", "seal", "date", "when", "unless",
}  # fmt: skip
TEXT_KEYS = {"text", "when", "unless"}
_BATCH_PREFIX = re.compile(r"[A-Z]{2,3}")
TEXT_REF = "texts."
_TEXT_NAME = re.compile(r"[a-z][a-z0-9_]*")
TABLE_KEYS = {"columns", "rows", "row_height", "header_height", "blank_rows", "min_rows"}
COLUMN_KEYS = {"title", "width", "value", "text", "format", "align", "sign", "sum"}

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


class _FormReader:
    def __init__(self, path: Path, catalogue: FieldCatalogue, problems: list[FormProblem]):
        self.path = path
        self.catalogue = catalogue
        self.problems = problems
        self.display = f"forms/{path.name}" if path.parent.name == "forms" else str(path)
        self.source = TomlSource("")
        self.ok = True
        self.text_names: set[str] = set()
        self.signoff = False

    def problem(self, path: tuple[Any, ...], message: str, value: Any = None) -> None:
        self.ok = False
        self.problems.append(
            FormProblem(self.display, self.source.line_of(path, value), _key_path(path), message)
        )

    # --- small checks

    def _text(self, raw: Any, path: tuple, required: bool = False) -> str:
        if raw is None:
            if required:
                self.problem(path[:-1] or path, f"缺少“{path[-1]}”（{TOP_KEYS.get(path[-1], '')}）")
            return ""
        if not isinstance(raw, str):
            self.problem(path, "应为文字，用英文双引号括起来")
            return ""
        return raw.strip()

    def _number(self, raw: Any, path: tuple, low: float, high: float, default: float) -> float:
        if raw is None:
            return default
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            self.problem(path, f"应为数字（{low:g}–{high:g}），现在是“{raw}”")
            return default
        if not low <= raw <= high:
            self.problem(path, f"应在 {low:g} 到 {high:g} 之间，现在是 {raw:g}")
            return default
        return float(raw)

    def _integer(self, raw: Any, path: tuple, low: int, high: int, default: int) -> int:
        if raw is None:
            return default
        if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
            self.problem(path, f"应为 {low} 到 {high} 之间的整数，现在是“{raw}”")
            return default
        return raw

    def _flag(self, raw: Any, path: tuple, default: bool) -> bool:
        if raw is None:
            return default
        if not isinstance(raw, bool):
            self.problem(path, f"应为 true（是）或 false（否），现在是“{raw}”")
            return default
        return raw

    def _choice(self, raw: Any, path: tuple, allowed: dict[str, str], default: str) -> str:
        if raw is None:
            return default
        if not isinstance(raw, str) or raw not in allowed:
            options = "、".join(f"{k}（{v}）" for k, v in allowed.items())
            self.problem(path, f"“{raw}”不对，只能是 {options}", raw)
            return default
        return raw

    def _unknown_keys(self, table: dict, allowed: Iterable[str], path: tuple) -> None:
        for key in table:
            if key not in allowed:
                self.problem(
                    (*path, key), f"不认识的设置“{key}”，可用：{'、'.join(sorted(allowed))}"
                )

    def _field(self, raw: Any, path: tuple, allow_rows: bool = False) -> FieldInfo | None:
        if not isinstance(raw, str) or not raw.strip():
            self.problem(path, '字段应写成文字，如 "person.name"')
            return None
        try:
            return self.catalogue.info(raw.strip(), allow_rows=allow_rows)
        except UnknownField as error:
            self.problem(path, str(error), raw)
            return None

    def _fields(self, raw: Any, path: tuple) -> tuple[FieldInfo, ...]:
        """One field name, or a list of names of which the first with a value is printed."""
        if raw is None:
            return ()
        names = raw if isinstance(raw, list) else [raw]
        if not names:
            self.problem(path, "字段列表是空的")
        infos = []
        for index, name in enumerate(names):
            info = self._field(name, (*path, index) if isinstance(raw, list) else path)
            if info is not None:
                infos.append(info)
        return tuple(infos)

    def template(
        self, raw: Any, path: tuple, in_text_block: bool = False, allow_rows: bool = False
    ) -> Template:
        """A text with ``{fields}`` and ``{texts.名称}`` in it; ``row.*`` fields only where a
        sign-off sheet's row fills it (``allow_rows``)."""
        if not isinstance(raw, str):
            self._text(raw, path)
            raw = ""
        # Leading full-width spaces are a paragraph's indent (　　经研究……): keep them.
        text = raw.strip(" \t\r\n")
        parts: list[str | Placeholder | TextRef] = []
        position = 0
        for match in _PLACEHOLDER.finditer(text):
            if match.start() > position:
                parts.append(text[position : match.start()])
            position = match.end()
            inner = match.group(1).strip()
            if inner.startswith(TEXT_REF):
                ref = self._text_ref(inner, path, text, in_text_block)
                if ref is not None:
                    parts.append(ref)
                continue
            names, _, fmt = inner.partition(":")
            infos = []
            for name in names.split("|"):
                try:
                    infos.append(self.catalogue.info(name.strip(), allow_rows=allow_rows))
                except UnknownField as error:
                    self.problem(path, f"文字中的 {{{inner}}}：{error}", text)
            fmt = fmt.strip() or None
            if fmt is not None and infos:
                reason = check_format(fmt, infos[0], has_choices=False)
                if reason:
                    self.problem(path, f"文字中的 {{{inner}}}：{reason}", text)
                    fmt = None
            if infos:
                parts.append(Placeholder(tuple(infos), fmt))
        if position < len(text):
            parts.append(text[position:])
        if "{" in "".join(p for p in parts if isinstance(p, str)) or "}" in "".join(
            p for p in parts if isinstance(p, str)
        ):
            self.problem(path, "花括号 { } 不成对；字段写成 {person.name} 这样", text)
        return Template(tuple(parts))

    def _text_ref(self, inner: str, path: tuple, text: str, in_text_block: bool) -> TextRef | None:
        name = inner[len(TEXT_REF) :].strip()
        if in_text_block:
            self.problem(path, f"文字块里不能再引用文字块 {{{inner}}}，请直接写出文字", text)
            return None
        if name not in self.text_names:
            known = "、".join(sorted(self.text_names)) or "（本表没有写 [[texts.名称]]）"
            self.problem(path, f"文字中的 {{{inner}}}：没有名为“{name}”的文字块，有：{known}", text)
            return None
        return TextRef(name)

    # --- conditions: when / unless, in the procedures' condition language

    def condition(self, raw: Any, path: tuple) -> Condition | None:
        if raw is None:
            return None
        if not isinstance(raw, str) or not raw.strip():
            self.problem(path, '条件应写成文字，如 when = "approval.approved"')
            return None
        shown = raw if len(raw) <= 80 else f"{raw[:80]}…"
        try:
            condition = parse_condition(raw)
        except ExpressionError as error:
            self.problem(path, f"条件“{shown}”写错了：{error}", raw)
            return None
        known = self.catalogue.condition_names()
        unknown = sorted(condition.names() - known) if known is not None else []
        if unknown:
            where = (
                f"打印本表的办理流程（{'、'.join(self.catalogue.printed_by)}）"
                if self.catalogue.printed_by
                else "办理流程"
            )
            self.problem(
                path,
                f"条件“{shown}”用到了{where}中没有的名称：{'、'.join(unknown)}。"
                "条件的写法与办理流程的 when 相同：登记项编号、kind、eligible、eligibility_level、"
                "步骤编号.approved、person.属性、param.参数编号",
                raw,
            )
            return None
        return condition

    def conditional(self, raw: dict, path: tuple) -> Conditional:
        when = self.condition(raw.get("when"), (*path, "when"))
        unless = self.condition(raw.get("unless"), (*path, "unless"))
        if when is None and unless is None:
            return ALWAYS
        return Conditional(when, unless)

    def _texts(self, raw: Any) -> dict[str, tuple[TextChoice, ...]]:
        """``[[texts.名称]]``: text blocks, each a list of alternatives with conditions."""
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.problem(("texts",), "应写成 [[texts.名称]] 表格，每段一个，下面写 text、when")
            return {}
        texts: dict[str, tuple[TextChoice, ...]] = {}
        for name, entries in raw.items():
            key = f"texts.{name}"
            if not _TEXT_NAME.fullmatch(name):
                self.problem(
                    (key,), f"文字块名称“{name}”只能用小写英文字母、数字和下划线，以字母开头"
                )
                continue
            listed = entries if isinstance(entries, list) else [entries]
            choices = []
            for index, entry in enumerate(listed):
                path: tuple[Any, ...] = (key, index) if isinstance(entries, list) else (key,)
                if not isinstance(entry, dict):
                    self.problem(path, f"应写成 [[{key}]] 表格，下面写 text、when")
                    continue
                self._unknown_keys(entry, TEXT_KEYS, path)
                if not isinstance(entry.get("text"), str):
                    self.problem(path, '缺少 text = "……"（这一段印出的文字）')
                    continue
                # A sign-off sheet's column may use the block for each row: row.* are known.
                text = self.template(
                    entry["text"], (*path, "text"), in_text_block=True, allow_rows=self.signoff
                )
                choices.append(
                    TextChoice(
                        text=text,
                        where=_key_path(path),
                        condition=self.conditional(entry, path),
                    )
                )
            texts[name] = tuple(choices)
        return texts

    def _widths(self, raw: Any, path: tuple, content_width: float) -> tuple[float, ...]:
        if raw is None:
            return ()
        if (
            not isinstance(raw, list)
            or not raw
            or not all(
                isinstance(w, int | float) and not isinstance(w, bool) and w > 0 for w in raw
            )
        ):
            self.problem(path, "列宽应写成大于 0 的数字列表（毫米），如 [24, 30, 20, 30]")
            return ()
        total = float(sum(raw))
        return tuple(w * content_width / total for w in raw)

    # --- the file

    def read(self) -> Form | None:
        try:
            text = read_text(self.path)
        except UnreadableFile as error:
            self.problem((), str(error))
            return None
        self.source = TomlSource(text)
        # Step fields are those of the procedures that print this form (named by the file).
        self.catalogue = self.catalogue.for_form(self.path.stem)
        try:
            data = parse(text)
        except TomlSyntaxError as error:
            self.problems.append(
                FormProblem(
                    self.display,
                    error.line,
                    "",
                    f"格式错误，无法解析（{error}）。常见原因：引号不成对、等号缺失、同一设置写了两次、"
                    "一个 { } 格子写成了多行",
                )
            )
            return None
        except TomlTooComplex as error:
            self.problems.append(FormProblem(self.display, error.line, "", str(error)))
            return None
        self._unknown_keys(data, TOP_KEYS, ())
        self.signoff = data.get("kind") == SIGNOFF
        raw_texts = data.get("texts")
        self.text_names = set(raw_texts) if isinstance(raw_texts, dict) else set()
        texts = self._texts(raw_texts)
        form_id = self._text(data.get("id"), ("id",), required=True)
        if form_id and form_id != self.path.stem:
            self.problem(("id",), f"表单编号“{form_id}”应与文件名 {self.path.stem} 一致", form_id)
        title = self._text(data.get("title"), ("title",), required=True)
        kind = self._choice(data.get("kind"), ("kind",), KINDS, SHEET)
        page = self._page(data.get("page"))
        content = page.content_width
        columns = self._widths(data.get("columns"), ("columns",), content)
        heading = data.get("heading", {})
        if not isinstance(heading, dict):
            self.problem(("heading",), "应为一个表格：[heading] 下面写 left = … 和 right = …")
            heading = {}
        self._unknown_keys(heading, {"left", "right"}, ("heading",))
        style = data.get("style", {})
        if not isinstance(style, dict):
            self.problem(("style",), "应为一个表格：[style]")
            style = {}
        self._unknown_keys(style, {"label_fill"}, ("style",))
        label_fill = self._choice(
            style.get("label_fill"), ("style", "label_fill"), LABEL_FILLS, "grey"
        )
        rows = self._rows(data.get("rows"), "rows", columns, content, required=kind == SHEET)
        rows_after = self._rows(data.get("rows_after"), "rows_after", columns, content)
        table = None
        if kind == SIGNOFF:
            if "table" not in data:
                self.problem(("kind",), '签领表（kind = "signoff"）须有 [table] 表格设置')
            else:
                table = self._table(data["table"], content)
        elif "table" in data:
            self.problem(("table",), '只有签领表（kind = "signoff"）才有 [table]')
        notes_raw = data.get("notes", [])
        if not isinstance(notes_raw, list):
            self.problem(("notes",), '说明应写成文字列表，如 notes = ["……", "……"]')
            notes_raw = []
        notes = tuple(self.template(n, ("notes", i)) for i, n in enumerate(notes_raw))
        batch_prefix = self._text(data.get("batch_prefix"), ("batch_prefix",))
        if batch_prefix and not _BATCH_PREFIX.fullmatch(batch_prefix):
            self.problem(
                ("batch_prefix",),
                f"批次号字头“{batch_prefix}”应为 2 到 3 个大写英文字母，如 FF",
                batch_prefix,
            )
        elif batch_prefix and (table is None or table.rows != "cases"):
            self.problem(
                ("batch_prefix",),
                '只有每件案件一行的签领表（kind = "signoff"，[table] rows = "cases"）才编批次号',
            )
        form = Form(
            id=form_id,
            title=title,
            kind=kind,
            path=self.path,
            page=page,
            subtitle=self._text(data.get("subtitle"), ("subtitle",)),
            heading_left=self.template(heading.get("left", ""), ("heading", "left")),
            heading_right=self.template(
                heading.get("right", "编号：{doc.number}"), ("heading", "right")
            ),
            rows=rows,
            table=table,
            rows_after=rows_after,
            notes=notes,
            footer=self.template(data.get("footer", ""), ("footer",)),
            label_fill=label_fill == "grey",
            texts=texts,
            batch_prefix=batch_prefix,
        )
        return form if self.ok else None

    def _page(self, raw: Any) -> PageSpec:
        if raw is None:
            return PageSpec()
        if not isinstance(raw, dict):
            self.problem(("page",), "应为一个表格：[page]")
            return PageSpec()
        self._unknown_keys(raw, PAGE_KEYS, ("page",))
        size = self._choice(raw.get("size"), ("page", "size"), {k: k for k in PAGE_SIZES}, "A4")
        orientation = self._choice(
            raw.get("orientation"), ("page", "orientation"), ORIENTATIONS, "portrait"
        )
        margins = raw.get("margins", {})
        if not isinstance(margins, dict):
            self.problem(
                ("page", "margins"), "页边距应写成 { top = 20, bottom = 18, left = 20, right = 20 }"
            )
            margins = {}
        self._unknown_keys(margins, MARGIN_KEYS, ("page", "margins"))
        defaults = PageSpec()
        values = {
            key: self._number(
                margins.get(key), ("page", "margins", key), 5, 60, getattr(defaults, key)
            )
            for key in MARGIN_KEYS
        }
        font_size = self._number(raw.get("font_size"), ("page", "font_size"), 7, 16, 10.5)
        return PageSpec(size=size, orientation=orientation, font_size=font_size, **values)

    def _rows(
        self, raw: Any, key: str, columns: tuple[float, ...], content: float, required: bool = False
    ) -> tuple[Row, ...]:
        if raw is None:
            if required:
                self.problem((key,), "表格没有任何一行，请写 [[rows]]")
            return ()
        if not isinstance(raw, list):
            self.problem((key,), f"应写成 [[{key}]] 表格数组")
            return ()
        rows = []
        for index, table in enumerate(raw):
            path: tuple[Any, ...] = (key, index)
            if not isinstance(table, dict):
                self.problem(path, "应为一个表格")
                continue
            self._unknown_keys(table, ROW_KEYS, path)
            own = self._widths(table.get("columns"), (*path, "columns"), content)
            grid = own or columns
            if not grid:
                self.problem(path, "没有列宽：在文件开头写 columns = [...]，或在本行写 columns")
                continue
            height = self._number(table.get("height"), (*path, "height"), 4, 250, DEFAULT_ROW_MM)
            shrink_to = None
            if table.get("shrink_to") is not None:
                shrink_to = self._number(
                    table.get("shrink_to"), (*path, "shrink_to"), 4, 250, DEFAULT_ROW_MM
                )
                if shrink_to > height:
                    self.problem(
                        (*path, "shrink_to"),
                        f"可压缩到的高度 {shrink_to:g} 毫米比行高 {height:g} 毫米还大，"
                        "应写一个比 height 小的数",
                    )
                    shrink_to = None
            repeat = self._integer(table.get("repeat"), (*path, "repeat"), 1, 60, 1)
            border = self._flag(table.get("border"), (*path, "border"), True)
            each = self._choice(table.get("each"), (*path, "each"), ROW_EACH, "")
            condition = self.conditional(table, path)
            cells_raw = table.get("cells")
            if not isinstance(cells_raw, list) or not cells_raw:
                self.problem(
                    path, '缺少格子：cells = [ { label = "姓名" }, { field = "person.name" } ]'
                )
                continue
            cells = [self._cell(c, (*path, "cells", i)) for i, c in enumerate(cells_raw)]
            kept = [c for c in cells if c is not None]
            if not each and any(
                i.name.startswith("member.") for c in kept for i in (*c.fields, *c.text.infos)
            ):
                self.problem(
                    (*path, "cells"),
                    'member.… 字段只能用在每位家庭成员一行的行里：在这一行写 each = "family"',
                )
            spans = sum(c.span for c in kept)
            if len(kept) == len(cells) and spans != len(grid):
                self.problem(
                    (*path, "cells"),
                    f"各格子所占列数（span）合计 {spans}，与列数 {len(grid)} 不一致",
                )
            rows.append(
                Row(
                    cells=tuple(kept),
                    where=_key_path(path),
                    height=height,
                    columns=grid,
                    repeat=repeat,
                    border=border,
                    each=each,
                    shrink_to=shrink_to,
                    condition=condition,
                )
            )
        return tuple(rows)

    def _cell(self, raw: Any, path: tuple) -> Cell | None:
        if not isinstance(raw, dict):
            self.problem(path, '格子应写成 { label = "姓名" } 这样的花括号表格')
            return None
        self._unknown_keys(raw, CELL_KEYS, path)
        label = self._text(raw.get("label"), (*path, "label"))
        fields = self._fields(raw.get("field"), (*path, "field"))
        if "field" in raw and not fields:
            return None
        text = self.template(raw.get("text", ""), (*path, "text"))
        sign = self._text(raw.get("sign"), (*path, "sign"))
        seal = self._flag(raw.get("seal"), (*path, "seal"), False)
        if sign or seal:
            kind = "sign"
        elif label and (fields or not text.is_empty):
            kind = "box"
        elif label:
            kind = "label"
        elif fields:
            kind = "value"
        elif not text.is_empty:
            kind = "text"
        else:
            kind = "blank"
        choices_raw = raw.get("choices")
        choices: tuple[str, ...] = ()
        if choices_raw is not None:
            if not isinstance(choices_raw, list) or not all(
                isinstance(c, str) for c in choices_raw
            ):
                self.problem((*path, "choices"), '可选项应写成文字列表，如 ["是", "否"]')
            else:
                choices = tuple(choices_raw)
        fmt = raw.get("format")
        if fmt is not None:
            if not fields:
                self.problem((*path, "format"), "只有写了 field 的格子才能设格式")
                fmt = None
            elif not isinstance(fmt, str) or fmt not in FORMATS:
                self.problem((*path, "format"), f"格式“{fmt}”不对，可用：{'、'.join(FORMATS)}", fmt)
                fmt = None
            else:
                for info in fields:
                    reason = check_format(fmt, info, bool(choices))
                    if reason:
                        self.problem((*path, "format"), reason, fmt)
                        fmt = None
                        break
        date_fields = self._fields(raw.get("date"), (*path, "date"))
        if date_fields and kind != "sign":
            self.problem((*path, "date"), "date 只用于签字盖章格（写了 sign 或 seal 的格子）")
        condition = self.conditional(raw, path)
        if condition is not ALWAYS and kind == "blank":
            self.problem(
                path, "空格子没有可印的内容，when / unless 要写在有 label、field 或 text 的格子上"
            )
        return Cell(
            kind=kind,
            where=_key_path(path),
            span=self._integer(raw.get("span"), (*path, "span"), 1, 40, 1),
            label=label,
            fields=fields,
            text=text,
            format=fmt,
            choices=choices,
            align=self._choice(raw.get("align"), (*path, "align"), ALIGNS, "") or None,
            size=self._number(raw.get("size"), (*path, "size"), 6, 30, 0) or None,
            bold=self._flag(raw.get("bold"), (*path, "bold"), False),
            fill=self._flag(raw.get("fill"), (*path, "fill"), None),  # type: ignore[arg-type]
            sign=sign,
            seal=seal,
            date=date_fields,
            condition=condition,
        )

    def _table(self, raw: Any, content: float) -> Table | None:
        path: tuple[Any, ...] = ("table",)
        if not isinstance(raw, dict):
            self.problem(path, "应为一个表格：[table]")
            return None
        self._unknown_keys(raw, TABLE_KEYS, path)
        columns_raw = raw.get("columns")
        if not isinstance(columns_raw, list) or not columns_raw:
            self.problem(
                path,
                '签领表须有 columns = [ { title = "序号", width = 10, value = "row.serial" }, … ]',
            )
            return None
        widths = []
        for index, column in enumerate(columns_raw):
            width = column.get("width") if isinstance(column, dict) else None
            if isinstance(width, bool) or not isinstance(width, int | float) or width <= 0:
                self.problem(
                    (*path, "columns", index, "width"), "列宽 width 应为大于 0 的数字（毫米）"
                )
                width = 1
            widths.append(float(width))
        scale = content / sum(widths)
        columns = []
        for index, column in enumerate(columns_raw):
            col_path = (*path, "columns", index)
            if not isinstance(column, dict):
                self.problem(
                    col_path, '列应写成 { title = "姓名", width = 20, value = "row.name" }'
                )
                continue
            self._unknown_keys(column, COLUMN_KEYS, col_path)
            title = self._text(column.get("title"), (*col_path, "title"))
            if not title:
                self.problem(col_path, "缺少列标题 title")
            value = None
            if column.get("value") is not None:
                value = self._field(column["value"], (*col_path, "value"), allow_rows=True)
            text = None
            if column.get("text") is not None:
                text = self.template(column["text"], (*col_path, "text"), allow_rows=True)
                if value is not None:
                    self.problem((*col_path, "text"), "一列只能写 value 或 text 中的一个")
            sign = self._flag(column.get("sign"), (*col_path, "sign"), False)
            total = self._flag(column.get("sum"), (*col_path, "sum"), False)
            fmt = column.get("format")
            if fmt is not None and value is not None:
                reason = check_format(fmt, value, False) if isinstance(fmt, str) else "应为文字"
                if reason:
                    self.problem((*col_path, "format"), reason, fmt)
                    fmt = None
            width = widths[index] * scale
            if sign and width < MIN_SIGN_COLUMN_MM - 0.05:
                self.problem(
                    (*col_path, "width"),
                    f"签字栏按版心宽度折算后只有 {width:.1f} 毫米，"
                    f"至少要 {MIN_SIGN_COLUMN_MM:g} 毫米才写得下签名；"
                    "请加大它的 width 或减小其他列",
                )
            if total and (value is None or value.type != "money"):
                self.problem((*col_path, "sum"), "只有金额列（如 row.amount_fen）才能合计")
                total = False
            columns.append(
                Column(
                    title=title,
                    width=width,
                    where=_key_path(col_path),
                    value=value,
                    format=fmt,
                    align=self._choice(column.get("align"), (*col_path, "align"), ALIGNS, "center"),
                    sign=sign,
                    sum=total,
                    text=text,
                )
            )
        if sum(1 for c in columns if c.sum) > 1:
            self.problem((*path, "columns"), "只能有一列合计（sum = true）")
        row_height = self._number(
            raw.get("row_height"), (*path, "row_height"), 1, 60, MIN_SIGNOFF_ROW_MM
        )
        if row_height < MIN_SIGNOFF_ROW_MM:
            self.problem(
                (*path, "row_height"),
                f"签领表的行高至少 {MIN_SIGNOFF_ROW_MM:g} 毫米才便于签字，现在是 {row_height:g}",
            )
        rows = self._choice(raw.get("rows"), (*path, "rows"), TABLE_ROWS, "cases")
        min_rows = self._fields(raw.get("min_rows"), (*path, "min_rows"))
        if min_rows and rows != "handwritten":
            self.problem(
                (*path, "min_rows"),
                'min_rows 只用于手写签到的表（rows = "handwritten"）；'
                "每件案件一行的表，行数就是案件数",
            )
            min_rows = ()
        for index, info in enumerate(min_rows):
            if info.type != "number":
                where = (*path, "min_rows")
                where = (*where, index) if isinstance(raw["min_rows"], list) else where
                message = f"min_rows 要写人数这样的整数字段，“{info.label}”不是整数"
                self.problem(where, message, info.name)
                min_rows = ()
                break
        return Table(
            columns=tuple(columns),
            rows=rows,
            min_rows=min_rows,
            row_height=max(row_height, MIN_SIGNOFF_ROW_MM),
            header_height=self._number(
                raw.get("header_height"), (*path, "header_height"), 6, 40, 10
            ),
            blank_rows=self._integer(raw.get("blank_rows"), (*path, "blank_rows"), 0, 500, 0),
        )


# --- loading -----------------------------------------------------------------------------------


def read_form(path: Path, procedures: Iterable[Procedure] | None = None) -> Form:
    """One form file, checked; raises FormError listing its problems."""
    problems: list[FormProblem] = []
    form = _FormReader(Path(path), FieldCatalogue(procedures), problems).read()
    if problems or form is None:
        raise FormError(problems)
    return form


def load_forms(
    forms_dir: Path | None = None, procedures: Iterable[Procedure] | None = None
) -> dict[str, Form]:
    """Every form in ``forms_dir`` (default: the bundled forms/), by id.

    Step fields are checked against ``procedures``; when none are given, against the procedures
    of the shipped book. Raises FormError listing every problem in every file.
    """
    from desktop.paths import default_book_dir
    from desktop.paths import forms_dir as bundled_forms_dir

    directory = Path(forms_dir) if forms_dir is not None else bundled_forms_dir()
    if procedures is None:
        from desktop.book.loader import load_book

        procedures = load_book(default_book_dir()).procedures
    catalogue = FieldCatalogue(procedures)
    problems: list[FormProblem] = []
    forms: dict[str, Form] = {}
    paths = sorted(directory.glob("*.toml"))
    for path in paths:
        form = _FormReader(path, catalogue, problems).read()
        if form is not None:
            forms[form.id] = form
    if problems:
        raise FormError(problems)
    return forms


def missing_forms(forms: dict[str, Form], procedures: Iterable[Procedure]) -> list[str]:
    """Form ids the procedures print (``forms = [...]`` of a step) that have no file."""
    wanted = []
    for procedure in procedures:
        for step in procedure.steps:
            for form_id in step.form_ids:
                if form_id not in forms:
                    wanted.append(f"{procedure.id}.{step.id}：{form_id}")
    return wanted


__all__ = [
    "Cell",
    "Column",
    "Conditional",
    "Form",
    "FormError",
    "FormProblem",
    "PageSpec",
    "Placeholder",
    "Row",
    "Table",
    "Template",
    "TextChoice",
    "TextRef",
    "load_forms",
    "read_form",
]

"""Read the book from its text files and say exactly where a file is wrong.

The book is a folder a county union can edit by hand:

    book.toml                  the book's title, version, issuer and date
    items/*.toml               one work item per file, with its [[rules]]
    service_checklist.toml     [[categories]] and [[items]] of the service checklist
    procedures/*.toml          one procedure per file: the steps that serve checklist items

Every problem is reported with the file and the line, all of them at once, so the person
editing the files can fix them in one pass.
"""

from __future__ import annotations

import functools
import hashlib
import re
import sys
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from desktop.book.model import (
    RULE_STATUSES,
    STATUS_LOCAL,
    STATUS_NATIONAL,
    STATUS_UNVERIFIED,
    TIME_LIMIT_UNITS,
    Book,
    Rule,
    ServiceCategory,
    ServiceItem,
    WorkItem,
)
from desktop.book.procedures import Procedure, ProcedureReader

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


BOOK_FILE = "book.toml"
ITEMS_DIR = "items"
CHECKLIST_FILE = "service_checklist.toml"
PROCEDURES_DIR = "procedures"


@dataclass(frozen=True)
class BookProblem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.file} 第 {self.line} 行" if self.line else self.file
        return f"{where}：{self.message}"


class BookError(Exception):
    """The book's files cannot be used as they are; ``problems`` says where and why."""

    def __init__(self, problems: list[BookProblem]):
        self.problems = problems
        lines = "\n".join(f"  · {p}" for p in problems)
        super().__init__(f"制度汇编文件有 {len(problems)} 处错误，请改正后再打开：\n{lines}")


# --- field kinds ----------------------------------------------------------------------------
# Each checker returns the cleaned value, or raises ValueError with a Chinese explanation.


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("应为非空的文字，用英文双引号括起来")
    return value.strip()


def _optional_text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("应为文字，用英文双引号括起来")
    return value.strip()


def _identifier(value: Any) -> str:
    text = _text(value)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_\-]*", text):
        raise ValueError(f"编号“{text}”只能由字母、数字、- 和 _ 组成")
    return text


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"日期“{value}”无法识别，请写成 2026-01-01 这样的格式")


def _tags(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(t, str) and t.strip() for t in value):
        raise ValueError('应为文字列表，例如 ["建会", "联合工会"]')
    return tuple(t.strip() for t in value)


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("应为 true（是）或 false（否）")
    return value


def _rule_status(value: Any) -> str:
    if value not in RULE_STATUSES:
        raise ValueError(f"状态“{value}”不对，只能是 {'、'.join(RULE_STATUSES)} 之一")
    return value


def _positive_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"“{value}”应为大于 0 的整数")
    return value


def _time_unit(value: Any) -> str:
    if value not in TIME_LIMIT_UNITS:
        raise ValueError(f"时限单位“{value}”不对，只能是 {'、'.join(TIME_LIMIT_UNITS)} 之一")
    return value


Checker = Callable[[Any], Any]

BOOK_FIELDS: dict[str, tuple[Checker, bool]] = {
    "title": (_text, True),
    "version": (_text, True),
    "issuer": (_text, True),
    "effective": (_date, True),
    "note": (_optional_text, False),
}
WORK_ITEM_FIELDS: dict[str, tuple[Checker, bool]] = {
    "id": (_identifier, True),
    "title": (_text, True),
    "section": (_text, True),
    "summary": (_text, True),
}
RULE_FIELDS: dict[str, tuple[Checker, bool]] = {
    "id": (_identifier, True),
    "title": (_text, True),
    "text": (_text, True),
    "source": (_text, True),
    "effective": (_date, True),
    "tags": (_tags, False),
    "status": (_rule_status, False),  # required; checked in _rule_status_problems for a hint
    # Kept for books written before status existed; must agree with status when both are there.
    "local_default": (_flag, False),
}
CATEGORY_FIELDS: dict[str, tuple[Checker, bool]] = {
    "id": (_identifier, True),
    "name": (_text, True),
}
SERVICE_ITEM_FIELDS: dict[str, tuple[Checker, bool]] = {
    "id": (_identifier, True),
    "category": (_identifier, True),
    "name": (_text, True),
    "standard": (_text, True),
    "time_limit": (_positive_int, True),
    "time_limit_unit": (_time_unit, True),
    "responsible_role": (_text, True),
    "work_item": (_identifier, True),
    "rules": (lambda v: _tags(v), False),
    "local_default": (_flag, False),
}

# The Chinese name of each key, so a message speaks the editor's language.
FIELD_NAMES = {
    "id": "编号",
    "title": "标题",
    "version": "版本",
    "issuer": "发布单位",
    "effective": "生效日期",
    "note": "说明",
    "section": "类别",
    "summary": "概述",
    "text": "正文",
    "source": "依据",
    "tags": "标签",
    "local_default": "地方默认",
    "status": "状态",
    "name": "名称",
    "category": "所属类别",
    "standard": "服务标准",
    "time_limit": "响应时限",
    "time_limit_unit": "时限单位",
    "responsible_role": "责任岗位",
    "work_item": "对应工作事项",
    "rules": "相关制度",
    "rules_list": "制度条款",
}


class _SourceLines:
    """Finds the line of a table or of a key in a TOML text, for messages that point there."""

    def __init__(self, text: str):
        self.lines = text.splitlines()

    def _headers(self, name: str, start: int = 0, end: int | None = None) -> list[int]:
        pattern = re.compile(rf"^\s*\[\[?\s*{re.escape(name)}\s*\]\]?\s*(#.*)?$")
        stop = len(self.lines) if end is None else end
        return [i for i in range(start, stop) if pattern.match(self.lines[i])]

    def _block_end(self, start: int) -> int:
        header = re.compile(r"^\s*\[")
        return next(
            (i for i in range(start + 1, len(self.lines)) if header.match(self.lines[i])),
            len(self.lines),
        )

    def top(self) -> Location:
        return Location(self, 0, self._block_end(-1), header=None)

    def at(self, array: str, index: int) -> Location:
        headers = self._headers(array)
        if index >= len(headers):
            return Location(self, 0, 0, header=None)
        start = headers[index]
        return Location(self, start, self._block_end(start), header=start)

    def at_nested(self, parent: str, parent_index: int, child: str, child_index: int) -> Location:
        """Entry ``child_index`` of ``[[parent.child]]`` (or ``[parent.child]``) in entry
        ``parent_index`` of ``[[parent]]``."""
        parents = self._headers(parent)
        if parent_index >= len(parents):
            return Location(self, 0, 0, header=None)
        start = parents[parent_index]
        end = parents[parent_index + 1] if parent_index + 1 < len(parents) else len(self.lines)
        children = self._headers(f"{parent}.{child}", start, end)
        if child_index >= len(children):
            return Location(self, start, self._block_end(start), header=start)
        child_start = children[child_index]
        return Location(self, child_start, self._block_end(child_start), header=child_start)


@dataclass(frozen=True)
class Location:
    """A table's place in its file: its header line and the lines of its keys."""

    source: _SourceLines
    start: int
    end: int
    header: int | None

    def entry(self) -> int:
        return (self.header if self.header is not None else 0) + 1

    def key(self, key: str) -> int:
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for i in range(self.start, self.end):
            if pattern.match(self.source.lines[i]):
                return i + 1
        return self.entry()


class _FileReader:
    """Parses one file and checks its tables, collecting problems instead of stopping."""

    def __init__(
        self,
        path: Path | None,
        display_name: str,
        problems: list[BookProblem],
        text: str | None = None,
    ):
        self.display_name = display_name
        self.problems = problems
        self.data: dict[str, Any] | None = None
        self.text = ""
        if text is None:
            assert path is not None
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                self.problem(0, "文件不是 UTF-8 编码，请用记事本“另存为”UTF-8 后再试")
                return
            except OSError as error:
                self.problem(0, f"无法读取文件（{error.strerror or error}）")
                return
        self.text = text
        self.lines = _SourceLines(text)
        try:
            self.data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            match = re.search(r"line (\d+)", str(error))
            line = int(match.group(1)) if match else 0
            self.problem(
                line,
                f"格式错误，无法解析（{error}）。常见原因：引号不成对、等号缺失、同一字段写了两次",
            )

    def problem(self, line: int, message: str) -> None:
        self.problems.append(BookProblem(self.display_name, line, message))

    def table(
        self,
        table: Any,
        fields: dict[str, tuple[Checker, bool]],
        where: Location | None = None,
        what: str = "",
        ignore: Iterable[str] = (),
    ) -> dict[str, Any] | None:
        """Check one table against its fields; return the cleaned values or None if broken."""
        where = where or self.lines.top()
        if not isinstance(table, dict):
            self.problem(where.entry(), f"{what}应为一个表格")
            return None
        cleaned: dict[str, Any] = {}
        ok = True
        label = what or "本文件"
        for key, (check, required) in fields.items():
            if key not in table:
                if required:
                    ok = False
                    self.problem(
                        where.entry(), f"{label}缺少“{FIELD_NAMES.get(key, key)}”（{key} = …）"
                    )
                continue
            try:
                cleaned[key] = check(table[key])
            except ValueError as error:
                ok = False
                self.problem(
                    where.key(key), f"{label}的“{FIELD_NAMES.get(key, key)}”（{key}）有误：{error}"
                )
        allowed = set(fields) | set(ignore)
        for key in table:
            if key not in allowed:
                ok = False
                known = "、".join([*fields, *ignore])
                self.problem(
                    where.key(key),
                    f"{label}有不认识的字段“{key}”，是否写错了？可用的字段：{known}",
                )
        return cleaned if ok else None

    def array(self, key: str, container: Any = None, where: Location | None = None) -> list[Any]:
        """The list under ``key`` (of the file, or of ``container``); [] when absent."""
        source = self.data if container is None else container
        if not isinstance(source, dict):
            return []
        value = source.get(key, [])
        if not isinstance(value, list):
            line = (where or self.lines.top()).key(key)
            self.problem(line, f"“{key}”应写成 [[{key}]] 表格数组")
            return []
        return value


def book_fingerprint(directory: Path) -> str:
    """A hash of every file the book is made of, to tell whether it changed since last import."""
    digest = hashlib.sha256()
    for path in _book_files(directory):
        digest.update(path.relative_to(directory).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _book_files(directory: Path) -> list[Path]:
    files = [directory / BOOK_FILE, directory / CHECKLIST_FILE]
    files += sorted((directory / ITEMS_DIR).glob("*.toml"))
    files += sorted((directory / PROCEDURES_DIR).glob("*.toml"))
    return [f for f in files if f.is_file()]


# Books read in this process, by the fingerprint of their files: a Book is immutable, and a
# process that opens several offices (a new office after the demo, every test) reads the same
# files each time.
_READ_BOOKS: OrderedDict[str, Book] = OrderedDict()
_READ_BOOKS_KEPT = 4


def load_book(directory: Path) -> Book:
    """Load and validate the book in ``directory``; raise BookError listing every problem."""
    directory = Path(directory)
    fingerprint = book_fingerprint(directory)
    book = _READ_BOOKS.get(fingerprint)
    if book is None:
        book = _read_book(directory, fingerprint)
        _READ_BOOKS[fingerprint] = book
        while len(_READ_BOOKS) > _READ_BOOKS_KEPT:
            _READ_BOOKS.popitem(last=False)
    else:
        _READ_BOOKS.move_to_end(fingerprint)
    return book


def _read_book(directory: Path, fingerprint: str) -> Book:
    problems: list[BookProblem] = []
    for required in (BOOK_FILE, CHECKLIST_FILE):
        if not (directory / required).is_file():
            problems.append(BookProblem(required, 0, f"缺少文件，应放在 {directory} 中"))
    item_files = sorted((directory / ITEMS_DIR).glob("*.toml"))
    if not item_files:
        problems.append(BookProblem(f"{ITEMS_DIR}/", 0, "没有任何工作事项文件（*.toml）"))
    if problems:
        raise BookError(problems)

    meta_reader = _FileReader(directory / BOOK_FILE, BOOK_FILE, problems)
    meta = meta_reader.table(meta_reader.data, BOOK_FIELDS) if meta_reader.data else None

    work_items: list[WorkItem] = []
    rule_ids: dict[str, str] = {}
    work_item_files: dict[str, str] = {}
    declared = _DeclaredIds()
    for path in item_files:
        name = f"{ITEMS_DIR}/{path.name}"
        work_item = _read_work_item(path, name, problems, rule_ids, work_item_files, declared)
        if work_item is not None:
            work_items.append(work_item)

    categories, service_items = _read_checklist(directory / CHECKLIST_FILE, problems, declared)
    procedures = _read_procedures(directory, problems, declared, service_items)
    if problems or meta is None:
        raise BookError(problems)
    return Book(
        title=meta["title"],
        version=meta["version"],
        issuer=meta["issuer"],
        effective=meta["effective"],
        note=meta.get("note", ""),
        work_items=tuple(work_items),
        service_categories=tuple(categories),
        service_items=tuple(service_items),
        procedures=tuple(procedures),
        content_hash=fingerprint,
    )


@dataclass
class _DeclaredIds:
    """Ids written in the files, even in tables with errors, so one mistake is reported once.

    When a file cannot be read at all its ids are unknown, and references are not checked.
    """

    work_items: set[str] = field(default_factory=set)
    rules: set[str] = field(default_factory=set)
    service_items: set[str] = field(default_factory=set)
    complete: bool = True

    def note(self, table: Any, into: set[str]) -> None:
        if isinstance(table, dict) and isinstance(table.get("id"), str):
            into.add(table["id"].strip())


def _read_work_item(
    path: Path,
    name: str,
    problems: list[BookProblem],
    rule_ids: dict[str, str],
    work_item_files: dict[str, str],
    declared: _DeclaredIds,
) -> WorkItem | None:
    reader = _FileReader(path, name, problems)
    if reader.data is None:
        declared.complete = False
        return None
    declared.note(reader.data, declared.work_items)
    header = reader.table(reader.data, WORK_ITEM_FIELDS, what="工作事项", ignore=("rules",))
    raw_rules = reader.array("rules")
    for raw in raw_rules:
        declared.note(raw, declared.rules)
    if not raw_rules:
        reader.problem(1, "工作事项下没有任何制度条款，请至少写一条 [[rules]]")
    if header is None:
        return None
    if header["id"] in work_item_files:
        reader.problem(
            reader.lines.top().key("id"),
            f"工作事项编号 {header['id']} 与 {work_item_files[header['id']]} 重复",
        )
    work_item_files[header["id"]] = name

    rules: list[Rule] = []
    for index, raw in enumerate(raw_rules):
        where = reader.lines.at("rules", index)
        fields = reader.table(raw, RULE_FIELDS, where, what=f"第 {index + 1} 条制度")
        if fields is None:
            continue
        status_problems = _rule_status_problems(fields, where)
        for line, message in status_problems:
            reader.problem(line, f"制度 {fields['id']} {message}")
        if status_problems:
            continue
        rule_id = fields["id"]
        if rule_id in rule_ids:
            reader.problem(
                where.key("id"),
                f"制度编号 {rule_id} 与 {rule_ids[rule_id]} 中的条款重复，编号须全书唯一",
            )
            continue
        rule_ids[rule_id] = name
        rules.append(
            Rule(
                id=rule_id,
                work_item_id=header["id"],
                title=fields["title"],
                text=fields["text"],
                source=fields["source"],
                effective=fields["effective"],
                tags=fields.get("tags", ()),
                status=fields["status"],
            )
        )
    return WorkItem(
        id=header["id"],
        title=header["title"],
        section=header["section"],
        summary=header["summary"],
        rules=tuple(rules),
    )


def _rule_status_problems(fields: dict[str, Any], where: Location) -> list[tuple[int, str]]:
    """A rule says how sure the book is of it, and says it the same way everywhere."""
    choices = "、".join(f'"{s}"' for s in RULE_STATUSES)
    status = fields.get("status")
    if status is None:
        hint = f"写 status = 后接 {choices} 之一"
        if "local_default" in fields:
            old = "true" if fields["local_default"] else "false"
            new = f'"{STATUS_LOCAL}"'
            if not fields["local_default"]:
                new = f'"{STATUS_NATIONAL}"（依据未核实的写 "待核实"）'
            hint = f"原来的 local_default = {old} 请改为 status = {new}"
        return [(where.entry(), f"缺少“状态”（status = …）：{hint}")]
    problems = []
    if "local_default" in fields and fields["local_default"] != (status == STATUS_LOCAL):
        problems.append(
            (
                where.key("local_default"),
                f"的 local_default = {'true' if fields['local_default'] else 'false'}"
                f' 与 status = "{status}" 不一致；只写 status 即可，请删去 local_default',
            )
        )
    if status == STATUS_NATIONAL:
        for key, label in (("source", "依据"), ("text", "正文")):
            marked = [m for m in RULE_STATUSES if m != STATUS_NATIONAL and m in fields[key]]
            if marked:
                problems.append(
                    (
                        where.key(key),
                        f"的{label}中写着“{marked[0]}”，状态却是“{STATUS_NATIONAL}”；"
                        f'含地方默认内容的条款写 status = "{STATUS_LOCAL}"，'
                        '依据未核实的写 status = "待核实"',
                    )
                )
    elif status == STATUS_LOCAL:
        # A county default that leans on a national claim nobody has checked yet is, as a whole,
        # not yet checked: the reader must see that before relying on it.
        for key, label in (("source", "依据"), ("text", "正文")):
            if STATUS_UNVERIFIED in fields[key]:
                problems.append(
                    (
                        where.key(key),
                        f"的{label}中写着“{STATUS_UNVERIFIED}”，状态却是“{STATUS_LOCAL}”；"
                        f'有未核实依据的条款写 status = "{STATUS_UNVERIFIED}"，'
                        "核实后再改为地方默认或国家规定",
                    )
                )
                break
    return problems


def _read_checklist(
    path: Path, problems: list[BookProblem], declared: _DeclaredIds
) -> tuple[list[ServiceCategory], list[ServiceItem]]:
    reader = _FileReader(path, CHECKLIST_FILE, problems)
    if reader.data is None:
        return [], []
    reader.table(reader.data, {}, what="服务清单", ignore=("categories", "items"))
    categories: list[ServiceCategory] = []
    raw_categories = reader.array("categories")
    declared_categories: set[str] = set()
    for raw in raw_categories:
        declared.note(raw, declared_categories)
    for index, raw in enumerate(raw_categories):
        where = reader.lines.at("categories", index)
        fields = reader.table(raw, CATEGORY_FIELDS, where, f"第 {index + 1} 个类别")
        if fields is None:
            continue
        if any(c.id == fields["id"] for c in categories):
            reader.problem(where.key("id"), f"类别编号 {fields['id']} 重复")
            continue
        categories.append(ServiceCategory(id=fields["id"], name=fields["name"]))
    items: list[ServiceItem] = []
    raw_items = reader.array("items")
    for raw in raw_items:
        declared.note(raw, declared.service_items)
    for index, raw in enumerate(raw_items):
        what = f"第 {index + 1} 个服务项目"
        where = reader.lines.at("items", index)
        fields = reader.table(raw, SERVICE_ITEM_FIELDS, where, what)
        if fields is None:
            continue
        line_of = where.key
        broken = False
        if any(item.id == fields["id"] for item in items):
            reader.problem(line_of("id"), f"服务项目编号 {fields['id']} 重复")
            broken = True
        if fields["category"] not in declared_categories:
            reader.problem(
                line_of("category"),
                f"{what}的所属类别 {fields['category']} 不存在，"
                f"可用的类别：{'、'.join(sorted(declared_categories))}",
            )
            broken = True
        if declared.complete and fields["work_item"] not in declared.work_items:
            reader.problem(
                line_of("work_item"),
                f"{what}对应的工作事项 {fields['work_item']} 不存在，请检查 items/ 中的编号",
            )
            broken = True
        missing = [r for r in fields.get("rules", ()) if r not in declared.rules]
        if declared.complete and missing:
            reader.problem(line_of("rules"), f"{what}引用的制度条款不存在：{'、'.join(missing)}")
            broken = True
        if broken:
            continue
        items.append(
            ServiceItem(
                id=fields["id"],
                category_id=fields["category"],
                name=fields["name"],
                standard=fields["standard"],
                time_limit=fields["time_limit"],
                time_limit_unit=fields["time_limit_unit"],
                responsible_role=fields["responsible_role"],
                work_item_id=fields["work_item"],
                rule_ids=fields.get("rules", ()),
                local_default=fields.get("local_default", False),
            )
        )
    if not raw_categories:
        reader.problem(1, "服务清单没有任何类别（[[categories]]）")
    if not raw_items:
        reader.problem(1, "服务清单没有任何服务项目（[[items]]）")
    return categories, items


def _read_procedures(
    directory: Path,
    problems: list[BookProblem],
    declared: _DeclaredIds,
    service_items: list[ServiceItem],
) -> list[Procedure]:
    known_rules = declared.rules if declared.complete else None
    item_ids = declared.service_items | {item.id for item in service_items}
    procedures: list[Procedure] = []
    served_by: dict[str, str] = {}
    for path in sorted((directory / PROCEDURES_DIR).glob("*.toml")):
        name = f"{PROCEDURES_DIR}/{path.name}"
        reader = _FileReader(path, name, problems)
        procedure = ProcedureReader(reader, known_rules, item_ids).read()
        if procedure is None:
            continue
        clash = next((p for p in procedures if p.id == procedure.id), None)
        prefix_clash = next((p for p in procedures if p.case_prefix == procedure.case_prefix), None)
        if clash or prefix_clash:
            what = f"流程编号 {procedure.id}" if clash else f"案件编号前缀 {procedure.case_prefix}"
            reader.problem(1, f"{what}与另一个流程“{(clash or prefix_clash).title}”重复")
            continue
        for item_id in procedure.serves:
            if item_id in served_by:
                reader.problem(
                    reader.lines.top().key("serves"),
                    f"服务项目 {item_id} 已由 {served_by[item_id]} 办理，"
                    "每个服务项目只能对应一个流程",
                )
            served_by[item_id] = name
        procedures.append(procedure)
    unserved = [item.id for item in service_items if item.id not in served_by]
    if unserved and not any(p.file.startswith(PROCEDURES_DIR) for p in problems):
        problems.append(
            BookProblem(
                f"{PROCEDURES_DIR}/",
                0,
                f"服务项目 {'、'.join(unserved)} 还没有办理流程，"
                "请在某个流程文件的 serves 中写上它",
            )
        )
    return procedures


@functools.lru_cache(maxsize=64)
def read_stored_procedure(source_text: str) -> Procedure:
    """A procedure version a case started with, read back from its stored text (a Procedure is
    immutable, so every office in the process shares one reading of the same text)."""
    problems: list[BookProblem] = []
    reader = _FileReader(None, "stored procedure", problems, text=source_text)
    procedure = ProcedureReader(reader).read()
    if procedure is None:
        raise BookError(problems)
    return procedure

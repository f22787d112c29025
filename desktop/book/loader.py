"""Read the book from its text files and say exactly where a file is wrong.

The book is a folder a county union can edit by hand:

    book.toml                  the book's title, version, issuer and date
    items/*.toml               one work item per file, with its [[rules]]
    service_checklist.toml     [[categories]] and [[items]] of the service checklist
    procedures/*.toml          one procedure per file: the steps that serve checklist items
    synonyms.toml              (optional) [[words]] clerks type, and what to search for instead

Every problem is reported with the file and the line, all of them at once, so the person
editing the files can fix them in one pass.
"""

from __future__ import annotations

import functools
import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.book.model import (
    MAX_TIME_LIMIT,
    RULE_STATUSES,
    STATUS_LOCAL,
    STATUS_NATIONAL,
    STATUS_UNVERIFIED,
    TIME_LIMIT_UNITS,
    Book,
    Rule,
    ServiceCategory,
    ServiceItem,
    Synonym,
    WorkItem,
)
from desktop.book.procedures import Procedure, ProcedureReader
from desktop.book.search import contains_all, parse_query, search_key
from desktop.tomlsource import (
    Checker,
    Location,
    SourceFile,
    identifier,
    iso_date,
    listed_problems,
    nonempty_text,
    optional_text,
    positive_integer,
    text_list,
    true_or_false,
)

BOOK_FILE = "book.toml"
ITEMS_DIR = "items"
CHECKLIST_FILE = "service_checklist.toml"
PROCEDURES_DIR = "procedures"
SYNONYMS_FILE = "synonyms.toml"


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
        lines = "\n".join(f"  · {p}" for p in listed_problems(problems))
        super().__init__(f"制度汇编文件有 {len(problems)} 处错误，请改正后再打开：\n{lines}")


def time_limit(value: Any) -> int:
    limit = positive_integer(value)
    if limit > MAX_TIME_LIMIT:
        raise ValueError(f"“{value}”太大，时限最多 {MAX_TIME_LIMIT}（工作日、自然日或小时）")
    return limit


def rule_status(value: Any) -> str:
    if value not in RULE_STATUSES:
        raise ValueError(f"状态“{value}”不对，只能是 {'、'.join(RULE_STATUSES)} 之一")
    return value


def _time_unit(value: Any) -> str:
    if value not in TIME_LIMIT_UNITS:
        raise ValueError(f"时限单位“{value}”不对，只能是 {'、'.join(TIME_LIMIT_UNITS)} 之一")
    return value


BOOK_FIELDS: dict[str, tuple[Checker, bool]] = {
    "title": (nonempty_text, True),
    "version": (nonempty_text, True),
    "issuer": (nonempty_text, True),
    "effective": (iso_date, True),
    "note": (optional_text, False),
}
WORK_ITEM_FIELDS: dict[str, tuple[Checker, bool]] = {
    "id": (identifier, True),
    "title": (nonempty_text, True),
    "section": (nonempty_text, True),
    "summary": (nonempty_text, True),
}
RULE_FIELDS: dict[str, tuple[Checker, bool]] = {
    "id": (identifier, True),
    "title": (nonempty_text, True),
    "text": (nonempty_text, True),
    "source": (nonempty_text, True),
    "effective": (iso_date, True),
    "tags": (text_list, False),
    "status": (rule_status, False),  # required; checked in _rule_status_problems for a hint
    # Kept for books written before status existed; must agree with status when both are there.
    "local_default": (true_or_false, False),
}
CATEGORY_FIELDS: dict[str, tuple[Checker, bool]] = {
    "id": (identifier, True),
    "name": (nonempty_text, True),
}
SERVICE_ITEM_FIELDS: dict[str, tuple[Checker, bool]] = {
    "id": (identifier, True),
    "category": (identifier, True),
    "name": (nonempty_text, True),
    "standard": (nonempty_text, True),
    "time_limit": (time_limit, True),
    "time_limit_unit": (_time_unit, True),
    "responsible_role": (nonempty_text, True),
    "work_item": (identifier, True),
    "rules": (text_list, False),
    "local_default": (true_or_false, False),
}
SYNONYM_FIELDS: dict[str, tuple[Checker, bool]] = {
    "word": (nonempty_text, True),
    "search_for": (text_list, True),
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
    "word": "常用说法",
    "search_for": "查找的词",
}


def _open(
    path: Path | None, name: str, problems: list[BookProblem], text: str | None = None
) -> SourceFile:
    """One of the book's files (or a stored procedure's ``text``), its problems named after it."""

    def report(line: int, message: str) -> None:
        problems.append(BookProblem(name, line, message))

    if text is not None:
        return SourceFile(text, report, FIELD_NAMES)
    assert path is not None
    return SourceFile.read(path, report, FIELD_NAMES)


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
    files = [directory / BOOK_FILE, directory / CHECKLIST_FILE, directory / SYNONYMS_FILE]
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

    meta_reader = _open(directory / BOOK_FILE, BOOK_FILE, problems)
    meta = (
        meta_reader.table(meta_reader.data, BOOK_FIELDS) if meta_reader.data is not None else None
    )

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
    rules = [rule for item in work_items for rule in item.rules] if declared.complete else None
    synonyms = _read_synonyms(directory / SYNONYMS_FILE, problems, rules)
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
        synonyms=tuple(synonyms),
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
    reader = _open(path, name, problems)
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
            reader.source.top().key("id"),
            f"工作事项编号 {header['id']} 与 {work_item_files[header['id']]} 重复",
        )
    work_item_files[header["id"]] = name

    rules: list[Rule] = []
    for index, raw in enumerate(raw_rules):
        where = reader.source.at("rules", index)
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
    reader = _open(path, CHECKLIST_FILE, problems)
    if reader.data is None:
        return [], []
    reader.table(reader.data, {}, what="服务清单", ignore=("categories", "items"))
    categories: list[ServiceCategory] = []
    raw_categories = reader.array("categories")
    declared_categories: set[str] = set()
    for raw in raw_categories:
        declared.note(raw, declared_categories)
    for index, raw in enumerate(raw_categories):
        where = reader.source.at("categories", index)
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
        where = reader.source.at("items", index)
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
        reader = _open(path, name, problems)
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
                    reader.source.top().key("serves"),
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


def _read_synonyms(
    path: Path, problems: list[BookProblem], rules: list[Rule] | None
) -> list[Synonym]:
    """The synonym list, if the book has one. Each entry must find a rule, so a typo in it
    (丧藏 for 丧葬) is caught here rather than by a clerk who finds nothing; ``rules`` None
    when an item file could not be read, and this cannot be told."""
    if not path.is_file():
        return []
    reader = _open(path, SYNONYMS_FILE, problems)
    if reader.data is None:
        return []
    reader.table(reader.data, {}, what="近义词表", ignore=("words",))
    searchable = [f"{rule.title}\n{rule.text}" for rule in rules] if rules is not None else None
    synonyms: list[Synonym] = []
    word_lines: dict[str, int] = {}
    for index, raw in enumerate(reader.array("words")):
        where = reader.source.at("words", index)
        fields = reader.table(raw, SYNONYM_FIELDS, where, what=f"第 {index + 1} 个词")
        if fields is None:
            continue
        word, line = fields["word"], where.key("word")
        key = search_key(word)
        broken = False
        if not key:
            reader.problem(line, f"常用说法“{word}”里没有汉字、字母或数字")
            broken = True
        elif len(parse_query(word).terms) != 1:
            reader.problem(line, f"常用说法“{word}”只能是一个词，请去掉中间的空格")
            broken = True
        elif key in word_lines:
            reader.problem(line, f"常用说法“{word}”与第 {word_lines[key]} 行的重复，请合并成一条")
            broken = True
        else:
            word_lines[key] = line
        for entry in fields["search_for"]:
            entry_line = reader.source.line_of(("words", index, "search_for"), entry)
            query = parse_query(entry)
            if query.is_empty:
                reader.problem(entry_line, f"查找的词“{entry}”里没有汉字、字母或数字")
                broken = True
            elif searchable is not None and not any(contains_all(t, query) for t in searchable):
                together = (
                    "这几个词在同一条制度中" if len(query.terms) > 1 else "这个词在制度条款中"
                )
                reader.problem(
                    entry_line,
                    f"“{word}”的查找的词“{entry}”查不到任何制度：{together}一处也没有。"
                    "请检查是否写错，或换成条款正文里的说法",
                )
                broken = True
        if not broken:
            synonyms.append(Synonym(word=word, search_for=fields["search_for"]))
    return synonyms


@functools.lru_cache(maxsize=64)
def read_stored_procedure(source_text: str) -> Procedure:
    """A procedure version a case started with, read back from its stored text (a Procedure is
    immutable, so every office in the process shares one reading of the same text)."""
    problems: list[BookProblem] = []
    reader = _open(None, "stored procedure", problems, text=source_text)
    procedure = ProcedureReader(reader).read()
    if procedure is None:
        raise BookError(problems)
    return procedure

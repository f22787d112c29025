"""The ``uniondesk`` command: opens the window, or runs a subcommand for scripts.

Subcommands print plain Chinese by default and JSON with ``--json``. The JSON keys are a
public interface that offices script against: add keys freely, never rename or drop one.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop import APP_TITLE, __version__
from desktop.book.loader import BookError
from desktop.cases.calendar import CalendarFileError, format_office_days, parse_office_days
from desktop.cases.case_view import CaseView, view_json
from desktop.cases.records import CaseFilter
from desktop.cases.status import CASE_STATUS_LABELS
from desktop.demo import OfficeNotEmptyError, fill_demo_office
from desktop.errors import StoreError
from desktop.formatting import chinese_date
from desktop.office import Office, clean_office_name
from desktop.paths import default_data_dir
from desktop.registry import RecordError, clean_person

EXIT_OK = 0
EXIT_ERROR = 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="uniondesk",
        description=f"{APP_TITLE}（UnionDesk）。不带子命令时打开程序窗口。",
    )
    parser.add_argument("--version", action="version", version=f"UnionDesk {__version__}")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help=f"数据文件夹（默认：{default_data_dir()}）",
    )
    parser.add_argument(
        "--screenshot",
        type=Path,
        metavar="PNG",
        help="窗口显示后保存一张截图到 PNG 文件并退出（用于检查界面）",
    )
    parser.add_argument(
        "--search",
        metavar="TEXT",
        help="打开窗口后在制度汇编中搜索 TEXT 并打开第一条结果",
    )
    parser.add_argument(
        "--section",
        choices=["cases", "people", "forms", "book", "checklist"],
        help="打开窗口时显示的栏目：cases 事项办理，people 人员/单位，forms 表单打印，"
        "book 制度汇编，checklist 服务清单",
    )
    parser.add_argument(
        "--open-case",
        metavar="NUMBER",
        help="打开窗口后在事项办理中打开编号为 NUMBER 的案件，例如 BF-2026-0007",
    )
    # For benchmarks: print when the window is shown, then quit.
    parser.add_argument("--startup-probe", action="store_true", help=argparse.SUPPRESS)

    commands = parser.add_subparsers(dest="command", metavar="命令")

    book = commands.add_parser("book", help="制度汇编：统计与搜索")
    book_commands = book.add_subparsers(dest="book_command", metavar="子命令", required=True)
    stats = book_commands.add_parser("stats", help="制度汇编的统计数字")
    stats.add_argument("--json", action="store_true", help="以 JSON 输出")
    search = book_commands.add_parser("search", help="搜索制度条款（汉字、词语或拼音首字母）")
    search.add_argument("text", metavar="TEXT", help="要找的字词，例如 帮扶 或 knzg")
    search.add_argument("--limit", type=int, default=50, help="最多显示几条（默认 50）")
    search.add_argument("--json", action="store_true", help="以 JSON 输出")

    init = commands.add_parser(
        "init",
        help="建立正式使用的空白办公数据（不放演示数据），并写上单位名称",
        description="例：uniondesk init --office-name 城关镇总工会 --staff 李红梅:工会专干 "
        "--staff 王建国:工会主席",
    )
    init.add_argument("--office-name", required=True, help="单位名称，打印在表单上")
    init.add_argument(
        "--staff",
        action="append",
        default=[],
        metavar="姓名:岗位",
        help="登记工作人员，可给多个；第一个同时设为当前经办人",
    )
    init.add_argument(
        "--replace-demo",
        action="store_true",
        help="文件夹里是演示数据时，把它移到“演示数据备份-日期”子文件夹，再建立正式数据",
    )
    init.add_argument("--json", action="store_true", help="以 JSON 输出")

    demo = commands.add_parser("demo", help="在空的数据文件夹中建立演示用的办公数据")
    demo.add_argument(
        "--now",
        metavar="TIME",
        help="按这一时刻建立演示数据（如 2026-11-20T10:00；默认是现在），"
        "便于在任何日期得到同样形态的演示数据",
    )
    demo.add_argument("--json", action="store_true", help="以 JSON 输出")

    case = commands.add_parser("case", help="事项办理：案件")
    case_commands = case.add_subparsers(dest="case_command", metavar="子命令", required=True)
    case_list = case_commands.add_parser("list", help="列出案件（默认全部，按受理时间倒序）")
    case_list.add_argument(
        "--status",
        choices=["open", "closed", "terminated", "overdue", "due_today", "due_soon"],
        help="只列出某种状态：open 办理中、closed 已办结、terminated 已终止、overdue 已超期、"
        "due_today 今日到期、due_soon 3 个工作日内到期",
    )
    case_list.add_argument("--service-item", metavar="ID", help="只列出某个服务项目，如 BF-01")
    case_list.add_argument("--limit", type=int, help="最多列出几件")
    case_list.add_argument(
        "--now",
        metavar="TIME",
        help="按这一时刻计算是否超期、到期（如 2026-11-20T10:00；默认是现在）",
    )
    case_list.add_argument("--json", action="store_true", help="以 JSON 输出")
    case_show = case_commands.add_parser(
        "show",
        help="显示一件或几件案件的办理情况：状态、时限、每一步的进度、表单和登记内容",
        description="例：uniondesk case show BF-2026-0007 --json。给一个编号时输出一个 JSON 对象，"
        "给多个编号时输出一个数组。证件号码和电话打码。",
    )
    case_show.add_argument("numbers", nargs="+", metavar="NUMBER", help="案件编号")
    case_show.add_argument(
        "--now",
        metavar="TIME",
        help="按这一时刻计算是否超期、到期（如 2026-11-20T10:00；默认是现在）",
    )
    case_show.add_argument("--json", action="store_true", help="以 JSON 输出")

    check = commands.add_parser(
        "check",
        help="检查数据是否完整：数据库文件、记录之间的关联、办理记录链（有没有被改动）和附件",
        description="发现问题时退出码为 1，并指出第一条有问题的办理记录。",
    )
    check.add_argument("--json", action="store_true", help="以 JSON 输出")

    backup = commands.add_parser(
        "backup",
        help="把办公数据（含附件）备份成一个文件；程序运行时也可以备份",
        description="不给 -o 时备份到数据文件夹的“备份”子文件夹（或在窗口中设定的备份文件夹）。",
    )
    backup.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="备份文件，如 E:/备份.udbak"
    )
    backup.add_argument("--json", action="store_true", help="以 JSON 输出")
    restore = commands.add_parser(
        "restore",
        help="从备份文件恢复办公数据：先检查备份，原有数据另存为“恢复前的安全副本”",
    )
    restore.add_argument("file", type=Path, metavar="FILE", help="备份文件（*.udbak）")
    restore.add_argument("--json", action="store_true", help="以 JSON 输出")

    calendar = commands.add_parser("calendar", help="节假日表：国家日历未收录的年份或本地调整")
    calendar_commands = calendar.add_subparsers(
        dest="calendar_command", metavar="子命令", required=True
    )
    calendar_import = calendar_commands.add_parser(
        "import",
        help="从文本文件导入节假日表（每行：2027-01-01 休 元旦）；"
        "文件中出现的年份整年替换，其他年份保留",
    )
    calendar_import.add_argument("file", type=Path, metavar="FILE")
    calendar_commands.add_parser("export", help="把节假日表按同样的格式打印出来")

    forms = commands.add_parser("forms", help="列出可以打印的表单（编号和名称）")
    forms.add_argument("--json", action="store_true", help="以 JSON 输出")

    print_form = commands.add_parser(
        "print",
        help="把表单打印成 PDF：按案件填好（--case），或空白表（--blank）",
        description="例：uniondesk print aid_application --case BF-2026-0007 -o 申请表.pdf",
    )
    print_form.add_argument("form", metavar="FORM_ID", help="表单编号，见 uniondesk forms")
    source = print_form.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--case",
        action="append",
        metavar="NUMBER",
        help="案件编号，如 BF-2026-0007；签领表可以给多个 --case，每件一行",
    )
    source.add_argument("--blank", action="store_true", help="打印空白表，供手写填写")
    print_form.add_argument(
        "-o", "--output", type=Path, required=True, metavar="OUT.pdf", help="保存的 PDF 文件"
    )
    print_form.add_argument(
        "--rows", type=int, metavar="N", help="空白签领表的行数（默认排满一页）"
    )
    print_form.add_argument(
        "--reveal",
        action="store_true",
        help="完整打印身份证号码和电话（默认只打印前后几位，中间以 * 代替）",
    )
    print_form.add_argument(
        "--body-font",
        choices=["bundled_song", "simsun", "sans"],
        help="正文字体：bundled_song 程序自带宋体，simsun Windows 宋体，sans 程序自带黑体"
        "（默认按程序设置）",
    )
    print_form.add_argument(
        "--allow-missing-glyphs",
        action="store_true",
        help="有字体里没有的字也照样打印（这些字印成 〓，打印后手写补上）",
    )
    print_form.add_argument("--json", action="store_true", help="以 JSON 输出")

    person = commands.add_parser("person", help="职工档案")
    person_commands = person.add_subparsers(dest="person_command", metavar="子命令", required=True)
    person_add = person_commands.add_parser("add", help="登记一名职工（身份证号码会校验）")
    person_add.add_argument("--name", required=True, help="姓名")
    person_add.add_argument("--id-number", required=True, help="18 位居民身份证号码")
    person_add.add_argument("--phone", default="", help="手机或固定电话")
    person_add.add_argument("--json", action="store_true", help="以 JSON 输出")
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        return _run(argv)
    except BrokenPipeError:
        # The reader stopped early (`uniondesk case list | head`): not an error of ours.
        # Point stdout at nothing so Python's own flush at exit stays quiet too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _run(argv: list[str] | None) -> int:
    args = build_parser().parse_args(argv)
    data_dir: Path = args.data_dir or default_data_dir()
    if args.command is None:
        from desktop.ui.app import run_app  # Qt is loaded only when a window is wanted

        return run_app(
            data_dir,
            screenshot=args.screenshot,
            search=args.search,
            section=args.section,
            open_case=args.open_case,
            startup_probe=args.startup_probe,
        )
    _use_utf8_output()
    try:
        now = _moment(getattr(args, "now", None))
    except ValueError as error:
        print(f"错误：{error}", file=sys.stderr)
        return EXIT_ERROR
    try:
        if args.command == "demo":
            return _demo(data_dir, now, args.json)
        if args.command == "init":
            return _init(data_dir, args)
        if args.command == "forms":
            return _forms(args.json)
        if args.command == "restore":
            return _restore(data_dir, args.file, args.json)
        if args.command in ("print", "check", "backup") and Office.folder_is_new(data_dir):
            print(
                f"错误：数据文件夹 {data_dir} 里还没有办公数据，请检查 --data-dir 是否写对。",
                file=sys.stderr,
            )
            return EXIT_ERROR
        with Office.open(data_dir) as office:
            if now is not None:
                office.cases.clock = lambda: now
            if args.command == "case" and args.case_command == "show":
                return _case_show(office, args)
            if args.command == "case":
                return _case_list(office, args)
            if args.command == "person":
                return _person_add(office, args)
            if args.command == "calendar":
                return _calendar(office, args)
            if args.command == "check":
                return _check(office, data_dir, args.json)
            if args.command == "backup":
                return _backup(office, args.output, args.json)
            if args.command == "print":
                return _print(office, args)
            if args.book_command == "stats":
                return _book_stats(office, args.json)
            return _book_search(office, args.text, args.limit, args.json)
    except (StoreError, BookError) as error:
        print(f"错误：{error}", file=sys.stderr)
        return EXIT_ERROR


NOW_YEARS = (2010, 2099)  # the demo's people are born 1962–2003; the calendar stops at 2099


def _moment(text: str | None) -> datetime | None:
    """A --now value: 2026-11-20T10:00, 2026-11-20 10:00 or a date (its start); a time with a
    UTC offset (2026-11-20T02:00Z) is turned into this computer's local time."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.strip()).replace(microsecond=0)
    except ValueError:
        raise ValueError(
            f"时刻“{text}”无法识别。请写成 2026-11-20T10:00 或 2026-11-20 这样的格式。"
        ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone().replace(tzinfo=None)
    first, last = NOW_YEARS
    if not first <= moment.year <= last:
        raise ValueError(f"时刻“{text}”超出了可用的范围，请写 {first} 年至 {last} 年之间的时刻。")
    return moment


def _use_utf8_output() -> None:
    # Scripts on Windows read our output through a pipe, where Python would otherwise use
    # the ANSI code page; JSON is UTF-8 by definition.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")


def _print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def _book_stats(office: Office, as_json: bool) -> int:
    stats = office.book.stats()
    if as_json:
        _print_json(
            {
                "title": stats.title,
                "book_version": stats.book_version,
                "work_items": stats.work_items,
                "rules": stats.rules,
                "local_default_rules": stats.local_default_rules,
                "service_categories": stats.service_categories,
                "service_items": stats.service_items,
                "procedures": len(set(office.book.procedure_hashes().values())),
                "rules_by_status": stats.rules_by_status,
            }
        )
    else:
        print(f"{stats.title}（版本 {stats.book_version}）")
        by_status = "，".join(f"{status} {n} 条" for status, n in stats.rules_by_status.items())
        print(f"工作事项 {stats.work_items} 项，制度条款 {stats.rules} 条（{by_status}）")
        print(f"服务清单 {stats.service_categories} 类 {stats.service_items} 项")
    return EXIT_OK


def _book_search(office: Office, text: str, limit: int, as_json: bool) -> int:
    result = office.book.search(text, limit=max(1, limit))
    if as_json:
        _print_json(
            [
                {
                    "rule_id": hit.rule_id,
                    "work_item": hit.work_item,
                    "work_item_id": hit.work_item_id,
                    "title": hit.title,
                    "snippet": hit.snippet.marked(),
                    "matched_in": hit.matched_in,
                }
                for hit in result.hits
            ]
        )
        return EXIT_OK
    if not result.hits:
        print(f"没有找到含“{text}”的制度条款。可以换个说法，或输入拼音首字母（如 knzg）。")
        return EXIT_OK
    shown = len(result.hits)
    more = f"，显示前 {shown} 条" if result.total > shown else ""
    print(f"找到 {result.total} 条{more}：")
    for hit in result.hits:
        print(f"{hit.rule_id}  {hit.title}  〔{hit.work_item}〕")
        print(f"    {hit.snippet.marked()}")
    return EXIT_OK


def _case_list(office: Office, args: argparse.Namespace) -> int:
    service = office.cases
    filter = CaseFilter(status=args.status or "", service_item_id=args.service_item or "")
    rows = service.list_cases(filter, order="opened", descending=True, limit=args.limit or -1)
    listed = []
    for row in rows:
        state = service.case_deadline_state(row)
        due = row.next_due_at if row.status == "open" and row.next_due_at else row.due_at
        listed.append(
            {
                "number": row.number,
                "procedure": row.procedure_id,
                "procedure_title": row.procedure_title,
                "service_item": row.service_item_id,
                "service_item_name": row.service_item_name,
                "kind": row.kind,
                "subject": row.subject_name,
                "subject_type": "person" if row.person_id else "enterprise",
                "status": row.status,
                "current_step": row.current_step_title or None,
                "current_step_id": row.current_step_id,
                "opened": row.opened_at.date().isoformat(),
                "due": due.date().isoformat(),
                "service_due": row.due_at.date().isoformat(),
                "time_limit": row.time_limit,
                "time_limit_unit": row.time_limit_unit,
                # Overdue now (what the 已超期 filter and dashboard count); a case whose service
                # ended after its deadline is finished_late instead.
                "overdue": state == "overdue",
                "finished_late": state == "done_late",
                "deadline_state": state,
                "outcome": row.outcome,
                "responsible": row.responsible,
            }
        )
    if args.json:
        _print_json(listed)
        return EXIT_OK
    if not listed:
        print("没有符合条件的案件。")
    for item in listed:
        late = "  【已超期】" if item["overdue"] else ""
        step = item["current_step"] or CASE_STATUS_LABELS[item["status"]]
        print(
            f"{item['number']}  {item['service_item_name']}  {item['subject']}  {step}"
            f"  受理 {item['opened']}  到期 {item['due']}{late}"
        )
    return EXIT_OK


def _case_show(office: Office, args: argparse.Namespace) -> int:
    views = []
    for number in args.numbers:
        found = office.cases.find_case(number)
        if found is None:
            print(
                f"错误：找不到案件 {number}，请核对案件编号（如 BF-2026-0007），"
                "或用 uniondesk case list 列出案件。",
                file=sys.stderr,
            )
            return EXIT_ERROR
        views.append(office.cases.view(found.id))
    if args.json:
        shown = [view_json(view) for view in views]
        _print_json(shown[0] if len(shown) == 1 else shown)
        return EXIT_OK
    for view in views:
        _print_case(view)
    return EXIT_OK


def _print_case(view: CaseView) -> None:
    row = view.row
    late = f"　{view.deadline_label}" if view.deadline_label and view.editable else ""
    if row.status == "closed":
        late = f"　{view.deadline_label}"
    print(f"{row.number}　{row.service_item_name}　{row.subject_name}")
    outcome = f"（{view.outcome_label}）" if view.outcome == "refused" else ""
    print(f"  状态：{view.status_label}{outcome}{late}")
    print(
        f"  受理：{chinese_date(row.opened_at)}（{row.opened_by}）　"
        f"服务时限：{view.time_limit_text}，{view.service_due_text}"
    )
    today = view.now.date()
    for step in view.steps:
        when = step.date_text(today)
        state = (
            f" {step.deadline_label}" if step.deadline_label and step.status != "pending" else ""
        )
        print(f"  {step.number:>2}. {step.step.title}　{step.status_text}　{when}{state}".rstrip())
    print()


def _check(office: Office, data_dir: Path, as_json: bool) -> int:
    report = office.check()
    if as_json:
        _print_json(
            {
                "data_dir": str(data_dir),
                "ok": report.ok,
                "checks": [
                    {"name": f.name, "title": f.title, "ok": f.ok, "detail": f.detail, **f.data}
                    for f in report.findings
                ],
            }
        )
    else:
        print(f"检查数据文件夹 {data_dir}：")
        for finding in report.findings:
            print(f"  {'✓' if finding.ok else '✗'} {finding.title}：{finding.detail}")
        problems = report.problems()
        verdict = f"发现 {len(problems)} 处问题，请按上面的说明处理。" if problems else "全部通过。"
        print(verdict)
    return EXIT_OK if report.ok else EXIT_ERROR


def _backup_json(info, **more: Any) -> dict[str, Any]:
    return {
        "file": str(info.path),
        "created": info.created.isoformat(timespec="seconds"),
        "office_name": info.office_name,
        "cases": info.cases,
        "people": info.people,
        "attachments": info.attachments,
        "size": info.size,
        **more,
    }


def _backup(office: Office, output: Path | None, as_json: bool) -> int:
    from desktop import backups

    now = office.cases.clock()
    if output is None:
        folder = backups.backup_folder(office)
        folder.mkdir(parents=True, exist_ok=True)
        output = folder / backups.backup_name(office.name, now)
    try:
        info = backups.make_backup(office, output, now)
    except backups.BackupError as error:
        print(f"错误：{error}", file=sys.stderr)
        return EXIT_ERROR
    if as_json:
        _print_json(_backup_json(info))
    else:
        print(
            f"已备份到 {info.path}（案件 {info.cases} 件，职工 {info.people} 人，"
            f"附件 {info.attachments} 个，{info.size / 1e6:.1f} MB）。"
        )
    return EXIT_OK


def _restore(data_dir: Path, file: Path, as_json: bool) -> int:
    from desktop import backups, presence

    windows = presence.others(data_dir)
    if windows:
        print(
            f"错误：{windows[0].describe()}。请先关闭它再恢复，以免恢复后被它覆盖。",
            file=sys.stderr,
        )
        return EXIT_ERROR
    try:
        restored = backups.restore_backup(file, data_dir, datetime.now().replace(microsecond=0))
    except backups.BackupError as error:
        print(f"错误：{error}", file=sys.stderr)
        return EXIT_ERROR
    info = restored.backup
    safety = str(restored.safety_copy) if restored.safety_copy else None
    if as_json:
        _print_json(_backup_json(info, data_dir=str(data_dir), safety_copy=safety))
    else:
        print(
            f"已从 {info.path.name}（{info.created:%Y-%m-%d %H:%M} 的备份，{info.office_name}）"
            f"恢复到 {data_dir}。"
        )
        if safety:
            print(f"恢复前的数据已另存为 {safety}。")
    return EXIT_OK


def _calendar(office: Office, args: argparse.Namespace) -> int:
    if args.calendar_command == "export":
        print(format_office_days(office.cases.office_days()), end="")
        return EXIT_OK
    try:
        text = args.file.read_text(encoding="utf-8-sig")
        days = parse_office_days(text)
    except OSError as error:
        print(f"错误：无法读取 {args.file}：{error.strerror or error}", file=sys.stderr)
        return EXIT_ERROR
    except UnicodeDecodeError:
        print(f"错误：{args.file} 不是 UTF-8 编码，请另存为 UTF-8 后再导入。", file=sys.stderr)
        return EXIT_ERROR
    except CalendarFileError as error:
        print(f"错误：{error}", file=sys.stderr)
        return EXIT_ERROR
    office.cases.set_office_days(days, actor=office.operator or "命令行")
    years = sorted({d.day.year for d in days})
    print(f"已导入节假日表 {len(days)} 天（{'、'.join(map(str, years))} 年）。")
    return EXIT_OK


def _person_add(office: Office, args: argparse.Namespace) -> int:
    now = datetime.now().replace(microsecond=0)
    try:
        values = clean_person(
            {"name": args.name, "id_number": args.id_number, "phone": args.phone}, now.date()
        )
        person_id = office.registry.add_person(values, office.operator or "命令行", now)
    except RecordError as error:
        print(f"错误：{error}", file=sys.stderr)
        return EXIT_ERROR
    person = office.registry.person(person_id)
    assert person is not None
    if args.json:
        _print_json(
            {
                "id": person.id,
                "name": person.name,
                "id_number": person.masked_id_number,
                "gender": person.gender,
                "birth_date": person.birth_date.isoformat(),
                "phone": person.masked_phone,
            }
        )
    else:
        print(
            f"已登记职工 {person.name}（{person.gender}，{person.birth_date:%Y-%m-%d} 出生，"
            f"身份证 {person.masked_id_number}）。"
        )
    return EXIT_OK


def _init(data_dir: Path, args: argparse.Namespace) -> int:
    from desktop.registry import clean_staff

    staff = []
    try:
        name = clean_office_name(args.office_name)
        for entry in args.staff:
            person, sep, role = entry.partition(":")
            if not sep:
                person, sep, role = entry.partition("：")
            if not sep:
                raise RecordError("staff", f"“{entry}”应写成 姓名:岗位，例如 李红梅:工会专干。")
            staff.append(clean_staff(person, role))
    except (RecordError, ValueError) as error:
        print(f"错误：{error}", file=sys.stderr)
        return EXIT_ERROR
    archive = None
    if not Office.folder_is_new(data_dir):
        if not args.replace_demo:
            print(
                f"错误：{data_dir} 里已经有办公数据，不能再初始化。里面是演示数据时可以加 "
                "--replace-demo（演示数据移到备份子文件夹）；否则请另指定一个新的数据文件夹。",
                file=sys.stderr,
            )
            return EXIT_ERROR
        try:
            office, archive = Office.start_real_office(data_dir, name, staff, datetime.now())
        except ValueError as error:
            print(f"错误：{error}", file=sys.stderr)
            return EXIT_ERROR
        office.close()
    else:
        with Office.open(data_dir) as office:
            office.set_up(name, staff)
    if args.json:
        _print_json(
            {
                "data_dir": str(data_dir),
                "office_name": name,
                "staff": [{"name": n, "role": r} for n, r in staff],
                "operator": staff[0][0] if staff else "",
                "demo_archive": str(archive) if archive else None,
            }
        )
    else:
        if archive is not None:
            print(f"原来的演示数据已移到 {archive}。")
        print(f"已在 {data_dir} 建立“{name}”的办公数据（没有演示数据）。")
        if staff:
            listed = "、".join(f"{n}（{r}）" for n, r in staff)
            print(f"工作人员：{listed}；当前经办人：{staff[0][0]}。")
        print(f"打开程序：uniondesk --data-dir {data_dir}")
    return EXIT_OK


def _demo(data_dir: Path, now: datetime | None, as_json: bool) -> int:
    now = now or datetime.now().replace(microsecond=0)
    try:
        with Office.open(data_dir) as office:
            made = fill_demo_office(office, now=now)
            office.cases.clock = lambda: now
            stats = office.book.stats()
            name = office.name
            due = office.cases.dashboard()
    except OfficeNotEmptyError as error:
        print(f"错误：{error}", file=sys.stderr)
        return EXIT_ERROR
    if as_json:
        _print_json(
            {
                "data_dir": str(data_dir),
                "office_name": name,
                "work_items": stats.work_items,
                "rules": stats.rules,
                "service_items": stats.service_items,
                **made,
                "now": now.isoformat(timespec="seconds"),
                "open": due["open"],
                "overdue": due["overdue"],
                "due_today": due["due_today"],
                "due_soon": due["due_soon"],
            }
        )
    else:
        print(f"已在 {data_dir} 建立演示办公数据：{name}")
        print(
            f"制度汇编 {stats.work_items} 项 {stats.rules} 条，服务清单 {stats.service_items} 项。"
        )
        print(
            f"职工 {made['people']} 人，单位 {made['enterprises']} 家，"
            f"案件 {made['cases']} 件（近两年，含办理中、已办结、已终止和已超期的）。"
        )
        print(
            f"截至 {now:%Y-%m-%d %H:%M}：办理中 {due['open']} 件，其中已超期 {due['overdue']} 件、"
            f"今日到期 {due['due_today']} 件、3 个工作日内到期 {due['due_soon']} 件。"
        )
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


# --- printing forms --------------------------------------------------------------------------


def _forms(as_json: bool) -> int:
    from desktop.printing import FormError, load_forms
    from desktop.printing.jobs import kind_text
    from desktop.printing.office_forms import form_users

    try:
        forms = load_forms()
    except FormError as error:
        print(f"错误：{error}", file=sys.stderr)
        return EXIT_ERROR
    users = form_users()
    kinds = {form.id: kind_text(form) for form in forms.values()}
    listed = [
        {
            "id": form.id,
            "title": form.title,
            "kind": form.kind,
            "file": form.path.name,
            "steps": [str(use) for use in users.get(form.id, [])],
        }
        for form in forms.values()
    ]
    if as_json:
        _print_json(listed)
        return EXIT_OK
    width = max(len(f["id"]) for f in listed)
    for form in listed:
        print(f"{form['id']:<{width}}  {form['title']}（{kinds[form['id']]}）")
    return EXIT_OK


def _print(office: Office, args: argparse.Namespace) -> int:
    from desktop.printing import (
        SIGNOFF,
        FontUnavailable,
        FormError,
        MissingGlyphs,
        load_forms,
        office_procedures,
        render_pdf,
    )
    from desktop.printing.jobs import PrintRequestError, blank_job, case_job

    def fail(message: str) -> int:
        print(f"错误：{message}", file=sys.stderr)
        return EXIT_ERROR

    try:
        forms = load_forms(procedures=office_procedures(office))
    except FormError as error:
        return fail(str(error))
    form = forms.get(args.form)
    if form is None:
        known = "、".join(sorted(forms))
        return fail(
            f"没有编号为“{args.form}”的表单。可用的表单：{known}（uniondesk forms 列出名称）。"
        )
    output: Path = args.output
    if output.is_dir():
        example = output / f"{form.title}.pdf"
        return fail(f"{output} 是一个文件夹，请给出 PDF 文件名，例如 {example}")
    if not output.parent.exists():
        return fail(f"文件夹 {output.parent} 不存在，请先建好它或换一个保存位置。")
    if args.rows is not None and not (args.blank and form.kind == SIGNOFF):
        return fail("--rows 只用于空白签领表（与 --blank 一起用）。")
    if args.rows is not None and not 1 <= args.rows <= 5000:
        return fail("--rows 应在 1 到 5000 之间。")
    cases: list[str] = [number.strip().upper() for number in args.case or []]
    try:
        job = blank_job(office, form, args.rows) if args.blank else case_job(office, form, cases)
        result = render_pdf(
            form,
            job.build(args.reveal),
            output,
            body_font=args.body_font or office.print_body_font,
            reveal_personal=args.reveal,
            allow_missing_glyphs=args.allow_missing_glyphs,
        )
    except PrintRequestError as error:
        return fail(str(error))
    except MissingGlyphs as error:
        return fail(f"{error}\n确认要照样打印，请加 --allow-missing-glyphs。")
    except FontUnavailable as error:
        return fail(str(error))
    for warning in result.warnings:
        print(f"提示：{warning}", file=sys.stderr)
    if args.json:
        _print_json(
            {
                "form": form.id,
                "title": form.title,
                "output": str(output.resolve()),
                "pages": result.pages,
                "cases": cases,
                "blank": bool(args.blank),
                "personal_data": "whole" if args.reveal else "masked",
            }
        )
    else:
        shown = "、".join(cases[:3]) + (f" 等 {len(cases)} 件" if len(cases) > 3 else "")
        what = "空白表" if args.blank else f"案件 {shown}"
        print(f"已生成“{form.title}”（{what}），共 {result.pages} 页：{output}")
    return EXIT_OK

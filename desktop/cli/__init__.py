"""The ``uniondesk`` command: opens the window, or runs a subcommand for scripts.

Subcommands print plain Chinese by default and JSON with ``--json``. The JSON keys are a
public interface that offices script against: add keys freely, never rename or drop one.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path

from desktop.book.loader import BookError
from desktop.cli.book_forms import book_search, book_stats, list_forms, print_form
from desktop.cli.cases import case_list, case_show
from desktop.cli.common import EXIT_ERROR, EXIT_OK, print_json, terminal_output
from desktop.cli.office_data import (
    backup,
    calendar,
    check,
    demo,
    init,
    person_add,
    restore,
    staff,
)
from desktop.cli.parser import build_parser
from desktop.errors import NoOfficeHere, StoreError
from desktop.office import Office
from desktop.paths import default_data_dir

__all__ = ["EXIT_ERROR", "EXIT_OK", "build_parser", "main"]


def main(argv: list[str] | None = None) -> int:
    try:
        with terminal_output():
            return _run(argv)
    except BrokenPipeError:
        # The reader stopped early (`uniondesk case list | head`): not an error of ours.
        # Point stdout at nothing so Python's own flush at exit stays quiet too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _run(argv: list[str] | None) -> int:
    _use_utf8_output()  # before parsing: help and usage errors are Chinese too
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
    try:
        now = _moment(getattr(args, "now", None))
    except ValueError as error:
        print(f"错误：{error}", file=sys.stderr)
        return EXIT_ERROR
    try:
        if args.command == "demo":
            return demo(data_dir, now, args.json)
        if args.command == "init":
            return init(data_dir, args)
        if args.command == "forms":
            return list_forms(args.json)
        if args.command == "restore":
            return restore(data_dir, args.file, args.json)
        with Office.open(data_dir, create=_may_start_an_office(args)) as office:
            office.work_from_command_line()
            if now is not None:
                office.cases.clock = lambda: now
            if args.command == "case" and args.case_command == "show":
                return case_show(office, args)
            if args.command == "case":
                return case_list(office, args)
            if args.command == "person":
                return person_add(office, args)
            if args.command == "staff":
                return staff(office, args)
            if args.command == "calendar":
                return calendar(office, args)
            if args.command == "check":
                return check(office, data_dir, args.json)
            if args.command == "backup":
                return backup(office, args.output, args.json)
            if args.command == "print":
                return print_form(office, args)
            if args.book_command == "stats":
                return book_stats(office, args.json)
            return book_search(office, args.text, args.limit, args.json)
    except NoOfficeHere as error:
        if args.data_dir is not None:
            fix = "请检查 --data-dir 是否写对"
        else:
            fix = "这是默认的数据文件夹；用 --data-dir 可以指定别的数据文件夹"
        message = (
            f"{error}{fix}。要新建办公数据，用 uniondesk init（正式使用）"
            "或 uniondesk demo（演示数据）。"
        )
        print(f"错误：{message}", file=sys.stderr)
        _answer_check_script(args, data_dir, message)
        return EXIT_ERROR
    except (StoreError, BookError) as error:
        print(f"错误：{error}", file=sys.stderr)
        _answer_check_script(args, data_dir, str(error))
        return EXIT_ERROR


def _answer_check_script(args: argparse.Namespace, data_dir: Path, error: str) -> None:
    """A script checking a folder that cannot be opened still gets its JSON answer."""
    if args.command == "check" and getattr(args, "json", False):
        print_json({"data_dir": str(data_dir), "ok": False, "error": error, "checks": []})


def _may_start_an_office(args: argparse.Namespace) -> bool:
    """Whether the command may set up an office in a folder that has none: only registering a
    person does (demo, init and restore set up by themselves). A command that reads, or
    changes what an office already has (a holiday table, a password), names a mistyped folder
    instead of leaving a new, empty office there."""
    return args.command == "person"


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
    first, last = NOW_YEARS
    out_of_range = ValueError(
        f"时刻“{text}”超出了可用的范围，请写 {first} 年至 {last} 年之间的时刻。"
    )
    # Checked before the conversion too: moving year 1 or 9999 by its offset overflows.
    if not first <= moment.year <= last:
        raise out_of_range
    if moment.tzinfo is not None:
        moment = moment.astimezone().replace(tzinfo=None)
    if not first <= moment.year <= last:
        raise out_of_range
    return moment


def _use_utf8_output() -> None:
    # Scripts on Windows read our output through a pipe, where Python would otherwise use
    # the ANSI code page; JSON is UTF-8 by definition.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")

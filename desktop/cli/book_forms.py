"""The book, the form list and printing: ``book stats``, ``book search``, ``forms``, ``print``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.cli.common import EXIT_ERROR, EXIT_OK, print_json
from desktop.office import SHOWN_IN_PRINT, Office


def book_stats(office: Office, as_json: bool) -> int:
    stats = office.book.stats()
    if as_json:
        print_json(
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


def book_search(office: Office, text: str, limit: int, as_json: bool) -> int:
    result = office.book.search(text, limit=max(1, limit))
    if as_json:
        print_json(
            [
                {
                    "rule_id": hit.rule_id,
                    "work_item": hit.work_item,
                    "work_item_id": hit.work_item_id,
                    "title": hit.title,
                    "snippet": hit.snippet.marked(),
                    "matched_in": hit.matched_in,
                    "synonym": hit.synonym or None,
                }
                for hit in result.hits
            ]
        )
        return EXIT_OK
    if not result.hits:
        print(
            f"没有找到含“{text}”的制度条款。可以换个说法，"
            "或输入拼音首字母（如 knzg）、条款编号（如 W06-01）。"
        )
        return EXIT_OK
    shown = len(result.hits)
    more = f"，显示前 {shown} 条" if result.total > shown else ""
    print(f"找到 {result.total} 条{more}：")
    for hit in result.hits:
        note = f"  （{hit.synonym_note}）" if hit.synonym else ""
        print(f"{hit.rule_id}  {hit.title}  〔{hit.work_item}〕{note}")
        print(f"    {hit.snippet.marked()}")
    return EXIT_OK


def list_forms(as_json: bool) -> int:
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
        print_json(listed)
        return EXIT_OK
    width = max(len(f["id"]) for f in listed)
    for form in listed:
        print(f"{form['id']:<{width}}  {form['title']}（{kinds[form['id']]}）")
    return EXIT_OK


def print_form(office: Office, args: argparse.Namespace) -> int:
    from desktop.printing import (
        FontUnavailable,
        FormError,
        MissingGlyphs,
        load_forms,
        office_procedures,
        render_pdf,
    )
    from desktop.printing.jobs import (
        PrintRequestError,
        blank_job,
        case_job,
        record_whole_numbers,
    )

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
    if args.rows is not None and not 1 <= args.rows <= 5000:
        return fail("--rows 应在 1 到 5000 之间。")
    cases: list[str] = [number.strip().upper() for number in args.case or []]
    try:
        if args.blank:
            job = blank_job(office, form, args.rows)
        else:
            job = case_job(office, form, cases, rows=args.rows)
        if args.reveal:
            # Kept before the file is written: a number printed whole is never unrecorded.
            purpose = f"命令行 uniondesk print 生成“{form.title}”PDF：{output}"
            record_whole_numbers(office, job, SHOWN_IN_PRINT, purpose)
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
        print_json(
            {
                "form": form.id,
                "title": form.title,
                "output": str(output.resolve()),
                "pages": result.pages,
                "cases": cases,
                "blank": bool(args.blank),
                "personal_data": "whole" if args.reveal else "masked",
                "batch": job.batch or None,
            }
        )
    else:
        shown = "、".join(cases[:3]) + (f" 等 {len(cases)} 件" if len(cases) > 3 else "")
        what = "空白表" if args.blank else f"案件 {shown}"
        batch = f"，批次号 {job.batch}" if job.batch else ""
        print(f"已生成“{form.title}”（{what}{batch}），共 {result.pages} 页：{output}")
    return EXIT_OK

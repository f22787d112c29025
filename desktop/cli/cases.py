"""Cases for scripts: ``case list`` and ``case show``, the same facts the window shows."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from desktop.cases.case_view import CaseBatch, CaseView, view_json, whole_number_fields
from desktop.cases.records import CaseFilter
from desktop.cases.status import ACTIVE, CASE_STATUS_LABELS
from desktop.cli.common import EXIT_ERROR, EXIT_OK, print_json
from desktop.formatting import chinese_date
from desktop.office import SHOWN_BY_COMMAND, Office


def case_list(office: Office, args: argparse.Namespace) -> int:
    service = office.cases
    filter = CaseFilter(
        status=args.status or "", service_item_id=args.service_item or "", text=args.text or ""
    )
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
        print_json(listed)
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


def case_show(office: Office, args: argparse.Namespace) -> int:
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
        for view in views if args.reveal else ():
            # Kept before the numbers are printed, so none is shown unrecorded.
            fields = whole_number_fields(view)
            if fields:
                office.record_reveal(
                    "命令行 uniondesk case show --reveal",
                    case_ids=[view.row.id],
                    fields=fields,
                    place=SHOWN_BY_COMMAND,
                )
        shown = [view_json(view, args.reveal, _batches(office, view)) for view in views]
        print_json(shown[0] if len(shown) == 1 else shown)
        return EXIT_OK
    for view in views:
        _print_case(view, _batches(office, view))
    return EXIT_OK


def _batches(office: Office, view: CaseView) -> list[CaseBatch]:
    """The payment sheets, condolence sheets and notices the case was listed on, by title."""
    batches = office.case_batches(view.row.id)
    if not batches:
        return []
    from desktop.printing.office_forms import office_forms  # only when there is one to name

    forms = office_forms(office).forms
    return [
        CaseBatch(
            batch.number,
            batch.form_id,
            forms[batch.form_id].title if batch.form_id in forms else batch.form_id,
            batch.created_at,
        )
        for batch in batches
    ]


def _print_case(view: CaseView, batches: Sequence[CaseBatch] = ()) -> None:
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
    if batches:
        print(f"  列入批次：{'；'.join(batch.text() for batch in batches)}")
    today = view.now.date()
    for step in view.steps:
        when = step.date_text(today)
        state = (
            f" {step.deadline_label}" if step.deadline_label and step.status != "pending" else ""
        )
        print(f"  {step.number:>2}. {step.step.title}　{step.status_text}　{when}{state}".rstrip())
        if step.status == ACTIVE and step.hold_text():
            print(f"      {step.hold_text()}")  # as the step page says it
        for caution in step.cautions:
            print(f"      注意：{caution}")  # as the step page says it
    print()

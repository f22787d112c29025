"""What to print for a request: which data fills a form from which cases, checked first.

The command line and the window ask the same questions (is this case's procedure one that
uses this form? is a case listed twice on a payment sheet?) and get the same answers here.
The window's preview takes a job as a PrintSource, and names the PDF it saves from it.

Personal numbers are printed masked unless the clerk asks for them whole; whoever shows or
prints them whole records it with ``record_whole_numbers`` (desktop.office.Office.record_reveal).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from desktop.cases.service import CaseError
from desktop.printing.context import PrintData, blank_context, case_context, signoff_context
from desktop.printing.forms import SIGNOFF, Form


class PrintRequestError(Exception):
    """The request cannot be printed as asked; the message says why and what to do."""


@dataclass(frozen=True)
class PrintJob:
    form: Form
    # Builds the data; called again with True when the clerk asks for whole ID numbers.
    build: Callable[[bool], PrintData]
    number: str = ""  # names the document in titles and file names
    case_numbers: tuple[str, ...] = ()
    case_ids: tuple[int, ...] = ()
    # The labels of the personal numbers the form prints from the cases (身份证号码, 联系电话).
    fields: tuple[str, ...] = ()

    @property
    def personal(self) -> bool:
        """There are personal numbers that could be revealed."""
        return bool(self.fields)


def rows_per_case(form: Form) -> bool:
    """A payment sheet lists one case per row; a sign-in sheet is signed by hand instead."""
    return form.kind == SIGNOFF and form.table is not None and form.table.rows == "cases"


def kind_text(form: Form) -> str:
    """表格, 签领表 (a row per case, with money) or 签到表 (rows signed by hand)."""
    if form.kind != SIGNOFF:
        return "表格"
    return "签领表" if rows_per_case(form) else "签到表"


def blank_job(office, form: Form, rows: int | None = None) -> PrintJob:
    return PrintJob(form, lambda _reveal: blank_context(form, rows=rows, office=office))


def case_job(office, form: Form, cases: Sequence[str | int]) -> PrintJob:
    """The form filled from ``cases`` (numbers like BF-2026-0007, or ids).

    A payment sign-off sheet takes any number of cases, one row each; every other form takes
    exactly one. Each case's own procedure must be one that prints this form.
    """
    if not cases:
        raise PrintRequestError("请给出要打印的案件编号。")
    views = []
    for case in cases:
        try:
            case_id = case if isinstance(case, int) else office.cases.case_id(str(case).strip())
            views.append(office.cases.view(case_id))
        except CaseError as error:
            raise PrintRequestError(str(error)) from error
    numbers = [view.row.number for view in views]
    repeated = sorted({n for n in numbers if numbers.count(n) > 1})
    if repeated:
        raise PrintRequestError(
            f"案件 {'、'.join(repeated)} 重复出现；同一件案件在一张表上只能有一行，否则会重复发放。"
        )
    for view in views:
        printing = [s for s in view.procedure.steps if form.id in s.form_ids]
        if not printing:
            own = sorted({f for s in view.procedure.steps for f in s.form_ids})
            hint = f"这件案件的流程用的表单：{'、'.join(own)}。" if own else ""
            raise PrintRequestError(
                f"案件 {view.row.number}（{view.row.service_item_name}）的办理流程不用"
                f"“{form.title}”。{hint}需要时可以打印空白表手写。"
            )
    case_ids = tuple(view.row.id for view in views)
    personal = form.personal_fields()
    if rows_per_case(form):
        number = numbers[0] if len(numbers) == 1 else f"{numbers[0]} 等 {len(numbers)} 件"
        return PrintJob(
            form,
            lambda reveal: signoff_context(office, numbers, reveal, form=form),
            number,
            tuple(numbers),
            case_ids,
            personal,
        )
    if len(views) > 1:
        raise PrintRequestError(f"“{form.title}”一次只能按一件案件填写，请只选一件案件。")
    case_id = views[0].row.id
    return PrintJob(
        form,
        lambda reveal: case_context(office, case_id, reveal),
        numbers[0],
        tuple(numbers),
        case_ids,
        personal,
    )


def record_whole_numbers(office, job: PrintJob | PrintSource, place: str, purpose: str) -> None:
    """Keep in the trail of each case on the form that its personal numbers were shown or
    printed whole: where (desktop.office's SHOWN_IN_WINDOW or SHOWN_IN_PRINT) and what for."""
    if job.personal and job.case_ids:
        office.record_reveal(purpose, case_ids=job.case_ids, fields=job.fields, place=place)


# --- for the window's preview -------------------------------------------------------------------

FILE_NAME_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


@dataclass(frozen=True)
class PrintSource:
    """What a form is filled with; ``build(reveal_personal)`` is called again when the clerk
    asks for whole ID numbers. ``number`` names the document in titles and file names."""

    build: Callable[[bool], PrintData]
    number: str = ""
    case_ids: tuple[int, ...] = ()
    fields: tuple[str, ...] = ()  # the personal numbers the form prints (labels)

    @property
    def personal(self) -> bool:
        """There are personal numbers that could be revealed."""
        return bool(self.fields)


def blank_source(office, form: Form) -> PrintSource:
    return _source(blank_job(office, form))


def case_source(office, form: Form, case_id: int) -> PrintSource:
    """The form filled from one case; a payment sheet gets the case as its only row.

    Raises PrintRequestError when the case's procedure does not use this form.
    """
    return _source(case_job(office, form, [case_id]))


def signoff_source(office, form: Form, case_numbers: Sequence[str]) -> PrintSource:
    """A payment sheet with a row per case; raises PrintRequestError for repeats or cases
    whose procedure does not use the sheet."""
    return _source(case_job(office, form, list(case_numbers)))


def _source(job: PrintJob) -> PrintSource:
    return PrintSource(job.build, job.number.replace(" ", ""), job.case_ids, job.fields)


def suggested_file_name(form: Form, number: str) -> str:
    """困难职工帮扶救助申请表_BF-2026-0007.pdf; characters Windows refuses become _."""
    name = f"{form.title}_{number or '空白表'}"
    return FILE_NAME_UNSAFE.sub("_", name).strip("._") + ".pdf"


__all__ = [
    "PrintJob",
    "PrintRequestError",
    "PrintSource",
    "blank_job",
    "blank_source",
    "case_job",
    "case_source",
    "kind_text",
    "record_whole_numbers",
    "rows_per_case",
    "signoff_source",
    "suggested_file_name",
]

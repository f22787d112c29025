"""What to print for a request: which data fills a form from which cases, checked first.

The command line and the window ask the same questions (is this case's procedure one that
uses this form? is a case listed twice on a payment sheet?) and get the same answers here.
The window's preview takes a job as a PrintSource, and names the PDF it saves from it.

Personal numbers are printed masked unless the clerk asks for them whole; whoever shows or
prints them whole records it with ``record_whole_numbers`` (desktop.office.Office.record_reveal).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from desktop.book.procedures import FROM_STEP_START, Step
from desktop.cases import engine
from desktop.cases.case_view import CaseView
from desktop.cases.service import CaseError
from desktop.cases.status import OUTCOME_REFUSED, TERMINATED
from desktop.errors import StoreError
from desktop.formatting import chinese_date
from desktop.office import BATCH_ACTION, NOTICE_BATCH_ACTION
from desktop.printing.context import (
    PrintData,
    blank_context,
    case_context,
    cases_number,
    signoff_context,
)
from desktop.printing.forms import SIGNOFF, Form

LISTED = 20  # cases named one by one in a message, before "另有 N 件"


class PrintRequestError(Exception):
    """The request cannot be printed as asked; the message says why and what to do."""


class UnpayableCases(PrintRequestError):
    """Some cases may not be paid on the sheet; ``numbers`` names them, the message says why."""

    def __init__(self, message: str, numbers: tuple[str, ...]):
        super().__init__(message)
        self.numbers = numbers


class MixedPeriods(PrintRequestError):
    """The cases picked for one public notice are not posted over the same days; ``groups``
    gives each period with the case numbers posted over it."""

    def __init__(self, message: str, groups: tuple[tuple[NoticePeriod, tuple[str, ...]], ...]):
        super().__init__(message)
        self.groups = groups


@dataclass(frozen=True)
class NoticePeriod:
    """The days a notice hangs: from the day its wait starts (the day it goes up) to the last
    day of the wait the procedure sets, as the working calendar counts it (engine.hold_end)."""

    first: date
    last: date
    length: str  # 5 个工作日

    def __str__(self) -> str:
        return f"{chinese_date(self.first)}至{chinese_date(self.last)}（{self.length}）"


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
    batch: str = ""  # a sign-off sheet's batch number, FF-2026-003

    @property
    def personal(self) -> bool:
        """There are personal numbers that could be revealed."""
        return bool(self.fields)


def rows_per_case(form: Form) -> bool:
    """A payment sheet lists one case per row; a sign-in sheet is signed by hand instead."""
    return form.kind == SIGNOFF and form.table is not None and form.table.rows == "cases"


def kind_text(form: Form) -> str:
    """表格, 签领表 (a row per case, signed for), 名单 (a row per case posted, signed by no
    one: the 公示) or 签到表 (rows signed by hand)."""
    if form.kind != SIGNOFF:
        return "表格"
    if not rows_per_case(form):
        return "签到表"
    assert form.table is not None
    return "签领表" if any(column.sign for column in form.table.columns) else "名单"


def blank_job(office, form: Form, rows: int | None = None) -> PrintJob:
    if rows is not None:
        _refuse_rows(form, blank=True)
    return PrintJob(form, lambda _reveal: blank_context(form, rows=rows, office=office))


def case_job(office, form: Form, cases: Sequence[str | int], rows: int | None = None) -> PrintJob:
    """The form filled from ``cases`` (numbers like BF-2026-0007, or ids).

    A payment sign-off sheet takes any number of cases, one row each; every other form takes
    exactly one. Each case's own procedure must be one that prints this form. ``rows`` is how
    many rows a sign-in sheet has to sign in (default: one for everyone expected, the last
    page filled); a sheet with a row per case, or a form without rows, refuses it.
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
    if rows is not None:
        _refuse_rows(form, blank=False)
    if rows_per_case(form):
        _refuse_unpayable(form, views)
        _refuse_mixed_periods(form, views)
        if not form.batch_prefix:
            number = cases_number(numbers)
            return PrintJob(
                form,
                lambda reveal: signoff_context(office, numbers, reveal, form=form),
                number,
                tuple(numbers),
                case_ids,
                personal,
            )
        try:
            action = BATCH_ACTION if _pays(form) else NOTICE_BATCH_ACTION
            batch, _new = office.signoff_batch(
                form.id, form.title, form.batch_prefix, case_ids, action
            )
        except StoreError as error:
            raise PrintRequestError(f"签领表的批次号无法登记，没有打印：{error}") from error
        notices = _listed_before(office, form, views, batch.number)
        return PrintJob(
            form,
            lambda reveal: signoff_context(
                office, numbers, reveal, form=form, number=batch.number, notices=notices
            ),
            batch.number,
            tuple(numbers),
            case_ids,
            personal,
            batch.number,
        )
    if len(views) > 1:
        raise PrintRequestError(f"“{form.title}”一次只能按一件案件填写，请只选一件案件。")
    wrong = wrong_form_reason(views[0], form, form_titles(office))
    if wrong:
        raise PrintRequestError(wrong)
    case_id = views[0].row.id
    if rows is not None:
        _refuse_fewer_rows_than_expected(form, case_context(office, case_id), rows)

    def build(reveal: bool) -> PrintData:
        data = case_context(office, case_id, reveal)
        data.blank_rows = rows
        return data

    return PrintJob(
        form,
        build,
        numbers[0],
        tuple(numbers),
        case_ids,
        personal,
    )


def wrong_form_reason(
    view: CaseView, form: Form, titles: Mapping[str, str] | None = None
) -> str | None:
    """Why ``form`` is not this case's own form though its procedure prints it, or None.

    A step may list several forms of which each case uses one (``form_when``: the 受理申请 of
    hardship aid prints the application of the case's kind). Filled for another kind, the
    form would leave its 申请类别 unticked and ask for what the case never recorded, so the
    reason names the form to print instead. ``titles`` maps form ids to titles for that."""
    values = view.state.values()
    printing = [s for s in view.procedure.steps if form.id in s.form_ids]
    if printing and all(view.step(s.id).status == engine.SKIPPED for s in printing):
        # The case went another way (a union not formed has no first congress to call).
        titles_of = "、".join(f"“{s.title}”" for s in printing)
        return (
            f"案件 {view.row.number} 的{titles_of}一步不适用（按本案登记的情况不办这一步），"
            f"不能按它填写“{form.title}”。需要时可以打印空白表手写。"
        )
    if not printing or any(form.id in step.forms_for(values) for step in printing):
        return None
    step = printing[0]
    titles = titles or {}
    own = [f"“{titles.get(f, f)}”（表单编号 {f}）" for f in step.forms_for(values)]
    kind = f"（{view.row.kind}）" if view.row.kind else ""
    if not own:
        return (
            f"案件 {view.row.number}{kind}在“{step.title}”一步不打印表单，"
            f"不能按它填写“{form.title}”。需要时可以打印空白表手写。"
        )
    return (
        f"案件 {view.row.number}{kind}不用“{form.title}”：“{step.title}”一步为这件案件打印"
        f"{'、'.join(own)}，请改印这张表。"
    )


def form_titles(office) -> dict[str, str]:
    """Form id → title, to name in a message the form a case uses instead."""
    from desktop.printing.office_forms import office_forms  # it imports this module

    return {form_id: form.title for form_id, form in office_forms(office).forms.items()}


def _refuse_rows(form: Form, blank: bool) -> None:
    """A row count is for a sheet signed by hand (a sign-in sheet, or any blank sheet);
    other forms say why they take none."""
    if form.kind != SIGNOFF or form.table is None:
        raise PrintRequestError(
            f"--rows 只用于签到表和签领表：“{form.title}”是一般表格，栏目由表单决定，"
            "没有可以增减的行。请去掉 --rows。"
        )
    if not blank and rows_per_case(form):
        raise PrintRequestError(
            f"按案件打印“{form.title}”时不能用 --rows：这张{kind_text(form)}每件案件一行，"
            "行数就是所列的案件数。要多留空行手写，请打印空白表（--blank --rows N）。"
        )


def _refuse_fewer_rows_than_expected(form: Form, data: PrintData, rows: int) -> None:
    """Everyone expected at a meeting has a row to sign: fewer rows are refused, not cut."""
    assert form.table is not None
    expected = form.table.expected_rows(data.values)
    if expected is not None and rows < expected:
        raise PrintRequestError(
            f"案件 {data.number} 应到 {expected} 人，“{form.title}”要每人一行，--rows {rows} 不够。"
            f"请去掉 --rows（按应到人数排，末页排满），或写 {expected} 以上。"
        )


def unpayable_reason(view: CaseView, form: Form) -> str | None:
    """Why the case may not be a row of the payment sheet ``form`` (terminated, refused, not
    approved yet), or None when its step that pays with the sheet applies to it.

    The reason names what the case's own procedure is waiting for or decided: 尚未审批,
    审批不同意, 尚未上级工会复核（新建档家庭）, 资格认定为不符合条件."""
    if view.row.status == TERMINATED:
        return "已终止办理"
    paying = [s for s in view.procedure.steps if form.id in s.form_ids]
    values = view.state.values()
    applying = [step for step in paying if engine.applies(step, values) is True]
    if view.outcome != OUTCOME_REFUSED and applying:
        return _posting_reason(view, form, applying[0])
    eligibility = next(
        (r.eligibility for r in view.state.steps.values() if r.eligibility is not None), None
    )
    if eligibility is not None and not eligibility["eligible"]:
        return "资格认定为不符合条件"
    first_paying = min(view.procedure.steps.index(s) for s in paying)
    for step in view.procedure.steps[:first_paying]:
        if step.approval is None or engine.applies(step, values) is False:
            continue
        decided = view.state.record(step.id).approval
        if decided is None:
            return f"尚未{step.title}"
        if not decided["approved"]:
            return f"{step.title}不同意"
    if view.outcome == OUTCOME_REFUSED:
        return "已办结为不予办理"
    titles = "或".join(f"“{s.title}”" for s in paying)
    if not any(_may_apply(view, step) for step in paying):
        kind = view.row.kind or view.row.service_item_name
        if _pays(form):
            return f"{kind}不发放钱款，{titles}一步不适用于这类案件"
        return f"{titles}一步不适用于{kind}案件"
    return f"还没有办到{titles}"


def _may_apply(view: CaseView, step: Step) -> bool:
    """Whether ``step`` applies or may still come to apply to the case.

    A step waiting on an approval the case never goes through (职业培训与就业帮扶 is not
    approved, so never paid) is as sure not to apply as one whose own condition says so,
    though its condition alone is undecided: the approval it reads will never be given."""
    if engine.preview_status(view.state, step) == engine.SKIPPED:
        return False
    never_approved = {
        f"{other.id}.approved": False
        for other in view.procedure.steps
        if other.approval is not None and engine.preview_status(view.state, other) == engine.SKIPPED
    }
    return engine.applies(step, {**view.state.values(), **never_approved}) is not False


def _posting_reason(view: CaseView, form: Form, step: Step) -> str | None:
    """Why a case whose step printing ``form`` applies to it may still not be listed: the step
    prints the form only in some cases (a notice turned into an internal report), or the form
    is a notice that hangs over the step's wait, which has not begun or has no first day."""
    if form.id not in step.forms_for(view.state.values()):
        return f"按“{step.title}”一步登记的情况，不打印“{form.title}”"
    if step.hold is None:
        return None
    record = view.state.record(step.id)
    if record.started_at is None:
        current = view.current
        now = f"，现在办到“{current.title}”" if current is not None else ""
        return f"“{step.title}”一步还没有开始{now}"
    if step.hold.start != FROM_STEP_START and record.values.get(step.hold.start) in (None, ""):
        label = next((f.label for f in step.fields if f.id == step.hold.start), step.hold.start)
        return f"“{step.title}”一步还没有填写“{label}”，公示期无从算起"
    return None


def notice_period(view: CaseView, form: Form) -> NoticePeriod | None:
    """The days the case hangs on ``form``: the wait of the step printing it, or None when that
    step has no wait (a payment sheet) or it has not begun."""
    values = view.state.values()
    for step in view.procedure.steps:
        if form.id not in step.form_ids or step.hold is None:
            continue
        if engine.applies(step, values) is not True:
            continue
        first = engine.hold_start(view.state, step)
        last = view.step(step.id).hold_ends
        if first is None or last is None:
            return None
        return NoticePeriod(first.date(), last.due_date, step.hold.text)
    return None


def _refuse_mixed_periods(form: Form, views: list[CaseView]) -> None:
    """One notice has one period: cases posted over different days are refused together,
    grouped by period, so the clerk prints one notice per group or sets the dates right.
    Printing each its own period on one notice would leave the reader to guess when to object
    about whom; several notices printed at once would each need a number the clerk never asked
    for."""
    groups: dict[NoticePeriod, list[str]] = {}
    for view in views:
        period = notice_period(view, form)
        if period is not None:
            groups.setdefault(period, []).append(view.row.number)
    if len(groups) < 2:
        return
    ordered = sorted(groups.items(), key=lambda item: (item[0].first, item[0].last))
    lines = []
    for period, numbers in ordered:
        shown = "、".join(numbers[:LISTED])
        if len(numbers) > LISTED:
            shown += f" 等 {len(numbers)} 件"
        lines.append(f"  · {period}：{shown}")
    step = next(
        s for v in views for s in v.procedure.steps if form.id in s.form_ids and s.hold is not None
    )
    start = step.hold.start if step.hold is not None else ""
    label = next((f.label for f in step.fields if f.id == start), "开始日期")
    raise MixedPeriods(
        f"这 {len(views)} 件案件的公示期不同，不能印在同一张“{form.title}”上：\n"
        + "\n".join(lines)
        + f"\n一张公示只有一个公示期。请按公示期分组，每组的案件各打印一张；"
        f"“{label}”填错的，先在“{step.title}”一步改正再打印。",
        tuple((period, tuple(numbers)) for period, numbers in ordered),
    )


def _pays(form: Form) -> bool:
    """A sheet that adds up money paid, rather than a list such as a public notice."""
    return form.table is not None and form.table.sum_column is not None


def _refuse_unpayable(form: Form, views: list[CaseView]) -> None:
    refused = [(view, reason) for view in views if (reason := unpayable_reason(view, form))]
    if not refused:
        return
    lines = [
        f"  · {view.row.number}（{view.row.subject_name}）：{reason}"
        for view, reason in refused[:LISTED]
    ]
    if len(refused) > LISTED:
        lines.append(f"  ……另有 {len(refused) - LISTED} 件")
    raise UnpayableCases(
        f"以下 {len(refused)} 件案件不能列入“{form.title}”：\n"
        + "\n".join(lines)
        + (
            "\n只有审批同意、可以发放的案件才能列入签领表。"
            if _pays(form)
            else "\n只有办到打印本表那一步、适用这一步的案件才能列入本表。"
        )
        + "请去掉这些案件后再打印。",
        tuple(view.row.number for view, _reason in refused),
    )


def _listed_before(office, form: Form, views: list[CaseView], number: str) -> list[str]:
    """A notice naming the cases already listed on another batch of the same sheet: the money
    must not go out twice."""
    earlier = office.earlier_batches(form.id, [view.row.id for view in views])
    listed = [
        f"{view.row.number}（{'、'.join(n for n in earlier[view.row.id] if n != number)}）"
        for view in views
        if any(n != number for n in earlier.get(view.row.id, ()))
    ]
    if not listed:
        return []
    shown = "、".join(listed[:LISTED]) + (f" 等 {len(listed)} 件" if len(listed) > LISTED else "")
    twice = "不要重复发放" if _pays(form) else "不要重复公示"
    return [f"{shown}已列入过本表的其他批次，请核对，{twice}。"]


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
    "MixedPeriods",
    "NoticePeriod",
    "PrintJob",
    "PrintRequestError",
    "PrintSource",
    "UnpayableCases",
    "blank_job",
    "blank_source",
    "case_job",
    "case_source",
    "form_titles",
    "kind_text",
    "notice_period",
    "record_whole_numbers",
    "rows_per_case",
    "signoff_source",
    "suggested_file_name",
    "unpayable_reason",
    "wrong_form_reason",
]

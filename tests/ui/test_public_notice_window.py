"""Printing the 公示 from the case list: cases posted over different days are named by period
and nothing prints; cases posted together print as one notice with its GS- batch number."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pdfplumber
import pytest

from desktop.office import Office
from desktop.ui import print_preview
from desktop.ui.case_list import CaseList
from desktop.ui.events import OfficeEvents
from desktop.ui.settings import WindowSettings
from tests.cases.procedure_driver import CHAIR, CLERK, make_person, run_case

NOTICE = "困难职工帮扶救助公示"


@pytest.fixture
def office(tmp_path: Path, clock):
    with Office.open(tmp_path / "office") as opened:
        opened.set_up("示例镇总工会", [(CLERK, "工会专干"), (CHAIR, "工会主席")])
        opened.set_operator(CLERK)
        opened.cases.clock = clock
        yield opened


def at_notice(office, clock, sequence: int, start: str) -> str:
    values = {"excluded_assets": False, "visit_conclusion": "情况属实"}
    person = make_person(office, sequence=sequence)
    view = run_case(
        office, clock, "BF-01", {"person_id": person}, values, stop_before="public_notice"
    )
    office.cases.save_step(
        view.row.id, "public_notice", CLERK,
        {"notice_method": "在所在单位公示", "notice_place": "单位公告栏", "notice_start": start},
    )  # fmt: skip
    return view.number


@pytest.fixture
def warnings(monkeypatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(print_preview, "warn", lambda _p, title, text: shown.append((title, text)))

    def pick_notice(_parent, _title, _label, items, _current=0):
        return list(items).index(NOTICE)

    monkeypatch.setattr(print_preview, "pick_item", pick_notice)
    return shown


def case_list_selecting(qtbot, office, numbers: list[str]) -> CaseList:
    case_list = CaseList(office, WindowSettings(None), OfficeEvents(office))
    qtbot.addWidget(case_list)
    case_list.show()
    case_list.refresh()
    case_list.table.clearSelection()
    for row in range(case_list.model.rowCount()):
        if case_list.model.row_object(row).number in numbers:
            case_list.table.selectionModel().select(
                case_list.model.index(row, 0),
                case_list.table.selectionModel().SelectionFlag.Select
                | case_list.table.selectionModel().SelectionFlag.Rows,
            )
    assert sorted(c.number for c in case_list.selected_cases()) == sorted(numbers)
    return case_list


def test_cases_posted_over_different_days_are_named_and_nothing_prints(
    qtbot, office, clock, warnings
):
    together = [at_notice(office, clock, n, "2026-03-09") for n in (11, 12)]
    later = at_notice(office, clock, 13, "2026-03-10")
    case_list = case_list_selecting(qtbot, office, [*together, later])
    assert case_list.print_signoff() is None
    ((title, text),) = warnings
    assert title == "公示期不同，没有打印"
    assert text.startswith(f"这 3 件案件的公示期不同，不能印在同一张“{NOTICE}”上：")
    first, second = [c.number for c in case_list.selected_cases() if c.number in together]
    assert f"2026年3月9日至2026年3月16日（5 个工作日）：{first}、{second}" in text
    assert f"2026年3月10日至2026年3月17日（5 个工作日）：{later}" in text
    ids = [office.cases.case_id(n) for n in [*together, later]]
    assert office.earlier_batches("aid_public_notice", ids) == {}


def test_cases_posted_together_print_as_one_numbered_notice(qtbot, office, clock, warnings):
    together = [at_notice(office, clock, n, "2026-03-09") for n in (11, 12)]
    case_list = case_list_selecting(qtbot, office, together)
    dialog = case_list.print_signoff()
    qtbot.addWidget(dialog)
    if not dialog.ready:
        with qtbot.waitSignal(dialog.rendered, timeout=10000):
            pass
    assert warnings == []
    assert dialog.windowTitle() == f"打印预览 — {NOTICE}（GS-2026-001）"
    with pdfplumber.open(BytesIO(dialog.pdf_bytes)) as pdf:
        pages = "".join(page.extract_text() or "" for page in pdf.pages)
    text = pages.replace(" ", "").replace("\n", "")  # the period's sentence wraps
    assert "编号：GS-2026-001" in text and "2026年3月9日至2026年3月16日" in text
    dialog.close()

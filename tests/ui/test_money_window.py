"""Whoever decides or pays an amount sees what the same family was already paid this year."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QLabel

from desktop.office import Office
from desktop.ui.case_workspace import CaseWorkspace
from tests.cases.procedure_driver import make_person, run_case

CLERK, CHAIR = "李红梅", "王建国"
AID = {"excluded_assets": False, "visit_conclusion": "情况属实", "pay_method": "银行转账"}


def test_the_approval_step_lists_this_years_earlier_payments(qtbot, tmp_path, clock):
    with Office.open(tmp_path / "data") as office:
        office.cases.clock = clock
        office.set_up(
            "城关镇总工会", [(CLERK, "工会专干"), (CHAIR, "工会主席")], datetime(2026, 3, 2)
        )
        person = make_person(office)
        first = run_case(office, clock, "BF-01", {"person_id": person},
                         values={**AID, "approved_amount": "1200"})  # fmt: skip
        assert first.state.record("payment").values["pay_amount"] == 120_000
        second = run_case(office, clock, "BF-01", {"person_id": person}, values=AID,
                          stop_before="approval", repeat_reason="年内再次遭遇困难")  # fmt: skip
        workspace = CaseWorkspace(office)
        qtbot.addWidget(workspace)
        workspace.show_case(second.row.id)
        (label,) = workspace.active_page.findChildren(QLabel, "earlierPayments")
        assert label.text() == (
            f"本年度已发放“生活救助” 1 笔，共 1,200.00 元：{first.row.number}"
            f"（{first.state.record('payment').completed_at:%Y年%-m月%-d日}）1,200.00 元。"
        )

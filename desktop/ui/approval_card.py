"""The 审批 card of a step that needs an approval: who approves, the decision, the opinion, and
for a paper sign-off the scanned page. It collects the entries; the workspace records them
through CaseService.approve, which decides whether they are allowed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.book.procedures import Approval
from desktop.cases.records import Attachment
from desktop.ui.widgets import card, text_label


class ApprovalCard(QWidget):
    record_clicked = Signal()
    add_scan_clicked = Signal()

    def __init__(
        self,
        approval: Approval,
        recorded_text: str,
        staff: list[tuple[str, str]],
        attachments: Iterable[Attachment],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        frame, box = card("审批", f"由{approval.role}审批")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        self.widgets: dict[str, Any] = {}
        change = None
        if recorded_text:
            done = text_label(f"已记录：{recorded_text}", "approvalRecord")
            box.addWidget(done)
            change = QPushButton("更改审批结果…")
            box.addWidget(change, 0, Qt.AlignmentFlag.AlignLeft)
            self.widgets["recorded"] = done
        form_widget = QWidget()
        form = QFormLayout(form_widget)
        form.setContentsMargins(0, 0, 0, 0)
        form.setSpacing(8)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        approver = QComboBox()
        approver.setEditable(True)
        approver.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        approver.setMinimumContentsLength(8)
        approver.addItems([name for name, _role in staff])
        by_role = [name for name, role in staff if role == approval.role]
        approver.setCurrentText(by_role[0] if by_role else "")
        role = QLineEdit(approval.role)
        agree, disagree = QRadioButton("同意"), QRadioButton("不同意")
        decision = QButtonGroup(form_widget)
        decision.addButton(agree)
        decision.addButton(disagree)
        decision_row = QHBoxLayout()
        decision_row.addWidget(agree)
        decision_row.addWidget(disagree)
        decision_row.addStretch(1)
        opinion = QPlainTextEdit()
        opinion.setTabChangesFocus(True)
        opinion.setPlaceholderText("不同意时必须写明理由")
        opinion.setFixedHeight(60)
        paper = QCheckBox("纸质签批（须附签字页扫描件）")
        scan = QComboBox()
        scan.setEnabled(False)
        scan.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        scan.setMinimumContentsLength(12)
        add_scan = QPushButton("添加附件…")
        add_scan.setEnabled(False)
        paper.toggled.connect(scan.setEnabled)
        paper.toggled.connect(add_scan.setEnabled)
        add_scan.clicked.connect(self.add_scan_clicked)
        scan_row = QHBoxLayout()
        scan_row.addWidget(scan, 1)
        scan_row.addWidget(add_scan)
        record_button = QPushButton("记录审批")
        record_button.clicked.connect(self.record_clicked)
        form.addRow("审批人：", approver)
        form.addRow("岗位：", role)
        form.addRow("审批结果：", decision_row)
        form.addRow("审批意见：", opinion)
        form.addRow("", paper)
        form.addRow("签字页：", scan_row)
        button_row = QHBoxLayout()
        button_row.addWidget(record_button)
        button_row.addStretch(1)
        form.addRow("", button_row)
        box.addWidget(form_widget)
        if change is not None:
            form_widget.hide()
            change.clicked.connect(form_widget.show)
            change.clicked.connect(change.hide)
        self.widgets.update(
            approver=approver, role=role, agree=agree, disagree=disagree, opinion=opinion,
            paper=paper, scan=scan, add_scan=add_scan, button=record_button, form=form_widget,
        )  # fmt: skip
        self.show_scans(attachments)

    def show_scans(self, attachments: Iterable[Attachment], select: int | None = None) -> None:
        """The case's attachments to choose the signed page from; the newest by default."""
        scan: QComboBox = self.widgets["scan"]
        chosen = select if select is not None else scan.currentData()
        scan.clear()
        attachments = list(attachments)
        if not attachments:
            scan.addItem("（本案还没有附件，请先添加）", None)
        for attachment in attachments:
            scan.addItem(
                f"{attachment.file_name}（{attachment.added_at:%m-%d %H:%M}）", attachment.id
            )
        index = scan.findData(chosen) if chosen is not None else -1
        scan.setCurrentIndex(index if index >= 0 else max(0, scan.count() - 1))

    def decided(self) -> bool:
        return self.widgets["agree"].isChecked() or self.widgets["disagree"].isChecked()

    def entries(self) -> dict[str, Any]:
        """What was entered, as CaseService.approve takes it (without the operator)."""
        widgets = self.widgets
        on_paper = widgets["paper"].isChecked()
        return {
            "approver": widgets["approver"].currentText(),
            "role": widgets["role"].text(),
            "approved": widgets["agree"].isChecked(),
            "opinion": widgets["opinion"].toPlainText(),
            "on_paper": on_paper,
            "scan_attachment_id": widgets["scan"].currentData() if on_paper else None,
        }

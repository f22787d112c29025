"""The 审批 card of a step that needs an approval: who approves, the decision, the opinion, and
for a paper sign-off the scanned page. It collects the entries; the workspace records them
through CaseService.approve, which decides whether they are allowed (desktop.cases.engine).

An approval inside the office is given either at this desk by the approver as the operator, or
on paper, recorded by whoever is at the desk with the signed page attached. An approval by the
higher union is always recorded from its signed page, with the official's name and unit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
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
from desktop.staff import MAX_UNIT_LENGTH, Staff, clean_external_approver
from desktop.ui.widgets import card, text_label
from desktop.validation import MAX_PERSON_NAME_LENGTH


class ApprovalCard(QWidget):
    record_clicked = Signal()
    add_scan_clicked = Signal()

    def __init__(
        self,
        step_id: str,
        approval: Approval,
        recorded_text: str,
        approvers: list[Staff],
        operator: Staff | None,
        attachments: Iterable[Attachment],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.step_id = step_id
        self.approval = approval
        self.operator = operator
        subtitle = (
            "上级工会的书面批复：登记批复人、单位和签字页"
            if approval.external
            else f"由{approval.role}审批（须有“{approval.authority}”角色）"
        )
        frame, box = card("审批", subtitle)
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
        # In a narrow step page (150% on a laptop) a label goes above its field, not off the edge.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        if approval.external:
            self._external_rows(form)
        else:
            self._office_rows(form, approvers)
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
        scan = QComboBox()
        scan.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        scan.setMinimumContentsLength(12)
        add_scan = QPushButton("添加附件…")
        add_scan.clicked.connect(self.add_scan_clicked)
        scan_row = QHBoxLayout()
        scan_row.addWidget(scan, 1)
        scan_row.addWidget(add_scan)
        record_button = QPushButton("记录审批")
        record_button.clicked.connect(self.record_clicked)
        form.addRow("审批结果：", decision_row)
        form.addRow("审批意见：", opinion)
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
            agree=agree, disagree=disagree, opinion=opinion, scan=scan, add_scan=add_scan,
            button=record_button, form=form_widget,
        )  # fmt: skip
        self.show_scans(attachments)
        if not approval.external:
            self.widgets["paper"].toggled.connect(self._mode_changed)
            self._mode_changed()

    def _office_rows(self, form: QFormLayout, approvers: list[Staff]) -> None:
        operator = self.operator
        at_desk = QRadioButton("审批人本人在电脑上审批")
        paper = QRadioButton("纸质签批（登记签了字的审批页，须附扫描件）")
        mode = QButtonGroup(form)
        mode.addButton(at_desk)
        mode.addButton(paper)
        may_sign = operator is not None and any(m.id == operator.id for m in approvers)
        (at_desk if may_sign else paper).setChecked(True)
        mode_box = QVBoxLayout()
        mode_box.setSpacing(2)
        mode_box.addWidget(at_desk)
        mode_box.addWidget(paper)
        holders = "、".join(member.label for member in approvers) or "（还没有人有这个角色）"
        if may_sign:
            desk_text = f"审批人：{operator.label}，当前经办人。"
        else:
            who = operator.name if operator is not None else "当前经办人"
            desk_text = (
                f"{who}没有“{self.approval.authority}”角色，不能在电脑上审批。可以审批的是："
                f"{holders}。请由其本人在“设置 → 工作人员”中设为当前经办人后审批，"
                "或选择纸质签批。"
            )
        desk_note = text_label(desk_text, "hint")
        approver = QComboBox()
        approver.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        approver.setMinimumContentsLength(10)
        for member in approvers:
            approver.addItem(member.label, member.id)
        if not approvers:
            approver.addItem(f"（没有人有“{self.approval.authority}”角色）", None)
        mode_box.addWidget(desk_note)
        form.addRow("审批方式：", mode_box)
        form.addRow("签字的审批人：", approver)
        self.widgets.update(at_desk=at_desk, paper=paper, desk_note=desk_note, approver=approver)
        self._may_sign_at_desk = may_sign

    def _external_rows(self, form: QFormLayout) -> None:
        name = QLineEdit()
        name.setMaxLength(MAX_PERSON_NAME_LENGTH)
        name.setPlaceholderText("批复上签字的人")
        unit = QLineEdit()
        unit.setMaxLength(MAX_UNIT_LENGTH)
        unit.setPlaceholderText("如 某某县总工会")
        form.addRow("批复人：", name)
        form.addRow("批复单位：", unit)
        self.widgets.update(external_name=name, external_unit=unit)

    def _mode_changed(self) -> None:
        on_paper = self.widgets["paper"].isChecked()
        self.widgets["approver"].setEnabled(on_paper)
        # Why the desk is closed stays in view while the paper sign-off is chosen.
        self.widgets["desk_note"].setVisible(not on_paper or not self._may_sign_at_desk)
        self.widgets["scan"].setEnabled(on_paper)
        self.widgets["add_scan"].setEnabled(on_paper)
        self.widgets["button"].setEnabled(on_paper or self._may_sign_at_desk)

    def show_scans(self, attachments: Iterable[Attachment], select: int | None = None) -> None:
        """The pages attached on this step to choose the signed page from; the newest by
        default. Attachments of other steps are not a signed approval."""
        scan: QComboBox = self.widgets["scan"]
        chosen = select if select is not None else scan.currentData()
        scan.clear()
        attachments = [a for a in attachments if a.step_id == self.step_id]
        if not attachments:
            scan.addItem("（本步还没有附件，请先添加签字页扫描件）", None)
        for attachment in attachments:
            scan.addItem(
                f"{attachment.file_name}（{attachment.added_at:%m-%d %H:%M}）", attachment.id
            )
        index = scan.findData(chosen) if chosen is not None else -1
        scan.setCurrentIndex(index if index >= 0 else max(0, scan.count() - 1))

    def decided(self) -> bool:
        return self.widgets["agree"].isChecked() or self.widgets["disagree"].isChecked()

    def entries(self) -> dict[str, Any]:
        """What was entered, as CaseService.approve takes it (without the operator).

        Raises desktop.staff.StaffError when the higher union's approver is not usable."""
        widgets = self.widgets
        if self.approval.external:
            approver: Any = clean_external_approver(
                widgets["external_name"].text(), widgets["external_unit"].text()
            )
            on_paper = True
        else:
            on_paper = widgets["paper"].isChecked()
            desk = self.operator.id if self.operator is not None else None
            approver = widgets["approver"].currentData() if on_paper else desk
        return {
            "approver": approver,
            "approved": widgets["agree"].isChecked(),
            "opinion": widgets["opinion"].toPlainText(),
            "on_paper": on_paper,
            "scan_attachment_id": widgets["scan"].currentData() if on_paper else None,
        }

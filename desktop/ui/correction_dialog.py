"""更正 of a done step: the reason, the steps it sends back, and the 冲正 when money went out."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.cases.fields import CORRECTION_REASON_LIMIT
from desktop.money import format_fen
from desktop.ui.theme import AMBER
from desktop.ui.widgets import error_label


class CorrectionDialog(QDialog):
    def __init__(self, parent: QWidget | None, step_title: str, again: list[str], paid: int):
        super().__init__(parent)
        self.setWindowTitle(f"更正“{step_title}”")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        if again:
            consequence = f"更正后，以下步骤需复核，要重新办理：{'、'.join(again)}。"
        else:
            consequence = "更正后，后面的步骤不受影响。"
        effect = QLabel(consequence)
        effect.setWordWrap(True)
        layout.addWidget(effect)
        layout.addWidget(QLabel(f"更正原因（必填，最多 {CORRECTION_REASON_LIMIT} 个字）："))
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setObjectName("correctionReason")
        self.reason_edit.setPlaceholderText("例如：收入证明上是 900 元，录成了 600 元。")
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setFixedHeight(70)
        layout.addWidget(self.reason_edit)
        self.reversal_edit: QPlainTextEdit | None = None
        if paid:
            warning = QLabel(
                f"这件案件已经发放了 {format_fen(paid)} 元。更正前须登记冲正：写明多发或少发的"
                "款项怎样退回或补发（收据、凭证号）。"
            )
            warning.setWordWrap(True)
            warning.setStyleSheet(f"color:{AMBER};")
            layout.addWidget(warning)
            self.reversal_edit = QPlainTextEdit()
            self.reversal_edit.setObjectName("correctionReversal")
            self.reversal_edit.setPlaceholderText("例如：多发的 200.00 元已退回，收据 No.0012。")
            self.reversal_edit.setTabChangesFocus(True)
            self.reversal_edit.setFixedHeight(60)
            layout.addWidget(self.reversal_edit)
        self.message = error_label()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("更正")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()

    def reversal(self) -> str:
        return self.reversal_edit.toPlainText().strip() if self.reversal_edit else ""

    def _accept(self) -> None:
        if not self.reason():
            self.message.setText("请写明更正的原因。")
            return
        if self.reversal_edit is not None and not self.reversal():
            self.message.setText("已经发放过的款项，请先写明冲正的情况。")
            return
        self.accept()

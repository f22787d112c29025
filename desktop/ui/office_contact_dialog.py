"""设置 → 单位联系电话和地址: where the public is told to object to a notice (公示)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.office import OFFICE_ADDRESS_LIMIT, Office


class OfficeContactDialog(QDialog):
    """The office's phone and address; saved only when both are acceptable, else the dialog
    stays open and says what is wrong."""

    def __init__(self, office: Office, parent: QWidget | None = None):
        super().__init__(parent)
        self.office = office
        self.setWindowTitle("单位联系电话和地址")
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        intro = QLabel("印在帮扶救助公示上，供职工群众反映异议。不填的，公示上留空白手写。")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.phone_edit = QLineEdit(office.phone)
        self.phone_edit.setPlaceholderText("如 0931-8123456 或手机号码")
        self.address_edit = QLineEdit(office.address)
        self.address_edit.setPlaceholderText(
            f"如 城关镇人民路 12 号（最多 {OFFICE_ADDRESS_LIMIT} 个字）"
        )
        form.addRow("联系电话：", self.phone_edit)
        form.addRow("地址：", self.address_edit)
        layout.addLayout(form)
        self.error_label = QLabel("")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self) -> None:
        try:
            self.office.set_contact(self.phone_edit.text(), self.address_edit.text())
        except ValueError as error:
            self.error_label.setText(str(error))
            return
        super().accept()

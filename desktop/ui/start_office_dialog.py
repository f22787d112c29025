"""文件 → 开始正式使用: leave the demo behind and start the office's own records.

The demo database is moved aside (desktop.office.Office.start_real_office), never deleted, so a
clerk who pressed this too early can still find what they tried.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.office import OFFICE_NAME_LIMIT, clean_office_name
from desktop.registry import STAFF_ROLES, RecordError, clean_staff
from desktop.ui.widgets import error_label


class StartOfficeDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("开始正式使用")
        self.setMinimumWidth(460)
        intro = QLabel(
            "现在用的是演示数据。开始正式使用后，程序换成一份空白的办公数据；"
            "演示数据移到数据文件夹中的“演示数据备份-日期”子文件夹保存，不会删除。"
        )
        intro.setWordWrap(True)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("如 城关镇总工会（打印在各种表单上）")
        self.name_edit.setMaxLength(OFFICE_NAME_LIMIT)
        self.operator_edit = QLineEdit()
        self.operator_edit.setPlaceholderText("在这台电脑上办事的人")
        self.role_combo = QComboBox()
        self.role_combo.setEditable(True)
        self.role_combo.addItems(STAFF_ROLES)
        self.role_combo.setCurrentText("工会专干")
        form = QFormLayout()
        form.addRow("单位名称：", self.name_edit)
        form.addRow("经办人姓名：", self.operator_edit)
        form.addRow("经办人岗位：", self.role_combo)
        self.error_label = error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.start_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.start_button.setText("开始正式使用")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.office_name = ""
        self.staff: list[tuple[str, str]] = []

    def accept(self) -> None:
        try:
            name = clean_office_name(self.name_edit.text())
        except ValueError as error:
            self._refuse(str(error), self.name_edit)
            return
        try:
            staff = clean_staff(self.operator_edit.text(), self.role_combo.currentText())
        except RecordError as error:
            where = self.operator_edit if error.field == "name" else self.role_combo
            self._refuse(str(error), where)
            return
        self.office_name, self.staff = name, [staff]
        super().accept()

    def _refuse(self, message: str, where: QWidget) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        where.setFocus()

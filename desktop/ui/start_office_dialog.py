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

from desktop.office import OFFICE_NAME_LIMIT, StaffEntry, check_office_staff, clean_office_name
from desktop.staff import CHAIR, POSTS, StaffError
from desktop.ui.widgets import error_label
from desktop.validation import MAX_PERSON_NAME_LENGTH


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
        self.operator_edit.setMaxLength(MAX_PERSON_NAME_LENGTH)
        self.role_combo = QComboBox()
        self.role_combo.setEditable(True)
        self.role_combo.addItems([post for post in POSTS if post != CHAIR])
        self.role_combo.setCurrentText("工会专干")
        self.chair_edit = QLineEdit()
        self.chair_edit.setPlaceholderText("审批困难帮扶等事项的人")
        self.chair_edit.setMaxLength(MAX_PERSON_NAME_LENGTH)
        form = QFormLayout()
        form.addRow("单位名称：", self.name_edit)
        form.addRow("经办人姓名：", self.operator_edit)
        form.addRow("经办人岗位：", self.role_combo)
        form.addRow("工会主席姓名：", self.chair_edit)
        chair_note = QLabel(
            "经办人作出的认定由工会主席审批，一个人不能既办理又审批。其他工作人员和角色，"
            "以后在“设置 → 工作人员”中登记。"
        )
        chair_note.setWordWrap(True)
        chair_note.setObjectName("hint")
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
        layout.addWidget(chair_note)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.office_name = ""
        self.staff: list[StaffEntry] = []

    def accept(self) -> None:
        try:
            name = clean_office_name(self.name_edit.text())
        except ValueError as error:
            self._refuse(str(error), self.name_edit)
            return
        if not self.chair_edit.text().strip():
            self._refuse("请填写工会主席的姓名：经办人作出的认定要由主席审批。", self.chair_edit)
            return
        staff: list[StaffEntry] = [
            (self.operator_edit.text(), self.role_combo.currentText()),
            (self.chair_edit.text(), CHAIR),
        ]
        try:
            cleaned = check_office_staff(staff)
        except StaffError as error:
            where = self.role_combo if error.field == "post" else self.operator_edit
            self._refuse(str(error), where)
            return
        self.office_name, self.staff = name, [tuple(entry) for entry in cleaned]
        super().accept()

    def _refuse(self, message: str, where: QWidget) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        where.setFocus()

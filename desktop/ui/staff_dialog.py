"""设置 → 工作人员: who works at this office, and who is at this desk.

The names here fill the 审批人 lists and are recorded on every step a person completes; a
person who leaves is taken off the lists but stays on the records they signed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.office import Office
from desktop.registry import STAFF_ROLES, RecordError, clean_staff
from desktop.ui.widgets import error_label


class StaffDialog(QDialog):
    """A short list (a handful of people), so a plain table widget is the right tool here."""

    def __init__(self, office: Office, parent: QWidget | None = None):
        super().__init__(parent)
        self.office = office
        self.setWindowTitle("工作人员与当前经办人")
        self.resize(520, 420)

        intro = QLabel(
            "在这里登记本单位办事和审批的工作人员。“当前经办人”是在这台电脑上办事的人，"
            "每一步的办理记录都写上他的名字。"
        )
        intro.setWordWrap(True)
        self.current_label = QLabel()

        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["姓名", "岗位"])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(self.make_current)

        self.set_current_button = QPushButton("设为当前经办人")
        self.set_current_button.clicked.connect(self.make_current)
        self.remove_button = QPushButton("停用…")
        self.remove_button.setToolTip("离岗的人员不再出现在选择列表中，已有的办理记录保留其姓名")
        self.remove_button.clicked.connect(self.remove_selected)
        row_buttons = QHBoxLayout()
        row_buttons.addWidget(self.set_current_button)
        row_buttons.addWidget(self.remove_button)
        row_buttons.addStretch(1)

        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("姓名")
        self.role_combo = QComboBox()
        self.role_combo.setEditable(True)
        self.role_combo.addItems(STAFF_ROLES)
        self.role_combo.setCurrentText("工会专干")
        self.add_button = QPushButton("添加")
        self.add_button.clicked.connect(self.add_staff)
        self.name_edit.returnPressed.connect(self.add_staff)
        add_row = QHBoxLayout()
        add_row.addWidget(QLabel("新增："))
        add_row.addWidget(self.name_edit, 1)
        add_row.addWidget(self.role_combo)
        add_row.addWidget(self.add_button)
        self.error_label = error_label()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.current_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(row_buttons)
        layout.addLayout(add_row)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self._fill()

    def _fill(self, select: str | None = None) -> None:
        staff = self.office.registry.staff()
        self.table.setRowCount(len(staff))
        current = self.office.operator
        for row, (name, role) in enumerate(staff):
            shown = f"{name}（当前经办人）" if name == current else name
            name_item = QTableWidgetItem(shown)
            name_item.setData(Qt.ItemDataRole.UserRole, name)
            self.table.setItem(row, 0, name_item)
            self.table.setItem(row, 1, QTableWidgetItem(role))
            if name == (select or current):
                self.table.selectRow(row)
        self.current_label.setText(
            f"当前经办人：<b>{current}</b>" if current else "当前经办人：<b>尚未选择</b>"
        )
        self._selection_changed()

    def selected_name(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.table.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)

    def _selection_changed(self) -> None:
        chosen = self.selected_name() is not None
        self.set_current_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    def add_staff(self) -> None:
        try:
            name, role = clean_staff(self.name_edit.text(), self.role_combo.currentText())
        except RecordError as error:
            self._show_error(str(error))
            (self.name_edit if error.field == "name" else self.role_combo).setFocus()
            return
        self.office.registry.add_staff(name, role, actor=self.office.operator)
        if not self.office.operator:
            self.office.set_operator(name)
        self._show_error("")
        self.name_edit.clear()
        self._fill(select=name)

    def make_current(self) -> None:
        name = self.selected_name()
        if name is not None:
            self.office.set_operator(name)
            self._fill(select=name)

    def remove_selected(self) -> None:
        name = self.selected_name()
        if name is None:
            return
        if name == self.office.operator:
            self._show_error(f"{name}是当前经办人，请先把别人设为当前经办人，再停用。")
            return
        if not confirm(self, "停用工作人员", f"停用{name}？已有的办理记录仍保留其姓名。"):
            return
        self.office.registry.deactivate_staff(name, actor=self.office.operator)
        self._show_error("")
        self._fill()


def confirm(parent: QWidget, title: str, text: str) -> bool:
    """A yes/no question; a module function so tests can answer it."""
    from PySide6.QtWidgets import QMessageBox

    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes

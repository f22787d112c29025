"""设置 → 工作人员: who works at this office, in which post, what each may sign, and who is at
this desk.

The rules (who may give roles, passwords, keeping an approver) are the office's, in
desktop.staff.StaffService; this dialog shows them and reports their refusals. A person who
leaves is taken off the lists but stays on the records they signed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.office import Office
from desktop.staff import (
    POSTS,
    ROLE_MEANINGS,
    ROLES,
    Staff,
    StaffError,
    default_roles,
)
from desktop.ui.widgets import error_label
from desktop.validation import MAX_PERSON_NAME_LENGTH


class RoleChoice(QWidget):
    """A post and the roles it holds; choosing a post proposes its usual roles."""

    def __init__(self, post: str = "工会专干", roles: frozenset[str] | None = None):
        super().__init__()
        self.post_combo = QComboBox()
        self.post_combo.setEditable(True)
        self.post_combo.addItems(POSTS)
        self.post_combo.setCurrentText(post)
        self.boxes = {role: QCheckBox(role) for role in ROLES}
        for role, box in self.boxes.items():
            box.setToolTip(ROLE_MEANINGS[role])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.post_combo, 1)
        for box in self.boxes.values():
            layout.addWidget(box)
        self.set_roles(roles if roles is not None else default_roles(post))
        self.post_combo.currentTextChanged.connect(lambda p: self.set_roles(default_roles(p)))

    def set_roles(self, roles: frozenset[str]) -> None:
        for role, box in self.boxes.items():
            box.setChecked(role in roles)

    def post(self) -> str:
        return self.post_combo.currentText()

    def roles(self) -> frozenset[str]:
        return frozenset(role for role, box in self.boxes.items() if box.isChecked())


class StaffDialog(QDialog):
    """A short list (a handful of people), so a plain table widget is the right tool here."""

    def __init__(self, office: Office, parent: QWidget | None = None):
        super().__init__(parent)
        self.office = office
        self.setWindowTitle("工作人员与当前经办人")
        self.resize(640, 460)

        intro = QLabel(
            "登记本单位办事和审批的工作人员，以及每人可担任的角色：经办（办理各步骤）、"
            "审核、审批（一般是工会主席）。“当前经办人”是在这台电脑上办事的人，每一步的办理"
            "记录都写上他的名字；设了密码的人，换成他时要输入密码。"
        )
        intro.setWordWrap(True)
        self.current_label = QLabel()

        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["姓名", "岗位", "角色", "密码"])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(self.make_current)

        self.set_current_button = QPushButton("设为当前经办人")
        self.set_current_button.clicked.connect(self.make_current)
        self.edit_button = QPushButton("修改岗位和角色…")
        self.edit_button.clicked.connect(self.edit_selected)
        self.password_button = QPushButton("设置密码…")
        self.password_button.setToolTip("只能为当前经办人本人设置")
        self.password_button.clicked.connect(self.set_password)
        self.clear_password_button = QPushButton("清除密码")
        self.clear_password_button.setToolTip("忘记密码时，由本人或有审批角色的人员清除")
        self.clear_password_button.clicked.connect(self.clear_password)
        self.remove_button = QPushButton("停用…")
        self.remove_button.setToolTip("离岗的人员不再出现在选择列表中，已有的办理记录保留其姓名")
        self.remove_button.clicked.connect(self.remove_selected)
        row_buttons = QHBoxLayout()
        for button in (
            self.set_current_button, self.edit_button, self.password_button,
            self.clear_password_button, self.remove_button,
        ):  # fmt: skip
            row_buttons.addWidget(button)
        row_buttons.addStretch(1)

        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("姓名")
        self.name_edit.setMaxLength(MAX_PERSON_NAME_LENGTH)
        self.role_choice = RoleChoice()
        self.add_button = QPushButton("添加")
        self.add_button.clicked.connect(self.add_staff)
        self.name_edit.returnPressed.connect(self.add_staff)
        add_row = QHBoxLayout()
        add_row.addWidget(QLabel("新增："))
        add_row.addWidget(self.name_edit, 1)
        add_row.addWidget(self.role_choice, 2)
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

    def _fill(self, select: int | None = None) -> None:
        staff = self.office.staff.members()
        operator = self.office.operator_staff
        current_id = operator.id if operator is not None else None
        self.table.setRowCount(len(staff))
        for row, member in enumerate(staff):
            shown = f"{member.name}（当前经办人）" if member.id == current_id else member.name
            name_item = QTableWidgetItem(shown)
            name_item.setData(Qt.ItemDataRole.UserRole, member.id)
            self.table.setItem(row, 0, name_item)
            self.table.setItem(row, 1, QTableWidgetItem(member.post))
            self.table.setItem(row, 2, QTableWidgetItem(member.roles_text))
            password = "已设置" if member.has_password else "未设置"
            self.table.setItem(row, 3, QTableWidgetItem(password))
            if member.id == (select if select is not None else current_id):
                self.table.selectRow(row)
        self.current_label.setText(
            f"当前经办人：<b>{operator.name}</b>（{operator.post}；{operator.roles_text}）"
            if operator
            else "当前经办人：<b>尚未选择</b>"
        )
        self._selection_changed()

    def selected(self) -> Staff | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        staff_id = self.table.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)
        return self.office.staff.member(staff_id)

    def _selection_changed(self) -> None:
        member = self.selected()
        operator = self.office.operator_staff
        is_operator = member is not None and operator is not None and member.id == operator.id
        for button in (self.set_current_button, self.edit_button, self.remove_button):
            button.setEnabled(member is not None)
        self.password_button.setEnabled(is_operator)
        self.password_button.setText(
            "修改密码…" if member is not None and member.has_password else "设置密码…"
        )
        self.clear_password_button.setEnabled(member is not None and member.has_password)

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    def _attempt(self, change: Callable[[], object], select: int | None = None) -> bool:
        """Make a change by the office's rules; show its refusal, or the list as it now is."""
        try:
            change()
        except StaffError as error:
            self._show_error(str(error))
            return False
        self._show_error("")
        self._fill(select=select)
        return True

    def add_staff(self) -> None:
        try:
            member = self.office.staff.add(
                self.name_edit.text(), self.role_choice.post(), self.role_choice.roles()
            )
        except StaffError as error:
            self._show_error(str(error))
            (self.name_edit if error.field == "name" else self.role_choice).setFocus()
            return
        if not self.office.operator:
            self.office.set_operator(member.name)
        self._show_error("")
        self.name_edit.clear()
        self._fill(select=member.id)

    def make_current(self) -> None:
        member = self.selected()
        if member is None:
            return
        password = ""
        if member.has_password:
            password = ask_password(self, "换当前经办人", f"请{member.name}输入密码：")
            if password is None:
                return
        self._attempt(lambda: self.office.switch_operator(member.id, password), select=member.id)

    def edit_selected(self) -> None:
        member = self.selected()
        if member is None:
            return
        dialog = QDialog(self)
        dialog.setWindowTitle(f"{member.name}的岗位和角色")
        choice = RoleChoice(member.post, member.roles)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form = QFormLayout(dialog)
        form.addRow("岗位和角色：", choice)
        form.addRow(buttons)
        if not run_dialog(dialog):
            return
        self._attempt(
            lambda: self.office.staff.update(member.id, choice.post(), choice.roles()),
            select=member.id,
        )

    def set_password(self) -> None:
        member = self.selected()
        if member is None:
            return
        old = ""
        if member.has_password:
            old = ask_password(self, "修改密码", "原密码：")
            if old is None:
                return
        new = ask_password(self, "设置密码", "新密码（至少 6 位）：")
        if new is None:
            return
        again = ask_password(self, "设置密码", "再输入一次新密码：")
        if again is None:
            return
        if new != again:
            self._show_error("两次输入的新密码不一样，请重新设置。")
            return
        self._attempt(lambda: self.office.staff.set_password(member.id, new, old), select=member.id)

    def clear_password(self) -> None:
        member = self.selected()
        if member is None:
            return
        if not confirm(self, "清除密码", f"清除{member.name}的密码？此操作记入办理记录。"):
            return
        self._attempt(lambda: self.office.staff.clear_password(member.id), select=member.id)

    def remove_selected(self) -> None:
        member = self.selected()
        if member is None:
            return
        try:
            self.office.staff.check_may_deactivate(member.id)
        except StaffError as error:
            self._show_error(str(error))
            return
        if not confirm(self, "停用工作人员", f"停用{member.name}？已有的办理记录仍保留其姓名。"):
            return
        self._attempt(lambda: self.office.staff.deactivate(member.id))


def confirm(parent: QWidget, title: str, text: str) -> bool:
    """A yes/no question; a module function so tests can answer it."""
    from PySide6.QtWidgets import QMessageBox

    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes


def ask_password(parent: QWidget, title: str, label: str) -> str | None:
    """A password typed in hidden; None when cancelled. A module function so tests can answer."""
    text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Password)
    return text if ok else None


def run_dialog(dialog: QDialog) -> bool:
    """Show a modal dialog; a module function so tests can answer it."""
    return dialog.exec() == QDialog.DialogCode.Accepted

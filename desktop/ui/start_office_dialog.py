"""文件 → 开始正式使用: leave the demo behind and start the office's own records.

The demo database is moved aside (desktop.office.Office.start_real_office), never deleted, so a
clerk who pressed this too early can still find what they tried. The office's staff are entered
here, as many as it has: each gets their post's roles, and each service item the person of its
responsible post as its 责任人.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.office import OFFICE_NAME_LIMIT, StaffEntry, check_office_staff, clean_office_name
from desktop.staff import (
    CHAIR,
    MAX_POST_LENGTH,
    POSTS,
    StaffError,
    clean_staff,
    default_roles,
    roles_text,
)
from desktop.ui.widgets import error_label
from desktop.validation import MAX_PERSON_NAME_LENGTH

# A township office has one to five people; a few more rows cover a street office's committee.
MAX_START_STAFF = 8
CLERK_POST = "工会专干"


class StaffRow:
    """One person on the start form: name, post (chosen or typed) and the roles the post gives."""

    def __init__(self, post: str, placeholder: str):
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(placeholder)
        self.name_edit.setMaxLength(MAX_PERSON_NAME_LENGTH)
        self.post_combo = QComboBox()
        self.post_combo.setEditable(True)
        self.post_combo.addItems(list(POSTS))
        self.post_combo.lineEdit().setMaxLength(MAX_POST_LENGTH)
        self.post_combo.setCurrentText(post)
        self.roles_label = QLabel()
        self.roles_label.setObjectName("hint")
        self.remove_button = QPushButton("删除")
        self.remove_button.setToolTip("不登记这一行的人")
        self.post_combo.currentTextChanged.connect(self._show_roles)
        self._show_roles(post)

    def _show_roles(self, post: str) -> None:
        self.roles_label.setText(roles_text(default_roles(post.strip())))

    @property
    def widgets(self) -> tuple[QWidget, ...]:
        return (self.name_edit, self.post_combo, self.roles_label, self.remove_button)

    def is_blank(self) -> bool:
        return not self.name_edit.text().strip()

    def entry(self) -> StaffEntry:
        return (self.name_edit.text(), self.post_combo.currentText())


class StartOfficeDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("开始正式使用")
        self.setMinimumWidth(560)
        intro = QLabel(
            "现在用的是演示数据。开始正式使用后，程序换成一份空白的办公数据；"
            "演示数据移到数据文件夹中的“演示数据备份-日期”子文件夹保存，不会删除。"
        )
        intro.setWordWrap(True)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("如 城关镇总工会（打印在各种表单上）")
        self.name_edit.setMaxLength(OFFICE_NAME_LIMIT)
        form = QFormLayout()
        form.addRow("单位名称：", self.name_edit)

        staff_title = QLabel("<b>工作人员</b>（第一位是在这台电脑上办事的经办人）")
        self.staff_grid = QGridLayout()
        self.staff_grid.setHorizontalSpacing(8)
        for column, heading in enumerate(("姓名", "岗位", "角色")):
            self.staff_grid.addWidget(QLabel(heading), 0, column)
        self.staff_grid.setColumnStretch(0, 3)
        self.staff_grid.setColumnStretch(1, 2)
        self.staff_grid.setColumnStretch(2, 2)
        self.rows: list[StaffRow] = []
        self.add_staff_row(CLERK_POST, "在这台电脑上办事的人")
        self.add_staff_row(CHAIR, "审批困难帮扶等事项的人")
        self.add_button = QPushButton("添加工作人员")
        self.add_button.clicked.connect(lambda: self.add_staff_row(CLERK_POST))
        add_bar = QHBoxLayout()
        add_bar.addWidget(self.add_button)
        add_bar.addStretch(1)

        note = QLabel(
            "经办人作出的认定由工会主席审批，一个人不能既办理又审批。角色按岗位给出，"
            "以后可在“设置 → 工作人员”中调整和增减人员。服务清单每一项的责任人按岗位自动填写"
            "（如“工会专干”负责的项目由登记为工会专干的人负责），可在“服务清单”中修改。"
        )
        note.setWordWrap(True)
        note.setObjectName("hint")
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
        layout.addWidget(staff_title)
        layout.addLayout(self.staff_grid)
        layout.addLayout(add_bar)
        layout.addWidget(note)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.office_name = ""
        self.staff: list[StaffEntry] = []

    def add_staff_row(self, post: str = CLERK_POST, placeholder: str = "姓名") -> StaffRow | None:
        """One more person on the form (None when the form holds as many as it takes)."""
        if len(self.rows) >= MAX_START_STAFF:
            return None
        row = StaffRow(post, placeholder)
        grid_row = len(self.rows) + 1
        for column, widget in enumerate(row.widgets):
            self.staff_grid.addWidget(widget, grid_row, column)
        row.remove_button.clicked.connect(lambda: self.remove_staff_row(row))
        self.rows.append(row)
        self._update_row_buttons()
        return row

    def remove_staff_row(self, row: StaffRow) -> None:
        if len(self.rows) <= 2 or row not in self.rows:
            return
        for widget in row.widgets:
            self.staff_grid.removeWidget(widget)
            widget.deleteLater()
        self.rows.remove(row)
        # Close the gap: the rows below move up a line in the grid.
        for index, remaining in enumerate(self.rows, start=1):
            for column, widget in enumerate(remaining.widgets):
                self.staff_grid.addWidget(widget, index, column)
        self._update_row_buttons()

    def _update_row_buttons(self) -> None:
        # The chair and the clerk are always needed: two rows stay.
        for row in self.rows:
            row.remove_button.setEnabled(len(self.rows) > 2)
        if hasattr(self, "add_button"):
            self.add_button.setEnabled(len(self.rows) < MAX_START_STAFF)

    def accept(self) -> None:
        try:
            name = clean_office_name(self.name_edit.text())
        except ValueError as error:
            self._refuse(str(error), self.name_edit)
            return
        filled = [row for row in self.rows if not row.is_blank()]
        # Each person's own mistakes first, pointed at their row; then the office's rules.
        for row in filled:
            try:
                clean_staff(*row.entry())
            except StaffError as error:
                where = row.post_combo if error.field == "post" else row.name_edit
                self._refuse(str(error), where)
                return
        try:
            cleaned = check_office_staff([row.entry() for row in filled])
        except StaffError as error:
            self._refuse(str(error), self._first_blank_name() or self.rows[0].name_edit)
            return
        self.office_name, self.staff = name, [tuple(entry) for entry in cleaned]
        super().accept()

    def _first_blank_name(self) -> QLineEdit | None:
        return next((row.name_edit for row in self.rows if row.is_blank()), None)

    def _refuse(self, message: str, where: QWidget) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        where.setFocus()

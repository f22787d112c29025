"""设置 → 节假日表: the office's own holiday days for years the national calendar lacks.

chinesecalendar knows the State Council's holiday notices up to the year it was released; a
county office types (or imports) the next year's notice here so deadlines stay right.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.cases.calendar import (
    CalendarFileError,
    format_office_days,
    parse_office_days,
    read_office_days_text,
)
from desktop.office import Office
from desktop.ui.widgets import error_label


def choose_table_file(parent: QWidget) -> str:
    """A module function so tests can answer it."""
    file_types = "文本文件 (*.txt);;所有文件 (*)"
    path, _ = QFileDialog.getOpenFileName(parent, "选择节假日表文件", "", file_types)
    return path


class HolidayDialog(QDialog):
    def __init__(self, office: Office, parent: QWidget | None = None):
        super().__init__(parent)
        self.office = office
        self.setWindowTitle("节假日表")
        self.resize(560, 520)
        self.intro = intro = QLabel(
            "程序按国家法定节假日和调休计算工作日，内置的日历收录到 "
            f"{office.cases.calendar.national_last_year()} 年。之后的年份，请按国务院办公厅发布的"
            "放假安排在下面逐行填写：日期、“休”或“班”、备注。这里填写的日期优先于内置日历。"
        )
        intro.setWordWrap(True)
        self.editor = QPlainTextEdit(format_office_days(office.cases.office_days()))
        self.editor.setFont(QFont("monospace"))
        self.editor.setPlaceholderText("2027-01-01 休 元旦\n2027-02-07 班 春节调休")
        self.error_label = error_label()
        import_button = QPushButton("从文件读入…")
        import_button.clicked.connect(self.import_file)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(import_button)
        bottom.addStretch(1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(bottom)

    def import_file(self) -> None:
        path = choose_table_file(self)
        if not path:
            return
        try:
            text = read_office_days_text(Path(path))
        except CalendarFileError as error:
            self._show_error(str(error))
            return
        self.editor.setPlainText(text)
        self._show_error("")

    def accept(self) -> None:
        try:
            days = parse_office_days(self.editor.toPlainText())
        except CalendarFileError as error:
            self._show_error(f"{str(error).rstrip('。')}。改正后再保存。")
            return
        # The whole table as shown is what the office keeps.
        self.office.cases.replace_office_days(days, actor=self.office.operator)
        super().accept()

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

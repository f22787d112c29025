"""One 登记项 of a step's form: the label (a red * when required), the editor its type calls for,
its help text and the red line for what is wrong with what was typed.

A saved ID number or phone opens masked and read-only; 显示 shows it whole (kept in the case's
record through the step page) and opens it for editing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape
from typing import Any

from PySide6.QtCore import QSignalBlocker, QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.book.procedures import FieldSpec
from desktop.cases.fields import edit_text, personal_kind
from desktop.formatting import chinese_date
from desktop.identity import mask_personal
from desktop.office import Office
from desktop.registry import PeopleFilter
from desktop.ui.date_input import DATE_PLACEHOLDER, CalendarButton, make_date_line
from desktop.ui.theme import RED
from desktop.ui.widgets import WORD_JOINER, error_label, text_label, unbroken

FIELD_LABEL_WIDTH = 150
PLACEHOLDERS = {
    "date": DATE_PLACEHOLDER,
    "number": "整数",
    "money": "如 1200 或 1200.50",
    "id_number": "18 位身份证号码",
    "phone": "手机或座机号码",
    "bank_account": "银行卡号或存折账号",
    "card_number": "照会员证填写，如 2026-0511",
    "person": "输入姓名、拼音或身份证号查找职工",
    "name": "姓名，少数民族姓名中间用“·”",
}


def field_label_html(spec: FieldSpec) -> str:
    """The label with a red * when required; the star never wraps onto a line of its own."""
    if not spec.required:
        return escape(spec.label)
    head, last = spec.label[:-1], spec.label[-1:]
    return f'{escape(head)}{unbroken(escape(last))}{WORD_JOINER}<span style="color:{RED};">*</span>'


def label_width(widget: QWidget, texts: list[str]) -> int:
    """Wide enough for the longest label, up to FIELD_LABEL_WIDTH; longer ones wrap."""
    metrics = widget.fontMetrics()
    widest = max((metrics.horizontalAdvance(text) for text in texts), default=0)
    return min(FIELD_LABEL_WIDTH, widest + 6)


class FieldEditor(QWidget):
    """One row of the form: the label, the editor, its help text and the red error line."""

    changed = Signal()

    def __init__(
        self,
        spec: FieldSpec,
        value: Any,
        office: Office,
        label_width: int = FIELD_LABEL_WIDTH,
        parent: QWidget | None = None,
        record_reveal: Callable[[FieldSpec], None] | None = None,
    ):
        super().__init__(parent)
        self.spec = spec
        self.office = office
        self._people: dict[str, int] = {}
        # The saved personal number while it is shown masked; None once shown or typed over.
        self.hidden_value: Any = None
        if personal_kind(spec) and edit_text(spec, value):
            self.hidden_value = value
        self._record_reveal = record_reveal
        self.label = text_label(field_label_html(spec), rich=True)
        self.label.setFixedWidth(label_width)
        self.label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(8)
        outer.addWidget(self.label, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout()
        layout.setSpacing(2)
        outer.addLayout(layout, 1)
        row = QHBoxLayout()
        row.setSpacing(6)
        self.input = self._make_input(value)
        self.input.setObjectName(f"field_{spec.id}")
        row.addWidget(self.input, 1)
        self.reveal_button: QToolButton | None = None
        if self.hidden_value is not None and record_reveal is not None:
            self.reveal_button = QToolButton()
            self.reveal_button.setText("显示")
            self.reveal_button.setToolTip("显示完整号码后可以修改；显示会记入办理记录")
            self.reveal_button.clicked.connect(self.reveal)
            row.addWidget(self.reveal_button)
        if spec.type == "money":
            row.addWidget(QLabel("元"))
        if spec.type == "date":
            self.today_button = QToolButton()
            self.today_button.setText("今天")
            self.today_button.setToolTip("填入今天的日期")
            self.today_button.clicked.connect(
                lambda: self.input.setText(chinese_date(self._today()))
            )
            row.addWidget(self.today_button)
            self.calendar_button = CalendarButton(self.input, self._today, spec.not_future, self)
            row.addWidget(self.calendar_button)
        layout.addLayout(row)
        if spec.help:
            layout.addWidget(text_label(spec.help, "fieldHelp"))
        self.error_label = error_label()
        layout.addWidget(self.error_label)
        self.label.setBuddy(self.input)
        # Line the label up with the editor's text rather than the top of its frame.
        self.label.setContentsMargins(0, 4, 0, 0)

    def _make_input(self, value: Any) -> QWidget:
        spec = self.spec
        if spec.type == "longtext":
            box = QPlainTextEdit(edit_text(spec, value))
            # A plain text box has no length cap of its own: it says the limit, and saving
            # refuses more with the count.
            box.setPlaceholderText(f"最多 {spec.length_limit} 个字")
            box.setTabChangesFocus(True)
            box.setFixedHeight(84)
            box.textChanged.connect(self.changed)
            return box
        if spec.type in ("choice", "bool"):
            combo = QComboBox()
            choices = spec.choices if spec.type == "choice" else ("是", "否")
            combo.addItem("（请选择）", "")
            for choice in choices:
                combo.addItem(choice, choice)
            current = edit_text(spec, value)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.currentIndexChanged.connect(self.changed)
            return combo
        line = QLineEdit()
        line.setPlaceholderText(PLACEHOLDERS.get(spec.type, ""))
        if spec.type == "date":
            make_date_line(line)
        if spec.type == "person":
            self._completions = QStringListModel(self)
            completer = QCompleter(self._completions, self)
            completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
            line.setCompleter(completer)
            line.textEdited.connect(self._find_people)
            if value is not None:
                person = self.office.registry.person(int(value))
                if person is not None:
                    shown = self._person_text(person)
                    self._people[shown] = person.id
                    line.setText(shown)
        elif self.hidden_value is not None:
            line.setText(mask_personal(personal_kind(spec) or spec.type, edit_text(spec, value)))
            line.setReadOnly(True)
        else:
            line.setText(edit_text(spec, value))
        if spec.length_limit is not None:
            # Never shorter than what was saved under an earlier rule: a QLineEdit would cut it.
            line.setMaxLength(max(spec.length_limit, len(line.text())))
        line.textChanged.connect(self.changed)
        return line

    def _today(self) -> date:
        """The service's today, not this computer's: the two differ in tests and demos."""
        return self.office.cases.clock().date()

    def reveal(self) -> None:
        """Show the saved number whole, recorded first, and let it be edited."""
        if self.hidden_value is None or self._record_reveal is None:
            return
        self._record_reveal(self.spec)
        # The saved value, only shown: nothing to save.
        with QSignalBlocker(self.input):
            self._show_whole(edit_text(self.spec, self.hidden_value))

    def _show_whole(self, text: str) -> None:
        self.hidden_value = None
        self.input.setReadOnly(False)
        self.input.setText(text)
        if self.reveal_button is not None:
            self.reveal_button.hide()

    @staticmethod
    def _person_text(person) -> str:
        return f"{person.name}　{person.masked_id_number}"

    def _find_people(self, text: str) -> None:
        if not text.strip():
            self._completions.setStringList([])
            return
        people = self.office.registry.people(PeopleFilter(text=text.strip()), limit=20)
        shown = []
        for person in people:
            label = self._person_text(person)
            self._people[label] = person.id
            shown.append(label)
        self._completions.setStringList(shown)

    def raw(self) -> Any:
        """What the clerk entered, for CaseService.save_step to check and store."""
        widget = self.input
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        if isinstance(widget, QComboBox):
            return widget.currentData() or ""
        if self.hidden_value is not None:
            return edit_text(self.spec, self.hidden_value)  # unchanged, as saved
        text = widget.text()
        if self.spec.type == "person" and text.strip():
            # A name typed but not picked from the list is not a person yet.
            return self._people.get(text, f"（未选择）{text}")
        return text

    def typed(self) -> tuple[str, int | None]:
        """What the editor shows, with the chosen person's id, to put back after a reload."""
        widget = self.input
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText(), None
        if isinstance(widget, QComboBox):
            return widget.currentData() or "", None
        return widget.text(), self._people.get(widget.text())

    def retype(self, typed: tuple[str, int | None]) -> None:
        text, person_id = typed
        if person_id is not None:
            self._people[text] = person_id
        self.set_value_text(text)

    def set_value_text(self, text: str) -> None:
        """Enter text as the clerk would (a choice by its words); a masked number is typed
        over, never shown."""
        widget = self.input
        if self.hidden_value is not None:
            self._show_whole(text)
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(text)
        elif isinstance(widget, QComboBox):
            widget.setCurrentIndex(max(0, widget.findData(text)))
        else:
            widget.setText(text)

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def clear_error(self) -> None:
        self.error_label.clear()
        self.error_label.hide()

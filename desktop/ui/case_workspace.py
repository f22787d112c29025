"""One case on the clerk's desk: its steps, the current step's form, and everything recorded.

The workspace reads the case through ``office.cases.view`` and changes it only through the
service's actions (save_step, complete_step, approve, add_log_entry, attach_file, terminate).
Every error the service raises is shown next to what it concerns: field errors in red under
the field, refused actions in a message box. After any write it emits ``case_changed``.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date, datetime
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QPointF,
    QRect,
    QSignalBlocker,
    QSize,
    QStringListModel,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QFont,
    QFontMetrics,
    QKeySequence,
    QPainter,
    QPen,
    QShortcut,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.book.procedures import FROM_CASE_START, FROM_STEP_START, FieldSpec, Step
from desktop.cases import engine
from desktop.cases.calendar import STATE_LABELS, Deadline, DeadlineState, deadline_state
from desktop.cases.engine import ACTIVE, CASE_STATUS_LABELS, DONE, OPEN, PENDING, SKIPPED
from desktop.cases.fields import FieldError, clean_field_value, display_value, edit_text
from desktop.cases.service import CaseError, CaseView, FieldErrors, StepView
from desktop.office import Office
from desktop.printing.office_forms import office_forms
from desktop.store.registry_repo import PeopleFilter
from desktop.ui.print_preview import FormPreviewDialog, preview_case_form
from desktop.ui.settings import Setting, WindowSettings, restore_splitter, save_splitter
from desktop.ui.widgets import error_label

RULE_LINK_SCHEME = "rule"
FIELD_LABEL_WIDTH = 150
WORD_JOINER = "\u2060"
STEP_ROLE = Qt.ItemDataRole.UserRole + 1

RED, AMBER, GREEN, GREY = "#c62828", "#b26a00", "#2e7d32", "#777777"
STATE_COLOURS = {
    "on_track": GREEN,
    "due_soon": AMBER,
    "due_today": AMBER,
    "overdue": RED,
    "done_on_time": GREY,
    "done_late": GREY,
    "terminated": GREY,
}
STATE_TEXT = {**STATE_LABELS, "terminated": "已终止"}
STEP_STATUS_TEXT = {DONE: "已完成 ✓", ACTIVE: "办理中", PENDING: "未开始", SKIPPED: "不适用"}
NO_OPERATOR = "请先在“设置 → 工作人员与当前经办人”中选择在这台电脑上办事的人，再办理案件。"
ATTACHMENT_FILTER = (
    "扫描件、照片和文档 (*.pdf *.png *.jpg *.jpeg *.tif *.tiff *.bmp *.doc *.docx);;所有文件 (*)"
)

STYLE_SHEET = f"""
QLabel#caseTitle {{ font-size: 14pt; font-weight: bold; }}
QLabel#stepTitle {{ font-size: 13pt; font-weight: bold; }}
QLabel#sectionTitle {{ font-weight: bold; color: #333; }}
QLabel#hint, QLabel#fieldHelp {{ color: #666; }}
QLabel#formMessage {{ color: {RED}; }}
QLabel#notice {{ color: {GREEN}; }}
QFrame#card {{ background: #ffffff; border: 1px solid #dde1e7; border-radius: 6px; }}
QFrame#caseHeader {{ background: #f3f5f8; border: 1px solid #dde1e7; border-radius: 6px; }}
QWidget#stepPage {{ background: #f6f7f9; }}
QLabel#instructions {{ background: #fffdf3; border: 1px solid #efe6c2; border-radius: 4px;
    padding: 8px; }}
QPushButton#primaryButton {{ background: #2f6fde; color: white; border: none; border-radius: 4px;
    padding: 7px 20px; font-weight: bold; }}
QPushButton#primaryButton:hover {{ background: #285fc0; }}
QPushButton#primaryButton:disabled {{ background: #9db8ea; }}
QPushButton#dangerButton {{ color: {RED}; }}
QListWidget#caseStepper {{ background: #f8f9fb; border: 1px solid #dde1e7; outline: none; }}
QListWidget#caseStepper::item:selected {{ background: #dbe7ff; color: #000; }}
QListWidget#caseStepper::item:hover:!selected {{ background: #eef2f8; }}
"""


# --- dialogs, kept as small functions so tests can replace them ------------------------------


def warn(parent: QWidget, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


def ask_save(parent: QWidget, text: str) -> str:
    """ "save", "discard" or "cancel" for entries not yet saved."""
    box = QMessageBox(QMessageBox.Icon.Question, "尚未保存", text, parent=parent)
    save = box.addButton("保存", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("不保存", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.exec()
    clicked = box.clickedButton()
    return "save" if clicked is save else "discard" if clicked is discard else "cancel"


def ask_text(parent: QWidget, title: str, label: str) -> tuple[str, bool]:
    return QInputDialog.getText(parent, title, label)


def choose_file(parent: QWidget) -> str:
    path, _ = QFileDialog.getOpenFileName(parent, "选择要添加的附件", "", ATTACHMENT_FILTER)
    return path


def open_file(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


# --- plain words for dates and deadlines -----------------------------------------------------


def day_text(moment: date | datetime) -> str:
    return f"{moment.year}年{moment.month}月{moment.day}日"


def moment_text(moment: datetime) -> str:
    return f"{day_text(moment)} {moment:%H:%M}"


def due_text(deadline: Deadline) -> str:
    """The due day as 2026年3月4日前, with the hour when the period is counted in hours."""
    if deadline.unit == "小时":
        return f"{moment_text(deadline.due)}前"
    return f"{day_text(deadline.due)}前"


def short_due_text(deadline: Deadline, now: datetime) -> str:
    """Without the year when it is this year's, for the narrow step list."""
    if deadline.due.year != now.year:
        return due_text(deadline)
    hour = f" {deadline.due:%H:%M}" if deadline.unit == "小时" else ""
    return f"{deadline.due.month}月{deadline.due.day}日{hour}前"


def state_html(state: str | None) -> str:
    if not state:
        return ""
    colour = STATE_COLOURS.get(state, GREY)
    return (
        f'<span style="color:{colour}; font-weight:bold; white-space:nowrap;">'
        f"{STATE_TEXT.get(state, state)}</span>"
    )


def _change_text(entry) -> str:
    old, new = entry.old_value or "", entry.new_value or ""
    change = f"{old} → {new}" if old and new else new or old
    if entry.field:
        change = f"{entry.field}：{change}" if change else entry.field
    return change


def timeline_html(entries) -> str:
    """Audit entries as the clerk reads them: time and who, what was done, old → new.

    One save writes a row per field; rows of the same moment, person and action are shown
    as one entry listing every change, so a step's registration reads as one event.
    """
    blocks: list[tuple[Any, list[str]]] = []
    for entry in entries:
        key = (entry.at.replace(second=0, microsecond=0), entry.actor, entry.action)
        if not blocks or blocks[-1][0] != key:
            blocks.append((key, []))
        change = _change_text(entry)
        if change:
            blocks[-1][1].append(escape(change))
    html = []
    for (at, actor, action), changes in blocks:
        detail = "".join(f"<br>{change}" for change in changes)
        html.append(
            '<p style="margin:0 0 8px 0;">'
            f'<span style="color:#777;">{at:%Y-%m-%d %H:%M}　{escape(actor)}</span><br>'
            f"<b>{escape(action)}</b>{detail}</p>"
        )
    return "".join(html)


def _label(text: str = "", name: str = "", rich: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


def _unbroken(text: str) -> str:
    """Text that wraps as one piece: word joiners between its characters (Qt's rich text
    does not honour CSS white-space inside a paragraph)."""
    return WORD_JOINER.join(text)


def _field_label_html(spec: FieldSpec) -> str:
    """The label with a red * when required; the star never wraps onto a line of its own."""
    if not spec.required:
        return escape(spec.label)
    head, last = spec.label[:-1], spec.label[-1:]
    return (
        f'{escape(head)}{_unbroken(escape(last))}{WORD_JOINER}<span style="color:{RED};">*</span>'
    )


def _label_width(widget: QWidget, texts: list[str]) -> int:
    """Wide enough for the longest label, up to FIELD_LABEL_WIDTH; longer ones wrap."""
    metrics = widget.fontMetrics()
    widest = max((metrics.horizontalAdvance(text) for text in texts), default=0)
    return min(FIELD_LABEL_WIDTH, widest + 6)


def _card(title: str, hint: str = "") -> tuple[QFrame, QVBoxLayout]:
    card = QFrame()
    card.setObjectName("card")
    layout = QVBoxLayout(card)
    layout.setContentsMargins(12, 10, 12, 12)
    layout.setSpacing(8)
    heading = QHBoxLayout()
    heading.addWidget(_label(title, "sectionTitle"))
    heading.addStretch(1)
    if hint:
        hint_label = _label(hint, "hint")
        hint_label.setWordWrap(False)
        heading.addWidget(hint_label)
    layout.addLayout(heading)
    return card, layout


# --- the stepper -----------------------------------------------------------------------------


@dataclass(frozen=True)
class StepLine:
    number: int
    title: str
    status: str
    status_text: str
    due: str
    state: str | None
    first: bool
    last: bool


class StepDelegate(QStyledItemDelegate):
    """A numbered badge joined to its neighbours, the title, and a line of status and due date."""

    BADGE_RADIUS = 11

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        metrics = QFontMetrics(option.font)
        # No width of its own: the list is as wide as the splitter makes it, titles are elided.
        return QSize(1, max(52, metrics.height() * 2 + 22))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        line: StepLine = index.data(STEP_ROLE)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect
        radius = self.BADGE_RADIUS
        cx, cy = rect.left() + 8 + radius, rect.center().y()
        painter.setPen(QPen(QColor("#c8ced8"), 2))
        if not line.first:
            painter.drawLine(cx, rect.top(), cx, cy - radius)
        if not line.last:
            painter.drawLine(cx, cy + radius, cx, rect.bottom() + 1)

        fill, ring, mark_colour = {
            DONE: ("#2e7d32", "#2e7d32", "#ffffff"),
            ACTIVE: ("#2f6fde", "#2f6fde", "#ffffff"),
            PENDING: ("#ffffff", "#9aa3b0", "#555555"),
            SKIPPED: ("#f0f0f0", "#cccccc", "#aaaaaa"),
        }[line.status]
        painter.setPen(QPen(QColor(ring), 1.5))
        painter.setBrush(QColor(fill))
        painter.drawEllipse(QPointF(cx, cy), radius, radius)
        badge_font = QFont(option.font)
        badge_font.setBold(True)
        painter.setFont(badge_font)
        painter.setPen(QColor(mark_colour))
        badge = QRect(cx - radius, cy - radius, radius * 2, radius * 2)
        painter.drawText(
            badge, Qt.AlignmentFlag.AlignCenter, "✓" if line.status == DONE else str(line.number)
        )

        x = cx + radius + 8
        width = rect.right() - x - 6
        title_font = QFont(option.font)
        title_font.setBold(line.status == ACTIVE)
        title_metrics = QFontMetrics(title_font)
        small_font = QFont(option.font)
        small_font.setPointSizeF(max(7.0, option.font.pointSizeF() * 0.9))
        small_metrics = QFontMetrics(small_font)
        top = cy - (title_metrics.height() + small_metrics.height() + 2) // 2

        painter.setFont(title_font)
        painter.setPen(QColor("#aaaaaa" if line.status == SKIPPED else "#222222"))
        title = title_metrics.elidedText(line.title, Qt.TextElideMode.ElideRight, width)
        painter.drawText(
            QRect(x, top, width, title_metrics.height()), Qt.AlignmentFlag.AlignLeft, title
        )

        painter.setFont(small_font)
        second = top + title_metrics.height() + 2
        status_colour = {ACTIVE: "#2f6fde", DONE: GREEN}.get(line.status, "#999999")
        painter.setPen(QColor(status_colour))
        painter.drawText(
            QRect(x, second, width, small_metrics.height()),
            Qt.AlignmentFlag.AlignLeft,
            line.status_text,
        )
        used = small_metrics.horizontalAdvance(line.status_text + "  ")
        if line.due:
            painter.setPen(QColor("#666666" if line.status != SKIPPED else "#aaaaaa"))
            due = small_metrics.elidedText(line.due, Qt.TextElideMode.ElideRight, width - used)
            painter.drawText(
                QRect(x + used, second, width - used, small_metrics.height()),
                Qt.AlignmentFlag.AlignLeft,
                due,
            )
            used += small_metrics.horizontalAdvance(due + " ")
        if line.state and line.status in (ACTIVE, DONE):
            painter.setPen(QColor(STATE_COLOURS.get(line.state, GREY)))
            label = STATE_TEXT.get(line.state, "")
            painter.drawText(
                QRect(x + used, second, width - used, small_metrics.height()),
                Qt.AlignmentFlag.AlignLeft,
                label,
            )
        painter.restore()


# --- one 登记项 ------------------------------------------------------------------------------


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
    ):
        super().__init__(parent)
        self.spec = spec
        self.office = office
        self._people: dict[str, int] = {}
        self.label = _label(_field_label_html(spec), rich=True)
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
        if spec.type == "money":
            row.addWidget(QLabel("元"))
        if spec.type == "date":
            today = QToolButton()
            today.setText("今天")
            today.setToolTip("填入今天的日期")
            today.clicked.connect(
                lambda: self.input.setText(self.office.cases.clock().date().isoformat())
            )
            row.addWidget(today)
        layout.addLayout(row)
        if spec.help:
            layout.addWidget(_label(spec.help, "fieldHelp"))
        self.error_label = error_label()
        layout.addWidget(self.error_label)
        self.label.setBuddy(self.input)
        # Line the label up with the editor's text rather than the top of its frame.
        self.label.setContentsMargins(0, 4, 0, 0)

    def _make_input(self, value: Any) -> QWidget:
        spec = self.spec
        if spec.type == "longtext":
            box = QPlainTextEdit(edit_text(spec, value))
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
        placeholders = {
            "date": "如 2026-03-09",
            "number": "整数",
            "money": "如 1200 或 1200.50",
            "id_number": "18 位身份证号码",
            "phone": "手机或座机号码",
            "person": "输入姓名、拼音或身份证号查找职工",
        }
        line.setPlaceholderText(placeholders.get(spec.type, ""))
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
        else:
            line.setText(edit_text(spec, value))
        line.textChanged.connect(self.changed)
        return line

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
        text = widget.text()
        if self.spec.type == "person" and text.strip():
            # A name typed but not picked from the list is not a person yet.
            return self._people.get(text, f"（未选择）{text}")
        return text

    def set_value_text(self, text: str) -> None:
        """Enter text as the clerk would (a choice by its words)."""
        widget = self.input
        if isinstance(widget, QPlainTextEdit):
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


WORKSPACE_SPLITTER = Setting("case_workspace/splitter", QByteArray())
URGENT_STATES = (DeadlineState.DUE_SOON, DeadlineState.DUE_TODAY, DeadlineState.OVERDUE)


# --- the workspace ---------------------------------------------------------------------------


class CaseWorkspace(QWidget):
    """Header, steps on the left, the chosen step in the middle, record and attachments right."""

    rule_link_activated = Signal(str)
    case_changed = Signal(int)

    def __init__(self, office: Office, parent: QWidget | None = None):
        super().__init__(parent)
        self.office = office
        self.case_id: int | None = None
        self.view: CaseView | None = None
        self.preview_dialog: FormPreviewDialog | None = None
        self._reset_step_widgets()
        self.setStyleSheet(STYLE_SHEET)

        self.empty_hint = _label("请在案件列表中选择一件案件。", "emptyHint")
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)

        # Header
        self.header = QFrame()
        self.header.setObjectName("caseHeader")
        self.title_label = _label("", "caseTitle")
        self.subject_label = _label("", rich=True)
        self.meta_label = _label("", rich=True)
        self.procedure_label = _label("", "hint", rich=True)
        self.terminate_button = QPushButton("终止办理…")
        self.terminate_button.setObjectName("dangerButton")
        self.terminate_button.setToolTip("申请人撤回申请等情况，写明原因后终止本案办理")
        self.terminate_button.clicked.connect(self.terminate_case)
        header_text = QVBoxLayout()
        header_text.setSpacing(4)
        for widget in (self.title_label, self.subject_label, self.meta_label, self.procedure_label):
            header_text.addWidget(widget)
        header_layout = QHBoxLayout(self.header)
        header_layout.setContentsMargins(12, 10, 12, 10)
        header_layout.setSpacing(8)
        header_layout.addLayout(header_text, 1)
        header_layout.addWidget(self.terminate_button, 0, Qt.AlignmentFlag.AlignTop)

        # Left: the steps
        self.stepper = QListWidget()
        self.stepper.setObjectName("caseStepper")
        self.stepper.setItemDelegate(StepDelegate(self.stepper))
        self.stepper.setMinimumWidth(220)
        self.stepper.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.stepper.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stepper.currentRowChanged.connect(self._step_selected)

        # Centre: the active step's form (kept while the clerk looks at other steps) or another
        # step, read-only
        self.active_scroll = self._scroll_area()
        self.other_scroll = self._scroll_area()
        self.step_stack = QStackedWidget()
        self.step_stack.addWidget(self.active_scroll)
        self.step_stack.addWidget(self.other_scroll)

        self.form_message = _label("", "formMessage")
        self.notice = _label("", "notice")
        self.save_button = QPushButton("保存")
        self.save_button.setToolTip("保存本步已填写的内容（Ctrl+S）")
        self.save_button.clicked.connect(self.save_current_step)
        self.complete_button = QPushButton("完成此步")
        self.complete_button.setObjectName("primaryButton")
        self.complete_button.setToolTip("保存后完成本步，转入下一步")
        self.complete_button.clicked.connect(self.complete_current_step)
        messages = QVBoxLayout()
        messages.setSpacing(2)
        messages.addWidget(self.form_message)
        messages.addWidget(self.notice)
        self.action_bar = QFrame()
        bar = QHBoxLayout(self.action_bar)
        bar.setContentsMargins(0, 4, 0, 0)
        bar.setSpacing(8)
        bar.addLayout(messages, 1)
        bar.addWidget(self.save_button)
        bar.addWidget(self.complete_button)
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.setSpacing(6)
        centre_layout.addWidget(self.step_stack, 1)
        centre_layout.addWidget(self.action_bar)
        save_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save_shortcut.activated.connect(self.save_current_step)

        # Right: the record of the case and its attachments
        self.timeline = QTextBrowser()
        self.timeline.setObjectName("caseTimeline")
        self.timeline.setOpenLinks(False)
        self.attachments = QListWidget()
        self.attachments.setObjectName("caseAttachments")
        self.attachments.setWordWrap(True)
        self.attachments.setAlternatingRowColors(True)
        self.attachments.itemDoubleClicked.connect(lambda _item: self.open_attachment())
        self.add_attachment_button = QPushButton("添加附件…")
        self.add_attachment_button.setToolTip("把扫描件或照片复制到数据文件夹，列在本案件下")
        self.add_attachment_button.clicked.connect(lambda: self.add_attachment())
        self.open_attachment_button = QPushButton("打开")
        self.open_attachment_button.clicked.connect(self.open_attachment)
        attachments_page = QWidget()
        attachments_layout = QVBoxLayout(attachments_page)
        attachments_layout.setContentsMargins(8, 8, 8, 8)
        attachments_layout.setSpacing(8)
        attachments_layout.addWidget(self.attachments, 1)
        attachment_buttons = QHBoxLayout()
        attachment_buttons.addWidget(self.add_attachment_button)
        attachment_buttons.addWidget(self.open_attachment_button)
        attachment_buttons.addStretch(1)
        attachments_layout.addLayout(attachment_buttons)
        self.side_tabs = QTabWidget()
        self.side_tabs.addTab(self.timeline, "办理记录")
        self.side_tabs.addTab(attachments_page, "附件")

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.stepper)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(self.side_tabs)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([255, 520, 300])  # the step list fits "10月14日前 按时办结"

        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.setSpacing(8)
        content_layout.addWidget(self.header)
        content_layout.addWidget(self.splitter, 1)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.empty_hint)
        self.pages.addWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(self.pages)

    def _scroll_area(self) -> QScrollArea:
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return area

    def _reset_step_widgets(self) -> None:
        """Forget the widgets of the active step's form; they are built again for each case."""
        self.active_step: Step | None = None
        self._unsaved = False
        self.editors: dict[str, FieldEditor] = {}
        self.material_boxes: dict[str, QCheckBox] = {}
        self.note_edit: QPlainTextEdit | None = None
        self.eligibility_label: QLabel | None = None
        self.approval_widgets: dict[str, Any] = {}
        self.log_list: QListWidget | None = None
        self.log_edit: QPlainTextEdit | None = None
        self.log_button: QPushButton | None = None
        self._shown_fields: set[str] = set()
        self._shown_materials: set[str] = set()

    # --- showing a case ----------------------------------------------------------------------

    def restore_state(self, settings: WindowSettings) -> None:
        """The column widths the clerk dragged last time (steps | step | record)."""
        self._settings = settings
        restore_splitter(settings, WORKSPACE_SPLITTER, self.splitter)

    def save_state(self) -> None:
        settings = getattr(self, "_settings", None)
        if settings is not None:
            save_splitter(settings, WORKSPACE_SPLITTER, self.splitter)

    def show_case(self, case_id: int) -> None:
        try:
            view = self.office.cases.view(case_id)
        except CaseError as error:
            self.case_id, self.view = None, None
            self.empty_hint.setText(str(error))
            self.pages.setCurrentIndex(0)
            return
        self.case_id, self.view = case_id, view
        self.form_message.clear()
        self._show_header()
        self._build_active_page()
        self._fill_stepper(keep_selection=False)
        self._fill_timeline()
        self._fill_attachments()
        self.pages.setCurrentIndex(1)

    @property
    def editable(self) -> bool:
        return self.view is not None and self.view.row.status == OPEN

    def current_step_id(self) -> str | None:
        """The step now in the middle of the workspace."""
        row = self.stepper.currentRow()
        if self.view is None or row < 0:
            return None
        return self.view.steps[row].step.id

    def _reload(self) -> None:
        assert self.case_id is not None
        self.view = self.office.cases.view(self.case_id)

    def _show_header(self) -> None:
        view = self.view
        assert view is not None
        row = view.row
        self.title_label.setText(f"{row.number}　{row.service_item_name}")
        if view.person is not None:
            subject = f"{escape(view.person.name)}（身份证 {escape(view.person.masked_id_number)}）"
        elif view.enterprise is not None:
            subject = escape(view.enterprise.name)
        else:
            subject = escape(row.subject_name)
        kind = f"　类别：{escape(row.kind)}" if row.kind else ""
        self.subject_label.setText(f"办理对象：<b>{subject}</b>{kind}")
        service_due = Deadline(row.due_at, row.time_limit_unit, row.time_limit)
        finished = row.served_at or row.closed_at if row.status != OPEN else None
        if row.status == "terminated":
            state = "terminated"
        else:
            state = deadline_state(
                service_due, self.office.cases.clock(), finished, self.office.cases.calendar
            )
        limit = (
            f"{row.time_limit} 小时"
            if row.time_limit_unit == "小时"
            else (f"{row.time_limit} 个{row.time_limit_unit}")
        )
        status_colour = {OPEN: "#2f6fde"}.get(row.status, GREY)
        parts = [
            f'状态：<b style="color:{status_colour};">{CASE_STATUS_LABELS[row.status]}</b>',
            f"受理：{day_text(row.opened_at)}（{escape(row.opened_by)}）",
            f"服务时限：{limit}，{due_text(service_due)} {state_html(state)}",
        ]
        # The nearest deadline may be the current step's rather than the whole service's.
        current = next((s for s in view.steps if s.status == ACTIVE), None)
        if (
            row.status == OPEN
            and current is not None
            and current.deadline_state in URGENT_STATES
            and current.deadline_state != state
        ):
            parts.append(
                f"本步“{escape(current.step.title)}”：{state_html(current.deadline_state)}"
            )
        if row.closed_at is not None and row.status != OPEN:
            parts.append(
                f"{'办结' if row.status == 'closed' else '终止'}：{day_text(row.closed_at)}"
            )
        self.meta_label.setText("　".join(parts))
        procedure = view.procedure
        extra = [f"办理流程：{escape(procedure.title)}（版本 {escape(procedure.version)}）"]
        if row.responsible:
            extra.append(f"责任人：{escape(row.responsible)}")
        if row.repeat_reason:
            extra.append(f"同年再次办理，理由：{escape(row.repeat_reason)}")
        self.procedure_label.setText("　".join(extra))
        self.terminate_button.setVisible(self.editable)
        self.add_attachment_button.setEnabled(self.editable)

    def _fill_stepper(self, keep_selection: bool = True) -> None:
        view = self.view
        assert view is not None
        selected = self.current_step_id() if keep_selection else None
        blocker = QSignalBlocker(self.stepper)
        self.stepper.clear()
        terminated = view.row.status == "terminated"
        now = self.office.cases.clock()
        for number, step_view in enumerate(view.steps, start=1):
            step, status = step_view.step, step_view.status
            status_text = STEP_STATUS_TEXT[status]
            if terminated and status == ACTIVE:
                status_text = "已终止"
            if step_view.due is not None and status != SKIPPED:
                due = short_due_text(step_view.due, now)
            elif step.deadline is not None and status == PENDING:
                due = f"时限 {step.deadline.text}"
            else:
                due = ""
            line = StepLine(
                number, step.title, status, status_text, due, step_view.deadline_state,
                first=number == 1, last=number == len(view.steps),
            )  # fmt: skip
            item = QListWidgetItem(f"{number}. {step.title} — {status_text}")
            item.setData(STEP_ROLE, line)
            tip = [f"由谁办理：{step.role}", f"状态：{status_text}"]
            if step_view.due is not None:
                tip.append(f"办理时限：{due_text(step_view.due)}")
            if step_view.deadline_state:
                tip.append(STATE_TEXT.get(step_view.deadline_state, ""))
            item.setToolTip("\n".join(tip))
            self.stepper.addItem(item)
        ids = [s.step.id for s in view.steps]
        target = selected if selected in ids else None
        if target is None:
            current = view.current
            done = [s.step.id for s in view.steps if s.status == DONE]
            target = current.id if current is not None else (done[-1] if done else ids[0])
        self.stepper.setCurrentRow(ids.index(target))
        del blocker
        self._step_selected(self.stepper.currentRow())

    def _step_selected(self, row: int) -> None:
        view = self.view
        if view is None or row < 0:
            return
        step_view = view.steps[row]
        if self.active_step is not None and step_view.step.id == self.active_step.id:
            self.step_stack.setCurrentWidget(self.active_scroll)
            self.action_bar.setVisible(self.editable)
            return
        page = self._step_page(step_view, editable=False)
        old = self.other_scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self.other_scroll.setWidget(page)
        self.step_stack.setCurrentWidget(self.other_scroll)
        self.action_bar.setVisible(False)

    def _build_active_page(self) -> None:
        view = self.view
        assert view is not None
        old = self.active_scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self._reset_step_widgets()
        current = view.current
        if current is None:
            return
        step_view = next(s for s in view.steps if s.step.id == current.id)
        self.active_step = current
        self.active_scroll.setWidget(self._step_page(step_view, editable=self.editable))
        self._unsaved = False
        if self.editable:
            self._update_visibility()

    # --- a step's page -----------------------------------------------------------------------

    def _step_page(self, step_view: StepView, editable: bool) -> QWidget:
        view = self.view
        assert view is not None
        step = step_view.step
        record = view.state.record(step.id)
        page = QWidget()
        page.setObjectName("stepPage")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(10)

        number = [s.step.id for s in view.steps].index(step.id) + 1
        status_text = STEP_STATUS_TEXT[step_view.status]
        if view.row.status == "terminated" and step_view.status == ACTIVE:
            status_text = "已终止"
        title_row = QHBoxLayout()
        title_row.addWidget(_label(f"第 {number} 步　{step.title}", "stepTitle"), 1)
        status_label = _label(status_text, "sectionTitle")
        title_row.addWidget(status_label, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(title_row)
        layout.addWidget(self._about_step(step_view))

        if step_view.status == PENDING:
            layout.addWidget(_label("本步尚未开始：前面的步骤完成后，轮到本步办理。", "hint"))
        elif step_view.status == SKIPPED:
            layout.addWidget(_label("本案不适用此步（流程条件不满足），无需办理。", "hint"))
        elif editable:
            self._editable_sections(layout, step, record)
        else:
            self._recorded_sections(layout, step, record)
        layout.addStretch(1)
        return page

    def _about_step(self, step_view: StepView) -> QWidget:
        """Who does the step, how long it may take, what to do, which rules and forms."""
        view = self.view
        assert view is not None
        step = step_view.step
        card, layout = _card("本步要点")
        layout.addWidget(_label(f"由谁办理：{step.role}"))
        if step.deadline is not None:
            origin = step.deadline.start
            if origin == FROM_CASE_START:
                counted = "（自受理起算）"
            elif origin == FROM_STEP_START:
                counted = ""
            else:
                counted = f"（自“{view.procedure.step(origin).title}”完成起算）"
            text = f"办理时限：{escape(step.deadline.text)}{counted}"
            if step_view.due is not None:
                text += f"，{due_text(step_view.due)}"
            text += f"　{state_html(step_view.deadline_state)}"
            deadline_label = _label(text, "deadline", rich=True)
            layout.addWidget(deadline_label)
            if step_view.due is not None and step_view.due.warning:
                warning = _label(f"注意：{step_view.due.warning}", rich=False)
                warning.setStyleSheet(f"color:{AMBER};")
                layout.addWidget(warning)
        if step.hold is not None:
            text = f"等待期：{step.hold.text}"
            ends = engine.hold_end(view.state, step, self.office.cases.calendar)
            if ends is not None:
                text += f"，{day_text(ends.due)}期满后才能完成本步"
            layout.addWidget(_label(text))
        layout.addWidget(_label(step.instructions, "instructions"))
        if step.rule_ids:
            links = []
            for rule_id in step.rule_ids:
                rule = self.office.book.rule(rule_id)
                title = rule.title if rule is not None else "（制度汇编中已没有这一条）"
                shown = _unbroken(f"{rule_id}\u00a0{title}")
                links.append(f'<a href="{RULE_LINK_SCHEME}:{escape(rule_id)}">{escape(shown)}</a>')
            rules = _label(f"相关制度：{'　'.join(links)}", "ruleLinks", rich=True)
            rules.setToolTip("点击条款，在制度汇编中打开")
            rules.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
            rules.linkActivated.connect(self._link_activated)
            layout.addWidget(rules)
        printed = step.forms_for(self.view.state.values()) if self.view is not None else ()
        if printed and step_view.status != SKIPPED:
            layout.addWidget(self._step_forms(step))
        return card

    def _step_forms(self, step: Step) -> QWidget:
        """A button per form the step prints, each opening the preview filled from the case."""
        catalogue = office_forms(self.office)
        assert self.view is not None
        form_ids = step.forms_for(self.view.state.values())
        forms = [catalogue.forms.get(form_id) for form_id in form_ids]
        if catalogue.error is not None or None in forms:
            # Form files the county union got wrong: name the forms, say why they cannot print.
            names = _label(f"本步表单：{'、'.join(form_ids)}", "formNames")
            why = "表单版式文件有错误，详见“表单打印”" if catalogue.error else "缺少表单版式文件"
            names.setToolTip(f"暂时不能从这里打印：{why}。")
            return names
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 2, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        grid.addWidget(_label("本步表单（按本案填好，预览后打印）：", "formNames"), 0, 0, 1, 2)
        for index, form in enumerate(forms):
            assert form is not None
            button = QPushButton(f"{form.title}…")
            button.setObjectName(f"formButton_{form.id}")
            button.setToolTip(f"按本案登记的内容填好“{form.title}”，预览后打印或存为 PDF")
            button.clicked.connect(lambda _checked=False, f=form.id: self.preview_form(f))
            grid.addWidget(button, 1 + index // 2, index % 2)
        return box

    def preview_form(self, form_id: str) -> FormPreviewDialog | None:
        """The form filled from this case, in the print preview."""
        if self.case_id is None:
            return None
        self.preview_dialog = preview_case_form(self, self.office, form_id, self.case_id)
        return self.preview_dialog

    def _link_activated(self, href: str) -> None:
        scheme, _, rule_id = href.partition(":")
        if scheme == RULE_LINK_SCHEME and rule_id:
            self.rule_link_activated.emit(rule_id)

    def _editable_sections(self, layout: QVBoxLayout, step: Step, record) -> None:
        view = self.view
        assert view is not None
        if step.materials:
            card, box = _card("材料清单", "收到一项勾选一项")
            for material in step.materials:
                need = "必交" if material.required else "可选"
                check = QCheckBox(f"{material.label}（{need}）")
                check.setChecked(material.id in record.materials)
                check.toggled.connect(self._mark_unsaved)
                self.material_boxes[material.id] = check
                box.addWidget(check)
            layout.addWidget(card)
        if step.fields:
            card, box = _card("登记内容", "带 * 的为必填项")
            width = _label_width(self, [s.label + "*" for s in step.fields])
            for spec in step.fields:
                editor = FieldEditor(spec, record.values.get(spec.id), self.office, width)
                editor.changed.connect(lambda editor=editor: self._entry_changed(editor))
                self.editors[spec.id] = editor
                box.addWidget(editor)
            layout.addWidget(card)
        if step.eligibility:
            card, box = _card("认定结果预览", "按已保存的数据计算")
            self.eligibility_label = _label("", "eligibilityPreview", rich=True)
            box.addWidget(self.eligibility_label)
            box.addWidget(_label("完成此步时，按当时保存的数据正式认定。", "hint"))
            self._show_eligibility_preview()
            layout.addWidget(card)
        if step.approval is not None:
            layout.addWidget(self._approval_card(step, record))
        if step.log:
            layout.addWidget(self._log_card(step, editable=True))
        card, box = _card("备注")
        self.note_edit = QPlainTextEdit(record.note)
        self.note_edit.setObjectName("stepNote")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setPlaceholderText("需要说明的情况（可不写）")
        self.note_edit.setFixedHeight(70)
        self.note_edit.textChanged.connect(self._mark_unsaved)
        box.addWidget(self.note_edit)
        layout.addWidget(card)

    def _recorded_sections(self, layout: QVBoxLayout, step: Step, record) -> None:
        """What was recorded in a step, read-only: a done step, or any step of a closed case."""
        view = self.view
        assert view is not None
        if record.completed_at is not None:
            layout.addWidget(
                _label(f"已完成：{record.completed_by}，{moment_text(record.completed_at)}", "hint")
            )
        values = view.state.values()
        materials = [m for m in step.materials if engine.applies(m, values)]
        if materials:
            card, box = _card("材料清单")
            for material in materials:
                got = material.id in record.materials
                mark = "✓ 已收" if got else ("✗ 未收" if material.required else "— 未交（可选）")
                box.addWidget(_label(f"{material.label}　{mark}"))
            layout.addWidget(card)
        shown = [
            s
            for s in step.fields
            if record.values.get(s.id) is not None or engine.applies(s, values)
        ]
        if shown:
            card, box = _card("登记内容")
            width = _label_width(self, [s.label + "：" for s in shown])
            for spec in shown:
                value = record.values.get(spec.id)
                row = QHBoxLayout()
                row.setSpacing(8)
                name = _label(f"{spec.label}：")
                name.setFixedWidth(width)
                name.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
                row.addWidget(name, 0, Qt.AlignmentFlag.AlignTop)
                row.addWidget(_label(self._value_text(spec, value), "recordedValue"), 1)
                box.addLayout(row)
            layout.addWidget(card)
        if record.eligibility is not None:
            card, box = _card("认定结果")
            box.addWidget(
                _label(_eligibility_html(record.eligibility), "eligibilityResult", rich=True)
            )
            layout.addWidget(card)
        if step.approval is not None and record.approval is not None:
            card, box = _card("审批")
            box.addWidget(_label(self._approval_text(record.approval), "approvalRecord"))
            layout.addWidget(card)
        if step.log:
            layout.addWidget(self._log_card(step, editable=False))
        if record.note:
            card, box = _card("备注")
            box.addWidget(_label(record.note))
            layout.addWidget(card)

    def _value_text(self, spec: FieldSpec, value: Any) -> str:
        if value is None or value == "":
            return "（未填写）"
        if spec.type == "person":
            person = self.office.registry.person(int(value))
            return f"{person.name}（{person.masked_id_number}）" if person else "（档案中已无此人）"
        return display_value(spec, value)

    # --- approval ------------------------------------------------------------------------------

    def _approval_card(self, step: Step, record) -> QFrame:
        assert step.approval is not None
        card, box = _card("审批", f"由{step.approval.role}审批")
        widgets = self.approval_widgets
        if record.approval is not None:
            done = _label(f"已记录：{self._approval_text(record.approval)}", "approvalRecord")
            box.addWidget(done)
            change = QPushButton("更改审批结果…")
            box.addWidget(change, 0, Qt.AlignmentFlag.AlignLeft)
            widgets["recorded"] = done
        form_widget = QWidget()
        form = QFormLayout(form_widget)
        form.setContentsMargins(0, 0, 0, 0)
        form.setSpacing(8)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        approver = QComboBox()
        approver.setEditable(True)
        approver.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        approver.setMinimumContentsLength(8)
        staff = self.office.registry.staff()
        approver.addItems([name for name, _role in staff])
        by_role = [name for name, role in staff if role == step.approval.role]
        approver.setCurrentText(by_role[0] if by_role else "")
        role = QLineEdit(step.approval.role)
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
        paper = QCheckBox("纸质签批（须附签字页扫描件）")
        scan = QComboBox()
        scan.setEnabled(False)
        scan.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        scan.setMinimumContentsLength(12)
        add_scan = QPushButton("添加附件…")
        add_scan.setEnabled(False)
        paper.toggled.connect(scan.setEnabled)
        paper.toggled.connect(add_scan.setEnabled)
        add_scan.clicked.connect(self._add_scan)
        scan_row = QHBoxLayout()
        scan_row.addWidget(scan, 1)
        scan_row.addWidget(add_scan)
        record_button = QPushButton("记录审批")
        record_button.clicked.connect(self.record_approval)
        form.addRow("审批人：", approver)
        form.addRow("岗位：", role)
        form.addRow("审批结果：", decision_row)
        form.addRow("审批意见：", opinion)
        form.addRow("", paper)
        form.addRow("签字页：", scan_row)
        button_row = QHBoxLayout()
        button_row.addWidget(record_button)
        button_row.addStretch(1)
        form.addRow("", button_row)
        box.addWidget(form_widget)
        if record.approval is not None:
            form_widget.hide()
            change.clicked.connect(form_widget.show)
            change.clicked.connect(change.hide)
        widgets.update(
            approver=approver, role=role, agree=agree, disagree=disagree, opinion=opinion,
            paper=paper, scan=scan, add_scan=add_scan, button=record_button, form=form_widget,
        )  # fmt: skip
        self._fill_scan_choices()
        return card

    def _approval_text(self, approval: dict[str, Any]) -> str:
        decision = "同意" if approval["approved"] else "不同意"
        text = f"{approval['approver']}（{approval['role']}）{decision}"
        if approval.get("opinion"):
            text += f"，意见：{approval['opinion']}"
        text += f"。{moment_text(datetime.fromisoformat(approval['at']))}"
        if approval.get("on_paper"):
            names = {a.id: a.file_name for a in self._case_attachments()}
            text += f"；纸质签批，签字页：{names.get(approval.get('scan'), '（附件已不在）')}"
        return text

    def _case_attachments(self):
        return self.office.cases.repo.attachments(self.case_id) if self.case_id else []

    def _fill_scan_choices(self, select: int | None = None) -> None:
        scan = self.approval_widgets.get("scan")
        if scan is None:
            return
        chosen = select if select is not None else scan.currentData()
        scan.clear()
        attachments = self._case_attachments()
        if not attachments:
            scan.addItem("（本案还没有附件，请先添加）", None)
        for attachment in attachments:
            scan.addItem(
                f"{attachment.file_name}（{attachment.added_at:%m-%d %H:%M}）", attachment.id
            )
        index = scan.findData(chosen) if chosen is not None else -1
        scan.setCurrentIndex(index if index >= 0 else max(0, scan.count() - 1))

    def _add_scan(self) -> None:
        attachment_id = self.add_attachment(purpose="纸质签批")
        if attachment_id is not None:
            self._fill_scan_choices(select=attachment_id)

    def record_approval(self) -> None:
        operator = self._operator()
        if operator is None or self.active_step is None:
            return
        widgets = self.approval_widgets
        if not (widgets["agree"].isChecked() or widgets["disagree"].isChecked()):
            warn(self, "无法记录审批", "请选择审批结果：“同意”或“不同意”。")
            return
        # Keep what was typed in the step's fields: the page is rebuilt after the approval.
        if not self._save(operator, quiet=True):
            return
        on_paper = widgets["paper"].isChecked()
        try:
            self.office.cases.approve(
                self.case_id, self.active_step.id, widgets["approver"].currentText(),
                widgets["role"].text(), widgets["agree"].isChecked(),
                widgets["opinion"].toPlainText(), operator, on_paper=on_paper,
                scan_attachment_id=widgets["scan"].currentData() if on_paper else None,
            )  # fmt: skip
        except CaseError as error:
            warn(self, "无法记录审批", str(error))
            self._refresh_after_write()
            return
        self.show_case(self.case_id)
        self.notice.setText("审批已记录。")
        self.case_changed.emit(self.case_id)

    # --- the step's log ------------------------------------------------------------------------

    def _log_card(self, step: Step, editable: bool) -> QFrame:
        card, box = _card(step.log)
        entries = self._log_entries(step.id)
        if editable:
            self.log_list = QListWidget()
            self.log_list.setObjectName("stepLog")
            self.log_list.setWordWrap(True)
            self.log_list.setMaximumHeight(120)
            self._fill_log_list(entries)
            box.addWidget(self.log_list)
            self.log_edit = QPlainTextEdit()
            self.log_edit.setTabChangesFocus(True)
            self.log_edit.setPlaceholderText(f"新的一条{step.log}")
            self.log_edit.setFixedHeight(56)
            self.log_button = QPushButton("添加记录")
            self.log_button.clicked.connect(self.add_log_entry)
            row = QHBoxLayout()
            row.addWidget(self.log_edit, 1)
            row.addWidget(self.log_button, 0, Qt.AlignmentFlag.AlignBottom)
            box.addLayout(row)
        elif entries:
            for entry in entries:
                box.addWidget(_label(f"{entry.at:%Y-%m-%d %H:%M}　{entry.author}：{entry.text}"))
        else:
            box.addWidget(_label("（无）", "hint"))
        return card

    def _log_entries(self, step_id: str):
        if self.case_id is None:
            return []
        return [e for e in self.office.cases.repo.logs(self.case_id) if e.step_id == step_id]

    def _fill_log_list(self, entries) -> None:
        assert self.log_list is not None
        self.log_list.clear()
        for entry in entries:
            self.log_list.addItem(f"{entry.at:%Y-%m-%d %H:%M}　{entry.author}：{entry.text}")
        if not entries:
            self.log_list.addItem("（还没有记录）")

    def add_log_entry(self) -> None:
        operator = self._operator()
        if operator is None or self.active_step is None or self.log_edit is None:
            return
        try:
            self.office.cases.add_log_entry(
                self.case_id, self.active_step.id, self.log_edit.toPlainText(), operator
            )
        except CaseError as error:
            warn(self, "无法添加记录", str(error))
            return
        self.log_edit.clear()
        self._fill_log_list(self._log_entries(self.active_step.id))
        self._fill_timeline()
        self.case_changed.emit(self.case_id)

    # --- entering values -----------------------------------------------------------------------

    def _entry_changed(self, editor: FieldEditor) -> None:
        editor.clear_error()
        self._mark_unsaved()
        self._update_visibility()

    def _mark_unsaved(self, *_args) -> None:
        self._unsaved = True

    def has_unsaved_changes(self) -> bool:
        """Whether the clerk typed or ticked something in the current step since it was saved."""
        return self._unsaved and self.editable and self.active_step is not None

    def confirm_leave(self) -> bool:
        """Before the step page is thrown away: offer to save what was entered. False: stay."""
        if not self.has_unsaved_changes():
            return True
        assert self.view is not None and self.active_step is not None
        choice = ask_save(
            self,
            f"{self.view.row.number}“{self.active_step.title}”中填写的内容还没有保存。要先保存吗？",
        )
        if choice == "discard":
            self._unsaved = False
            return True
        if choice == "save":
            operator = self._operator()
            if operator is not None and self._save(operator):
                self._unsaved = False
                self.case_changed.emit(self.case_id)
                return True
        return False

    def _live_values(self) -> dict[str, Any]:
        """What conditions see now: the saved case with this step's entries as typed so far."""
        assert self.view is not None
        values = self.view.state.values()
        today = self.office.cases.clock().date()
        for field_id, editor in self.editors.items():
            with contextlib.suppress(FieldError):
                values[field_id] = clean_field_value(editor.spec, editor.raw(), today=today)
        return values

    def _update_visibility(self) -> None:
        """Hide fields and materials whose condition does not hold for the values entered."""
        if self.active_step is None:
            return
        values = self._live_values()
        self._shown_fields = set()
        for field_id, editor in self.editors.items():
            shown = bool(engine.applies(editor.spec, values))
            if shown:
                self._shown_fields.add(field_id)
            editor.setVisible(shown)
        self._shown_materials = set()
        for material in self.active_step.materials:
            shown = bool(engine.applies(material, values))
            if shown:
                self._shown_materials.add(material.id)
            self.material_boxes[material.id].setVisible(shown)

    def _entered(self) -> tuple[dict[str, Any], set[str], str]:
        assert self.view is not None and self.active_step is not None
        record = self.view.state.record(self.active_step.id)
        values = {fid: self.editors[fid].raw() for fid in self.editors if fid in self._shown_fields}
        materials = {
            mid
            for mid, check in self.material_boxes.items()
            if (check.isChecked() if mid in self._shown_materials else mid in record.materials)
        }
        note = self.note_edit.toPlainText() if self.note_edit is not None else ""
        return values, materials, note

    def _operator(self) -> str | None:
        name = (self.office.operator or "").strip()
        if not name:
            warn(self, "请先选择经办人", NO_OPERATOR)
            return None
        return name

    def _save(self, operator: str, quiet: bool = False) -> bool:
        """Save the active step's entries; wrong fields get their message in red below them."""
        if self.active_step is None or self.case_id is None:
            return False
        values, materials, note = self._entered()
        for editor in self.editors.values():
            editor.clear_error()
        self.form_message.clear()
        self.notice.clear()
        try:
            self.office.cases.save_step(
                self.case_id, self.active_step.id, operator, values, materials, note
            )
        except FieldErrors as errors:
            first = None
            for field_id, message in errors.errors.items():
                editor = self.editors.get(field_id)
                if editor is None:
                    continue
                editor.show_error(message)
                first = first or editor
            count = len(errors.errors)
            self.form_message.setText(f"有 {count} 项填写有误，请按红字提示修改。")
            if first is not None:
                self.step_stack.setCurrentWidget(self.active_scroll)
                self.active_scroll.ensureWidgetVisible(first)
                first.input.setFocus()
            return False
        except CaseError as error:
            warn(self, "无法保存", str(error))
            return False
        self._unsaved = False
        if not quiet:
            self._refresh_after_write()
            self.notice.setText(f"已保存（{self.office.cases.clock():%H:%M}）。")
        return True

    def _refresh_after_write(self) -> None:
        """Show what the save changed without rebuilding the form the clerk is typing in."""
        self._reload()
        self._show_header()
        self._fill_stepper()
        self._fill_timeline()
        self._show_eligibility_preview()

    def _show_eligibility_preview(self) -> None:
        if self.eligibility_label is None or self.active_step is None or self.case_id is None:
            return
        outcome = self.office.cases.eligibility_preview(self.case_id, self.active_step.id)
        if outcome is None:
            self.eligibility_label.setText("按现有数据还无法得出结论，请先填写认定所需的内容。")
        else:
            self.eligibility_label.setText(_eligibility_html(outcome))

    # --- actions -------------------------------------------------------------------------------

    def save_current_step(self) -> bool:
        if not self.editable or self.active_step is None:
            return False
        operator = self._operator()
        if operator is None:
            return False
        saved = self._save(operator)
        if saved:
            self.case_changed.emit(self.case_id)
        return saved

    def complete_current_step(self) -> bool:
        if not self.editable or self.active_step is None:
            return False
        operator = self._operator()
        if operator is None or not self._save(operator, quiet=True):
            return False
        step = self.active_step
        try:
            next_step = self.office.cases.complete_step(self.case_id, step.id, operator)
        except engine.StepBlocked as blocked:
            self._refresh_after_write()
            items = "\n".join(f"· {item}" for item in blocked.missing)
            warn(self, "还不能完成此步", f"“{step.title}”还差以下几项：\n{items}")
            self.case_changed.emit(self.case_id)
            return False
        except CaseError as error:
            warn(self, "无法完成此步", str(error))
            return False
        self.show_case(self.case_id)
        if next_step is not None:
            self.notice.setText(f"已完成“{step.title}”，转入“{next_step.title}”。")
        else:
            self.notice.setText(f"已完成“{step.title}”，案件已办结。")
        self.case_changed.emit(self.case_id)
        return True

    def terminate_case(self) -> None:
        if not self.editable:
            return
        operator = self._operator()
        if operator is None:
            return
        number = self.view.row.number if self.view else ""
        reason, ok = ask_text(
            self,
            "终止办理",
            f"终止办理 {number}。终止后不能再办理本案。\n请写明原因（如申请人撤回申请）：",
        )
        if not ok:
            return
        try:
            self.office.cases.terminate(self.case_id, reason, operator)
        except CaseError as error:
            warn(self, "无法终止办理", str(error))
            return
        self.show_case(self.case_id)
        self.case_changed.emit(self.case_id)

    # --- attachments and the record ------------------------------------------------------------

    def add_attachment(self, purpose: str = "") -> int | None:
        if not self.editable:
            return None
        operator = self._operator()
        if operator is None:
            return None
        path = choose_file(self)
        if not path:
            return None
        assert self.view is not None
        step = self.active_step or self.view.current
        try:
            attachment_id = self.office.cases.attach_file(
                self.case_id, step.id if step else "", Path(path), operator, purpose
            )
        except CaseError as error:
            warn(self, "无法添加附件", str(error))
            return None
        self._fill_attachments()
        self._fill_scan_choices()
        self._fill_timeline()
        self.case_changed.emit(self.case_id)
        return attachment_id

    def open_attachment(self) -> None:
        item = self.attachments.currentItem()
        attachment = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if attachment is None:
            warn(self, "打开附件", "请先在附件列表中选择一个文件。")
            return
        path = self.office.cases.attachment_path(attachment.stored_name)
        if not path.exists():
            warn(self, "无法打开附件", f"数据文件夹中找不到“{attachment.file_name}”（{path}）。")
            return
        if not open_file(path):
            warn(self, "无法打开附件", f"这台电脑没有能打开“{attachment.file_name}”的程序。")

    def _fill_attachments(self) -> None:
        self.attachments.clear()
        attachments = self._case_attachments()
        for attachment in attachments:
            purpose = f" · {attachment.purpose}" if attachment.purpose else ""
            item = QListWidgetItem(
                f"{attachment.file_name}\n{attachment.added_by} · "
                f"{attachment.added_at:%Y-%m-%d %H:%M}{purpose} · {attachment.sha256[:12]}"
            )
            item.setData(Qt.ItemDataRole.UserRole, attachment)
            item.setToolTip(f"SHA-256 {attachment.sha256}\n{attachment.size:,} 字节")
            self.attachments.addItem(item)
        self.open_attachment_button.setEnabled(bool(attachments))
        self.side_tabs.setTabText(1, f"附件（{len(attachments)}）" if attachments else "附件")

    def _fill_timeline(self) -> None:
        if self.case_id is None:
            self.timeline.clear()
            return
        entries = self.office.cases.repo.timeline(self.case_id)
        self.timeline.setHtml(timeline_html(entries))
        self.timeline.moveCursor(QTextCursor.MoveOperation.End)
        self.timeline.ensureCursorVisible()


def _eligibility_html(outcome: dict[str, Any]) -> str:
    verdict = "符合" if outcome["eligible"] else "不符合"
    colour = GREEN if outcome["eligible"] else RED
    level = f"（{escape(outcome['level'])}）" if outcome.get("level") else ""
    return (
        f'<b style="color:{colour};">{verdict}{level}</b><br>{escape(outcome.get("reason") or "")}'
    )

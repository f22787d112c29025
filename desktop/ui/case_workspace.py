"""One case on the clerk's desk: its steps, the chosen step, and everything recorded.

The workspace draws the CaseView the case service builds (desktop.cases.case_view) and sends
what the clerk enters back through the service's actions (save_step, complete_step, approve,
add_log_entry, attach_file, terminate); it decides nothing about the case itself. Errors the
service raises are shown next to what they concern: field errors in red under the field, refused
actions in a message box. Any write, here or elsewhere, comes back as a change report
(desktop.ui.events) and the workspace redraws the case from a fresh view.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop import attachments
from desktop.book.procedures import Step
from desktop.cases import engine
from desktop.cases.case_view import CaseView
from desktop.cases.service import CaseChangedElsewhere, CaseError, FieldErrors
from desktop.changes import STAFF, Changes
from desktop.formatting import chinese_date, list_moment
from desktop.office import Office
from desktop.staff import StaffError
from desktop.ui.events import OfficeEvents
from desktop.ui.field_editor import FieldEditor
from desktop.ui.settings import WORKSPACE_SPLITTER, WindowSettings, restore_splitter, save_splitter
from desktop.ui.step_list import StepList
from desktop.ui.step_page import StepPage
from desktop.ui.theme import BLUE, GREEN, GREY, RED, state_html
from desktop.ui.widgets import FoldingSplitter, text_label
from desktop.validation import shown_text

__all__ = ["CaseWorkspace", "FieldEditor"]

NO_OPERATOR = "请先在“设置 → 工作人员与当前经办人”中选择在这台电脑上办事的人，再办理案件。"
# Only the kinds an attachment may be: choosing any other file would be refused anyway.
ATTACHMENT_FILTER = f"扫描件和文档 ({' '.join(attachments.file_patterns())})"

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


def ask_save_before_print(parent: QWidget, text: str) -> bool:
    """True: save the entries, then print. There is no "print without saving": the form is
    filled from what is saved, and would show the old values."""
    box = QMessageBox(QMessageBox.Icon.Question, "尚未保存", text, parent=parent)
    save = box.addButton("保存后打印", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.exec()
    return box.clickedButton() is save


def ask_correction(
    parent: QWidget, step_title: str, again: list[str], paid: int
) -> tuple[str, str] | None:
    """The reason for a correction, and the 冲正 when money already went out; None: cancelled.
    Says first which steps will have to be done again."""
    from desktop.ui.correction_dialog import CorrectionDialog

    dialog = CorrectionDialog(parent, step_title, again, paid)
    if not dialog.exec():
        return None
    return dialog.reason(), dialog.reversal()


def ask_text(parent: QWidget, title: str, label: str) -> tuple[str, bool]:
    return QInputDialog.getText(parent, title, label)


def choose_file(parent: QWidget) -> str:
    path, _ = QFileDialog.getOpenFileName(parent, "选择要添加的附件", "", ATTACHMENT_FILTER)
    return path


def open_file(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


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
        change = shown_text(_change_text(entry))
        if change:
            blocks[-1][1].append(escape(change))
    html = []
    for (at, actor, action), changes in blocks:
        detail = "".join(f"<br>{change}" for change in changes)
        html.append(
            '<p style="margin:0 0 8px 0;">'
            f'<span style="color:#777;">{list_moment(at)}　{escape(actor)}</span><br>'
            f"<b>{escape(action)}</b>{detail}</p>"
        )
    return "".join(html)


class CaseWorkspace(QWidget):
    """Header, steps on the left, the chosen step in the middle, record and attachments right."""

    rule_link_activated = Signal(str)

    def __init__(
        self, office: Office, parent: QWidget | None = None, events: OfficeEvents | None = None
    ):
        super().__init__(parent)
        self.office = office
        self.events = events or OfficeEvents(office, self)
        self.events.changed.connect(self._office_changed)
        self.case_id: int | None = None
        self.view: CaseView | None = None
        self.preview_dialog = None
        self.correction_page: StepPage | None = None
        self.active_page: StepPage | None = None
        self.active_step: Step | None = None
        self._unsaved = False
        self._writing = False
        self._version = 0  # of the case as the screen shows it
        self._applicable: tuple[set[str], set[str]] = (set(), set())
        self.setStyleSheet(STYLE_SHEET)

        self.empty_hint = text_label("请在案件列表中选择一件案件。", "emptyHint")
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)

        # Header
        self.header = QFrame()
        self.header.setObjectName("caseHeader")
        self.title_label = text_label("", "caseTitle")
        self.subject_label = text_label("", rich=True)
        self.meta_label = text_label("", rich=True)
        self.procedure_label = text_label("", "hint", rich=True)
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
        self.stepper = StepList()
        self.stepper.currentRowChanged.connect(self._step_selected)

        # Centre: the active step's form (kept while the clerk looks at other steps) or another
        # step, read-only
        self.active_scroll = self._scroll_area()
        self.other_scroll = self._scroll_area()
        self.step_stack = QStackedWidget()
        self.step_stack.addWidget(self.active_scroll)
        self.step_stack.addWidget(self.other_scroll)

        self.form_message = text_label("", "formMessage")
        self.notice = text_label("", "notice")
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

        # The record folds away when the step itself would be squeezed (150% on a laptop).
        self.splitter = FoldingSplitter(main=1, side=2, main_least=360)
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

    # --- what tests and the page read of the step being worked --------------------------------

    @property
    def editors(self) -> dict[str, FieldEditor]:
        return self.active_page.editors if self.active_page is not None else {}

    @property
    def material_boxes(self):
        return self.active_page.material_boxes if self.active_page is not None else {}

    @property
    def note_edit(self):
        return self.active_page.note_edit if self.active_page is not None else None

    @property
    def eligibility_label(self):
        return self.active_page.eligibility_label if self.active_page is not None else None

    @property
    def approval_widgets(self) -> dict:
        page = self.active_page
        return page.approval.widgets if page is not None and page.approval is not None else {}

    @property
    def log_list(self):
        return self.active_page.log_list if self.active_page is not None else None

    @property
    def log_edit(self):
        return self.active_page.log_edit if self.active_page is not None else None

    @property
    def log_button(self):
        return self.active_page.log_button if self.active_page is not None else None

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
        self._version = view.row.version
        self.form_message.clear()
        self._show_header()
        self._build_active_page()
        self._show_steps(keep_selection=False)
        self._show_record()
        self.pages.setCurrentIndex(1)

    @property
    def editable(self) -> bool:
        return self.view is not None and self.view.editable

    def current_step_id(self) -> str | None:
        """The step now in the middle of the workspace."""
        row = self.stepper.currentRow()
        if self.view is None or row < 0:
            return None
        return self.view.steps[row].step.id

    def _office_changed(self, changes: Changes) -> None:
        """Someone else's write (another page, a dialog) that concerns this case."""
        if self._writing or self.view is None:
            return
        if self.case_id in changes.cases or changes.deadlines:
            self._redraw_keeping_entries()
        elif STAFF in changes.settings and not self.has_unsaved_changes():
            self.show_case(self.view.id)

    def _redraw_keeping_entries(self) -> None:
        """Show the case as it is now without rebuilding the form the clerk is working in
        (what they typed, an approval's entries), unless the case moved to another step."""
        assert self.case_id is not None
        before = self.view
        self.view = self.office.cases.view(self.case_id)
        if before is None or (before.current, before.status) != (
            self.view.current,
            self.view.status,
        ):
            self.show_case(self.case_id)
            return
        self._show_header()
        self._show_steps()
        self._show_record()
        if self.active_page is not None and self.view.current is not None:
            self.active_page.show_eligibility_preview(self.view.step(self.view.current.id))
            self.active_page.show_cautions(self.view.step(self.view.current.id))

    def _show_header(self) -> None:
        view = self.view
        assert view is not None
        row = view.row
        self.title_label.setText(f"{row.number}　{row.service_item_name}")
        kind = f"　类别：{escape(row.kind)}" if row.kind else ""
        self.subject_label.setText(f"办理对象：<b>{escape(view.subject_text)}</b>{kind}")
        status_colour = BLUE if view.editable else GREY
        # A terminated case says so once, in its status.
        state = "" if view.status == engine.TERMINATED else state_html(view.deadline_state)
        pressing = view.pressing_step
        if pressing is not None:
            state += f"（本步“{escape(pressing.step.title)}”{pressing.due_text()}）"
        parts = [
            f'状态：<b style="color:{status_colour};">{view.status_label}</b> {state}',
            f"受理：{chinese_date(row.opened_at)}（{escape(row.opened_by)}）",
            f"服务时限：{view.time_limit_text}，{view.service_due_text}",
        ]
        if row.closed_at is not None and not view.editable:
            ended = "终止" if view.status == engine.TERMINATED else "办结"
            outcome = "，不予办理" if view.outcome == engine.OUTCOME_REFUSED else ""
            parts.append(f"{ended}：{chinese_date(row.closed_at)}{outcome}")
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

    def _show_steps(self, keep_selection: bool = True) -> None:
        assert self.view is not None
        selected = self.current_step_id() if keep_selection else None
        self.stepper.show_steps(self.view, selected)
        self._step_selected(self.stepper.currentRow())

    def _step_selected(self, row: int) -> None:
        view = self.view
        if view is None or row < 0:
            return
        if self._correcting():
            corrected = self.correction_page.step_view.step.id
            if not self._leave_correction():
                # Stay on the correction: the list shows the step being corrected again.
                ids = [s.step.id for s in view.steps]
                self.stepper.blockSignals(True)
                self.stepper.setCurrentRow(ids.index(corrected))
                self.stepper.blockSignals(False)
                return
            if self.view is not view:  # saved: the case was drawn afresh
                return
        step_view = view.steps[row]
        if self.active_step is not None and step_view.step.id == self.active_step.id:
            self.step_stack.setCurrentWidget(self.active_scroll)
            self.action_bar.setVisible(self.editable)
            return
        self._show_other_page(self._step_page(step_view.step.id, editable=False))

    def _show_other_page(self, page: StepPage) -> None:
        """A page other than the current step's: a done step's record or its correction. 保存
        and 完成此步 act on the current step, so they are hidden meanwhile."""
        old = self.other_scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self.other_scroll.setWidget(page)
        self.step_stack.setCurrentWidget(self.other_scroll)
        self.action_bar.setVisible(False)

    def _step_page(self, step_id: str, editable: bool, correcting: bool = False) -> StepPage:
        assert self.view is not None
        page = StepPage(
            self.office, self.view, self.view.step(step_id), editable, correcting=correcting
        )
        page.rule_link_activated.connect(self.rule_link_activated)
        page.correction_requested.connect(lambda: self.start_correction(step_id))
        page.correction_saved.connect(lambda: self.save_correction(step_id))
        page.correction_cancelled.connect(self.cancel_correction)
        page.form_requested.connect(self.preview_form)
        return page

    def _build_active_page(self) -> None:
        view = self.view
        assert view is not None
        old = self.active_scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self.active_page, self.active_step, self._unsaved = None, None, False
        current = view.current
        if current is None:
            return
        self.active_step = current
        page = self._step_page(current.id, editable=self.editable)
        page.entry_changed.connect(self._entry_changed)
        page.log_requested.connect(self.add_log_entry)
        if page.approval is not None:
            page.approval.record_clicked.connect(self.record_approval)
            page.approval.add_scan_clicked.connect(self._add_scan)
        self.active_page = page
        self.active_scroll.setWidget(page)
        if self.editable:
            self._update_visibility()

    # --- 更正 ------------------------------------------------------------------------------------

    def start_correction(self, step_id: str) -> None:
        """The done step's entries made editable, in place of its record."""
        if not self.editable or not self.confirm_leave():
            return
        page = self._step_page(step_id, editable=True, correcting=True)
        self._show_other_page(page)
        self.correction_page = page

    def _leave_correction(self) -> bool:
        """Before a correction on screen is thrown away: save it, drop it, or stay (False)."""
        page = self.correction_page
        if not self._correcting() or page is None or not page.typed():
            self.correction_page = None
            return True
        choice = ask_save(self, f"“{page.step_view.step.title}”的更正还没有保存。要先保存更正吗？")
        if choice == "discard":
            self.correction_page = None
            return True
        if choice == "save":
            return self.save_correction(page.step_view.step.id)
        return False

    def cancel_correction(self) -> None:
        self.correction_page = None
        self._show_steps()

    def _correcting(self) -> bool:
        page = self.correction_page
        return page is not None and self.other_scroll.widget() is page

    def save_correction(self, step_id: str) -> bool:
        """Ask the reason (and the 冲正 when money was paid), naming the steps to be done again;
        then correct. False when nothing was changed."""
        page = self.correction_page
        operator = self._operator()
        if page is None or operator is None or self.case_id is None or self.view is None:
            return False
        values = {field_id: editor.raw() for field_id, editor in page.editors.items()}
        for editor in page.editors.values():
            editor.clear_error()
        step = self.view.step(step_id).step
        again, paid = self.office.cases.preview_correction(self.case_id, step_id, values)
        answer = ask_correction(self, step.title, again, paid)
        if answer is None:
            return False
        reason, reversal = answer
        try:
            with self._write() as version:
                sent_back = self.office.cases.correct_step(
                    self.case_id, step_id, operator, reason, values, reversal=reversal,
                    expected_version=version,
                )  # fmt: skip
        except FieldErrors as errors:
            for field_id, message in errors.errors.items():
                if field_id in page.editors:
                    page.editors[field_id].show_error(message)
            return False
        except CaseError as error:
            warn(self, "无法更正", str(error))
            return False
        self.correction_page = None
        self.show_case(self.case_id)
        titles = "、".join(s.title for s in sent_back)
        self.notice.setText(
            f"已更正“{step.title}”。" + (f"需复核、要重新办理：{titles}。" if titles else "")
        )
        return True

    def preview_form(self, form_id: str):
        """The form filled from this case, in the print preview."""
        from desktop.ui.print_preview import preview_case_form

        if self.case_id is None:
            return None
        if self._correcting():
            # The form is filled from what is saved: the figures being corrected would not be
            # on it, and the old ones would look current.
            warn(
                self, "正在更正",
                "表单按已保存的内容填写，正在更正的内容还没有保存。请先点“保存更正…”"
                "（或“取消更正”），再打印。",
            )  # fmt: skip
            return None
        if self.has_unsaved_changes():
            assert self.view is not None and self.active_step is not None
            if not ask_save_before_print(
                self, f"“{self.active_step.title}”中填写的内容还没有保存。表单按已保存的内容"
                "填写，要先保存再打印吗？",
            ):  # fmt: skip
                return None
            operator = self._operator()
            if operator is None or not self._save(operator):
                return None  # a wrong entry is shown in red: nothing printed from old values
            self._unsaved = False
        self.preview_dialog = preview_case_form(self, self.office, form_id, self.case_id)
        return self.preview_dialog

    # --- entering values -----------------------------------------------------------------------

    def _entry_changed(self) -> None:
        self._unsaved = True
        self._update_visibility()

    def has_unsaved_changes(self) -> bool:
        """Whether the clerk typed or ticked something in the current step since it was saved."""
        return self._unsaved and self.editable and self.active_step is not None

    def confirm_leave(self) -> bool:
        """Before the step page is thrown away: offer to save what was entered. False: stay."""
        if not self._leave_correction():
            return False
        if not self.has_unsaved_changes():
            return True
        assert self.view is not None and self.active_step is not None
        choice = ask_save(
            self,
            f"{self.view.number}“{self.active_step.title}”中填写的内容还没有保存。要先保存吗？",
        )
        if choice == "discard":
            self._unsaved = False
            return True
        if choice == "save":
            operator = self._operator()
            if operator is not None and self._save(operator):
                self._unsaved = False
                return True
        return False

    def _update_visibility(self) -> None:
        """Show only the fields and materials that apply to what has been entered so far."""
        page, view = self.active_page, self.view
        if page is None or view is None or self.active_step is None:
            return
        typed = {field_id: editor.raw() for field_id, editor in page.editors.items()}
        today = self.office.cases.clock().date()
        self._applicable = view.entries_that_apply(self.active_step.id, typed, today)
        page.show_applicable(*self._applicable)

    def _operator(self) -> str | None:
        name = (self.office.operator or "").strip()
        if not name:
            warn(self, "请先选择经办人", NO_OPERATOR)
            return None
        return name

    def _save(self, operator: str, quiet: bool = False) -> bool:
        """Save the active step's entries; wrong fields get their message in red below them."""
        page = self.active_page
        if page is None or self.active_step is None or self.case_id is None:
            return False
        values, materials, note = page.entered(*self._applicable)
        for editor in page.editors.values():
            editor.clear_error()
        self.form_message.clear()
        self.notice.clear()
        try:
            with self._write() as version:
                self.office.cases.save_step(
                    self.case_id, self.active_step.id, operator, values, materials, note,
                    expected_version=version,
                )  # fmt: skip
        except FieldErrors as errors:
            first = None
            unplaced = []  # the note has no red line of its own
            for field_id, message in errors.errors.items():
                editor = page.editors.get(field_id)
                if editor is None:
                    unplaced.append(message)
                    continue
                editor.show_error(message)
                first = first or editor
            self.form_message.setText(
                "\n".join([f"有 {len(errors.errors)} 项填写有误，请按红字提示修改。", *unplaced])
            )
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
            self._redraw_keeping_entries()
            self.notice.setText(f"已保存（{self.office.cases.clock():%H:%M}）。")
        return True

    @contextlib.contextmanager
    def _write(self) -> Iterator[int]:
        """Around the workspace's own writes, giving the version of the case the clerk's screen
        shows: the write is refused if someone else changed the case since. The write's own
        change report is not someone else's; a write that went through moves the version on.
        """
        self._writing = True
        try:
            yield self._version
        except CaseChangedElsewhere:
            self._reload_keeping_typed()
            raise
        else:
            self._version += 1
        finally:
            self._writing = False

    def _reload_keeping_typed(self) -> None:
        """Show the case as someone else left it, with what this clerk typed still in the form
        (when it is still the step being worked), so nothing typed is lost."""
        page, step = self.active_page, self.active_step
        typed = page.typed() if page is not None else None
        assert self.case_id is not None
        self.show_case(self.case_id)
        same_step = step is not None and self.active_step is not None
        if typed is not None and same_step and self.active_page is not None:
            assert step is not None and self.active_step is not None
            if self.active_step.id == step.id:
                self.active_page.retype(typed)
                self._unsaved = True
                self._update_visibility()

    # --- actions -------------------------------------------------------------------------------

    def save_current_step(self) -> bool:
        if not self.editable or self.active_step is None:
            return False
        operator = self._operator()
        return operator is not None and self._save(operator)

    def complete_current_step(self) -> bool:
        if not self.editable or self.active_step is None:
            return False
        operator = self._operator()
        if operator is None or not self._save(operator, quiet=True):
            return False
        step = self.active_step
        try:
            with self._write() as version:
                next_step = self.office.cases.complete_step(
                    self.case_id, step.id, operator, expected_version=version
                )
        except engine.StepBlocked as blocked:
            self._redraw_keeping_entries()
            items = "\n".join(f"· {item}" for item in blocked.missing)
            warn(self, "还不能完成此步", f"“{step.title}”还差以下几项：\n{items}")
            return False
        except CaseError as error:
            warn(self, "无法完成此步", str(error))
            return False
        self.show_case(self.case_id)
        if next_step is not None:
            self.notice.setText(f"已完成“{step.title}”，转入“{next_step.title}”。")
        else:
            self.notice.setText(f"已完成“{step.title}”，案件已办结。")
        return True

    def record_approval(self) -> None:
        operator = self._operator()
        page = self.active_page
        if operator is None or self.active_step is None or page is None or page.approval is None:
            return
        if not page.approval.decided():
            warn(self, "无法记录审批", "请选择审批结果：“同意”或“不同意”。")
            return
        try:
            entries = page.approval.entries()
        except StaffError as error:
            warn(self, "无法记录审批", str(error))
            return
        # Keep what was typed in the step's fields: the page is rebuilt after the approval.
        if not self._save(operator, quiet=True):
            return
        try:
            with self._write() as version:
                self.office.cases.approve(
                    self.case_id, self.active_step.id, operator=operator,
                    expected_version=version, **entries,
                )  # fmt: skip
        except CaseError as error:
            warn(self, "无法记录审批", str(error))
            self._redraw_keeping_entries()
            return
        self.show_case(self.case_id)
        self.notice.setText("审批已记录。")

    def add_log_entry(self) -> None:
        operator = self._operator()
        page = self.active_page
        if operator is None or self.active_step is None or page is None or page.log_edit is None:
            return
        try:
            with self._write() as version:
                self.office.cases.add_log_entry(
                    self.case_id, self.active_step.id, page.log_edit.toPlainText(), operator,
                    expected_version=version,
                )  # fmt: skip
        except CaseError as error:
            warn(self, "无法添加记录", str(error))
            return
        page.log_edit.clear()
        self._redraw_keeping_entries()
        page.show_log(self.view.step(self.active_step.id))

    def terminate_case(self) -> None:
        if not self.editable:
            return
        operator = self._operator()
        if operator is None:
            return
        number = self.view.number if self.view else ""
        reason, ok = ask_text(
            self,
            "终止办理",
            f"终止办理 {number}。终止后不能再办理本案。\n请写明原因（如申请人撤回申请）：",
        )
        if not ok:
            return
        try:
            with self._write() as version:
                self.office.cases.terminate(
                    self.case_id, reason, operator, expected_version=version
                )
        except CaseError as error:
            warn(self, "无法终止办理", str(error))
            return
        self.show_case(self.case_id)

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
            with self._write() as version:
                attachment_id = self.office.cases.attach_file(
                    self.case_id, step.id if step else "", Path(path), operator, purpose,
                    expected_version=version,
                )  # fmt: skip
        except CaseError as error:
            warn(self, "无法添加附件", str(error))
            return None
        self._redraw_keeping_entries()
        return attachment_id

    def _add_scan(self) -> None:
        attachment_id = self.add_attachment(purpose="纸质签批")
        page = self.active_page
        if attachment_id is not None and page is not None and page.approval is not None:
            assert self.view is not None
            page.approval.show_scans(self.view.attachments, select=attachment_id)

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
        if not attachments.can_open(attachment.stored_name):  # the file the system opens
            # Listed before attachments were limited to scans and documents: handing it to
            # the system could run a program.
            warn(
                self,
                "不能打开附件",
                f"“{attachment.file_name}”不是扫描件或文档（{attachments.allowed_types_text()}），"
                f"为安全起见程序不替您打开它。文件在数据文件夹中：{path}",
            )
            return
        if not open_file(path):
            warn(self, "无法打开附件", f"这台电脑没有能打开“{attachment.file_name}”的程序。")

    def _show_record(self) -> None:
        """The case's timeline and its attachments, from the view."""
        view = self.view
        assert view is not None
        self.timeline.setHtml(timeline_html(view.timeline))
        self.timeline.moveCursor(QTextCursor.MoveOperation.End)
        self.timeline.ensureCursorVisible()
        self.attachments.clear()
        for attachment in view.attachments:
            purpose = f" · {attachment.purpose}" if attachment.purpose else ""
            item = QListWidgetItem(
                f"{attachment.file_name}\n{attachment.added_by} · "
                f"{list_moment(attachment.added_at)}{purpose} · {attachment.sha256[:12]}"
            )
            item.setData(Qt.ItemDataRole.UserRole, attachment)
            item.setToolTip(f"SHA-256 {attachment.sha256}\n{attachment.size:,} 字节")
            self.attachments.addItem(item)
        count = len(view.attachments)
        self.open_attachment_button.setEnabled(bool(count))
        self.side_tabs.setTabText(1, f"附件（{count}）" if count else "附件")
        page = self.active_page
        if page is not None and page.approval is not None:
            page.approval.show_scans(view.attachments)

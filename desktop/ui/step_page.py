"""One step in the middle of the case workspace: what to do and by when, then either the form
of the step being worked (materials, 登记项, eligibility preview, approval, log, note) or what
was recorded in it.

The page draws a StepView (desktop.cases.case_view) as it is; the workspace saves what is
typed through the case service and shows the page again from the new view.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.book.procedures import FieldSpec
from desktop.cases.case_view import CaseView, StepView
from desktop.cases.fields import LOG_ENTRY_LIMIT, NOTE_LIMIT
from desktop.cases.status import DONE, PENDING, SKIPPED
from desktop.formatting import chinese_moment, list_moment
from desktop.office import SHOWN_IN_WINDOW, Office
from desktop.ui.approval_card import ApprovalCard
from desktop.ui.field_editor import FieldEditor, label_width
from desktop.ui.theme import AMBER, GREEN, RED, state_html
from desktop.ui.widgets import card, text_label, unbroken

RULE_LINK_SCHEME = "rule"


def eligibility_html(outcome: dict[str, Any]) -> str:
    verdict = "符合" if outcome["eligible"] else "不符合"
    colour = GREEN if outcome["eligible"] else RED
    level = f"（{escape(outcome['level'])}）" if outcome.get("level") else ""
    return (
        f'<b style="color:{colour};">{verdict}{level}</b><br>{escape(outcome.get("reason") or "")}'
    )


def log_line(entry) -> str:
    return f"{list_moment(entry.at)}　{entry.author}：{entry.text}"


class StepPage(QWidget):
    rule_link_activated = Signal(str)
    form_requested = Signal(str)
    entry_changed = Signal()  # something typed or ticked in the form
    log_requested = Signal()
    correction_requested = Signal()  # 更正… on a done step
    correction_saved = Signal()
    correction_cancelled = Signal()

    def __init__(
        self,
        office: Office,
        view: CaseView,
        step_view: StepView,
        editable: bool,
        parent: QWidget | None = None,
        correcting: bool = False,
    ):
        super().__init__(parent)
        self.setObjectName("stepPage")
        self.step_view = step_view
        self.editors: dict[str, FieldEditor] = {}
        self.material_boxes: dict[str, QCheckBox] = {}
        self.note_edit: QPlainTextEdit | None = None
        self.eligibility_label: QLabel | None = None
        self.cautions_label: QLabel | None = None
        self.approval: ApprovalCard | None = None
        self.log_list: QListWidget | None = None
        self.log_edit: QPlainTextEdit | None = None
        self.log_button: QPushButton | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(10)
        step = step_view.step
        title_row = QHBoxLayout()
        title_row.addWidget(text_label(f"第 {step_view.number} 步　{step.title}", "stepTitle"), 1)
        title_row.addWidget(
            text_label(step_view.status_text, "sectionTitle"), 0, Qt.AlignmentFlag.AlignTop
        )
        layout.addLayout(title_row)
        if correcting:  # what is being done, and the way out, above everything else
            self._correction_bar(step_view, layout)
        layout.addWidget(self._about(office, step_view))
        if step_view.status == PENDING:
            layout.addWidget(text_label("本步尚未开始：前面的步骤完成后，轮到本步办理。", "hint"))
        elif step_view.status == SKIPPED:
            layout.addWidget(text_label("本案不适用此步（流程条件不满足），无需办理。", "hint"))
        elif correcting:
            self._correction_form(office, view, step_view, layout)
        elif editable:
            self._form(office, view, step_view, layout)
        else:
            self._record(step_view, layout, may_correct=view.editable)
        layout.addStretch(1)
        self._drawn = self._shown()

    # --- what the step is --------------------------------------------------------------------

    def _about(self, office: Office, step_view: StepView) -> QWidget:
        """Who does the step, how long it may take, what to do, which rules and forms."""
        step = step_view.step
        frame, layout = card("本步要点")
        layout.addWidget(text_label(f"由谁办理：{step.role}"))
        if step.deadline is not None:
            counted = f"（{step_view.counted_from}）" if step_view.counted_from else ""
            text = f"办理时限：{escape(step.deadline.text)}{escape(counted)}"
            if step_view.due is not None:
                text += f"，{step_view.due_text()}"
            text += f"　{state_html(step_view.deadline_state)}"
            layout.addWidget(text_label(text, "deadline", rich=True))
            if step_view.due is not None and step_view.due.warning:
                warning = text_label(f"注意：{step_view.due.warning}")
                warning.setStyleSheet(f"color:{AMBER};")
                layout.addWidget(warning)
        if step.hold is not None:
            layout.addWidget(text_label(step_view.hold_text(), "holdText"))
        layout.addWidget(text_label(step.instructions, "instructions"))
        if step_view.rules:
            links = []
            for rule_id, title in step_view.rules:
                shown = unbroken(f"{rule_id}\u00a0{title or '（制度汇编中已没有这一条）'}")
                links.append(f'<a href="{RULE_LINK_SCHEME}:{escape(rule_id)}">{escape(shown)}</a>')
            rules = text_label(f"相关制度：{'　'.join(links)}", "ruleLinks", rich=True)
            rules.setToolTip("点击条款，在制度汇编中打开")
            rules.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
            rules.linkActivated.connect(self._link_activated)
            layout.addWidget(rules)
        if step_view.forms:
            layout.addWidget(self._forms(office, step_view.forms))
        return frame

    def _forms(self, office: Office, form_ids: tuple[str, ...]) -> QWidget:
        """A button per form the step prints, each opening the preview filled from the case."""
        from desktop.printing.office_forms import office_forms

        catalogue = office_forms(office)
        forms = [catalogue.forms.get(form_id) for form_id in form_ids]
        if catalogue.error is not None or None in forms:
            # Form files the county union got wrong: name the forms, say why they cannot print.
            names = text_label(f"本步表单：{'、'.join(form_ids)}", "formNames")
            why = "表单版式文件有错误，详见“表单打印”" if catalogue.error else "缺少表单版式文件"
            names.setToolTip(f"暂时不能从这里打印：{why}。")
            return names
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 2, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        grid.addWidget(text_label("本步表单（按本案填好，预览后打印）：", "formNames"), 0, 0, 1, 2)
        for index, form in enumerate(forms):
            assert form is not None
            button = QPushButton(f"{form.title}…")
            button.setObjectName(f"formButton_{form.id}")
            button.setToolTip(f"按本案登记的内容填好“{form.title}”，预览后打印或存为 PDF")
            button.clicked.connect(lambda _checked=False, f=form.id: self.form_requested.emit(f))
            grid.addWidget(button, 1 + index // 2, index % 2)
        return box

    def _link_activated(self, href: str) -> None:
        scheme, _, rule_id = href.partition(":")
        if scheme == RULE_LINK_SCHEME and rule_id:
            self.rule_link_activated.emit(rule_id)

    # --- the step being worked ---------------------------------------------------------------

    def _form(self, office: Office, view: CaseView, step_view: StepView, layout) -> None:
        step = step_view.step
        if step_view.materials:
            frame, box = card("材料清单", "收到一项勾选一项")
            for entry in step_view.materials:
                need = "必交" if entry.material.required else "可选"
                check = QCheckBox(f"{entry.material.label}（{need}）")
                check.setChecked(entry.received)
                check.toggled.connect(self.entry_changed)
                self.material_boxes[entry.material.id] = check
                box.addWidget(check)
            layout.addWidget(frame)
        earlier = view.earlier_payments_text()
        if earlier and any(entry.spec.type == "money" for entry in step_view.fields):
            # Whoever decides or pays an amount sees what this year already paid.
            paid = text_label(earlier, "earlierPayments")
            paid.setStyleSheet(f"color:{AMBER};")
            layout.addWidget(paid)
        # Allowed but usually a slip: said above the entries, refreshed on every save.
        self.cautions_label = text_label("", "stepCautions")
        self.cautions_label.setStyleSheet(f"color:{AMBER};")
        layout.addWidget(self.cautions_label)
        self.show_cautions(step_view)
        if step_view.fields:
            layout.addWidget(self._fields_card(office, view, step_view))
        if step.eligibility:
            frame, box = card("认定结果预览", "按已保存的数据计算")
            self.eligibility_label = text_label("", "eligibilityPreview", rich=True)
            box.addWidget(self.eligibility_label)
            box.addWidget(text_label("完成此步时，按当时保存的数据正式认定。", "hint"))
            self.show_eligibility_preview(step_view)
            layout.addWidget(frame)
        if step.approval is not None:
            self.approval = ApprovalCard(
                step.id, step.approval, step_view.approval_text,
                office.staff.holding(step.approval.authority), office.operator_staff,
                view.attachments,
            )  # fmt: skip
            layout.addWidget(self.approval)
        if step.log:
            layout.addWidget(self._log(step_view, editable=True))
        frame, box = card("备注")
        self.note_edit = QPlainTextEdit(step_view.note)
        self.note_edit.setObjectName("stepNote")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setPlaceholderText(f"需要说明的情况（可不写，最多 {NOTE_LIMIT} 个字）")
        self.note_edit.setFixedHeight(70)
        self.note_edit.textChanged.connect(self.entry_changed)
        box.addWidget(self.note_edit)
        layout.addWidget(frame)

    def _fields_card(self, office: Office, view: CaseView, step_view: StepView) -> QWidget:
        step = step_view.step
        frame, box = card("登记内容", "带 * 的为必填项")
        width = label_width(self, [f.spec.label + "*" for f in step_view.fields])

        def record_reveal(spec: FieldSpec) -> None:
            office.record_reveal(
                f"办理“{step.title}”",
                case_ids=[view.row.id],
                fields=[spec.label],
                place=SHOWN_IN_WINDOW,
            )

        for entry in step_view.fields:
            editor = FieldEditor(
                entry.spec, entry.value, office, width, record_reveal=record_reveal
            )
            editor.changed.connect(lambda editor=editor: self._typed(editor))
            self.editors[entry.spec.id] = editor
            box.addWidget(editor)
        return frame

    def _correction_form(self, office: Office, view: CaseView, step_view: StepView, layout) -> None:
        """A done step's entries, editable, for 更正: saved only with a reason, and the steps
        whose decisions read what changed go back to 需复核 (CaseService.correct_step)."""
        if step_view.fields:
            layout.addWidget(self._fields_card(office, view, step_view))
            for entry in step_view.fields:  # as the step page shows them: only what applies
                self.editors[entry.spec.id].setVisible(entry.applies)

    def _correction_bar(self, step_view: StepView, layout) -> None:
        banner = text_label(
            f"正在更正“{step_view.step.title}”：改好后点“保存更正”，写明原因。后面用到这些内容的"
            "步骤（如资格认定、审批、发放）会标为“需复核”，要重新办理。",
            "correctionBanner",
        )
        banner.setStyleSheet(f"color:{AMBER};")
        layout.addWidget(banner)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        cancel = QPushButton("取消更正")
        cancel.clicked.connect(self.correction_cancelled)
        save = QPushButton("保存更正…")
        save.setObjectName("saveCorrection")
        save.clicked.connect(self.correction_saved)
        buttons.addWidget(cancel)
        buttons.addWidget(save)
        layout.addLayout(buttons)

    def _typed(self, editor: FieldEditor) -> None:
        editor.clear_error()
        self.entry_changed.emit()

    def show_cautions(self, step_view: StepView) -> None:
        if self.cautions_label is None:
            return
        lines = [f"请核对：{caution}" for caution in step_view.cautions]
        self.cautions_label.setText("\n".join(lines))
        self.cautions_label.setVisible(bool(lines))

    def show_eligibility_preview(self, step_view: StepView) -> None:
        if self.eligibility_label is None:
            return
        outcome = step_view.eligibility_preview
        if outcome is None:
            self.eligibility_label.setText("按现有数据还无法得出结论，请先填写认定所需的内容。")
        else:
            self.eligibility_label.setText(eligibility_html(outcome))

    def show_log(self, step_view: StepView) -> None:
        if self.log_list is None:
            return
        self.log_list.clear()
        for entry in step_view.log:
            self.log_list.addItem(log_line(entry))
        if not step_view.log:
            self.log_list.addItem("（还没有记录）")

    def _log(self, step_view: StepView, editable: bool) -> QWidget:
        frame, box = card(step_view.step.log)
        if editable:
            self.log_list = QListWidget()
            self.log_list.setObjectName("stepLog")
            self.log_list.setWordWrap(True)
            self.log_list.setMaximumHeight(120)
            self.show_log(step_view)
            box.addWidget(self.log_list)
            self.log_edit = QPlainTextEdit()
            self.log_edit.setTabChangesFocus(True)
            self.log_edit.setPlaceholderText(
                f"新的一条{step_view.step.log}（最多 {LOG_ENTRY_LIMIT} 个字）"
            )
            self.log_edit.setFixedHeight(56)
            self.log_button = QPushButton("添加记录")
            self.log_button.clicked.connect(self.log_requested)
            row = QHBoxLayout()
            row.addWidget(self.log_edit, 1)
            row.addWidget(self.log_button, 0, Qt.AlignmentFlag.AlignBottom)
            box.addLayout(row)
        elif step_view.log:
            for entry in step_view.log:
                box.addWidget(text_label(log_line(entry)))
        else:
            box.addWidget(text_label("（无）", "hint"))
        return frame

    def entered(
        self, fields: set[str], materials: set[str]
    ) -> tuple[dict[str, Any], set[str], str]:
        """What the form holds for the fields and materials that apply: (values, ticked
        materials, note). A material that no longer applies keeps what was saved."""
        values = {fid: editor.raw() for fid, editor in self.editors.items() if fid in fields}
        received = {entry.material.id for entry in self.step_view.materials if entry.received}
        ticked = {
            mid
            for mid, check in self.material_boxes.items()
            if (check.isChecked() if mid in materials else mid in received)
        }
        note = self.note_edit.toPlainText() if self.note_edit is not None else ""
        return values, ticked, note

    def _shown(self) -> dict[str, Any]:
        return {
            "fields": {fid: editor.typed() for fid, editor in self.editors.items()},
            "materials": {mid: check.isChecked() for mid, check in self.material_boxes.items()},
            "note": self.note_edit.toPlainText() if self.note_edit is not None else None,
        }

    def typed(self) -> dict[str, Any]:
        """What the clerk changed in the form since it was drawn, to put back into a rebuilt
        form: desktop.ui.case_workspace reloads a case someone else changed without losing
        what was typed, and without putting back the old values the clerk did not touch."""
        now, before = self._shown(), self._drawn
        return {
            "fields": {k: v for k, v in now["fields"].items() if v != before["fields"].get(k)},
            "materials": {
                k: v for k, v in now["materials"].items() if v != before["materials"].get(k)
            },
            "note": now["note"] if now["note"] != before["note"] else None,
        }

    def retype(self, typed: dict[str, Any]) -> None:
        for field_id, entry in typed["fields"].items():
            if field_id in self.editors:
                self.editors[field_id].retype(entry)
        for material_id, checked in typed["materials"].items():
            if material_id in self.material_boxes:
                self.material_boxes[material_id].setChecked(checked)
        if typed["note"] is not None and self.note_edit is not None:
            self.note_edit.setPlainText(typed["note"])

    def show_applicable(self, fields: set[str], materials: set[str]) -> None:
        for field_id, editor in self.editors.items():
            editor.setVisible(field_id in fields)
        for material_id, check in self.material_boxes.items():
            check.setVisible(material_id in materials)

    # --- what was recorded -------------------------------------------------------------------

    def _record(self, step_view: StepView, layout, may_correct: bool = False) -> None:
        """What was recorded in a step, read-only: a done step, or any step of a closed case.
        A done step of an open case offers 更正… when it has entries to correct."""
        if step_view.done_at is not None:
            done = QHBoxLayout()
            done.addWidget(
                text_label(
                    f"已完成：{step_view.done_by}，{chinese_moment(step_view.done_at)}", "hint"
                ),
                1,
            )
            if may_correct and step_view.status == DONE and step_view.fields:
                correct = QPushButton("更正…")
                correct.setObjectName("correctStep")
                correct.setToolTip("发现登记有误时更正：要写明原因，后面受影响的步骤要重新办理")
                correct.clicked.connect(self.correction_requested)
                done.addWidget(correct)
            layout.addLayout(done)
        materials = [m for m in step_view.materials if m.applies]
        if materials:
            frame, box = card("材料清单")
            for entry in materials:
                if entry.received:
                    mark = "✓ 已收"
                else:
                    mark = "✗ 未收" if entry.material.required else "— 未交（可选）"
                box.addWidget(text_label(f"{entry.material.label}　{mark}"))
            layout.addWidget(frame)
        shown = [f for f in step_view.fields if f.value is not None or f.applies]
        if shown:
            frame, box = card("登记内容")
            width = label_width(self, [f.spec.label + "：" for f in shown])
            for entry in shown:
                row = QHBoxLayout()
                row.setSpacing(8)
                name = text_label(f"{entry.spec.label}：")
                name.setFixedWidth(width)
                name.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
                row.addWidget(name, 0, Qt.AlignmentFlag.AlignTop)
                row.addWidget(text_label(entry.text or "（未填写）", "recordedValue"), 1)
                box.addLayout(row)
            layout.addWidget(frame)
        for caution in step_view.cautions:
            noted = text_label(f"注意：{caution}", "stepCautions")
            noted.setStyleSheet(f"color:{AMBER};")
            layout.addWidget(noted)
        if step_view.eligibility is not None:
            frame, box = card("认定结果")
            box.addWidget(
                text_label(eligibility_html(step_view.eligibility), "eligibilityResult", rich=True)
            )
            layout.addWidget(frame)
        if step_view.step.approval is not None and step_view.approval is not None:
            frame, box = card("审批")
            box.addWidget(text_label(step_view.approval_text, "approvalRecord"))
            layout.addWidget(frame)
        if step_view.step.log:
            layout.addWidget(self._log(step_view, editable=False))
        if step_view.note:
            frame, box = card("备注")
            box.addWidget(text_label(step_view.note))
            layout.addWidget(frame)

"""The dialogs that add or change a worker or an enterprise in the register.

Each cleans what was typed with desktop.registry and shows a RecordError on the red line under
the field it names; nothing is saved until every field is right.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.formatting import chinese_date
from desktop.household import (
    DISABILITY_GRADES,
    HEALTH_STATUSES,
    MAX_HOUSEHOLD_MEMBERS,
    MEMBER_LABELS,
    MEMBER_TEXT_LIMITS,
    RELATIONS,
    HouseholdMember,
    MemberError,
    clean_household_member,
)
from desktop.identity import IdentityError, parse_credit_code, parse_id_number
from desktop.money import format_fen
from desktop.office import SHOWN_IN_WINDOW, Office
from desktop.registry import (
    ENTERPRISE_LABELS,
    ENTERPRISE_TEXT_LIMITS,
    HARDSHIP_STATUSES,
    PERSON_CHOICES,
    PERSON_LABELS,
    PERSON_TEXT_LIMITS,
    UNION_STATUSES,
    Enterprise,
    Person,
    RecordError,
    clean_enterprise,
    clean_person,
)
from desktop.ui.date_input import date_row, make_date_line
from desktop.ui.theme import GREEN, GREY, RED
from desktop.ui.widgets import error_label

DEFAULT_ACTOR = "经办人"
NO_HARDSHIP = "无"
# What to do with a 工作单位 typed that is not registered (ask_register_employer).
REGISTER, KEEP_TYPED = "register", "keep"


def ask_register_employer(parent: QWidget, name: str) -> str | None:
    """Register a typed workplace as an enterprise (REGISTER), keep it as typed (KEEP_TYPED),
    or go back to the form (None)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("工作单位")
    box.setText(f"“{name}”还没有登记，要登记为单位吗？")
    box.setInformativeText(
        "登记后，这家单位出现在“单位”名单中，统一社会信用代码等可以以后补填；"
        "不登记，单位名称照样保存在职工档案里，打印在表单上。"
    )
    register = box.addButton("登记为单位", QMessageBox.ButtonRole.YesRole)
    keep = box.addButton("不登记，只保存名称", QMessageBox.ButtonRole.NoRole)
    box.addButton("返回修改", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(register)
    box.exec()
    clicked = box.clickedButton()
    return REGISTER if clicked is register else KEEP_TYPED if clicked is keep else None


# Room for a date typed with blanks between its parts (2026 年 11 月 30 日) and no more.
DATE_TYPING_LIMIT = 30


def money_edit_text(fen: int | None) -> str:
    return format_fen(fen).replace(",", "") if fen is not None else ""


class _BackToForm(Exception):
    """The clerk chose to go back to the form and change what they typed."""


class RecordDialog(QDialog):
    """A form whose every field has a red line under it for the error that names it."""

    def __init__(self, office: Office, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.office = office
        self.saved_id: int | None = None
        self.setWindowTitle(title)
        self.setMinimumWidth(500)
        self.editors: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.hints: dict[str, QLabel] = {}

        self.form = QFormLayout()
        self.form.setHorizontalSpacing(12)
        self.form.setVerticalSpacing(8)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.general_error = self._error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("保存")
        self.save_button.setDefault(True)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addLayout(self.form)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)

    _error_label = staticmethod(error_label)

    def _add_row(
        self,
        field: str,
        label: str,
        editor: QWidget,
        hint: QLabel | None = None,
        shown: QWidget | None = None,
        form: QFormLayout | None = None,
    ) -> None:
        """``shown``: what the row holds when it is more than the editor (a date's line with
        its 日历 button); ``form``: another form of the dialog than the first (a second tab)."""
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(shown or editor)
        if hint is not None:
            column.addWidget(hint)
        error = self._error_label()
        column.addWidget(error)
        self.editors[field] = editor
        self.errors[field] = error
        if hint is not None:
            self.hints[field] = hint
        if isinstance(editor, QLineEdit):
            editor.textEdited.connect(lambda _text: error.hide())
        elif isinstance(editor, QComboBox):
            editor.currentIndexChanged.connect(lambda _index: error.hide())
        (form or self.form).addRow(f"{label}：", box)

    def _line(self, text: str, placeholder: str, max_length: int) -> QLineEdit:
        """A one-line editor as long as the record's rule allows (never shorter than what was
        saved under an earlier rule: a QLineEdit would cut it)."""
        editor = QLineEdit(text)
        editor.setPlaceholderText(placeholder)
        editor.setMaxLength(max(max_length, len(text)))
        return editor

    def _date_line(self, day: date | None) -> QLineEdit:
        """A date that may be left empty, shown as 2026年11月30日, typed in any form."""
        editor = QLineEdit(chinese_date(day) if day is not None else "")
        make_date_line(editor, optional=True)
        editor.setMaxLength(DATE_TYPING_LIMIT)
        return editor

    def _date_row(self, field: str, label: str, editor: QLineEdit, latest_today: bool) -> None:
        self._add_row(field, label, editor, shown=date_row(editor, self._today, latest_today))

    def _today(self) -> date:
        return self.office.cases.clock().date()

    def _hint_label(self) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.hide()
        return label

    def _show_hint(self, label: QLabel, text: str, colour: str = GREY) -> None:
        label.setText(text)
        label.setStyleSheet(f"color: {colour};")
        label.setVisible(bool(text))
        self._fit_height()

    def _fit_height(self) -> None:
        # After the event loop has laid out the labels just shown or hidden.
        QTimer.singleShot(0, self, self._fit_height_now)

    def _fit_height_now(self) -> None:
        """Fit the height to the messages shown now, which may wrap onto several lines."""
        layout = self.layout()
        layout.activate()
        needed = (
            layout.totalHeightForWidth(self.width())
            if layout.hasHeightForWidth()
            else layout.totalSizeHint().height()
        )
        if needed != self.height():
            self.resize(self.width(), needed)

    def clear_errors(self) -> None:
        for label in (*self.errors.values(), self.general_error):
            label.clear()
            label.hide()
        for editor in self.editors.values():
            if isinstance(editor, QLineEdit):
                editor.deselect()

    def show_error(self, error: RecordError) -> None:
        """The message under the field it names, with the cursor put there."""
        self.clear_errors()
        label = self.errors.get(error.field, self.general_error)
        label.setText(str(error))
        label.show()
        hint = self.hints.get(error.field)
        if hint is not None:
            hint.hide()  # the error says it; the live hint would repeat it
        self._fit_height()
        editor = self.editors.get(error.field)
        if editor is not None:
            editor.setFocus(Qt.FocusReason.OtherFocusReason)
            if isinstance(editor, QLineEdit):
                editor.selectAll()

    def save(self) -> None:
        self.clear_errors()
        try:
            self.saved_id = self._save()
        except RecordError as error:
            self.show_error(error)
            return
        except _BackToForm:
            return
        self.accept()

    def _actor(self) -> str:
        return self.office.operator or DEFAULT_ACTOR

    def _save(self) -> int:
        raise NotImplementedError


class PersonDialog(RecordDialog):
    """新增职工 / 修改职工信息."""

    def __init__(self, office: Office, person: Person | None = None, parent: QWidget | None = None):
        super().__init__(office, "修改职工信息" if person else "新增职工", parent)
        self.person = person
        p = person

        self.name_edit = self._line(p.name if p else "", "如 张三", PERSON_TEXT_LIMITS["name"])
        # A worker's numbers open masked and read-only; 显示完整号码 shows them to change them.
        self.id_edit = self._line(p.masked_id_number if p else "", "18 位身份证号码", 24)
        self.id_hint = self._hint_label()
        phone_hint = "手机或带区号的固定电话，可不填"
        self.phone_edit = self._line(p.masked_phone if p else "", phone_hint, 20)
        self.hidden: set[str] = set()  # the fields shown masked, left unchanged on saving
        if p is not None:
            self.hidden = {"id_number", "phone"} if p.phone else {"id_number"}
        self.reveal = QCheckBox("显示完整号码", self)
        self.reveal.setToolTip("显示完整的身份证号码和电话后才能修改；显示会记入办理记录")
        self.reveal.setVisible(p is not None)
        self.reveal.toggled.connect(self._reveal_numbers)
        for field, editor in (("id_number", self.id_edit), ("phone", self.phone_edit)):
            editor.setReadOnly(field in self.hidden)
        # Pick a registered enterprise, or type the name of one that is not (a new office has
        # none registered): saving then offers to register it.
        self.enterprise_combo = QComboBox()
        self.enterprise_combo.setEditable(True)
        self.enterprise_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.enterprise_combo.lineEdit().setMaxLength(PERSON_TEXT_LIMITS["employer_name"])
        self.enterprise_combo.lineEdit().setPlaceholderText(
            "选择已登记的单位，或输入单位全称；可不填"
        )
        self.enterprise_combo.addItem("", None)
        for enterprise in office.registry.enterprises():
            self.enterprise_combo.addItem(enterprise.name, enterprise.id)
        if p is not None and p.enterprise_id is not None:
            at = self.enterprise_combo.findData(p.enterprise_id)
            if at < 0:
                self.enterprise_combo.addItem(p.enterprise_name, p.enterprise_id)
                at = self.enterprise_combo.count() - 1
            self.enterprise_combo.setCurrentIndex(at)
        elif p is not None and p.employer_name:
            self.enterprise_combo.setEditText(p.employer_name)
        self.union_edit = self._line(
            p.union_name if p else "", "可不填", PERSON_TEXT_LIMITS["union_name"]
        )
        household = p.household_size if p and p.household_size is not None else ""
        self.household_edit = self._line(str(household), "人数，可不填", 3)
        self.income_edit = self._line(
            money_edit_text(p.income_per_head if p else None), "如 650 或 650.50，可不填", 16
        )
        self.hardship_combo = QComboBox()
        for status in HARDSHIP_STATUSES:
            self.hardship_combo.addItem(status or NO_HARDSHIP, status)
        self.hardship_combo.setCurrentIndex(
            max(0, self.hardship_combo.findData(p.hardship_status if p else ""))
        )
        self.review_edit = self._date_line(p.hardship_review_due if p else None)

        self._add_row("name", PERSON_LABELS["name"], self.name_edit)
        self._add_row("id_number", PERSON_LABELS["id_number"], self.id_edit, self.id_hint)
        self._add_row("phone", PERSON_LABELS["phone"], self.phone_edit)
        if p is not None:
            self.form.addRow("", self.reveal)
        self._add_row("enterprise_id", PERSON_LABELS["enterprise_id"], self.enterprise_combo)
        # A typed workplace's errors show under the same box.
        self.editors["employer_name"] = self.enterprise_combo
        self.errors["employer_name"] = self.errors["enterprise_id"]
        self.enterprise_combo.editTextChanged.connect(
            lambda _text: self.errors["enterprise_id"].hide()
        )
        self._add_row("union_name", PERSON_LABELS["union_name"], self.union_edit)
        self._add_row("household_size", PERSON_LABELS["household_size"], self.household_edit)
        self._add_row("income_per_head", "家庭月人均收入（元）", self.income_edit)
        self._add_row("hardship_status", PERSON_LABELS["hardship_status"], self.hardship_combo)
        self._date_row("hardship_review_due", "年度复核日期", self.review_edit, latest_today=False)

        self.id_edit.textChanged.connect(self._show_id_hint)
        self._show_id_hint(self.id_edit.text())
        self._build_family_tab(p)

    # --- 家庭情况: the details the aid forms ask, and the household members

    def _build_family_tab(self, p: Person | None) -> None:
        """The first form becomes the 基本信息 tab; 家庭情况 holds the rest, so the dialog stays
        as tall as a 1366×768 screen allows."""
        main = self.layout()
        main.removeItem(self.form)
        basic = QWidget()
        basic.setLayout(self.form)
        family = QWidget()
        self.family_form = QFormLayout(family)
        self.family_form.setHorizontalSpacing(12)
        self.family_form.setVerticalSpacing(4)
        self.family_form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.family_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(basic, "基本信息")
        self.tabs.addTab(family, "家庭情况")
        main.insertWidget(0, self.tabs)
        known = set(self.editors)

        form = self.family_form
        self.address_edit = self._line(
            p.address if p else "", "如 示例镇兴平路 87 号", PERSON_TEXT_LIMITS["address"]
        )
        self._add_row("address", PERSON_LABELS["address"], self.address_edit, form=form)
        self.choice_combos: dict[str, QComboBox] = {}
        for field, choices in PERSON_CHOICES.items():
            combo = choice_combo(choices, getattr(p, field) if p else "")
            self.choice_combos[field] = combo
            self._add_row(field, PERSON_LABELS[field], combo, form=form)
        self.health_combo = choice_combo(HEALTH_STATUSES, p.health if p else "")
        self.grade_combo = choice_combo(
            DISABILITY_GRADES, p.disability_grade if p else "", NOT_DISABLED
        )
        self._add_row("health", PERSON_LABELS["health"], self.health_combo, form=form)
        self._add_row(
            "disability_grade", PERSON_LABELS["disability_grade"], self.grade_combo, form=form
        )
        self.bank_name_edit = self._line(
            p.bank_name if p else "", "如 中国农业银行示例镇支行", PERSON_TEXT_LIMITS["bank_name"]
        )
        self.bank_account_edit = self._line(
            p.masked_bank_account if p else "", "银行卡号或存折账号，可不填", 40
        )
        if p is not None and p.bank_account:
            self.hidden.add("bank_account")
            self.bank_account_edit.setReadOnly(True)
            self.bank_account_edit.setToolTip("在“基本信息”中勾选“显示完整号码”后才能修改")
        self._add_row("bank_name", PERSON_LABELS["bank_name"], self.bank_name_edit, form=form)
        self._add_row(
            "bank_account", PERSON_LABELS["bank_account"], self.bank_account_edit, form=form
        )

        self.members: list[HouseholdMember] = list(p.household_members) if p else []
        self.members_table = QTableWidget(0, len(MEMBER_COLUMNS))
        self.members_table.setHorizontalHeaderLabels([title for title, _ in MEMBER_COLUMNS])
        self.members_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.members_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.members_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.members_table.verticalHeader().hide()
        self.members_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.members_table.horizontalHeader().setStretchLastSection(True)
        self.members_table.setMinimumHeight(100)
        self.members_table.doubleClicked.connect(lambda _index: self._edit_member())
        self.add_member_button = QPushButton("添加家庭成员…")
        self.edit_member_button = QPushButton("修改…")
        self.remove_member_button = QPushButton("删除")
        self.add_member_button.clicked.connect(self._add_member)
        self.edit_member_button.clicked.connect(self._edit_member)
        self.remove_member_button.clicked.connect(self._remove_member)
        buttons = QHBoxLayout()
        for button in (
            self.add_member_button, self.edit_member_button, self.remove_member_button
        ):  # fmt: skip
            buttons.addWidget(button)
        buttons.addStretch(1)
        # The table takes the dialog's whole width, under its title, for its six columns.
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 4, 0, 0)
        column.setSpacing(2)
        column.addWidget(QLabel("家庭成员（不含本人；申请表、入户调查表按这里印出）："))
        column.addWidget(self.members_table)
        column.addLayout(buttons)
        error = self._error_label()
        column.addWidget(error)
        self.editors["household_members"] = self.members_table
        self.errors["household_members"] = error
        form.addRow(box)
        self.setMinimumWidth(600)
        self.members_table.itemSelectionChanged.connect(self._update_member_buttons)
        self._show_members()
        self.family_fields = set(self.editors) - known

    def _show_members(self, select: int | None = None) -> None:
        revealed = "id_number" not in self.hidden
        self.members_table.setRowCount(len(self.members))
        for row, member in enumerate(self.members):
            for column, (_title, text_of) in enumerate(MEMBER_COLUMNS):
                item = QTableWidgetItem(text_of(member, revealed))
                self.members_table.setItem(row, column, item)
        if select is not None and 0 <= select < len(self.members):
            self.members_table.selectRow(select)
        self._update_member_buttons()
        self.errors["household_members"].hide()

    def _update_member_buttons(self) -> None:
        chosen = self._chosen_member() is not None
        self.edit_member_button.setEnabled(chosen)
        self.remove_member_button.setEnabled(chosen)
        self.add_member_button.setEnabled(len(self.members) < MAX_HOUSEHOLD_MEMBERS)

    def _chosen_member(self) -> int | None:
        rows = self.members_table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _add_member(self) -> None:
        dialog = MemberDialog(self, None, len(self.members) + 1, self._today(), reveal=True)
        if dialog.exec() and dialog.member is not None:
            self.members.append(dialog.member)
            self._show_members(len(self.members) - 1)

    def _edit_member(self) -> None:
        at = self._chosen_member()
        if at is None:
            return
        revealed = "id_number" not in self.hidden
        dialog = MemberDialog(self, self.members[at], at + 1, self._today(), reveal=revealed)
        if dialog.exec() and dialog.member is not None:
            self.members[at] = dialog.member
            self._show_members(at)

    def _remove_member(self) -> None:
        at = self._chosen_member()
        if at is None:
            return
        del self.members[at]
        self._show_members(min(at, len(self.members) - 1))

    def show_error(self, error: RecordError) -> None:
        """On the tab that holds the field named."""
        if error.field in self.editors:
            self.tabs.setCurrentIndex(1 if error.field in self.family_fields else 0)
        super().show_error(error)

    def _reveal_numbers(self, on: bool) -> None:
        """The whole numbers, kept in the trail, and the fields opened for editing; once shown
        they stay shown while the dialog is open."""
        if not on or self.person is None or not self.hidden:
            return
        fields = [
            PERSON_LABELS[f] for f in ("id_number", "phone", "bank_account") if f in self.hidden
        ]
        if any(m.id_number for m in self.members):
            fields.append(MEMBER_ID_LABEL)
        self.office.record_reveal(
            "修改职工信息", person_ids=[self.person.id], fields=fields, place=SHOWN_IN_WINDOW
        )
        self.hidden.clear()
        self.id_edit.setText(self.person.id_number)
        self.phone_edit.setText(self.person.phone)
        self.bank_account_edit.setText(self.person.bank_account)
        for editor in (self.id_edit, self.phone_edit, self.bank_account_edit):
            editor.setReadOnly(False)
            editor.setToolTip("")
        self._show_members(self._chosen_member())
        self.reveal.setEnabled(False)

    def _show_id_hint(self, text: str) -> None:
        """What the number says about its holder, once all 18 characters are typed."""
        if "id_number" in self.hidden:
            self._show_hint(self.id_hint, "")
            return
        number = "".join(text.split())
        if len(number) < 18:
            left = f"已输入 {len(number)} 位，还差 {18 - len(number)} 位" if number else ""
            self._show_hint(self.id_hint, left)
            return
        try:
            parsed = parse_id_number(number, today=self._today())
        except IdentityError as error:
            self._show_hint(self.id_hint, str(error), RED)
            return
        age = parsed.age_on(self._today())
        self._show_hint(
            self.id_hint,
            f"✓ 出生日期 {parsed.birth_date.isoformat()}，{parsed.gender}，{age} 岁",
            GREEN,
        )

    def workplace(self) -> tuple[int | None, str]:
        """The registered enterprise chosen (its id), or else the name typed (which may still
        name a registered one: desktop.office.Office.save_person links it)."""
        text = " ".join(self.enterprise_combo.currentText().split())
        if not text:
            return None, ""
        at = self.enterprise_combo.findText(text, Qt.MatchFlag.MatchExactly)
        chosen = self.enterprise_combo.itemData(at) if at >= 0 else None
        return (chosen, "") if chosen is not None else (None, text)

    def raw_values(self) -> dict:
        """What the form holds; numbers still masked are left as they are."""
        enterprise_id, employer = self.workplace()
        raw = {
            "name": self.name_edit.text(),
            "id_number": self.id_edit.text(),
            "phone": self.phone_edit.text(),
            "enterprise_id": enterprise_id,
            "employer_name": employer,
            "union_name": self.union_edit.text(),
            "household_size": self.household_edit.text(),
            "income_per_head": self.income_edit.text(),
            "hardship_status": self.hardship_combo.currentData(),
            "hardship_review_due": self.review_edit.text(),
            "address": self.address_edit.text(),
            **{field: combo.currentData() for field, combo in self.choice_combos.items()},
            "health": self.health_combo.currentData(),
            "disability_grade": self.grade_combo.currentData(),
            "bank_name": self.bank_name_edit.text(),
            "bank_account": self.bank_account_edit.text(),
            "household_members": list(self.members),
        }
        return {key: value for key, value in raw.items() if key not in self.hidden}

    def _save(self) -> int:
        now = self.office.cases.clock()
        values = clean_person(self.raw_values(), now.date())
        typed = values.get("employer_name", "")
        register = False
        unchanged = self.person is not None and typed == self.person.employer_name
        if typed and not unchanged and self.office.registry.enterprise_named(typed) is None:
            answer = ask_register_employer(self, typed)
            if answer is None:
                raise _BackToForm
            register = answer == REGISTER
        return self.office.save_person(
            values,
            self.person.id if self.person else None,
            register_employer=register,
            actor=self._actor(),
            now=now,
        )


NOT_CHOSEN = "（未填）"
NOT_DISABLED = "（不是残疾）"
MEMBER_ID_LABEL = "家庭成员身份证号码"


def choice_combo(choices: tuple[str, ...], current: str, empty: str = NOT_CHOSEN) -> QComboBox:
    """A list to choose one of ``choices`` from, or nothing; a value saved that is not in the
    list (kept under an older one) stays shown and chosen."""
    combo = QComboBox()
    combo.addItem(empty, "")
    for choice in choices:
        combo.addItem(choice, choice)
    at = combo.findData(current or "")
    if at < 0:
        combo.addItem(current, current)
        at = combo.count() - 1
    combo.setCurrentIndex(at)
    return combo


def _money(fen: int | None) -> str:
    return format_fen(fen) if fen is not None else ""


# The household table's columns: title, and the text of a member (with whole numbers or not).
MEMBER_COLUMNS = (
    ("姓名", lambda m, whole: m.name),
    ("关系", lambda m, whole: m.relation),
    ("身份证号码", lambda m, whole: m.id_number if whole else m.masked_id_number),
    ("健康状况", lambda m, whole: m.health_text),
    ("工作单位或就读学校", lambda m, whole: m.work),
    ("月收入（元）", lambda m, whole: _money(m.monthly_income)),
)


class MemberDialog(QDialog):
    """添加家庭成员 / 修改家庭成员: one member, cleaned by desktop.household before it is
    taken into the worker's dialog (which saves the family with the worker)."""

    def __init__(
        self,
        parent: QWidget,
        member: HouseholdMember | None,
        position: int,
        today: date,
        reveal: bool,
    ):
        super().__init__(parent)
        self.setWindowTitle("修改家庭成员" if member else "添加家庭成员")
        self.setMinimumWidth(420)
        self.original = member
        self.position = position
        self.today = today
        self.member: HouseholdMember | None = None
        m = member
        self.name_edit = QLineEdit(m.name if m else "")
        self.name_edit.setMaxLength(PERSON_TEXT_LIMITS["name"])
        self.relation_combo = choice_combo(RELATIONS, m.relation if m else "", "（请选择）")
        # A member's number opens masked, as the worker's own, unless the worker's are shown.
        self.id_hidden = bool(m and m.id_number and not reveal)
        self.id_edit = QLineEdit(
            (m.masked_id_number if self.id_hidden else m.id_number) if m else ""
        )
        self.id_edit.setMaxLength(24)
        self.id_edit.setPlaceholderText("18 位身份证号码，可不填")
        if self.id_hidden:
            self.id_edit.setReadOnly(True)
            self.id_edit.setToolTip("在职工信息中勾选“显示完整号码”后才能修改")
        self.health_combo = choice_combo(HEALTH_STATUSES, m.health if m else "")
        self.grade_combo = choice_combo(
            DISABILITY_GRADES, m.disability_grade if m else "", NOT_DISABLED
        )
        self.work_edit = QLineEdit(m.work if m else "")
        self.work_edit.setMaxLength(max(MEMBER_TEXT_LIMITS["work"], len(m.work) if m else 0))
        self.work_edit.setPlaceholderText("如 示例县第一中学、务农、无业")
        self.income_edit = QLineEdit(money_edit_text(m.monthly_income) if m else "")
        self.income_edit.setMaxLength(16)
        self.income_edit.setPlaceholderText("每月收入（元），没有收入填 0 或不填")
        self.editors = {
            "name": self.name_edit,
            "relation": self.relation_combo,
            "id_number": self.id_edit,
            "health": self.health_combo,
            "work": self.work_edit,
            "monthly_income": self.income_edit,
        }
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for field, editor in self.editors.items():
            label = "月收入（元）" if field == "monthly_income" else MEMBER_LABELS[field]
            form.addRow(f"{label}：", editor)
            if field == "health":
                form.addRow(f"{MEMBER_LABELS['disability_grade']}：", self.grade_combo)
        self.error = error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.take)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def raw_values(self) -> dict:
        return {
            "name": self.name_edit.text(),
            "relation": self.relation_combo.currentData(),
            "id_number": self.original.id_number if self.id_hidden else self.id_edit.text(),
            "health": self.health_combo.currentData(),
            "disability_grade": self.grade_combo.currentData(),
            "work": self.work_edit.text(),
            "monthly_income": self.income_edit.text(),
        }

    def take(self) -> None:
        try:
            self.member = clean_household_member(self.raw_values(), self.position, self.today)
        except MemberError as error:
            self.error.setText(str(error))
            self.error.show()
            editor = self.editors.get(error.field)
            if editor is not None:
                editor.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.accept()


class EnterpriseDialog(RecordDialog):
    """新增单位 / 修改单位信息."""

    def __init__(
        self, office: Office, enterprise: Enterprise | None = None, parent: QWidget | None = None
    ):
        super().__init__(office, "修改单位信息" if enterprise else "新增单位", parent)
        self.enterprise = enterprise
        e = enterprise

        self.name_edit = self._line(e.name if e else "", "单位全称", ENTERPRISE_TEXT_LIMITS["name"])
        self.credit_edit = self._line(e.credit_code if e else "", "18 位，可不填", 24)
        self.credit_hint = self._hint_label()
        self.address_edit = self._line(
            e.address if e else "", "可不填", ENTERPRISE_TEXT_LIMITS["address"]
        )
        self.contact_edit = self._line(
            e.contact if e else "", "姓名，可不填", ENTERPRISE_TEXT_LIMITS["contact"]
        )
        self.phone_edit = self._line(e.phone if e else "", "可不填", 20)
        self.headcount_edit = self._line(str(e.headcount) if e else "", "人数", 7)
        self.member_edit = self._line(str(e.member_count) if e else "", "人数", 7)
        self.status_combo = QComboBox()
        self.status_combo.addItems(list(UNION_STATUSES))
        self.status_combo.setCurrentText(e.union_status if e else UNION_STATUSES[0])
        self.since_edit = self._date_line(e.headcount_25_since if e else None)
        self.management_check = QCheckBox("制度健全、管理规范")
        self.management_check.setChecked(bool(e and e.management_sound))
        self.activities_edit = self._line(
            str(e.joint_activities_year) if e else "", "次数，可不填", 3
        )

        self._add_row("name", ENTERPRISE_LABELS["name"], self.name_edit)
        self._add_row("credit_code", ENTERPRISE_LABELS["credit_code"], self.credit_edit,
                      self.credit_hint)  # fmt: skip
        self._add_row("address", ENTERPRISE_LABELS["address"], self.address_edit)
        self._add_row("contact", ENTERPRISE_LABELS["contact"], self.contact_edit)
        self._add_row("phone", ENTERPRISE_LABELS["phone"], self.phone_edit)
        self._add_row("headcount", ENTERPRISE_LABELS["headcount"], self.headcount_edit)
        self._add_row("member_count", ENTERPRISE_LABELS["member_count"], self.member_edit)
        self._add_row("union_status", ENTERPRISE_LABELS["union_status"], self.status_combo)
        self._date_row("headcount_25_since", "职工达到 25 人的日期", self.since_edit, True)
        self._add_row("management_sound", ENTERPRISE_LABELS["management_sound"],
                      self.management_check)  # fmt: skip
        self._add_row("joint_activities_year", "本年度联合工会活动", self.activities_edit)

        self.credit_edit.textChanged.connect(self._show_credit_hint)
        self._show_credit_hint(self.credit_edit.text())

    def _show_credit_hint(self, text: str) -> None:
        code = "".join(text.replace("-", "").split())
        if len(code) < 18:
            left = f"已输入 {len(code)} 位，还差 {18 - len(code)} 位" if code else ""
            self._show_hint(self.credit_hint, left)
            return
        try:
            parse_credit_code(code)
        except IdentityError as error:
            self._show_hint(self.credit_hint, str(error), RED)
            return
        self._show_hint(self.credit_hint, "✓ 代码校验通过", GREEN)

    def raw_values(self) -> dict:
        return {
            "name": self.name_edit.text(),
            "credit_code": self.credit_edit.text(),
            "address": self.address_edit.text(),
            "contact": self.contact_edit.text(),
            "phone": self.phone_edit.text(),
            "headcount": self.headcount_edit.text(),
            "member_count": self.member_edit.text(),
            "union_status": self.status_combo.currentText(),
            "headcount_25_since": self.since_edit.text(),
            "management_sound": self.management_check.isChecked(),
            "joint_activities_year": self.activities_edit.text(),
        }

    def _save(self) -> int:
        now = self.office.cases.clock()
        values = clean_enterprise(self.raw_values(), now.date())
        if self.enterprise is None:
            return self.office.registry.add_enterprise(values, self._actor(), now)
        self.office.registry.update_enterprise(self.enterprise.id, values, self._actor(), now)
        return self.enterprise.id


# --- the two tabs ------------------------------------------------------------------------------

"""新建案件: pick the service item from the checklist, find the worker or the unit it is for, and
受理 the case; a second case of the same aid in one year asks for the reason first."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.book.model import ServiceItem
from desktop.cases.fields import REPEAT_REASON_LIMIT
from desktop.cases.records import CaseRow
from desktop.cases.service import CaseError, RepeatNeedsReason
from desktop.cases.status import CASE_STATUS_LABELS
from desktop.formatting import list_date
from desktop.office import Office
from desktop.registry import Enterprise, PeopleFilter, Person
from desktop.ui.lazy_model import Column, ColumnsModel
from desktop.ui.theme import CASES_STYLE_SHEET
from desktop.ui.widgets import error_label, section_title, small_table

SEARCH_DELAY_MS = 250
SUBJECT_SEARCH_LIMIT = 50


def _show_error(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


class NewCaseDialog(QDialog):
    """新建案件: pick the service item, find the person or unit, 受理."""

    def __init__(
        self,
        office: Office,
        parent: QWidget | None = None,
        service_item_id: str = "",
        person_id: int | None = None,
    ):
        super().__init__(parent)
        self.office = office
        self.created: CaseRow | None = None
        self._subject = ""  # "person" or "enterprise" for the chosen item
        self._repeat_for: tuple[str, int] | None = None
        self.setWindowTitle("新建案件")
        self.setStyleSheet(CASES_STYLE_SHEET)
        self.resize(860, 600)

        # Left: the service items under their categories.
        self.items_tree = QTreeWidget()
        self.items_tree.setObjectName("serviceItems")
        self.items_tree.setHeaderHidden(True)
        self.items_tree.setRootIsDecorated(False)
        self.items_tree.setIndentation(12)
        self._items: dict[str, ServiceItem] = {}
        items = office.book.service_items()
        for category in office.book.service_categories():
            parent_item = QTreeWidgetItem([category.name])
            parent_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = parent_item.font(0)
            font.setBold(True)
            parent_item.setFont(0, font)
            self.items_tree.addTopLevelItem(parent_item)
            for item in items:
                if item.category_id != category.id:
                    continue
                self._items[item.id] = item
                child = QTreeWidgetItem([item.name])
                child.setData(0, Qt.ItemDataRole.UserRole, item.id)
                child.setToolTip(0, item.name)
                parent_item.addChild(child)
        self.items_tree.expandAll()
        self.item_error = error_label()

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(8)
        left_layout.addWidget(section_title("1. 服务项目"))
        left_layout.addWidget(self.items_tree, 1)
        left_layout.addWidget(self.item_error)

        # Right: what the item promises, then the subject search.
        self.item_title = QLabel("请在左侧选择服务项目")
        self.item_title.setObjectName("itemTitle")
        self.item_title.setWordWrap(True)
        self.item_details = QLabel()
        self.item_details.setWordWrap(True)
        self.item_details.setTextFormat(Qt.TextFormat.RichText)

        self.subject_title = section_title("2. 办理对象")
        self.search_box = QLineEdit()
        self.search_box.setObjectName("subjectSearch")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.installEventFilter(self)
        self.subject_model = ColumnsModel([], self)
        self.subject_table = small_table(self.subject_model, "subjectTable")
        self.subject_count = QLabel()
        self.subject_count.setObjectName("resultCount")
        self.subject_error = error_label()

        self.repeat_box = QFrame()
        self.repeat_box.setObjectName("repeatBox")
        self.repeat_text = QLabel()
        self.repeat_text.setWordWrap(True)
        self.reason_box = QLineEdit()
        self.reason_box.setObjectName("repeatReason")
        self.reason_box.setMaxLength(REPEAT_REASON_LIMIT)
        self.reason_box.setPlaceholderText("如：家庭再次遭遇重大变故，经工会研究同意再次救助")
        self.reason_error = error_label()
        repeat_layout = QVBoxLayout(self.repeat_box)
        repeat_layout.setContentsMargins(10, 8, 10, 8)
        repeat_layout.setSpacing(6)
        repeat_layout.addWidget(self.repeat_text)
        repeat_layout.addWidget(QLabel("再次办理的理由（必填，记入办理记录）："))
        repeat_layout.addWidget(self.reason_box)
        repeat_layout.addWidget(self.reason_error)
        self.repeat_box.hide()

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(8)
        right_layout.addWidget(self.item_title)
        right_layout.addWidget(self.item_details)
        right_layout.addSpacing(4)
        right_layout.addWidget(self.subject_title)
        right_layout.addWidget(self.search_box)
        right_layout.addWidget(self.subject_table, 1)
        subject_row = QHBoxLayout()
        subject_row.addWidget(self.subject_error, 1)
        subject_row.addWidget(self.subject_count)
        right_layout.addLayout(subject_row)
        right_layout.addWidget(self.repeat_box)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([290, 546])

        operator = office.operator
        self.operator_label = QLabel(
            f"经办人：{operator}" if operator else "尚未选择经办人（设置 → 工作人员与当前经办人）"
        )
        self.operator_label.setObjectName("pageHint")
        self.error_label = error_label()
        self.buttons = QDialogButtonBox()
        self.accept_button = self.buttons.addButton("受理", QDialogButtonBox.ButtonRole.AcceptRole)
        self.accept_button.setDefault(True)
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.operator_label)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(bottom)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.search_subjects)
        self.search_box.textChanged.connect(lambda _text: self._search_timer.start())
        self.items_tree.currentItemChanged.connect(self._item_changed)
        self.subject_table.selectionModel().selectionChanged.connect(
            lambda *_args: self._subject_changed()
        )

        self._show_item(None)
        if service_item_id:
            self.choose_item(service_item_id)
        if person_id is not None:
            person = office.registry.person(person_id)
            if person is not None:
                self._choose_person(person)
        self.items_tree.setFocus()

    def _choose_person(self, person: Person) -> None:
        """Start with ``person`` chosen, found by name: the search box is on the screen, and
        the ID number stays masked there as everywhere."""
        self.search_box.setText(person.name)
        self.search_subjects()
        ids = [self.subject_model.row_object(r).id for r in range(self.subject_model.rowCount())]
        if person.id not in ids:  # namesakes fill the first page
            self.subject_model.set_rows([person])
            ids = [person.id]
        self.subject_table.selectRow(ids.index(person.id))

    # --- choosing ----------------------------------------------------------------------------

    def choose_item(self, service_item_id: str) -> bool:
        for top in range(self.items_tree.topLevelItemCount()):
            parent = self.items_tree.topLevelItem(top)
            for row in range(parent.childCount()):
                child = parent.child(row)
                if child.data(0, Qt.ItemDataRole.UserRole) == service_item_id:
                    self.items_tree.setCurrentItem(child)
                    return True
        return False

    def chosen_item(self) -> ServiceItem | None:
        current = self.items_tree.currentItem()
        item_id = current.data(0, Qt.ItemDataRole.UserRole) if current is not None else None
        return self._items.get(item_id) if item_id else None

    def chosen_subject(self) -> Person | Enterprise | None:
        rows = self.subject_table.selectionModel().selectedRows()
        return self.subject_model.row_object(rows[0].row()) if rows else None

    def _item_changed(self, *_args) -> None:
        self._show_item(self.chosen_item())

    def _show_item(self, item: ServiceItem | None) -> None:
        _show_error(self.item_error, "")
        _show_error(self.error_label, "")
        self._hide_repeat()
        if item is None:
            self.item_title.setText("请在左侧选择服务项目")
            self.item_details.setText("")
            self._set_subject_kind("person")
            return
        try:
            subject = self.office.cases.procedure_for(item.id).subject
        except CaseError as error:
            _show_error(self.error_label, str(error))
            subject = "person"
        self.item_title.setText(item.name)
        person = item.responsible_person or "未指定"
        local = "（地方默认，县总工会可调整）" if item.local_default else ""
        self.item_details.setText(
            f"<p style='margin:0 0 4px 0;'><b>服务标准：</b>{escape(item.standard)}</p>"
            f"<p style='margin:0;'><b>办理时限：</b>{escape(item.time_limit_text)}{local}"
            f"　<b>责任人：</b>{escape(person)}（{escape(item.responsible_role)}）</p>"
        )
        self._set_subject_kind(subject)

    def _set_subject_kind(self, subject: str) -> None:
        if subject == self._subject:
            return
        self._subject = subject
        if subject == "enterprise":
            self.subject_title.setText("2. 办理对象（单位）")
            self.search_box.setPlaceholderText("单位名称或拼音（如 hx 或 huaxin）")
            columns = [
                Column("单位名称", lambda e: e.name),
                Column("建会状态", lambda e: e.union_status),
                Column("职工人数", lambda e: str(e.headcount), align_right=True),
            ]
            widths = (300, 90)
        else:
            self.subject_title.setText("2. 办理对象（职工）")
            self.search_box.setPlaceholderText("姓名、拼音（如 zs 或 zhang）或身份证号码中的数字")
            columns = [
                Column("姓名", lambda p: p.name),
                Column("身份证号", lambda p: p.masked_id_number),
                Column("工作单位", lambda p: p.enterprise_name or "—"),
            ]
            widths = (90, 170)
        self.subject_model.columns = columns
        self.subject_model.set_rows([])
        # A person's name means nothing in the list of units, and the other way round.
        self.search_box.blockSignals(True)
        self.search_box.clear()
        self.search_box.blockSignals(False)
        for column, width in enumerate(widths):
            self.subject_table.setColumnWidth(column, width)
        self.search_subjects()

    def search_subjects(self) -> None:
        """List the people (or units) matching the search box, at most a page of them."""
        self._search_timer.stop()
        text = self.search_box.text().strip()
        registry = self.office.registry
        rows: list[Any]
        if self._subject == "enterprise":
            rows = registry.enterprises(text, limit=SUBJECT_SEARCH_LIMIT)
            total = registry.count_enterprises(text)
            noun = "家"
        else:
            people_filter = PeopleFilter(text=text)
            rows = registry.people(people_filter, limit=SUBJECT_SEARCH_LIMIT)
            total = registry.count_people(people_filter)
            noun = "人"
        chosen = self.chosen_subject()
        self.subject_model.set_rows(rows)
        if total > len(rows):
            self.subject_count.setText(
                f"共 {total} {noun}，只列出前 {len(rows)} {noun}，请输入更多字"
            )
        elif total:
            self.subject_count.setText(f"共 {total} {noun}")
        elif text and self._subject == "enterprise":
            self.subject_count.setText("没有找到，请换个写法（单位名称或拼音）")
        elif text:
            self.subject_count.setText("没有找到，请换个写法（姓名、拼音或身份证号）")
        else:
            where = "单位" if self._subject == "enterprise" else "职工"
            self.subject_count.setText(f"还没有登记{where}，请先在“人员/单位”中登记")
        if chosen is not None:
            for row, subject in enumerate(rows):
                if subject.id == chosen.id:
                    self.subject_table.selectRow(row)
                    break
        self._subject_changed()

    def _subject_changed(self) -> None:
        if self.chosen_subject() is not None:
            _show_error(self.subject_error, "")
        if self._repeat_for is not None and self._repeat_key() != self._repeat_for:
            self._hide_repeat()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Enter in the search box picks the first match instead of pressing 受理.
        if (
            watched is self.search_box
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.search_subjects()
            if self.subject_model.rowCount():
                if self.chosen_subject() is None:
                    self.subject_table.selectRow(0)
                self.subject_table.setFocus()
                self._subject_changed()
            return True
        return super().eventFilter(watched, event)

    # --- 受理 ---------------------------------------------------------------------------------

    def _repeat_key(self) -> tuple[str, int] | None:
        item, subject = self.chosen_item(), self.chosen_subject()
        if item is None or subject is None:
            return None
        return item.id, subject.id

    def _hide_repeat(self) -> None:
        self._repeat_for = None
        self.repeat_box.hide()
        self.reason_box.clear()
        _show_error(self.reason_error, "")

    def submit(self) -> None:
        _show_error(self.error_label, "")
        item, subject = self.chosen_item(), self.chosen_subject()
        _show_error(self.item_error, "" if item else "请先选择服务项目。")
        missing = (
            "请在上面的名单中选中一家单位。"
            if self._subject == "enterprise"
            else ("请在上面的名单中选中一名职工（可输入姓名查找）。")
        )
        _show_error(self.subject_error, "" if subject else missing)
        if item is None or subject is None:
            return
        reason = ""
        if self._repeat_for is not None:
            reason = self.reason_box.text().strip()
            if not reason:
                _show_error(self.reason_error, "请填写再次办理的理由。")
                self.reason_box.setFocus()
                return
        target = (
            {"enterprise_id": subject.id}
            if self._subject == "enterprise"
            else {"person_id": subject.id}
        )
        try:
            self.created = self.office.cases.open_case(
                item.id, self.office.operator, repeat_reason=reason, **target
            )
        except RepeatNeedsReason as error:
            self._ask_reason(error)
            return
        except CaseError as error:
            _show_error(self.error_label, str(error))
            return
        self.accept()

    def _ask_reason(self, error: RepeatNeedsReason) -> None:
        self._repeat_for = self._repeat_key()
        subject = self.chosen_subject()
        name = escape(subject.name) if subject is not None else "该职工"
        kind = escape(error.earlier[-1].kind) if error.earlier else "同类事项"
        earlier = "<br>".join(
            f"{escape(case.number)}（{list_date(case.opened_at)} 受理，"
            f"{escape(CASE_STATUS_LABELS.get(case.status, case.status))}）"
            for case in error.earlier
        )
        self.repeat_text.setText(
            f"<b>{name}今年已办理过“{kind}”：</b><br>{earlier}<br>"
            "同一年度再次办理须登记理由，填写后再点“受理”。"
        )
        self.repeat_box.show()
        _show_error(self.reason_error, "")
        self.reason_box.setFocus()

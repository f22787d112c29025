"""人员/单位: the office's register of workers and enterprises, each beside its details and cases.

Lists come from the registry a page at a time; personal numbers stay masked unless the clerk
asks. Adding or editing goes through the dialogs in desktop.ui.record_dialogs. Each tab refreshes
itself when a change report concerns the register or the cases it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape

from PySide6.QtCore import QModelIndex, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.cases.records import CaseFilter, CaseRow
from desktop.cases.status import case_status_text
from desktop.changes import Changes
from desktop.formatting import list_date
from desktop.money import format_fen
from desktop.office import SHOWN_IN_WINDOW, Office
from desktop.registry import (
    ENTERPRISE_LABELS,
    PERSON_LABELS,
    Enterprise,
    PeopleFilter,
    Person,
    growth_progress,
)
from desktop.ui.events import OfficeEvents, RefreshesOnChange
from desktop.ui.lazy_model import Column, LazyTableModel
from desktop.ui.record_dialogs import (
    MEMBER_ID_LABEL,
    EnterpriseDialog,
    PersonDialog,
    RecordDialog,
)
from desktop.ui.settings import (
    ENTERPRISES_DETAIL_SPLITTER,
    ENTERPRISES_SPLITTER,
    PEOPLE_DETAIL_SPLITTER,
    PEOPLE_SPLITTER,
    Setting,
    WindowSettings,
    restore_splitter,
    save_splitter,
)
from desktop.ui.theme import GREEN, GREY, RED, list_colour

SEARCH_DELAY_MS = 200
CASES_SHOWN = 100

NO_HARDSHIP = "无"
NO_ENTERPRISE = "（不填）"
EMPTY = f'<span style="color:{GREY};">未填写</span>'


def _money_text(fen: int | None) -> str:
    return format_fen(fen) if fen is not None else ""


# Names and addresses may wrap; numbers and dates must not break in the middle.
WRAPPING_LABELS = frozenset(
    [
        PERSON_LABELS["enterprise_id"],
        PERSON_LABELS["union_name"],
        ENTERPRISE_LABELS["address"],
        PERSON_LABELS["address"],
        PERSON_LABELS["bank_name"],
    ]
)


def _detail_table(rows: list[tuple[str, str]], pairs_per_line: int = 1) -> str:
    """Label/value pairs as an HTML table, ``pairs_per_line`` side by side; values are escaped."""
    lines = []
    for start in range(0, len(rows), pairs_per_line):
        cells = "".join(
            f'<td style="color:#555; padding:3px 12px 3px 0; white-space:nowrap;">{label}</td>'
            f'<td style="padding:3px 28px 3px 0;'
            f'{"" if label in WRAPPING_LABELS else " white-space:nowrap;"}">{value or EMPTY}</td>'
            for label, value in rows[start : start + pairs_per_line]
        )
        lines.append(f"<tr>{cells}</tr>")
    return f'<table cellspacing="0" cellpadding="0">{"".join(lines)}</table>'


def person_html(person: Person, today: date, reveal: bool = False) -> str:
    """The detail pane for one worker; ID and phone masked unless ``reveal``."""
    id_number = person.id_number if reveal else person.masked_id_number
    phone = person.phone if reveal else person.masked_phone
    review = escape(list_date(person.hardship_review_due))
    if review and person.review_overdue(today):
        review = f'<span style="color:{RED};">{review}（已过复核日期）</span>'
    income = person.income_per_head
    rows = [
        (PERSON_LABELS["id_number"], escape(id_number)),
        (PERSON_LABELS["phone"], escape(phone)),
        (PERSON_LABELS["gender"], escape(person.gender)),
        (
            PERSON_LABELS["birth_date"],
            f"{person.birth_date.isoformat()}（{person.age_on(today)} 岁）",
        ),
        (PERSON_LABELS["enterprise_id"], escape(person.enterprise_name)),
        (PERSON_LABELS["union_name"], escape(person.union_name)),
        (
            PERSON_LABELS["household_size"],
            f"{person.household_size} 人" if person.household_size is not None else "",
        ),
        (
            PERSON_LABELS["income_per_head"],
            f"{_money_text(income)} 元" if income is not None else "",
        ),
        (PERSON_LABELS["hardship_status"], escape(person.hardship_status or NO_HARDSHIP)),
        (PERSON_LABELS["hardship_review_due"], review),
        (PERSON_LABELS["ethnicity"], escape(person.ethnicity)),
        (PERSON_LABELS["political_status"], escape(person.political_status)),
        (PERSON_LABELS["marital_status"], escape(person.marital_status)),
        (PERSON_LABELS["health"], escape(person.health_text)),
        (PERSON_LABELS["hukou_type"], escape(person.hukou_type)),
        (PERSON_LABELS["housing"], escape(person.housing)),
        (PERSON_LABELS["address"], escape(person.address)),
        (PERSON_LABELS["bank_name"], escape(person.bank_name)),
        (
            PERSON_LABELS["bank_account"],
            escape(person.bank_account if reveal else person.masked_bank_account),
        ),
    ]
    family = ""
    if person.household_members:
        lines = "".join(f"<li>{escape(m.summary(reveal))}</li>" for m in person.household_members)
        family = (
            f'<p style="margin:8px 0 2px 0;">家庭成员（{len(person.household_members)} 人，'
            f'不含本人）：</p><ul style="margin:0;">{lines}</ul>'
        )
    name = escape(person.name)
    return f'<h3 style="margin:0 0 8px 0;">{name}</h3>{_detail_table(rows, 2)}{family}'


def growth_html(enterprise: Enterprise, today: date) -> str:
    criteria = growth_progress(enterprise, today)
    met = sum(c.met for c in criteria)
    colour = GREEN if met == len(criteria) else "#333"
    lines = "".join(
        f'<tr><td style="padding:2px 8px 2px 0; color:{GREEN if c.met else RED};">'
        f"{'✓' if c.met else '✗'}</td>"
        f'<td style="padding:2px 0;">{escape(c.label)}'
        f'<br/><span style="color:#666;">{escape(c.detail)}</span></td></tr>'
        for c in criteria
    )
    return (
        '<p style="margin:0 0 4px 0;"><b>成长清单（单独组建工会的条件）</b></p>'
        f'<p style="margin:0 0 6px 0; color:{colour};">已满足 {met} / {len(criteria)} 项</p>'
        f'<table cellspacing="0" cellpadding="0">{lines}</table>'
    )


def enterprise_html(enterprise: Enterprise, today: date, registered_people: int) -> str:
    coverage = (
        f"（覆盖率 {enterprise.member_count / enterprise.headcount:.0%}）"
        if enterprise.headcount
        else ""
    )
    rows = [
        (ENTERPRISE_LABELS["credit_code"], escape(enterprise.credit_code)),
        (ENTERPRISE_LABELS["address"], escape(enterprise.address)),
        (ENTERPRISE_LABELS["contact"], escape(enterprise.contact)),
        (ENTERPRISE_LABELS["phone"], escape(enterprise.phone)),
        (ENTERPRISE_LABELS["headcount"], f"{enterprise.headcount} 人"),
        (ENTERPRISE_LABELS["member_count"], f"{enterprise.member_count} 人{coverage}"),
        (ENTERPRISE_LABELS["union_status"], escape(enterprise.union_status)),
        ("职工达到 25 人", escape(list_date(enterprise.headcount_25_since))),
        (ENTERPRISE_LABELS["management_sound"], "是" if enterprise.management_sound else "否"),
        ("本年度联合工会活动", f"{enterprise.joint_activities_year} 次"),
        ("本系统登记的职工", f"{registered_people} 人"),
    ]
    # Fields and growth criteria side by side, so both fit the pane under the list.
    return (
        f'<h3 style="margin:0 0 8px 0;">{escape(enterprise.name)}</h3>'
        '<table cellspacing="0" cellpadding="0"><tr>'
        f'<td style="padding-right:24px;">{_detail_table(rows)}</td>'
        f"<td>{growth_html(enterprise, today)}</td></tr></table>"
    )


def _table_view(name: str) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setAlternatingRowColors(True)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    table.setTabKeyNavigation(False)  # Tab leaves; the arrows move between rows
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(26)
    return table


def _set_widths(table: QTableView, widths: dict[int, int], stretch: int) -> None:
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(False)
    for column, width in widths.items():
        table.setColumnWidth(column, width)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    header.setMinimumSectionSize(36)


def _keep_sort_indicator_on_sortable_columns(table: QTableView, model: LazyTableModel) -> None:
    """A click on a column the repository cannot sort by leaves the arrow where it was."""
    header = table.horizontalHeader()
    last = [header.sortIndicatorSection(), header.sortIndicatorOrder()]

    def changed(section: int, order: Qt.SortOrder) -> None:
        if 0 <= section < len(model.columns) and model.columns[section].sort_key is None:
            with QSignalBlocker(header):
                header.setSortIndicator(last[0], last[1])
        else:
            last[:] = [section, order]

    header.sortIndicatorChanged.connect(changed)


# --- the cases of a person or an enterprise ----------------------------------------------------


class SubjectCases(QWidget):
    """Up to CASES_SHOWN cases of one subject, newest first; Enter or double-click opens one."""

    case_activated = Signal(int)

    def __init__(self, office: Office, parent: QWidget | None = None):
        super().__init__(parent)
        self.office = office
        self._states: dict[int, str] = {}
        self.title = QLabel("办理记录")
        self.title.setObjectName("resultCount")
        columns = [
            Column("编号", lambda c: c.number),
            Column("服务项目", lambda c: c.service_item_name, tooltip=lambda c: c.kind or ""),
            Column("状态", self._status_text, foreground=self._status_colour),
            Column("受理日期", lambda c: list_date(c.opened_at)),
        ]
        self.model = LazyTableModel(columns, lambda *_: [], lambda: 0, self)
        self.table = _table_view("subjectCases")
        self.table.setModel(self.model)
        self.table.setToolTip("双击或按回车键，在“事项办理”中打开这件事项")
        _set_widths(self.table, {0: 112, 2: 76, 3: 88}, stretch=1)
        self.table.activated.connect(self._activated)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.table)

    def show_cases(self, filter: CaseFilter | None) -> None:
        self._states.clear()
        if filter is None:
            self.model.set_source(lambda *_: [], lambda: 0)
            self.title.setText("办理记录")
            return
        total = self.office.cases.count_cases(filter)
        rows = self.office.cases.list_cases(filter, limit=CASES_SHOWN) if total else []
        self.model.set_source(lambda offset, *_: rows if offset == 0 else [], lambda: len(rows))
        if total == 0:
            self.title.setText("办理记录：还没有办理过事项")
        elif total > len(rows):
            self.title.setText(f"办理记录：共 {total} 件，显示最近 {len(rows)} 件（双击打开）")
        else:
            self.title.setText(f"办理记录：共 {total} 件（双击打开）")

    def case_id(self, row: int) -> int:
        return self.model.row_object(row).id

    def _state(self, case: CaseRow) -> str:
        if case.id not in self._states:
            self._states[case.id] = self.office.cases.case_deadline_state(case)
        return self._states[case.id]

    def _status_text(self, case: CaseRow) -> str:
        """办理中 / 即将到期 / 今日到期 / 已超期 / 已办结 / 超期办结 / 已终止, short."""
        return case_status_text(case.status, self._state(case))

    def _status_colour(self, case: CaseRow) -> QColor | None:
        return list_colour(self._state(case))

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.case_activated.emit(self.case_id(index.row()))


class _RegisterTab(RefreshesOnChange, QWidget):
    """Search bar and buttons above a list; under it the selected record's details and cases.

    The detail sits under the list, not beside it: nine columns of people leave no room for a
    side pane in the window's default 1200-pixel width.
    """

    case_requested = Signal(int)

    splitter_setting: Setting
    detail_splitter_setting: Setting
    initial_sizes = (460, 240)  # list, detail
    noun = ""

    def __init__(
        self,
        office: Office,
        settings: WindowSettings,
        events: OfficeEvents,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.office = office
        self.settings = settings
        self.dialog: RecordDialog | None = None
        self.current_id: int | None = None
        self.listen(events)

        self.search_box = QLineEdit()
        self.search_box.setObjectName("bookSearch")
        self.search_box.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self.count_label.setObjectName("resultCount")
        self.add_button = QPushButton(f"新增{self.noun}…")
        self.edit_button = QPushButton("修改…")
        self.edit_button.setEnabled(False)

        self.bar = QHBoxLayout()
        self.bar.setSpacing(8)
        self.bar.addWidget(self.search_box, 1)

        self.model = self._make_model()
        self.table = _table_view(f"{type(self).__name__}Table")
        self.table.setModel(self.model)

        self.detail = QTextBrowser()
        self.detail.setObjectName("recordDetail")
        self.detail.setOpenLinks(False)
        self.detail.document().setDocumentMargin(10)
        self.cases = SubjectCases(office)
        self.cases.case_activated.connect(self.case_requested)

        self.detail_panel = QWidget()
        self.detail_layout = QVBoxLayout(self.detail_panel)
        self.detail_layout.setContentsMargins(0, 0, 0, 0)
        self.detail_layout.setSpacing(4)
        self.detail_layout.addWidget(self.detail, 1)

        self.detail_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.detail_splitter.addWidget(self.detail_panel)
        self.detail_splitter.addWidget(self.cases)
        self.detail_splitter.setStretchFactor(0, 3)
        self.detail_splitter.setStretchFactor(1, 2)
        self.detail_splitter.setSizes([560, 460])
        self.detail_splitter.setChildrenCollapsible(False)

        listing = QWidget()
        listing_layout = QVBoxLayout(listing)
        listing_layout.setContentsMargins(0, 0, 0, 0)
        listing_layout.setSpacing(4)
        listing_layout.addWidget(self.table)
        listing_layout.addWidget(self.count_label)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(listing)
        self.splitter.addWidget(self.detail_splitter)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes(list(self.initial_sizes))
        self.splitter.setChildrenCollapsible(False)
        restore_splitter(settings, self.splitter_setting, self.splitter)
        restore_splitter(settings, self.detail_splitter_setting, self.detail_splitter)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addLayout(self.bar)
        layout.addWidget(self.splitter, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.run_search)
        self.search_box.textChanged.connect(lambda _text: self._search_timer.start())
        self.search_box.returnPressed.connect(self._search_now_and_go_to_list)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        # A header click re-reads the rows; keep the clerk on the same record.
        self.model.modelReset.connect(lambda: self.select_id(self.current_id))
        self.table.activated.connect(lambda _index: self.edit_current())
        self.add_button.clicked.connect(self.add_new)
        self.edit_button.clicked.connect(self.edit_current)

    def _finish_bar(self) -> None:
        self.bar.addWidget(self.add_button)
        self.bar.addWidget(self.edit_button)

    # --- what a subclass provides -------------------------------------------------------------

    def _make_model(self) -> LazyTableModel:
        raise NotImplementedError

    def _source(self) -> tuple[Callable, Callable[[], int]]:
        raise NotImplementedError

    def _count_text(self, total: int) -> str:
        raise NotImplementedError

    def _render(self, record_id: int) -> None:
        raise NotImplementedError

    def _dialog(self, record_id: int | None) -> RecordDialog:
        raise NotImplementedError

    def _search_text_for(self, record_id: int) -> str:
        raise NotImplementedError

    # --- behaviour ----------------------------------------------------------------------------

    def run_search(self) -> None:
        self._search_timer.stop()
        fetch, count = self._source()
        self.model.set_source(fetch, count)
        self.count_label.setText(self._count_text(self.model.total))
        if not self.select_id(self.current_id, fetch=True) and self.model.rowCount() > 0:
            self.table.selectRow(0)
        elif self.model.rowCount() == 0:
            self._current_changed(QModelIndex())

    def concerns(self, changes: Changes) -> bool:
        # Names and firms in the lists, and the selected record's cases.
        return bool(changes.people or changes.enterprises or changes.cases)

    def refresh(self) -> None:
        """Read the list again (after a change anywhere), keeping the selected record, and
        show that record's details and cases as they are now."""
        shown = self.current_id
        self.run_search()
        if shown is not None and self.current_id == shown:
            self._render(shown)

    def select_id(self, record_id: int | None, fetch: bool = False) -> bool:
        """Select the record if it is among the rows loaded (with ``fetch``, loading further
        pages until it is: a refresh keeps the clerk on the record they chose, however far down
        the list); False if it is not in the list."""
        if record_id is None:
            return False
        searched = 0
        while True:
            for row in range(searched, self.model.rowCount()):
                if self.model.row_object(row).id == record_id:
                    self.table.selectRow(row)
                    self.table.scrollTo(self.model.index(row, 0))
                    return True
            if not (fetch and self.model.canFetchMore()):
                return False
            searched = self.model.rowCount()
            self.model.fetchMore()

    def _search_now_and_go_to_list(self) -> None:
        self.run_search()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _current_changed(self, index: QModelIndex, _previous: QModelIndex | None = None) -> None:
        if not index.isValid():
            self.current_id = None
            self.edit_button.setEnabled(False)
            self.detail.setHtml(
                f'<p style="color:{GREY};">在上面的列表中选择一条，这里显示详细信息。</p>'
            )
            self.cases.show_cases(None)
            return
        self.current_id = self.model.row_object(index.row()).id
        self.edit_button.setEnabled(True)
        self._render(self.current_id)

    def add_new(self) -> None:
        self._open_dialog(None)

    def edit_current(self) -> None:
        if self.current_id is not None:
            self._open_dialog(self.current_id)

    def _open_dialog(self, record_id: int | None) -> None:
        dialog = self._dialog(record_id)
        self.dialog = dialog
        dialog.finished.connect(lambda result: self._dialog_finished(dialog, result))
        dialog.open()

    def _dialog_finished(self, dialog: RecordDialog, result: int) -> None:
        if self.dialog is dialog:
            self.dialog = None
        saved = dialog.saved_id if result == QDialog.DialogCode.Accepted else None
        dialog.deleteLater()
        if saved is None:
            return
        # The save's change report has read the list again already.
        self.current_id = saved
        if not self.select_id(saved):
            # Saved but hidden by the search: look it up by name so the clerk sees it.
            self.search_box.setText(self._search_text_for(saved))
            self.run_search()
            self.select_id(saved)

    def save_state(self) -> None:
        save_splitter(self.settings, self.splitter_setting, self.splitter)
        save_splitter(self.settings, self.detail_splitter_setting, self.detail_splitter)


class PeopleTab(_RegisterTab):
    splitter_setting = PEOPLE_SPLITTER
    detail_splitter_setting = PEOPLE_DETAIL_SPLITTER
    noun = "职工"

    def __init__(
        self,
        office: Office,
        settings: WindowSettings,
        events: OfficeEvents,
        parent: QWidget | None = None,
    ):
        super().__init__(office, settings, events, parent)
        self.search_box.setPlaceholderText("查找职工：姓名、拼音（如 zs 或 zhang）或身份证号码")
        self.hardship_only = QCheckBox("仅困难档案")
        self.hardship_only.setToolTip("只列出困难档案状态为“建档”或“在档”的职工")
        self.hardship_only.toggled.connect(lambda _on: self.run_search())
        self.bar.addWidget(self.hardship_only)
        self._finish_bar()

        self.reveal = QCheckBox("显示完整号码")
        self.reveal.setToolTip("显示完整的身份证号码和电话；换一名职工时重新隐藏")
        self.reveal.toggled.connect(self._reveal_toggled)
        self.detail_layout.insertWidget(0, self.reveal)

        self.table.setSortingEnabled(False)
        header = self.table.horizontalHeader()
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        _keep_sort_indicator_on_sortable_columns(self.table, self.model)
        self.table.setSortingEnabled(True)
        _set_widths(
            self.table,
            {0: 76, 1: 44, 2: 150, 3: 104, 5: 68, 6: 112, 7: 70, 8: 92},
            stretch=4,
        )
        self.run_search()

    def _today(self) -> date:
        return self.office.cases.clock().date()

    def _make_model(self) -> LazyTableModel:
        def review_colour(p: Person) -> QColor | None:
            return QColor(RED) if p.review_overdue(self._today()) else None

        def review_tip(p: Person) -> str:
            return "已过年度复核日期，请尽快复核" if p.review_overdue(self._today()) else ""

        columns = [
            Column("姓名", lambda p: p.name, sort_key="name"),
            Column("性别", lambda p: p.gender),
            Column("身份证号", lambda p: p.masked_id_number, sort_key="id_number"),
            Column("电话", lambda p: p.masked_phone),
            Column(
                "工作单位",
                lambda p: p.enterprise_name,
                sort_key="enterprise",
                tooltip=lambda p: p.enterprise_name,
            ),
            Column(
                "家庭人口",
                lambda p: "" if p.household_size is None else str(p.household_size),
                align_right=True,
            ),
            Column("月人均收入（元）", lambda p: _money_text(p.income_per_head), align_right=True),
            Column("困难档案", lambda p: p.hardship_status, sort_key="hardship_status"),
            Column(
                "年度复核",
                lambda p: list_date(p.hardship_review_due),
                sort_key="review_due",
                foreground=review_colour,
                tooltip=review_tip,
            ),
        ]
        return LazyTableModel(columns, lambda *_: [], lambda: 0, self, sort_key="name")

    def filter(self) -> PeopleFilter:
        return PeopleFilter(
            text=self.search_box.text().strip(), hardship_only=self.hardship_only.isChecked()
        )

    def _source(self):
        registry, filter = self.office.registry, self.filter()

        def fetch(offset: int, limit: int, key: str | None, descending: bool) -> list[Person]:
            return registry.people(filter, key or "name", descending, offset, limit)

        return fetch, lambda: registry.count_people(filter)

    def _count_text(self, total: int) -> str:
        return f"共 {total} 人"

    def _current_changed(self, index: QModelIndex, _previous: QModelIndex | None = None) -> None:
        # Another person's numbers are hidden again until asked for.
        with QSignalBlocker(self.reveal):
            self.reveal.setChecked(False)
        self.reveal.setEnabled(index.isValid())
        super()._current_changed(index, _previous)

    def _reveal_toggled(self, on: bool) -> None:
        if on and self.current_id is not None:
            self.office.record_reveal(
                "人员档案",
                person_ids=[self.current_id],
                fields=(
                    PERSON_LABELS["id_number"],
                    PERSON_LABELS["phone"],
                    PERSON_LABELS["bank_account"],
                    MEMBER_ID_LABEL,
                ),
                place=SHOWN_IN_WINDOW,
            )
        self._rerender()

    def _rerender(self) -> None:
        if self.current_id is not None:
            self._render(self.current_id, cases=False)

    def _render(self, record_id: int, cases: bool = True) -> None:
        person = self.office.registry.person(record_id)
        if person is None:
            return
        self.detail.setHtml(person_html(person, self._today(), self.reveal.isChecked()))
        if cases:
            self.cases.show_cases(CaseFilter(person_id=record_id))

    def _dialog(self, record_id: int | None) -> PersonDialog:
        person = self.office.registry.person(record_id) if record_id is not None else None
        return PersonDialog(self.office, person, self)

    def _search_text_for(self, record_id: int) -> str:
        person = self.office.registry.person(record_id)
        return person.name if person else ""


class EnterprisesTab(_RegisterTab):
    splitter_setting = ENTERPRISES_SPLITTER
    detail_splitter_setting = ENTERPRISES_DETAIL_SPLITTER
    initial_sizes = (300, 400)  # few firms, and the growth criteria need the room
    noun = "单位"

    def __init__(
        self,
        office: Office,
        settings: WindowSettings,
        events: OfficeEvents,
        parent: QWidget | None = None,
    ):
        super().__init__(office, settings, events, parent)
        self.search_box.setPlaceholderText("查找单位：名称中的字或拼音（如 hx 或 huaxin）")
        self._finish_bar()
        _set_widths(self.table, {1: 170, 2: 70, 3: 70, 4: 80}, stretch=0)
        self.run_search()

    def _make_model(self) -> LazyTableModel:
        columns = [
            Column("单位名称", lambda e: e.name, tooltip=lambda e: e.address),
            Column("统一社会信用代码", lambda e: e.credit_code),
            Column("职工人数", lambda e: str(e.headcount), align_right=True),
            Column("会员人数", lambda e: str(e.member_count), align_right=True),
            Column("建会状态", lambda e: e.union_status),
        ]
        return LazyTableModel(columns, lambda *_: [], lambda: 0, self)

    def _source(self):
        registry, text = self.office.registry, self.search_box.text().strip()

        def fetch(offset: int, limit: int, _key: str | None, _desc: bool) -> list[Enterprise]:
            return registry.enterprises(text, offset, limit)

        return fetch, lambda: registry.count_enterprises(text)

    def _count_text(self, total: int) -> str:
        return f"共 {total} 家单位"

    def _render(self, record_id: int) -> None:
        enterprise = self.office.registry.enterprise(record_id)
        if enterprise is None:
            return
        people = self.office.registry.count_people(PeopleFilter(enterprise_id=record_id))
        today = self.office.cases.clock().date()
        self.detail.setHtml(enterprise_html(enterprise, today, people))
        self.cases.show_cases(CaseFilter(enterprise_id=record_id))

    def _dialog(self, record_id: int | None) -> EnterpriseDialog:
        enterprise = self.office.registry.enterprise(record_id) if record_id is not None else None
        return EnterpriseDialog(self.office, enterprise, self)

    def _search_text_for(self, record_id: int) -> str:
        enterprise = self.office.registry.enterprise(record_id)
        return enterprise.name if enterprise else ""


# --- the page -----------------------------------------------------------------------------------


class PeoplePage(QWidget):
    """职工 and 单位 tabs; a case chosen in either is handed to the window to open."""

    case_requested = Signal(int)

    def __init__(
        self,
        office: Office,
        settings: WindowSettings,
        parent: QWidget | None = None,
        events: OfficeEvents | None = None,
    ):
        super().__init__(parent)
        self.office = office
        self.settings = settings
        self.events = events or OfficeEvents(office, self)
        self.people = PeopleTab(office, settings, self.events)
        self.enterprises = EnterprisesTab(office, settings, self.events)
        self.people.case_requested.connect(self.case_requested)
        self.enterprises.case_requested.connect(self.case_requested)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.people, "职工")
        self.tabs.addTab(self.enterprises, "单位")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.tabs)

    def refresh(self) -> None:
        self.people.refresh()
        self.enterprises.refresh()

    def save_state(self) -> None:
        self.people.save_state()
        self.enterprises.save_state()

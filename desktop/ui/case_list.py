"""案件列表: the office's cases under a filter bar (status, service item, number or name, dates,
responsible person), fetched a page at a time and sorted in SQL, so 100,000 cases cost one page
until the clerk scrolls. Selected cases print one sign-off sheet together."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDate, QModelIndex, QPoint, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.cases.records import CaseFilter, CaseRow
from desktop.cases.status import (
    CASE_STATUS_LABELS,
    CLOSED,
    DEADLINE_LABELS,
    OPEN,
    TERMINATED,
    case_status_text,
)
from desktop.changes import CALENDAR, Changes
from desktop.formatting import list_date, list_moment, time_limit_text
from desktop.office import Office
from desktop.ui.events import OfficeEvents, RefreshesOnChange
from desktop.ui.lazy_model import Column, LazyTableModel
from desktop.ui.settings import CASES_LIST_HEADER, WindowSettings
from desktop.ui.theme import list_colour

SEARCH_DELAY_MS = 250
STATUS_CHOICES = (
    ("全部", ""),
    ("办理中", OPEN),
    ("已超期", "overdue"),
    ("今日到期", "due_today"),
    ("3 个工作日内到期", "due_soon"),
    ("已办结", CLOSED),
    ("已终止", TERMINATED),
)


class CaseList(RefreshesOnChange, QWidget):
    """案件列表: filters over a lazily fetched, SQL-sorted table of cases."""

    case_activated = Signal(int)

    COLUMN_WIDTHS = (110, 160, 150, 130, 80, 90, 90, 88)

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
        self.listen(events)
        self._stale = True  # the first query runs when the list is first shown
        self._responsible = ""
        self._last_filter: CaseFilter | None = None

        self.status_combo = QComboBox()
        for text, value in STATUS_CHOICES:
            self.status_combo.addItem(text, value)
        self.item_combo = QComboBox()
        self.item_combo.addItem("全部服务项目", "")
        for item in office.book.service_items():
            self.item_combo.addItem(item.name, item.id)
        self.item_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.item_combo.setMinimumContentsLength(11)
        self.item_combo.view().setMinimumWidth(300)
        self.search_box = QLineEdit()
        self.search_box.setObjectName("caseSearch")
        self.search_box.setPlaceholderText("编号、姓名或拼音，如 bf2026、丁华、dh")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMinimumWidth(170)

        today = QDate(office.cases.clock().date())
        self.from_date = QDateEdit(QDate(today.year(), 1, 1))
        self.to_date = QDateEdit(today)
        for edit in (self.from_date, self.to_date):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.any_date = QCheckBox("不限")
        self.any_date.setChecked(True)
        self.any_date.setToolTip("取消勾选后按受理日期筛选")
        self._enable_dates()

        self.responsible_chip = QToolButton()
        self.responsible_chip.setToolTip("点击取消按责任人筛选")
        self.responsible_chip.setAutoRaise(False)
        self.responsible_chip.hide()
        self.responsible_chip.clicked.connect(lambda: self.set_responsible(""))

        bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(QLabel("状态"))
        bar.addWidget(self.status_combo)
        bar.addSpacing(4)
        bar.addWidget(QLabel("服务项目"))
        bar.addWidget(self.item_combo)
        bar.addSpacing(4)
        bar.addWidget(self.search_box, 1)
        bar.addWidget(self.responsible_chip)

        self.hint = QLabel()
        self.hint.setObjectName("pageHint")
        # A long hint wraps rather than widening the window past a small screen.
        self.hint.setWordWrap(True)
        self.count_label = QLabel()
        self.count_label.setObjectName("resultCount")
        self.signoff_button = QPushButton("打印签领表/公示…")
        self.signoff_button.setToolTip(
            "为选中的案件打印一张发放签领表，每件一行（按住 Ctrl 或 Shift 可选多件）"
        )
        self.signoff_button.setEnabled(False)
        self.signoff_button.clicked.connect(self.print_signoff)
        # The dates sit on the second row, so the filters fit a window 650 pixels wide.
        hint_row = QHBoxLayout()
        hint_row.setSpacing(8)
        hint_row.addWidget(QLabel("受理日期"))
        hint_row.addWidget(self.from_date)
        hint_row.addWidget(QLabel("至"))
        hint_row.addWidget(self.to_date)
        hint_row.addWidget(self.any_date)
        hint_row.addSpacing(8)
        hint_row.addWidget(self.hint, 1)
        hint_row.addWidget(self.count_label)
        hint_row.addWidget(self.signoff_button)

        self.model = LazyTableModel(
            self._columns(), lambda *_args: [], lambda: 0, self, "opened", True
        )
        self.table = QTableView()
        self.table.setObjectName("caseTable")
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several cases at once for a sign-off sheet (Ctrl/Shift); Enter still opens one.
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)  # Tab leaves; the arrows move between cases
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate(self.COLUMN_WIDTHS):
            self.table.setColumnWidth(column, width)
        self._sortable = [c.sort_key is not None for c in self.model.columns]
        saved = settings.value(CASES_LIST_HEADER)
        if saved:
            header.restoreState(saved)
        self._sort_column = header.sortIndicatorSection()
        # A new office starts with the newest cases on top (the header's own default would be
        # the case number, descending, which puts the XS- cases first).
        if (
            not saved
            or not (0 <= self._sort_column < len(self._sortable))
            or not self._sortable[self._sort_column]
        ):
            self._sort_column = self._column_of("opened")
            header.setSortIndicator(self._sort_column, Qt.SortOrder.DescendingOrder)
        column = self.model.columns[self._sort_column]
        self.model.sort_key = column.sort_key
        self.model.descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        # The order the clerk chose by clicking a header, which is the one kept for next time;
        # a dashboard tile or a new case shows the list in an order of its own for the moment.
        self._own_sort = (self._sort_column, header.sortIndicatorOrder())
        header.sortIndicatorChanged.connect(self._sort_indicator_changed)
        self.table.setSortingEnabled(True)
        self.table.activated.connect(self._activated)
        self.model.modelReset.connect(self._show_count)
        self.model.rowsInserted.connect(self._show_count)
        self.model.modelReset.connect(self._selection_changed)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search_box.textChanged.connect(self._typed)
        self.from_date.dateChanged.connect(self._typed)
        self.to_date.dateChanged.connect(self._typed)
        self.status_combo.currentIndexChanged.connect(self._changed_by_hand)
        self.item_combo.currentIndexChanged.connect(self._changed_by_hand)
        self.any_date.toggled.connect(self._enable_dates)
        self.any_date.toggled.connect(self._changed_by_hand)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addLayout(bar)
        layout.addLayout(hint_row)
        layout.addWidget(self.table, 1)

    # --- columns and the query ---------------------------------------------------------------

    def _columns(self) -> list[Column]:
        # One deadline state per row and paint, decided by desktop.cases.status like everywhere.
        state = self.office.cases.case_deadline_state

        def status_tooltip(row: CaseRow) -> str:
            status = CASE_STATUS_LABELS.get(row.status, row.status)
            return f"{status}，{DEADLINE_LABELS.get(state(row), '')}"

        def due(row: CaseRow) -> str:
            return list_date(
                row.next_due_at if row.status == OPEN and row.next_due_at else row.due_at
            )

        def due_tooltip(row: CaseRow) -> str:
            label = DEADLINE_LABELS.get(state(row), "")
            service = f"办结时限到 {list_date(row.due_at)}"
            if row.status == OPEN and row.step_due_at:
                step = f"；当前步骤到 {list_moment(row.step_due_at)}"
            else:
                step = ""
            return f"{label}：{service}{step}"

        def colour(row: CaseRow) -> QColor | None:
            return list_colour(state(row))

        return [
            Column("案件编号", lambda r: r.number, "number"),
            Column("服务项目", lambda r: r.service_item_name, "service_item",
                   tooltip=lambda r: r.service_item_name),
            Column("办理对象", lambda r: r.subject_name, "subject",
                   tooltip=lambda r: r.subject_name),
            Column("当前步骤", lambda r: r.current_step_title or "—", "current_step",
                   tooltip=lambda r: r.current_step_title),
            Column("状态", lambda r: case_status_text(r.status, state(r)), "status",
                   tooltip=status_tooltip, foreground=colour),
            Column("受理日期", lambda r: list_date(r.opened_at), "opened"),
            Column("到期日", due, "due", tooltip=due_tooltip, foreground=colour),
            Column("时限", lambda r: time_limit_text(r.time_limit, r.time_limit_unit)),
            Column("责任人", lambda r: r.responsible or "（未指定）", "responsible"),
        ]  # fmt: skip

    def _column_of(self, sort_key: str) -> int:
        return next(i for i, c in enumerate(self.model.columns) if c.sort_key == sort_key)

    def _fetch(self, case_filter: CaseFilter) -> Callable[[int, int, str | None, bool], list]:
        cases = self.office.cases

        def fetch(offset: int, limit: int, key: str | None, descending: bool) -> list[CaseRow]:
            return cases.list_cases(
                case_filter, order=key or "opened", descending=descending, offset=offset,
                limit=limit,
            )  # fmt: skip

        return fetch

    def current_filter(self) -> CaseFilter:
        dated = not self.any_date.isChecked()
        return CaseFilter(
            status=self.status_combo.currentData() or "",
            service_item_id=self.item_combo.currentData() or "",
            text=self.search_box.text().strip(),
            opened_from=self.from_date.date().toPython() if dated else None,
            opened_to=self.to_date.date().toPython() if dated else None,
            responsible=self._responsible,
        )

    def apply_filters(self) -> None:
        """Run the query the filter bar describes, from its first page."""
        self._search_timer.stop()
        case_filter = self.current_filter()
        self._last_filter = case_filter
        self.model.set_source(
            self._fetch(case_filter), lambda: self.office.cases.count_cases(case_filter)
        )

    def concerns(self, changes: Changes) -> bool:
        return bool(changes.cases) or CALENDAR in changes.settings

    def refresh(self, keep_case: int | None = None) -> None:
        """Reload the same query (cases changed); keep the given case selected if it is loaded."""
        if self._last_filter is None:
            self.apply_filters()
        else:
            self.model.refresh()
        if keep_case is not None:
            self.select_case(keep_case)

    def select_case(self, case_id: int) -> bool:
        for row in range(self.model.rowCount()):
            if self.model.row_object(row).id == case_id:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
                return True
        return False

    # --- changing the filter -----------------------------------------------------------------

    def show_cases(
        self,
        status: str = "",
        responsible: str = "",
        hint: str = "",
        sort_key: str = "due",
        descending: bool = False,
    ) -> None:
        """Set the whole filter at once (from the dashboard) and list the cases, sorted by
        ``sort_key`` until the clerk clicks a header; the order kept for next time stays the
        clerk's own."""
        widgets = (self.status_combo, self.item_combo, self.search_box, self.any_date)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(status)))
            self.item_combo.setCurrentIndex(0)
            self.search_box.clear()
            self.any_date.setChecked(True)
            self._enable_dates()
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self._set_responsible_chip(responsible)
        column = self._column_of(sort_key)
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(column, order)
        header.blockSignals(False)
        self._sort_column = column
        self.model.sort_key = sort_key
        self.model.descending = descending
        self.apply_filters()
        self.hint.setText(hint)
        self.table.scrollToTop()

    def set_responsible(self, name: str) -> None:
        self._set_responsible_chip(name)
        self._changed_by_hand()

    def _set_responsible_chip(self, name: str) -> None:
        self._responsible = name
        self.responsible_chip.setText(f"责任人：{name}  ✕")
        self.responsible_chip.setVisible(bool(name))

    def _typed(self, *_args) -> None:
        self.hint.clear()
        self._search_timer.start()

    def _changed_by_hand(self, *_args) -> None:
        self.hint.clear()
        self.apply_filters()

    def _enable_dates(self, *_args) -> None:
        dated = not self.any_date.isChecked()
        self.from_date.setEnabled(dated)
        self.to_date.setEnabled(dated)

    def _sort_indicator_changed(self, column: int, order: Qt.SortOrder) -> None:
        # 时限 has no SQL order; put the arrow back where the rows really are sorted.
        if not self._sortable[column]:
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            previous = (
                Qt.SortOrder.DescendingOrder
                if self.model.descending
                else (Qt.SortOrder.AscendingOrder)
            )
            header.setSortIndicator(self._sort_column, previous)
            header.blockSignals(False)
            return
        self._sort_column = column
        self._own_sort = (column, order)

    def _show_count(self, *_args) -> None:
        self.count_label.setText(f"共 {self.model.total} 件")

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.case_activated.emit(self.model.row_object(index.row()).id)

    def selected_cases(self) -> list[CaseRow]:
        """The selected cases in the order they are listed."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.row_object(row) for row in rows]

    def _selection_changed(self, *_args) -> None:
        count = len(self.table.selectionModel().selectedRows())
        self.signoff_button.setEnabled(count > 0)
        # The sheets over several cases: payment and condolence sign-offs, and the 公示 list.
        shown = f"打印签领表/公示（{count} 件）…" if count > 1 else "打印签领表/公示…"
        self.signoff_button.setText(shown)

    def _context_menu(self, position: QPoint) -> None:
        index = self.table.indexAt(position)
        if not index.isValid():
            return
        if not self.table.selectionModel().isRowSelected(index.row(), QModelIndex()):
            self.table.selectRow(index.row())
        cases = self.selected_cases()
        menu = QMenu(self)
        if len(cases) == 1:
            menu.addAction("打开案件", lambda: self.case_activated.emit(cases[0].id))
        count = f"（{len(cases)} 件）" if len(cases) > 1 else ""
        menu.addAction(f"打印签领表/公示{count}…", self.print_signoff)
        menu.exec(self.table.viewport().mapToGlobal(position))

    def print_signoff(self) -> QDialog | None:
        """Ask which sign-off sheet, then preview it with a row for each selected case."""
        # Imported here: printing brings reportlab, which the window's start need not wait for.
        from desktop.printing.jobs import (
            MixedPeriods,
            PrintRequestError,
            UnpayableCases,
            signoff_source,
        )
        from desktop.printing.office_forms import office_forms
        from desktop.ui import print_preview

        cases = self.selected_cases()
        if not cases:
            print_preview.warn(
                self, "打印签领表", "请先在列表中选中案件（按住 Ctrl 或 Shift 可选多件）。"
            )
            return None
        catalogue = office_forms(self.office)
        forms = catalogue.signoff_forms()
        if catalogue.error is not None or not forms:
            reason = str(catalogue.error) if catalogue.error else "没有签领表的表单文件。"
            print_preview.warn(self, "无法打印签领表", reason)
            return None
        procedures = [case.procedure_id for case in cases]

        def fits(form) -> int:
            printed_by = {use.procedure_id for use in catalogue.used_by(form.id)}
            return sum(procedure in printed_by for procedure in procedures)

        suggested = max(range(len(forms)), key=lambda i: fits(forms[i]))
        chosen = print_preview.pick_item(
            self,
            "打印签领表",
            f"为选中的 {len(cases)} 件案件打印哪一张签领表？每件案件一行。",
            [form.title for form in forms],
            suggested,
        )
        if chosen is None:
            return None
        form = forms[chosen]
        numbers = [c.number for c in cases]
        cannot_print = f"无法打印{form.title}"

        def refused(error: PrintRequestError) -> str:
            # One notice has one period: the clerk is told which cases go up on which days.
            return "公示期不同，没有打印" if isinstance(error, MixedPeriods) else cannot_print

        try:
            source = signoff_source(self.office, form, numbers)
        except UnpayableCases as error:
            rest = [n for n in numbers if n not in error.numbers]
            if not rest:
                print_preview.warn(self, cannot_print, str(error))
                return None
            question = str(error).replace("请去掉这些案件后再打印。", "")
            if not print_preview.ask_print_the_rest(self, question, len(rest), form.title):
                return None
            try:
                source = signoff_source(self.office, form, rest)
            except PrintRequestError as again:  # changed meanwhile, or the rest differ in period
                print_preview.warn(self, refused(again), str(again))
                return None
        except PrintRequestError as error:
            print_preview.warn(self, refused(error), str(error))
            return None
        return print_preview.preview_form(self, self.office, form, source)

    def save_state(self) -> None:
        """Column widths and the clerk's own order, not the order a tile showed last."""
        header = self.table.horizontalHeader()
        shown = (header.sortIndicatorSection(), header.sortIndicatorOrder())
        with QSignalBlocker(header):
            header.setSortIndicator(*self._own_sort)
            state = header.saveState()
            header.setSortIndicator(*shown)
        self.settings.set_value(CASES_LIST_HEADER, state)

"""事项办理: the to-do dashboard, the case list and the case being worked on, as tabs.

The list reads cases a page at a time through LazyTableModel, so 100,000 cases cost one page
until the clerk scrolls. The case workspace (desktop.ui.case_workspace) is created the first
time a case is opened; every change it reports marks the dashboard and the list as stale and
they reload when they are next looked at.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from html import escape
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.book.model import ServiceItem
from desktop.cases.calendar import STATE_LABELS
from desktop.cases.engine import CLOSED, OPEN, TERMINATED
from desktop.cases.service import SOON_WORKING_DAYS, CaseError, RepeatNeedsReason
from desktop.office import Office
from desktop.registry import Enterprise, Person
from desktop.store.case_repo import CaseFilter, CaseRow
from desktop.store.registry_repo import PeopleFilter
from desktop.ui.lazy_model import Column, ColumnsModel, LazyTableModel
from desktop.ui.settings import Setting, WindowSettings, restore_splitter, save_splitter
from desktop.ui.widgets import error_label as _error_label

# This page's settings, declared once here beside the widgets they belong to.
CASES_TAB = Setting("cases_page/tab", "todo")
CASES_LIST_HEADER = Setting("cases_page/list_header", QByteArray())
CASES_DASHBOARD_SPLITTER = Setting("cases_page/dashboard_splitter", QByteArray())

OVERDUE_COLOUR = "#c62828"
DUE_COLOUR = "#b26a00"
DONE_COLOUR = "#888888"
OPEN_COLOUR = "#0b3d91"

SEARCH_DELAY_MS = 250
SUBJECT_SEARCH_LIMIT = 50
REVIEW_DAYS = 30

STATUS_CHOICES = (
    ("全部", ""),
    ("办理中", OPEN),
    ("已超期", "overdue"),
    ("今日到期", "due_today"),
    ("3 个工作日内到期", "due_soon"),
    ("已办结", CLOSED),
    ("已终止", TERMINATED),
)
STATUS_TEXT = {OPEN: "办理中", CLOSED: "已办结", TERMINATED: "已终止"}
DEADLINE_COLOURS = {
    "overdue": OVERDUE_COLOUR,
    "due_today": DUE_COLOUR,
    "due_soon": DUE_COLOUR,
    "done_on_time": DONE_COLOUR,
    "done_late": DONE_COLOUR,
    "terminated": DONE_COLOUR,
}
DEADLINE_LABELS = {**STATE_LABELS, "terminated": "已终止"}

STYLE_SHEET = """
QPushButton#countTile {
    background: #ffffff;
    border: 1px solid #dde1e7;
    border-radius: 6px;
    text-align: left;
}
QPushButton#countTile:hover, QPushButton#countTile:focus {
    border: 1px solid #2f6fde;
    background: #f5f9ff;
}
QLabel#tileNumber {
    font-size: 24pt;
    font-weight: bold;
}
QLabel#tileCaption {
    color: #444;
}
QLabel#sectionTitle {
    font-weight: bold;
    color: #333;
}
QFrame#repeatBox {
    background: #fff8e6;
    border: 1px solid #f0c36d;
    border-radius: 4px;
}
QTreeWidget#serviceItems::item {
    padding: 3px 2px;
}
QLabel#itemTitle {
    font-size: 12pt;
    font-weight: bold;
}
"""


def _date_text(moment: datetime | date | None) -> str:
    return f"{moment:%Y-%m-%d}" if moment is not None else ""


def _time_limit_text(limit: int, unit: str) -> str:
    return f"{limit} 小时" if unit == "小时" else f"{limit} 个{unit}"


def _show_error(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


def _section_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionTitle")
    return label


def _small_table(model: QAbstractTableModel, name: str) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setAlternatingRowColors(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(26)
    table.horizontalHeader().setHighlightSections(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.setWordWrap(False)
    return table


def _load_workspace_class() -> type[QWidget] | None:
    """The case workspace, imported when first needed; None while it is not installed."""
    try:
        from desktop.ui.case_workspace import CaseWorkspace
    except ModuleNotFoundError as error:
        if error.name != "desktop.ui.case_workspace":
            raise
        return None
    return CaseWorkspace


class CountTile(QPushButton):
    """A big number over its caption; clicking it lists the cases it counts."""

    def __init__(self, caption: str, colour: str, tooltip: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("countTile")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(tooltip)
        self.setMinimumHeight(92)
        self._colour = colour
        self.number = QLabel("0")
        self.number.setObjectName("tileNumber")
        self.caption = QLabel(caption)
        self.caption.setObjectName("tileCaption")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.setSpacing(2)
        layout.addWidget(self.number)
        layout.addWidget(self.caption)
        for label in (self.number, self.caption):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.set_count(0)

    def set_count(self, count: int) -> None:
        self.number.setText(str(count))
        # A zero is good news and should not shout in red.
        colour = self._colour if count else "#999999"
        self.number.setStyleSheet(f"color: {colour};")

    def count(self) -> int:
        return int(self.number.text())


class Dashboard(QWidget):
    """待办: what needs doing today, who carries it, whose hardship file is due for review."""

    cases_requested = Signal(str, str, str)  # status, responsible, hint

    def __init__(self, office: Office, settings: WindowSettings, parent: QWidget | None = None):
        super().__init__(parent)
        self.office = office
        self.settings = settings

        self.as_of = QLabel()
        self.as_of.setObjectName("pageHint")
        soon = f"{SOON_WORKING_DAYS} 个工作日内到期"
        self.tiles = {
            "overdue": CountTile("已超期", OVERDUE_COLOUR, "点击查看所有已超期的案件"),
            "due_today": CountTile("今日到期", DUE_COLOUR, "点击按到期日查看办理中的案件"),
            "due_soon": CountTile(soon, DUE_COLOUR, "点击按到期日查看办理中的案件"),
            "open": CountTile("办理中", OPEN_COLOUR, "点击查看所有办理中的案件"),
        }
        by_due = "按到期日排列，最早到期的在最前面（已超期的排在最前）。"
        self.tiles["overdue"].clicked.connect(
            lambda: self.cases_requested.emit("overdue", "", "已超期的案件，最早到期的在最前面。")
        )
        self.tiles["due_today"].clicked.connect(
            lambda: self.cases_requested.emit("due_today", "", "今天到期的案件。")
        )
        self.tiles["due_soon"].clicked.connect(
            lambda: self.cases_requested.emit("due_soon", "", "3 个工作日内到期的案件，" + by_due)
        )
        self.tiles["open"].clicked.connect(
            lambda: self.cases_requested.emit(OPEN, "", "办理中的案件，" + by_due)
        )
        tile_row = QHBoxLayout()
        tile_row.setSpacing(8)
        for tile in self.tiles.values():
            tile_row.addWidget(tile, 1)

        # On-time rate per service item, the figure the county union checks (要求 100%).
        self.rates_model = ColumnsModel(
            [
                Column("服务项目", lambda r: r["name"]),
                Column("已办结", lambda r: str(r["served"]), align_right=True),
                Column("按时", lambda r: str(r["on_time"]), align_right=True),
                Column(
                    "按时办结率",
                    lambda r: "—" if r["rate"] is None else f"{r['rate'] * 100:.1f}%",
                    align_right=True,
                    foreground=lambda r: (
                        QColor(OVERDUE_COLOUR) if r["rate"] is not None and r["rate"] < 1 else None
                    ),
                ),
            ],
            self,
        )
        self.rates_table = _small_table(self.rates_model, "ratesTable")
        self.rates_table.horizontalHeader().setStretchLastSection(False)
        self.rates_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 64), (2, 56), (3, 92)):
            self.rates_table.setColumnWidth(column, width)
        self.rates_empty = QLabel("还没有办结的案件。")
        self.rates_empty.setObjectName("emptyHint")

        self.people_model = ColumnsModel(
            [
                Column("责任人", lambda r: r[0]),
                Column("办理中", lambda r: str(r[1]), align_right=True),
                Column(
                    "其中超期",
                    lambda r: str(r[2]),
                    align_right=True,
                    foreground=lambda r: QColor(OVERDUE_COLOUR) if r[2] else None,
                ),
            ],
            self,
        )
        self.people_table = _small_table(self.people_model, "responsibleTable")
        self.people_table.setToolTip("双击（或按回车）查看此人负责的在办案件")
        self.people_table.activated.connect(self._responsible_activated)
        people_header = self.people_table.horizontalHeader()
        people_header.setStretchLastSection(False)
        people_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            self.people_table.setColumnWidth(column, 80)

        self._today = self.office.cases.clock().date()
        self.reviews_model = ColumnsModel(
            [
                Column("姓名", lambda p: p.name),
                Column("身份证号", lambda p: p.masked_id_number),
                Column(
                    "复核日期",
                    lambda p: _date_text(p.hardship_review_due),
                    foreground=lambda p: (
                        QColor(OVERDUE_COLOUR)
                        if p.hardship_review_due and p.hardship_review_due < self._today
                        else None
                    ),
                    tooltip=lambda p: (
                        "已过复核日期"
                        if p.hardship_review_due and p.hardship_review_due < self._today
                        else ""
                    ),
                ),
                Column("档案状态", lambda p: p.hardship_status),
                Column(
                    "工作单位", lambda p: p.enterprise_name, tooltip=lambda p: p.enterprise_name
                ),
            ],
            self,
        )
        self.reviews_table = _small_table(self.reviews_model, "reviewsTable")
        for column, width in ((0, 72), (1, 150), (2, 90), (3, 66)):
            self.reviews_table.setColumnWidth(column, width)
        self.reviews_table.horizontalHeader().setStretchLastSection(False)
        self.reviews_table.horizontalHeader().setSectionResizeMode(
            4, QHeaderView.ResizeMode.Stretch
        )
        self.reviews_title = _section_title("困难职工档案年度复核")

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(8)
        left_layout.addWidget(_section_title("各服务项目按时办结率（要求 100%）"))
        left_layout.addWidget(self.rates_table, 1)
        left_layout.addWidget(self.rates_empty)
        # With no table (a new office) the title and its hint stay at the top.
        left_layout.addStretch(0)
        self._left_layout = left_layout

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(8)
        right_layout.addWidget(_section_title("各责任人在办案件"))
        right_layout.addWidget(self.people_table)
        right_layout.addSpacing(4)
        right_layout.addWidget(self.reviews_title)
        right_layout.addWidget(self.reviews_table, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        restore_splitter(settings, CASES_DASHBOARD_SPLITTER, self.splitter)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(self.as_of)
        layout.addLayout(tile_row)
        layout.addSpacing(4)
        layout.addWidget(self.splitter, 1)

    def refresh(self) -> None:
        now = self.office.cases.clock()
        self._today = now.date()
        counts = self.office.cases.dashboard()
        for key, tile in self.tiles.items():
            tile.set_count(counts.get(key, 0))
        self.as_of.setText(
            f"截至 {now:%Y年%m月%d日 %H:%M}。点击数字查看对应的案件；"
            "“办理中”含已超期和将到期的案件。"
        )
        self.people_model.set_rows(counts.get("by_responsible", []))
        shown_rows = min(max(self.people_model.rowCount(), 1), 6)
        self.people_table.setFixedHeight(
            self.people_table.horizontalHeader().height() + 26 * shown_rows + 4
        )
        rates = self.office.cases.on_time_rates()
        self.rates_model.set_rows(rates)
        self.rates_table.setVisible(bool(rates))
        self.rates_empty.setVisible(not rates)
        self._left_layout.setStretch(self._left_layout.count() - 1, 0 if rates else 1)
        until = self._today + timedelta(days=REVIEW_DAYS)
        due = self.office.registry.reviews_due(until)
        total = counts.get("reviews_due", len(due))
        shown = f"，列出前 {len(due)} 人" if total > len(due) else ""
        self.reviews_title.setText(f"困难职工档案 {REVIEW_DAYS} 天内需年度复核：{total} 人{shown}")
        self.reviews_model.set_rows(due)

    def save_state(self) -> None:
        save_splitter(self.settings, CASES_DASHBOARD_SPLITTER, self.splitter)

    def _responsible_activated(self, index: QModelIndex) -> None:
        name, _open, _overdue = self.people_model.row_object(index.row())
        if name == "（未指定）":
            self.cases_requested.emit(
                OPEN, "", "办理中的案件（未指定责任人的请在“服务清单”中填写）。"
            )
            return
        self.cases_requested.emit(OPEN, name, f"{name}负责的在办案件，按到期日排列。")


class CaseList(QWidget):
    """案件列表: filters over a lazily fetched, SQL-sorted table of cases."""

    case_activated = Signal(int)

    COLUMN_WIDTHS = (110, 160, 150, 130, 80, 90, 90, 88)

    def __init__(self, office: Office, settings: WindowSettings, parent: QWidget | None = None):
        super().__init__(parent)
        self.office = office
        self.settings = settings
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
        self.search_box.setPlaceholderText("案件编号或办理对象姓名")
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
        bar.addSpacing(4)
        bar.addWidget(QLabel("受理日期"))
        bar.addWidget(self.from_date)
        bar.addWidget(QLabel("至"))
        bar.addWidget(self.to_date)
        bar.addWidget(self.any_date)
        bar.addWidget(self.responsible_chip)

        self.hint = QLabel()
        self.hint.setObjectName("pageHint")
        self.count_label = QLabel()
        self.count_label.setObjectName("resultCount")
        self.signoff_button = QPushButton("打印签领表…")
        self.signoff_button.setToolTip(
            "为选中的案件打印一张发放签领表，每件一行（按住 Ctrl 或 Shift 可选多件）"
        )
        self.signoff_button.setEnabled(False)
        self.signoff_button.clicked.connect(self.print_signoff)
        hint_row = QHBoxLayout()
        hint_row.setSpacing(8)
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
        state = self.office.cases.case_deadline_state

        def status_text(row: CaseRow) -> str:
            # Short words, so the column stays narrow: 办理中 / 已超期 / 今日到期 / 超期办结 ...
            shown = state(row)
            if row.status == OPEN and shown != "on_track":
                return DEADLINE_LABELS[shown]
            if row.status == CLOSED and shown == "done_late":
                return DEADLINE_LABELS[shown]
            return STATUS_TEXT.get(row.status, row.status)

        def status_tooltip(row: CaseRow) -> str:
            return (
                f"{STATUS_TEXT.get(row.status, row.status)}，{DEADLINE_LABELS.get(state(row), '')}"
            )

        def due_text(row: CaseRow) -> str:
            return _date_text(
                row.next_due_at if row.status == OPEN and row.next_due_at else row.due_at
            )

        def due_tooltip(row: CaseRow) -> str:
            label = DEADLINE_LABELS.get(state(row), "")
            service = f"办结时限到 {row.due_at:%Y-%m-%d}"
            if row.status == OPEN and row.step_due_at:
                step = f"；当前步骤到 {row.step_due_at:%Y-%m-%d %H:%M}"
            else:
                step = ""
            return f"{label}：{service}{step}"

        def colour(row: CaseRow) -> QColor | None:
            name = DEADLINE_COLOURS.get(state(row))
            return QColor(name) if name else None

        return [
            Column("案件编号", lambda r: r.number, "number"),
            Column("服务项目", lambda r: r.service_item_name, "service_item",
                   tooltip=lambda r: r.service_item_name),
            Column("办理对象", lambda r: r.subject_name, "subject",
                   tooltip=lambda r: r.subject_name),
            Column("当前步骤", lambda r: r.current_step_title or "—", "current_step",
                   tooltip=lambda r: r.current_step_title),
            Column("状态", status_text, "status", tooltip=status_tooltip, foreground=colour),
            Column("受理日期", lambda r: _date_text(r.opened_at), "opened"),
            Column("到期日", due_text, "due", tooltip=due_tooltip, foreground=colour),
            Column("时限", lambda r: _time_limit_text(r.time_limit, r.time_limit_unit)),
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
        """Set the whole filter at once (from the dashboard) and list the cases."""
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
        self.signoff_button.setText(f"打印签领表（{count} 件）…" if count > 1 else "打印签领表…")

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
        menu.addAction(f"打印签领表{count}…", self.print_signoff)
        menu.exec(self.table.viewport().mapToGlobal(position))

    def print_signoff(self) -> QDialog | None:
        """Ask which sign-off sheet, then preview it with a row for each selected case."""
        # Imported here: printing brings reportlab, which the window's start need not wait for.
        from desktop.ui import print_preview

        cases = self.selected_cases()
        if not cases:
            print_preview.warn(
                self, "打印签领表", "请先在列表中选中案件（按住 Ctrl 或 Shift 可选多件）。"
            )
            return None
        catalogue = print_preview.office_forms(self.office)
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
        try:
            source = print_preview.signoff_source(self.office, form, [c.number for c in cases])
        except print_preview.PrintRequestError as error:
            print_preview.warn(self, "无法打印签领表", str(error))
            return None
        return print_preview.preview_form(self, self.office, form, source)

    def save_state(self) -> None:
        self.settings.set_value(CASES_LIST_HEADER, self.table.horizontalHeader().saveState())


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
        self.setStyleSheet(STYLE_SHEET)
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
        self.item_error = _error_label()

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(8)
        left_layout.addWidget(_section_title("1. 服务项目"))
        left_layout.addWidget(self.items_tree, 1)
        left_layout.addWidget(self.item_error)

        # Right: what the item promises, then the subject search.
        self.item_title = QLabel("请在左侧选择服务项目")
        self.item_title.setObjectName("itemTitle")
        self.item_title.setWordWrap(True)
        self.item_details = QLabel()
        self.item_details.setWordWrap(True)
        self.item_details.setTextFormat(Qt.TextFormat.RichText)

        self.subject_title = _section_title("2. 办理对象")
        self.search_box = QLineEdit()
        self.search_box.setObjectName("subjectSearch")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.installEventFilter(self)
        self.subject_model = ColumnsModel([], self)
        self.subject_table = _small_table(self.subject_model, "subjectTable")
        self.subject_count = QLabel()
        self.subject_count.setObjectName("resultCount")
        self.subject_error = _error_label()

        self.repeat_box = QFrame()
        self.repeat_box.setObjectName("repeatBox")
        self.repeat_text = QLabel()
        self.repeat_text.setWordWrap(True)
        self.reason_box = QLineEdit()
        self.reason_box.setObjectName("repeatReason")
        self.reason_box.setPlaceholderText("如：家庭再次遭遇重大变故，经工会研究同意再次救助")
        self.reason_error = _error_label()
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
        self.error_label = _error_label()
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
                self.search_box.setText(person.id_number)
                self.search_subjects()
                self.subject_table.selectRow(0)
        self.items_tree.setFocus()

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
            f"{escape(case.number)}（{case.opened_at:%Y-%m-%d} 受理，"
            f"{escape(STATUS_TEXT.get(case.status, case.status))}）"
            for case in error.earlier
        )
        self.repeat_text.setText(
            f"<b>{name}今年已办理过“{kind}”：</b><br>{earlier}<br>"
            "同一年度再次办理须登记理由，填写后再点“受理”。"
        )
        self.repeat_box.show()
        _show_error(self.reason_error, "")
        self.reason_box.setFocus()


class CasesPage(QWidget):
    """The 事项办理 section: 待办, 案件列表 and the open case, with 新建案件 (Ctrl+N)."""

    rule_link_activated = Signal(str)

    TODO, LIST, CASE = 0, 1, 2

    def __init__(self, office: Office, settings: WindowSettings, parent: QWidget | None = None):
        super().__init__(parent)
        self.office = office
        self.settings = settings
        self.setStyleSheet(STYLE_SHEET)
        self.workspace: QWidget | None = None
        self.current_case: int | None = None
        self.new_case_dialog: NewCaseDialog | None = None
        self._stale = {self.TODO: True, self.LIST: True}

        self.dashboard = Dashboard(office, settings)
        self.dashboard.cases_requested.connect(self._show_requested_cases)
        self.case_list = CaseList(office, settings)
        self.case_list.case_activated.connect(self.open_case)

        self.workspace_page = QWidget()
        self.workspace_layout = QVBoxLayout(self.workspace_page)
        self.workspace_layout.setContentsMargins(0, 0, 0, 0)
        self.workspace_layout.setSpacing(0)
        # Beside 新建案件 in the tab row, shown only with a case, so the case keeps every line.
        self.back_button = QPushButton("← 返回列表")
        self.back_button.setToolTip("回到案件列表（Alt+←）")
        self.back_button.setShortcut(QKeySequence("Alt+Left"))
        self.back_button.clicked.connect(self.show_list)
        self.back_button.hide()

        self.new_button = QPushButton("＋ 新建案件")
        self.new_button.setObjectName("newCaseButton")
        self.new_button.setToolTip("受理一件新的服务事项（Ctrl+N）")
        self.new_button.clicked.connect(self.new_case)
        corner = QWidget()
        corner_layout = QHBoxLayout(corner)
        corner_layout.setContentsMargins(0, 2, 4, 2)
        corner_layout.setSpacing(8)
        corner_layout.addWidget(self.back_button)
        corner_layout.addWidget(self.new_button)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.dashboard, "待办")
        self.tabs.addTab(self.case_list, "案件列表")
        self.tabs.addTab(self.workspace_page, "办理")
        self.tabs.setTabVisible(self.CASE, False)
        self.tabs.setCornerWidget(corner, Qt.Corner.TopRightCorner)
        self.tabs.currentChanged.connect(self._tab_changed)

        shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.New), self)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(self.new_case)
        refresh = QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self)
        refresh.setContext(Qt.ShortcutContext.WindowShortcut)
        refresh.activated.connect(self.refresh)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.tabs)

        start = self.LIST if settings.value(CASES_TAB) == "list" else self.TODO
        self.tabs.setCurrentIndex(start)
        self._tab_changed(start)

    # --- public API --------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the dashboard and the list (keeping the open case selected if it is listed)."""
        self.dashboard.refresh()
        self.case_list.refresh(keep_case=self.current_case)
        self._stale = {self.TODO: False, self.LIST: False}

    def open_case(self, case_id: int) -> None:
        """Show the case in the workspace tab."""
        try:
            row = self.office.cases.view(case_id).row
        except CaseError as error:
            QMessageBox.warning(self, "无法打开案件", str(error))
            return
        workspace = self._ensure_workspace()
        if workspace is not None and not self.confirm_leave():
            return
        self.current_case = case_id
        self.tabs.setTabText(self.CASE, f"办理 {row.number}")
        self.tabs.setTabVisible(self.CASE, True)
        self.tabs.setCurrentIndex(self.CASE)
        if workspace is not None:
            workspace.show_case(case_id)  # type: ignore[attr-defined]

    def confirm_leave(self) -> bool:
        """Offer to save a step the clerk was typing in; False when they chose to stay."""
        confirm = getattr(self.workspace, "confirm_leave", None)
        if confirm is None or confirm():
            return True
        self.tabs.setCurrentIndex(self.CASE)
        return False

    def show_list(self) -> None:
        self.tabs.setCurrentIndex(self.LIST)
        if self.current_case is not None:
            self.case_list.select_case(self.current_case)
        self.case_list.table.setFocus()

    def show_dashboard(self) -> None:
        self.tabs.setCurrentIndex(self.TODO)

    def new_case(self) -> NewCaseDialog:
        """Open the 新建案件 dialog (window-modal); a case it opens is shown at once."""
        dialog = NewCaseDialog(self.office, self)
        dialog.accepted.connect(lambda: self._case_created(dialog))
        dialog.finished.connect(dialog.deleteLater)
        self.new_case_dialog = dialog
        dialog.open()
        return dialog

    def save_state(self) -> None:
        self.dashboard.save_state()
        self.case_list.save_state()
        self.settings.set_value(
            CASES_TAB, "list" if self.tabs.currentIndex() != self.TODO else "todo"
        )
        saver = getattr(self.workspace, "save_state", None)
        if callable(saver):
            saver()

    # --- internals ---------------------------------------------------------------------------

    def _ensure_workspace(self) -> QWidget | None:
        if self.workspace is not None:
            return self.workspace
        workspace_class = _load_workspace_class()
        if workspace_class is None:
            placeholder = QLabel("案件办理界面尚未安装。")
            placeholder.setObjectName("emptyHint")
            placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.workspace_layout.addWidget(placeholder, 1)
            return None
        workspace = workspace_class(self.office, self.workspace_page)
        restore = getattr(workspace, "restore_state", None)
        if callable(restore):
            restore(self.settings)
        workspace.rule_link_activated.connect(self.rule_link_activated)  # type: ignore[attr-defined]
        workspace.case_changed.connect(self._case_changed)  # type: ignore[attr-defined]
        self.workspace_layout.addWidget(workspace, 1)
        self.workspace = workspace
        return workspace

    def _case_created(self, dialog: NewCaseDialog) -> None:
        if dialog.created is None:
            return
        # Newest first, so the new case is the top row when the clerk goes back to the list.
        self.case_list.show_cases(sort_key="opened", descending=True)
        self.dashboard.refresh()
        self._stale = {self.TODO: False, self.LIST: False}
        self.open_case(dialog.created.id)

    def _case_changed(self, _case_id: int) -> None:
        self._stale = {self.TODO: True, self.LIST: True}

    def _show_requested_cases(self, status: str, responsible: str, hint: str) -> None:
        self.case_list.show_cases(status=status, responsible=responsible, hint=hint)
        self._stale[self.LIST] = False
        self.tabs.setCurrentIndex(self.LIST)
        self.case_list.table.setFocus()

    def _tab_changed(self, index: int) -> None:
        self.back_button.setVisible(index == self.CASE)
        if index == self.TODO and self._stale.get(self.TODO):
            self.dashboard.refresh()
            self._stale[self.TODO] = False
        elif index == self.LIST and self._stale.get(self.LIST):
            self.case_list.refresh(keep_case=self.current_case)
            self._stale[self.LIST] = False

    def showEvent(self, event) -> None:
        super().showEvent(event)
        # The clock moves while the window stays open: overdue counts change by themselves.
        if self.tabs.currentIndex() == self.TODO:
            self.dashboard.refresh()
            self._stale[self.TODO] = False

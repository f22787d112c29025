"""待办: the counts the office is judged by (overdue, due today, due soon, open), each opening the
list of exactly the cases it counts; on-time rates per service item; who carries which cases;
and the hardship files due for their yearly review."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.cases.service import SOON_WORKING_DAYS
from desktop.cases.status import OPEN
from desktop.changes import CALENDAR, Changes
from desktop.formatting import chinese_moment, list_date
from desktop.office import Office
from desktop.ui.events import OfficeEvents, RefreshesOnChange
from desktop.ui.lazy_model import Column, ColumnsModel
from desktop.ui.settings import (
    CASES_DASHBOARD_SPLITTER,
    WindowSettings,
    restore_splitter,
    save_splitter,
)
from desktop.ui.theme import AMBER, NAVY, RED
from desktop.ui.widgets import section_title, small_table

REVIEW_DAYS = 30


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


class Dashboard(RefreshesOnChange, QWidget):
    """待办: what needs doing today, who carries it, whose hardship file is due for review."""

    cases_requested = Signal(str, str, str)  # status, responsible, hint

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
        self._stale = True  # counted when first shown

        self.as_of = QLabel()
        self.as_of.setObjectName("pageHint")
        soon = f"{SOON_WORKING_DAYS} 个工作日内到期"
        self.tiles = {
            "overdue": CountTile("已超期", RED, "点击查看所有已超期的案件"),
            "due_today": CountTile("今日到期", AMBER, "点击按到期日查看办理中的案件"),
            "due_soon": CountTile(soon, AMBER, "点击按到期日查看办理中的案件"),
            "open": CountTile("办理中", NAVY, "点击查看所有办理中的案件"),
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
                        QColor(RED) if r["rate"] is not None and r["rate"] < 1 else None
                    ),
                ),
            ],
            self,
        )
        self.rates_table = small_table(self.rates_model, "ratesTable")
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
                    foreground=lambda r: QColor(RED) if r[2] else None,
                ),
            ],
            self,
        )
        self.people_table = small_table(self.people_model, "responsibleTable")
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
                    lambda p: list_date(p.hardship_review_due),
                    foreground=lambda p: QColor(RED) if p.review_overdue(self._today) else None,
                    tooltip=lambda p: "已过复核日期" if p.review_overdue(self._today) else "",
                ),
                Column("档案状态", lambda p: p.hardship_status),
                Column(
                    "工作单位", lambda p: p.enterprise_name, tooltip=lambda p: p.enterprise_name
                ),
            ],
            self,
        )
        self.reviews_table = small_table(self.reviews_model, "reviewsTable")
        for column, width in ((0, 72), (1, 150), (2, 90), (3, 66)):
            self.reviews_table.setColumnWidth(column, width)
        self.reviews_table.horizontalHeader().setStretchLastSection(False)
        self.reviews_table.horizontalHeader().setSectionResizeMode(
            4, QHeaderView.ResizeMode.Stretch
        )
        self.reviews_title = section_title("困难职工档案年度复核")

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(8)
        left_layout.addWidget(section_title("各服务项目按时办结率（要求 100%）"))
        left_layout.addWidget(self.rates_table, 1)
        left_layout.addWidget(self.rates_empty)
        # With no table (a new office) the title and its hint stay at the top.
        left_layout.addStretch(0)
        self._left_layout = left_layout

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(8)
        right_layout.addWidget(section_title("各责任人在办案件"))
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
            f"截至 {chinese_moment(now)}。点击数字查看对应的案件；“办理中”含已超期和将到期的案件。"
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

    def concerns(self, changes: Changes) -> bool:
        # Counts, rates and who carries what follow the cases; reviews follow the people.
        return bool(changes.cases or changes.people) or CALENDAR in changes.settings

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

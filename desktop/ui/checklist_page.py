"""服务清单: the service checklist as a table; the office names who is in charge of each item."""

from __future__ import annotations

from dataclasses import replace
from html import escape

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSplitter,
    QStyledItemDelegate,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.book.model import ServiceItem
from desktop.office import Office
from desktop.ui.settings import (
    CHECKLIST_SPLITTER,
    WindowSettings,
    restore_splitter,
    save_splitter,
)
from desktop.validation import MAX_PERSON_NAME_LENGTH, clean_person_name

RULE_LINK_SCHEME = "rule"
STANDARD_COLUMN = 2  # 服务标准, the long text
STANDARD_LEAST_WIDTH = 240


class ChecklistModel(QAbstractTableModel):
    """The twelve service items; only the 责任人 column is editable."""

    COLUMNS = ("类别", "服务项目", "服务标准", "响应时限", "责任岗位", "责任人")
    RESPONSIBLE_COLUMN = 5

    def __init__(self, office: Office, parent: QObject | None = None):
        super().__init__(parent)
        self.office = office
        self._categories = {c.id: c.name for c in office.book.service_categories()}
        self._items: list[ServiceItem] = office.book.service_items()

    def item(self, row: int) -> ServiceItem:
        return self._items[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return str(section + 1)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if not index.isValid():
            return None
        item = self._items[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            values = (
                self._categories.get(item.category_id, item.category_id),
                item.name,
                item.standard,
                item.time_limit_text,
                item.responsible_role,
                item.responsible_person,
            )
            if column == self.RESPONSIBLE_COLUMN and role == Qt.ItemDataRole.DisplayRole:
                return item.responsible_person or "（未指定，双击填写）"
            return values[column]
        unassigned = column == self.RESPONSIBLE_COLUMN and not item.responsible_person
        if role == Qt.ItemDataRole.ForegroundRole and unassigned:
            return QColor("#b35c00")
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.RESPONSIBLE_COLUMN:
                return "双击填写负责本项服务的工作人员姓名"
            if column == 3 and item.local_default:
                return "地方默认时限，县总工会可调整"
            if column == 2:
                return item.standard
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == self.RESPONSIBLE_COLUMN:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(
        self,
        index: QModelIndex | QPersistentModelIndex,
        value,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != self.RESPONSIBLE_COLUMN:
            return False
        item = self._items[index.row()]
        try:
            name = self.office.set_responsible_person(item.id, value)
        except ValueError:
            return False
        self._items[index.row()] = _with_person(item, name)
        self.dataChanged.emit(index, index)
        return True


def _with_person(item: ServiceItem, name: str) -> ServiceItem:
    return replace(item, responsible_person=name)


class PersonNameDelegate(QStyledItemDelegate):
    """Edits 责任人 in place and tells the clerk at once when a name cannot be saved."""

    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:
        editor = QLineEdit(parent)
        editor.setMaxLength(MAX_PERSON_NAME_LENGTH)
        editor.setPlaceholderText("负责人姓名")
        return editor

    def setModelData(self, editor: QWidget, model, index: QModelIndex) -> None:
        text = editor.text()
        try:
            clean_person_name(text, what="责任人")
        except ValueError as error:
            QMessageBox.warning(editor.window(), "无法保存责任人", str(error))
            return
        model.setData(index, text)


class ChecklistPage(QWidget):
    """The checklist table above the selected item's full standard and its rules."""

    rule_link_activated = Signal(str)

    def __init__(self, office: Office, settings: WindowSettings, parent: QWidget | None = None):
        super().__init__(parent)
        self.office = office
        self.settings = settings

        categories = office.book.service_categories()
        self.model = ChecklistModel(office, self)
        heading = QLabel(
            f"标准化服务清单：{len(categories)} 类 {self.model.rowCount()} 项。"
            "每项都有服务标准、响应时限和责任人，要求按时办结率 100%。双击“责任人”一栏填写姓名。"
        )
        heading.setWordWrap(True)
        heading.setObjectName("pageHint")

        self.table = QTableView()
        self.table.setObjectName("checklistTable")
        self.table.setModel(self.model)
        self.table.setWordWrap(True)
        self.table.setTabKeyNavigation(False)  # Tab leaves; the arrows move between items
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QTableView.EditTrigger.DoubleClicked
            | QTableView.EditTrigger.EditKeyPressed
            | QTableView.EditTrigger.AnyKeyPressed
        )
        self.table.setItemDelegateForColumn(
            ChecklistModel.RESPONSIBLE_COLUMN, PersonNameDelegate(self.table)
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(STANDARD_COLUMN, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 80), (1, 170), (3, 90), (4, 100), (5, 120)):
            self.table.setColumnWidth(column, width)
        # Row heights follow the wrapped 服务标准 text, so they are re-measured whenever the
        # columns change width (ResizeToContents alone keeps the heights of the first layout).
        self._fit_rows_timer = QTimer(self)
        self._fit_rows_timer.setSingleShot(True)
        self._fit_rows_timer.setInterval(0)
        self._fit_rows_timer.timeout.connect(self.table.resizeRowsToContents)
        header.sectionResized.connect(lambda *_: self._fit_rows_timer.start())

        self.detail = QTextBrowser()
        self.detail.setObjectName("checklistDetail")
        self.detail.setOpenLinks(False)
        self.detail.anchorClicked.connect(self._link_clicked)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        restore_splitter(settings, CHECKLIST_SPLITTER, self.splitter)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(self.splitter)

        self.table.selectionModel().currentRowChanged.connect(self._show_detail)
        self.model.dataChanged.connect(lambda *_: self._show_detail(self.table.currentIndex()))
        self.table.selectRow(0)

    def save_state(self) -> None:
        save_splitter(self.settings, CHECKLIST_SPLITTER, self.splitter)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._fit_standard_column()
        self._fit_rows_timer.start()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_standard_column()

    def _fit_standard_column(self) -> None:
        """服务标准 takes the room the other columns leave, but in a narrow window (150% on a
        laptop) keeps a readable width and the table scrolls sideways instead."""
        header = self.table.horizontalHeader()
        others = sum(
            header.sectionSize(column)
            for column in range(header.count())
            if column != STANDARD_COLUMN
        )
        roomy = self.table.viewport().width() - others >= STANDARD_LEAST_WIDTH
        mode = QHeaderView.ResizeMode.Stretch if roomy else QHeaderView.ResizeMode.Interactive
        if header.sectionResizeMode(STANDARD_COLUMN) != mode:
            header.setSectionResizeMode(STANDARD_COLUMN, mode)
            if not roomy:
                header.resizeSection(STANDARD_COLUMN, STANDARD_LEAST_WIDTH)

    def set_responsible_person(self, row: int, name: str) -> bool:
        """Set a name as the editor would; a bad one is refused with a message, nothing saved."""
        try:
            clean_person_name(name, what="责任人")
        except ValueError as error:
            QMessageBox.warning(self, "无法保存责任人", str(error))
            return False
        index = self.model.index(row, ChecklistModel.RESPONSIBLE_COLUMN)
        return self.model.setData(index, name)

    def _show_detail(self, index: QModelIndex, _previous: QModelIndex | None = None) -> None:
        if not index.isValid():
            self.detail.clear()
            return
        item = self.model.item(index.row())
        links = []
        for rule_id in item.rule_ids:
            rule = self.office.book.rule(rule_id)
            if rule is not None:
                links.append(
                    f'<li><a href="{RULE_LINK_SCHEME}:{escape(rule_id)}">{escape(rule.title)}</a>'
                    f'<span style="color:#888;">（{escape(rule_id)}）</span></li>'
                )
        local = "（地方默认，县总工会可调整）" if item.local_default else ""
        person = escape(item.responsible_person) if item.responsible_person else "未指定"
        self.detail.setHtml(
            f"<h3 style='margin:0 0 6px 0;'>{escape(item.name)}</h3>"
            f"<p><b>服务标准：</b>{escape(item.standard)}</p>"
            f"<p><b>响应时限：</b>{escape(item.time_limit_text)}{local}　"
            f"<b>责任岗位：</b>{escape(item.responsible_role)}　<b>责任人：</b>{person}</p>"
            + (
                f"<p><b>相关制度</b>（点击在制度汇编中打开）：</p><ul>{''.join(links)}</ul>"
                if links
                else ""
            )
        )

    def _link_clicked(self, url: QUrl) -> None:
        if url.scheme() == RULE_LINK_SCHEME:
            self.rule_link_activated.emit(url.path())

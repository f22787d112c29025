"""A table model over a repository query that fetches rows a page at a time.

Qt asks ``canFetchMore``/``fetchMore`` as the view scrolls, so a list of 100,000 cases costs
one page of rows until the clerk scrolls. Sorting and filtering run in SQL (the repository
decides how); the model only knows columns and pages.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from desktop.errors import StoreError

PAGE_SIZE = 200

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    title: str
    text: Callable[[Any], str]
    sort_key: str | None = None  # the repository's order name; None: not sortable
    align_right: bool = False
    tooltip: Callable[[Any], str] | None = None
    foreground: Callable[[Any], Any] | None = None  # a QColor or None


# fetch(offset, limit, sort_key, descending) -> rows; count() -> total rows
Fetch = Callable[[int, int, str | None, bool], Sequence[Any]]
Count = Callable[[], int]


class ColumnsModel(QAbstractTableModel):
    """Rows held in memory, shown through ``columns``; the base of both table models here."""

    def __init__(self, columns: Sequence[Column], parent: QObject | None = None):
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Show these rows (a short list: a dozen service items, a few staff)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_object(self, row: int) -> Any:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self.columns[index.column()]
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(row)
        if role == Qt.ItemDataRole.ForegroundRole and column.foreground is not None:
            return column.foreground(row)
        return None


class LazyTableModel(ColumnsModel):
    def __init__(
        self,
        columns: Sequence[Column],
        fetch: Fetch,
        count: Count,
        parent: QObject | None = None,
        sort_key: str | None = None,
        descending: bool = False,
    ):
        super().__init__(columns, parent)
        self._fetch = fetch
        self._count = count
        self._total = 0
        self.sort_key = sort_key
        self.descending = descending

    # --- loading -----------------------------------------------------------------------------

    def set_source(self, fetch: Fetch, count: Count) -> None:
        """New query (a new filter): start again from the first page."""
        self._fetch = fetch
        self._count = count
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        try:
            self._total = self._count()
            self._rows = list(self._fetch(0, PAGE_SIZE, self.sort_key, self.descending))
        except StoreError:
            # A damaged or vanished data file: the list stays empty and the clerk is told,
            # rather than the window failing to build or a paint failing half-way.
            self._total, self._rows = 0, []
            sys.excepthook(*sys.exc_info())
        finally:
            self.endResetModel()

    @property
    def total(self) -> int:
        return self._total

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if parent.isValid():
            return
        try:
            more = list(self._fetch(len(self._rows), PAGE_SIZE, self.sort_key, self.descending))
        except StoreError:
            more = []
            sys.excepthook(*sys.exc_info())
        if not more:
            self._total = len(self._rows)
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    # --- the model interface -----------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.columns[column].sort_key
        if key is None:
            return
        self.sort_key = key
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.refresh()

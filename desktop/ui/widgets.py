"""Small widgets every page and dialog shares, so they look and behave the same everywhere."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QByteArray, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.theme import RED as ERROR_RED


def error_label() -> QLabel:
    """A hidden red line for what is wrong and how to fix it, shown next to the input.

    Styled on the label itself, so it is red in any dialog, with or without a parent window.
    """
    label = QLabel()
    label.setObjectName("fieldError")
    label.setStyleSheet(f"color: {ERROR_RED};")
    label.setWordWrap(True)
    label.hide()
    return label


WORD_JOINER = "\u2060"


def text_label(text: str = "", name: str = "", rich: bool = False) -> QLabel:
    """A selectable, wrapping label; ``name`` is its object name for styles and tests."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


def unbroken(text: str) -> str:
    """Text that wraps as one piece: word joiners between its characters (Qt's rich text
    does not honour CSS white-space inside a paragraph)."""
    return WORD_JOINER.join(text)


def card(title: str, hint: str = "") -> tuple[QFrame, QVBoxLayout]:
    """A white panel with a bold title (and a grey hint at its right) for one part of a page."""
    frame = QFrame()
    frame.setObjectName("card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(12, 10, 12, 12)
    layout.setSpacing(8)
    heading = QHBoxLayout()
    heading.addWidget(text_label(title, "sectionTitle"))
    heading.addStretch(1)
    if hint:
        hint_label = text_label(hint, "hint")
        hint_label.setWordWrap(False)
        heading.addWidget(hint_label)
    layout.addLayout(heading)
    return frame, layout


def section_title(text: str) -> QLabel:
    """The bold title over one part of a page."""
    label = QLabel(text)
    label.setObjectName("sectionTitle")
    return label


def small_table(model: QAbstractItemModel, name: str) -> QTableView:
    """A compact read-only table of whole-row selection, for short lists beside other things."""
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
    # Tab leaves the table for the next control, as everywhere else; Ctrl+Tab and the arrows
    # move inside it. (A table's own default walks Tab from cell to cell and never leaves.)
    table.setTabKeyNavigation(False)
    return table


class FoldingSplitter(QSplitter):
    """Panels side by side whose side panel folds away while the window is too narrow for the
    main panel to keep ``main_least`` pixels (a small screen, or a large scaling factor), and
    comes back when there is room again. The clerk can drag it out or in at any time; a panel
    folded by the clerk stays folded."""

    def __init__(self, main: int, side: int, main_least: int, parent: QWidget | None = None):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self._main, self._side, self._main_least = main, side, main_least
        self._folded_width = 0  # the side panel's width when it was folded for want of room
        self.splitterMoved.connect(self._moved_by_hand)

    def main_least(self) -> int:
        return self._main_least

    def side_folded(self) -> bool:
        return self.count() > self._side and self.sizes()[self._side] == 0

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_panels()

    def saveState(self) -> QByteArray:
        """The layout as the clerk left it: a panel folded only for want of room is saved open,
        so a larger screen shows it next time."""
        if not self._folded_width:
            return super().saveState()
        folded = self.sizes()
        self.setSizes(self._unfolded(folded))
        state = super().saveState()
        self.setSizes(folded)
        return state

    def _unfolded(self, sizes: list[int]) -> list[int]:
        sizes = list(sizes)
        width = min(self._folded_width, sizes[self._main])
        sizes[self._main] -= width
        sizes[self._side] = width
        return sizes

    def _fit_panels(self) -> None:
        if self.count() <= max(self._main, self._side):
            return
        sizes = self.sizes()
        if not self._folded_width:
            if sizes[self._side] > 0 and sizes[self._main] < self._main_least:
                self._folded_width = sizes[self._side]
                sizes[self._main] += sizes[self._side]
                sizes[self._side] = 0
                self.setCollapsible(self._side, True)
                self.setSizes(sizes)
        elif sizes[self._main] - self._folded_width >= self._main_least:
            self.setSizes(self._unfolded(sizes))
            self._folded_width = 0

    def _moved_by_hand(self, *_args) -> None:
        self._folded_width = 0

"""Small widgets every page and dialog shares, so they look and behave the same everywhere."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QTableView,
    QVBoxLayout,
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
    return table

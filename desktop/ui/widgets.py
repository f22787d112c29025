"""Small widgets every page and dialog shares, so they look and behave the same everywhere."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

ERROR_RED = "#c62828"


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

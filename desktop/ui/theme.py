"""The window's colours: one table from a state's tone (desktop.cases.status) to a colour, so
已超期 is the same red on the dashboard, in every list and in the case header."""

from __future__ import annotations

from html import escape

from PySide6.QtGui import QColor

from desktop.cases.status import (
    ACTIVE_TONE,
    CALM,
    DEADLINE_LABELS,
    MUTED,
    URGENT,
    WARNING,
    case_tone,
)

RED = "#c62828"
AMBER = "#b26a00"
GREEN = "#2e7d32"
BLUE = "#2f6fde"
NAVY = "#0b3d91"
GREY = "#777777"

TONE_COLOURS = {URGENT: RED, WARNING: AMBER, CALM: GREEN, ACTIVE_TONE: BLUE, MUTED: GREY}


def tone_colour(tone: str) -> str:
    return TONE_COLOURS.get(tone, GREY)


def list_colour(state: str) -> QColor | None:
    """A list row's colour for its deadline state: rows on track keep the text colour, so the
    rows that need attention stand out."""
    tone = case_tone(state)
    return None if tone == CALM else QColor(tone_colour(tone))


def state_html(state: str | None) -> str:
    """已超期 / 今日到期 / 按时办结 … in its colour, bold, for rich-text labels."""
    if not state:
        return ""
    return (
        f'<span style="color:{tone_colour(case_tone(state))}; font-weight:bold;'
        f' white-space:nowrap;">{escape(DEADLINE_LABELS.get(state, state))}</span>'
    )


# 事项办理's own look: the dashboard tiles and the new-case dialog.
CASES_STYLE_SHEET = """
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

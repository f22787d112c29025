"""Typing a date: a line that takes any form desktop.dates reads, with a 日历 button whose
calendar pops up under it. A date typed or picked reads back as 2026年11月30日."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, QLocale, QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QCalendarWidget, QHBoxLayout, QLineEdit, QToolButton, QWidget

from desktop.dates import DATE_EXAMPLE, OTHER_DATE_FORMS, DateError, parse_date
from desktop.formatting import chinese_date

DATE_PLACEHOLDER = f"如 {DATE_EXAMPLE}"
DATE_TOOLTIP = f"可以写 {DATE_EXAMPLE}，也可以写 {OTHER_DATE_FORMS}，或点“日历”选择"


def make_date_line(line: QLineEdit, optional: bool = False) -> None:
    """Set ``line`` up for a date: the one example, the forms it takes, and a date that was
    typed in another form shown as 2026年11月30日 once the clerk moves on."""
    line.setPlaceholderText(DATE_PLACEHOLDER + ("，可不填" if optional else ""))
    line.setToolTip(DATE_TOOLTIP)
    line.editingFinished.connect(lambda: tidy_date_text(line))


def tidy_date_text(line: QLineEdit) -> None:
    """What was typed, as the day it names (2026年11月30日); left alone when it is no date, so
    saving can say what is wrong with it."""
    try:
        shown = chinese_date(parse_date(line.text()))
    except DateError:
        return
    if shown != line.text():
        line.setText(shown)


class CalendarButton(QToolButton):
    """日历: a month calendar under the date's line; the day clicked goes into the line."""

    def __init__(
        self,
        line: QLineEdit,
        today: Callable[[], date],
        latest_today: bool = False,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.line = line
        self._today = today
        # A date of something already done: the days after today cannot be picked.
        self._latest_today = latest_today
        self.setText("日历")
        self.setToolTip("从日历中选择日期")
        self.calendar = QCalendarWidget(self)
        self.calendar.setWindowFlags(Qt.WindowType.Popup)
        self.calendar.setLocale(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setGridVisible(True)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.clicked.connect(self.pick)
        self.calendar.activated.connect(self.pick)
        self.clicked.connect(self.open_calendar)

    def open_calendar(self) -> None:
        """The calendar at the day in the line (today when it holds none), under the line."""
        today = self._today()
        try:
            shown = parse_date(self.line.text())
        except DateError:
            shown = today
        if self._latest_today:
            self.calendar.setMaximumDate(QDate(today))
        self.calendar.setSelectedDate(QDate(shown))
        self.calendar.adjustSize()
        self.calendar.move(self._calendar_place())
        self.calendar.show()
        self.calendar.setFocus(Qt.FocusReason.PopupFocusReason)

    def _calendar_place(self) -> QPoint:
        """Under the line, or above it when the screen ends first; never off the screen's
        sides (a field low on a 1366×768 screen at 150% scaling)."""
        below = self.line.mapToGlobal(QPoint(0, self.line.height()))
        screen = self.line.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return below
        room = screen.availableGeometry().adjusted(0, 0, -4, -4)  # the popup's frame
        size = self.calendar.sizeHint().expandedTo(self.calendar.size())
        x = max(room.left(), min(below.x(), room.right() - size.width()))
        y = below.y()
        if y + size.height() > room.bottom():
            above = self.line.mapToGlobal(QPoint(0, 0)).y() - size.height()
            y = max(room.top(), above)
        return QPoint(x, y)

    def pick(self, day: QDate) -> None:
        self.calendar.hide()
        self.line.setText(chinese_date(day.toPython()))
        self.line.setFocus(Qt.FocusReason.OtherFocusReason)


def date_row(line: QLineEdit, today: Callable[[], date], latest_today: bool = False) -> QWidget:
    """The line with its 日历 button, for a form row."""
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(6)
    layout.addWidget(line, 1)
    layout.addWidget(CalendarButton(line, today, latest_today, row))
    return row

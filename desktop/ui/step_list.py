"""The case's steps down the left of the workspace: a numbered badge joined to its neighbours,
the title, and a line with the step's state and its due or done date.

It draws the steps of a CaseView as they are; which step is current, what is due when and
whether it is late are decided in desktop.cases.case_view.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QPointF, QRect, QSignalBlocker, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from desktop.cases.case_view import CaseView
from desktop.cases.status import ACTIVE, DONE, PENDING, SKIPPED, case_tone
from desktop.ui.theme import GREEN, tone_colour

STEP_ROLE = Qt.ItemDataRole.UserRole + 1

BADGE_COLOURS = {  # fill, ring, mark
    DONE: ("#2e7d32", "#2e7d32", "#ffffff"),
    ACTIVE: ("#2f6fde", "#2f6fde", "#ffffff"),
    PENDING: ("#ffffff", "#9aa3b0", "#555555"),
    SKIPPED: ("#f0f0f0", "#cccccc", "#aaaaaa"),
}


@dataclass(frozen=True)
class StepLine:
    number: int
    title: str
    status: str
    status_text: str
    date_text: str
    state: str | None
    state_label: str
    first: bool
    last: bool


class StepDelegate(QStyledItemDelegate):
    BADGE_RADIUS = 11

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        metrics = QFontMetrics(option.font)
        # No width of its own: the list is as wide as the splitter makes it, titles are elided.
        return QSize(1, max(52, metrics.height() * 2 + 22))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        line: StepLine = index.data(STEP_ROLE)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect
        radius = self.BADGE_RADIUS
        cx, cy = rect.left() + 8 + radius, rect.center().y()
        painter.setPen(QPen(QColor("#c8ced8"), 2))
        if not line.first:
            painter.drawLine(cx, rect.top(), cx, cy - radius)
        if not line.last:
            painter.drawLine(cx, cy + radius, cx, rect.bottom() + 1)

        fill, ring, mark_colour = BADGE_COLOURS[line.status]
        painter.setPen(QPen(QColor(ring), 1.5))
        painter.setBrush(QColor(fill))
        painter.drawEllipse(QPointF(cx, cy), radius, radius)
        badge_font = QFont(option.font)
        badge_font.setBold(True)
        painter.setFont(badge_font)
        painter.setPen(QColor(mark_colour))
        badge = QRect(cx - radius, cy - radius, radius * 2, radius * 2)
        painter.drawText(
            badge, Qt.AlignmentFlag.AlignCenter, "✓" if line.status == DONE else str(line.number)
        )

        x = cx + radius + 8
        width = rect.right() - x - 6
        title_font = QFont(option.font)
        title_font.setBold(line.status == ACTIVE)
        title_metrics = QFontMetrics(title_font)
        small_font = QFont(option.font)
        small_font.setPointSizeF(max(7.0, option.font.pointSizeF() * 0.9))
        small_metrics = QFontMetrics(small_font)
        top = cy - (title_metrics.height() + small_metrics.height() + 2) // 2

        painter.setFont(title_font)
        painter.setPen(QColor("#aaaaaa" if line.status == SKIPPED else "#222222"))
        title = title_metrics.elidedText(line.title, Qt.TextElideMode.ElideRight, width)
        painter.drawText(
            QRect(x, top, width, title_metrics.height()), Qt.AlignmentFlag.AlignLeft, title
        )

        painter.setFont(small_font)
        second = top + title_metrics.height() + 2
        status_colour = {ACTIVE: "#2f6fde", DONE: GREEN}.get(line.status, "#999999")
        painter.setPen(QColor(status_colour))
        painter.drawText(
            QRect(x, second, width, small_metrics.height()),
            Qt.AlignmentFlag.AlignLeft,
            line.status_text,
        )
        used = small_metrics.horizontalAdvance(line.status_text + "  ")
        if line.date_text:
            painter.setPen(QColor("#666666" if line.status != SKIPPED else "#aaaaaa"))
            shown = small_metrics.elidedText(
                line.date_text, Qt.TextElideMode.ElideRight, width - used
            )
            painter.drawText(
                QRect(x + used, second, width - used, small_metrics.height()),
                Qt.AlignmentFlag.AlignLeft,
                shown,
            )
            used += small_metrics.horizontalAdvance(shown + " ")
        # In a narrow list the state is left out whole rather than cut (the tooltip has it).
        fits = small_metrics.horizontalAdvance(line.state_label) <= width - used
        if line.state and line.status in (ACTIVE, DONE) and fits:
            painter.setPen(QColor(tone_colour(case_tone(line.state))))
            painter.drawText(
                QRect(x + used, second, width - used, small_metrics.height()),
                Qt.AlignmentFlag.AlignLeft,
                line.state_label,
            )
        painter.restore()


class StepList(QListWidget):
    """The steps of one case; the current row is the step shown beside it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("caseStepper")
        self.setItemDelegate(StepDelegate(self))
        self.setMinimumWidth(220)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def show_steps(self, view: CaseView, select: str | None = None) -> None:
        """List the view's steps and select ``select``, else the current step, else the last
        one done, without emitting a change of row (the caller shows the step itself)."""
        today: date = view.now.date()
        with QSignalBlocker(self):
            self.clear()
            for step_view in view.steps:
                line = StepLine(
                    number=step_view.number,
                    title=step_view.step.title,
                    status=step_view.status,
                    status_text=step_view.status_text,
                    date_text=step_view.date_text(today),
                    state=step_view.deadline_state,
                    state_label=step_view.deadline_label,
                    first=step_view.number == 1,
                    last=step_view.number == len(view.steps),
                )
                item = QListWidgetItem(
                    f"{step_view.number}. {step_view.step.title} — {step_view.status_text}"
                )
                item.setData(STEP_ROLE, line)
                tip = [f"由谁办理：{step_view.step.role}", f"状态：{step_view.status_text}"]
                if step_view.due is not None:
                    tip.append(f"办理时限：{step_view.due_text()}")
                if step_view.deadline_label:
                    tip.append(step_view.deadline_label)
                item.setToolTip("\n".join(tip))
                self.addItem(item)
            ids = [s.step.id for s in view.steps]
            if select not in ids:
                current = view.current
                done = [s.step.id for s in view.steps if s.status == DONE]
                select = current.id if current is not None else (done[-1] if done else ids[0])
            self.setCurrentRow(ids.index(select))
        self._show_current()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # A list filled before it was shown, or made shorter by a smaller window, would
        # otherwise leave the current step (often the last of 14) below its edge.
        self._show_current()

    def _show_current(self) -> None:
        item = self.currentItem()
        if item is not None:
            self.scrollToItem(item, QAbstractItemView.ScrollHint.EnsureVisible)

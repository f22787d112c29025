"""The Qt binding itself: a build that mishandles reference counts crashes long sessions.

PySide6 6.12.0 on Python 3.11 dropped one reference to None on every call of a Qt method that
returns nothing; after a few thousand repaints or label updates the interpreter freed None and
aborted (none_dealloc). pyproject excludes that release; this test catches the next one.
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QLabel


def test_qt_calls_leave_python_reference_counts_alone(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    image = QImage(20, 20, QImage.Format.Format_ARGB32)
    before = sys.getrefcount(None)
    for step in range(300):
        label.setText(str(step))
        painter = QPainter(image)
        painter.drawLine(0, 0, 10, 10)
        painter.end()
    # A correct binding leaves None's count where it was (give or take a few temporaries).
    assert abs(sys.getrefcount(None) - before) < 50

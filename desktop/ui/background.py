"""Slow work off the UI thread: a plain Python thread, watched from the UI thread by a timer.

The worker never touches a Qt object and sends no signal: it only leaves its result (or its
exception) in an attribute. A QTimer on the UI thread polls for it and calls back there. Queued
signals from worker threads made PySide6 6.12 abort at interpreter exit (see desktop.ui.app),
so nothing Qt crosses threads here.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

POLL_MS = 20
BUSY_AFTER_S = 0.4  # quick jobs finish before a progress dialog would flash up


class BackgroundJob:
    """Run ``work()`` on a thread; then ``on_done(result)`` or ``on_error(exception)`` on the
    UI thread. With ``busy_text``, a window-modal busy indicator over ``parent`` appears if the
    work takes longer than a moment.

    Not a QObject: deleting a Python subclass of QObject with deleteLater after it called back
    crashed PySide6 6.12 ("shared QObject was deleted directly"). Only its plain QTimer, a
    child of ``parent``, is Qt's, and it is deleted when the job is over.
    """

    def __init__(
        self,
        work: Callable[[], Any],
        parent: QWidget,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        busy_text: str = "",
    ):
        self._parent = parent
        self._work = work
        self._on_done = on_done
        self._on_error = on_error
        self._busy_text = busy_text
        self._busy: QProgressDialog | None = None
        self._result: Any = None
        self._error: BaseException | None = None
        self._cancelled = False
        self._finished = False
        self._started = 0.0
        self._thread = threading.Thread(target=self._run, name="uniondesk-job", daemon=True)
        self._timer = QTimer(parent)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    def start(self) -> BackgroundJob:
        self._started = time.monotonic()
        self._thread.start()
        self._timer.start()
        return self

    def cancel(self) -> None:
        """Drop the result when it comes (the thread itself cannot be stopped)."""
        self._cancelled = True

    def is_running(self) -> bool:
        return self._started > 0 and not self._finished

    def _run(self) -> None:
        try:
            self._result = self._work()
        except BaseException as error:  # handed to the UI thread, which decides what to show
            self._error = error

    def _poll(self) -> None:
        if self._thread.is_alive():
            if (
                self._busy is None
                and self._busy_text
                and not self._cancelled
                and time.monotonic() - self._started > BUSY_AFTER_S
            ):
                self._show_busy()
            return
        self._timer.stop()
        self._finished = True
        if self._busy is not None:
            self._busy.close()
            self._busy.deleteLater()
            self._busy = None
        self._timer.deleteLater()
        if self._cancelled:
            return
        if self._error is not None:
            self._on_error(self._error)
        else:
            self._on_done(self._result)

    def _show_busy(self) -> None:
        busy = QProgressDialog(self._busy_text, "", 0, 0, self._parent)
        busy.setWindowTitle("请稍候")
        busy.setCancelButton(None)
        busy.setWindowModality(Qt.WindowModality.WindowModal)
        busy.setMinimumDuration(0)
        busy.setAutoClose(False)
        busy.setAutoReset(False)
        busy.show()
        self._busy = busy

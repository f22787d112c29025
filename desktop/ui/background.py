"""Slow work off the UI thread: a plain Python thread, watched from the UI thread by a timer.

Every piece of work the window does off its thread runs through BackgroundJob: rendering a
form for the preview, the form thumbnails, and filling the demo office at first start.

The worker never touches a Qt object and sends no signal: it only leaves its result (or its
exception) and its progress numbers in attributes. A QTimer on the UI thread polls for them and
calls back there. Queued signals from worker threads made PySide6 6.12 abort at interpreter
exit (bool_dealloc during finalisation), so nothing Qt crosses threads here.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

POLL_MS = 20
BUSY_AFTER_S = 0.4  # quick jobs finish before a progress dialog would flash up

T = TypeVar("T")
# How the work says how far it is: report(done, total). It only stores the two numbers.
ProgressReport = Callable[[int, int], None]

# Jobs under way. The timer's connection holds its job only weakly (a bound method of a plain
# object), so a job the caller does not keep would be collected once its thread ends, and
# never call back.
_running: set[BackgroundJob[Any]] = set()


class BackgroundJob(Generic[T]):
    """Run ``work(report)`` on a thread; then ``on_done(result)`` or ``on_error(exception)`` on
    the UI thread.

    The work may call ``report(done, total)`` as it goes; ``on_progress(done, total)`` sees the
    latest numbers on the UI thread. With ``busy_text``, a progress dialog over ``parent``
    appears if the work takes longer than ``busy_after`` seconds: it counts up once the work
    reports numbers, and only says the program is busy until then.

    Not a QObject: deleting a Python subclass of QObject with deleteLater after it called back
    crashed PySide6 6.12 ("shared QObject was deleted directly"). Only its plain QTimer, a
    child of ``parent``, is Qt's, and it is deleted when the job is over.
    """

    def __init__(
        self,
        work: Callable[[ProgressReport], T],
        parent: QWidget | None,
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None],
        *,
        on_progress: Callable[[int, int], None] | None = None,
        busy_text: str = "",
        busy_title: str = "请稍候",
        busy_after: float = BUSY_AFTER_S,
    ):
        self._parent = parent
        self._work = work
        self._on_done = on_done
        self._on_error = on_error
        self._on_progress = on_progress
        self._busy_text = busy_text
        self._busy_title = busy_title
        self._busy_after = busy_after
        self._busy: QProgressDialog | None = None
        self._result: Any = None
        self._error: BaseException | None = None
        self._progress: tuple[int, int] | None = None  # written by the worker
        self._shown_progress: tuple[int, int] | None = None
        self._cancelled = False
        self._finished = False
        self._started = 0.0
        self._waiting: QEventLoop | None = None
        self._thread = threading.Thread(target=self._run, name="uniondesk-job", daemon=True)
        self._timer = QTimer(parent)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    def start(self) -> BackgroundJob[T]:
        _running.add(self)
        self._started = time.monotonic()
        self._thread.start()
        self._timer.start()
        return self

    def cancel(self) -> None:
        """Drop the result when it comes: no callback is called (the thread itself cannot be
        stopped, and runs to its end)."""
        self._cancelled = True

    def is_running(self) -> bool:
        return self._started > 0 and not self._finished

    def wait(self) -> None:
        """Return when the job has called back, the UI thread's events running meanwhile (the
        progress dialog paints): for work the program cannot go on without."""
        if not self.is_running():
            return
        self._waiting = QEventLoop()
        self._waiting.exec()
        self._waiting = None

    def _report(self, done: int, total: int) -> None:
        # On the worker thread: one assignment of plain numbers, read by the UI thread's poll.
        self._progress = (done, total)

    def _run(self) -> None:
        try:
            self._result = self._work(self._report)
        except BaseException as error:  # handed to the UI thread, which decides what to show
            self._error = error

    def _poll(self) -> None:
        if self._thread.is_alive():
            if (
                self._busy is None
                and self._busy_text
                and not self._cancelled
                and time.monotonic() - self._started >= self._busy_after
            ):
                self._show_busy()
            self._show_progress()
            return
        self._timer.stop()
        self._finished = True
        _running.discard(self)
        if self._busy is not None:
            self._busy.close()
            self._busy.deleteLater()
            self._busy = None
        self._timer.deleteLater()
        try:
            if self._cancelled:
                return
            if self._error is not None:
                self._on_error(self._error)
            else:
                self._on_done(self._result)
        finally:
            if self._waiting is not None:
                self._waiting.quit()

    def _show_progress(self) -> None:
        progress = self._progress
        if progress is None or progress == self._shown_progress or self._cancelled:
            return
        self._shown_progress = progress
        if self._busy is not None:
            self._count_on(self._busy, progress)
        if self._on_progress is not None:
            self._on_progress(*progress)

    @staticmethod
    def _count_on(busy: QProgressDialog, progress: tuple[int, int]) -> None:
        done, total = progress
        if total > 0:
            busy.setRange(0, total)
            busy.setValue(min(done, total))

    def _show_busy(self) -> None:
        busy = QProgressDialog(self._busy_text, "", 0, 0, self._parent)
        busy.setWindowTitle(self._busy_title)
        busy.setCancelButton(None)
        busy.setWindowModality(Qt.WindowModality.WindowModal)
        busy.setMinimumDuration(0)
        busy.setAutoClose(False)
        busy.setAutoReset(False)
        if self._shown_progress is not None:
            self._count_on(busy, self._shown_progress)
        busy.show()
        self._busy = busy

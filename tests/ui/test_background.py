"""Work off the UI thread: results, errors and progress come back on the UI thread; a
cancelled job calls nothing; a progress dialog counts up while the work reports numbers."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop.ui.background import BackgroundJob


class Outcome:
    def __init__(self):
        self.done: list[object] = []
        self.errors: list[BaseException] = []
        self.progress: list[tuple[int, int]] = []
        self.threads: list[threading.Thread] = []

    def on_done(self, result):
        self.threads.append(threading.current_thread())
        self.done.append(result)

    def on_error(self, error):
        self.threads.append(threading.current_thread())
        self.errors.append(error)

    def on_progress(self, done, total):
        self.threads.append(threading.current_thread())
        self.progress.append((done, total))


@pytest.fixture
def parent(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def job(parent, work, outcome: Outcome, **options) -> BackgroundJob:
    return BackgroundJob(
        work, parent, outcome.on_done, outcome.on_error, on_progress=outcome.on_progress, **options
    )


def test_the_result_comes_back_on_the_ui_thread(qtbot, parent):
    outcome = Outcome()
    workers: list[threading.Thread] = []

    def work(_report):
        workers.append(threading.current_thread())
        return 42

    running = job(parent, work, outcome).start()
    qtbot.waitUntil(lambda: outcome.done == [42])
    assert not running.is_running()
    assert workers[0] is not threading.main_thread()
    assert outcome.threads == [threading.main_thread()]


def test_an_error_in_the_work_is_handed_to_the_ui_thread(qtbot, parent):
    # The caller does not keep the job: it still calls back.
    outcome = Outcome()

    def work(_report):
        raise OSError("磁盘已满")

    job(parent, work, outcome).start()
    qtbot.waitUntil(lambda: bool(outcome.errors))
    assert str(outcome.errors[0]) == "磁盘已满" and outcome.done == []
    assert outcome.threads == [threading.main_thread()]


def test_progress_numbers_are_shown_as_they_are_reported(qtbot, parent):
    outcome = Outcome()
    steps = [threading.Event() for _ in range(3)]

    def work(report):
        for done, step in enumerate(steps, start=1):
            report(done, 3)
            step.wait(10)
        return "ok"

    job(parent, work, outcome, busy_text="正在建立演示办公数据……", busy_after=0).start()
    qtbot.waitUntil(lambda: outcome.progress[-1:] == [(1, 3)])
    busy = parent.findChild(QProgressDialog)
    assert busy.isVisible() and busy.labelText() == "正在建立演示办公数据……"
    assert (busy.value(), busy.maximum()) == (1, 3)
    steps[0].set()
    qtbot.waitUntil(lambda: outcome.progress[-1:] == [(2, 3)])
    assert busy.value() == 2
    steps[1].set()
    steps[2].set()
    qtbot.waitUntil(lambda: outcome.done == ["ok"])
    qtbot.waitUntil(lambda: parent.findChild(QProgressDialog) is None)  # closed and deleted
    assert outcome.progress[:2] == [(1, 3), (2, 3)]
    assert set(outcome.threads) == {threading.main_thread()}


def test_a_cancelled_job_calls_nothing(qtbot, parent):
    outcome = Outcome()
    release = threading.Event()
    running = job(parent, lambda _report: release.wait(10), outcome).start()
    running.cancel()
    release.set()
    qtbot.waitUntil(lambda: not running.is_running())
    assert outcome.done == [] and outcome.errors == []


def test_waiting_returns_once_the_job_has_called_back(qtbot):
    outcome = Outcome()
    release = threading.Event()
    waited = job(None, lambda _report: release.wait() and "filled", outcome).start()
    # Released from inside wait()'s own event loop: no wall clock involved (the suite also
    # runs under faketime, whose frozen clock never lets a timer thread fire).
    QTimer.singleShot(0, release.set)
    waited.wait()
    assert outcome.done == ["filled"] and not waited.is_running()

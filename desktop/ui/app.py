"""Start-up of the window, in stages.

1. Qt application and the bundled Chinese font, so text renders on a machine without one.
2. The exception hook: a bug shows a dialog and is written to the log, never lost silently.
3. The office's data folder: opened (and filled with the demo office when it is new).
4. The main window.
"""

from __future__ import annotations

import logging
import sys
import time
import traceback
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import APP_NAME, APP_TITLE, __version__, presence
from desktop.book.loader import BookError
from desktop.demo import fill_demo_office
from desktop.errors import StoreError, os_error_text
from desktop.identity import hide_personal_numbers
from desktop.office import Office
from desktop.paths import bundled_font_path
from desktop.ui.background import BackgroundJob, ProgressReport

log = logging.getLogger(__name__)

# Preferred UI faces, best first; the bundled font is the last resort that always exists.
UI_FONT_FAMILIES = [
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
]
UI_FONT_POINT_SIZE = 10


def register_bundled_font() -> str:
    """Load the bundled CJK font into Qt; return its family name ('' if it failed)."""
    font_id = QFontDatabase.addApplicationFont(str(bundled_font_path()))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        log.warning("bundled font %s could not be loaded", bundled_font_path())
        return ""
    return families[0]


def ui_font(bundled_family: str) -> QFont:
    installed = set(QFontDatabase.families())
    families = [f for f in UI_FONT_FAMILIES if f in installed]
    if bundled_family:
        families.append(bundled_family)
    font = QFont()
    font.setFamilies(families)
    font.setPointSize(UI_FONT_POINT_SIZE)
    return font


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or [sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE)
    app.setApplicationVersion(__version__)
    app.setFont(ui_font(register_bundled_font()))
    install_chinese_translation(app)
    return app


def install_chinese_translation(app: QApplication) -> bool:
    """Qt's own words (OK/Cancel, the print and file dialogs) in Simplified Chinese.

    The translation ships with PySide6; the translator is kept on the application so it lives
    as long as the application does.
    """
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_",
                           folder):  # fmt: skip
        log.warning("Qt Chinese translation not found in %s", folder)
        return False
    app.installTranslator(translator)
    app.setProperty("uniondesk_translator", translator)
    return True


class PersonalNumbersHidden(logging.Filter):
    """The log is sent to maintainers: an ID number or mobile number in a message (an error
    quoting a value) is masked before it is written."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        hidden = hide_personal_numbers(message)
        if hidden != message:
            record.msg, record.args = hidden, None
        return True


def _set_up_logging(data_dir: Path) -> Path:
    log_dir = data_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    log_file = log_dir / "uniondesk.log"
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.addFilter(PersonalNumbersHidden())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    # Attached directly (basicConfig would drop it when the root logger has a handler already),
    # and closed with the application.
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)

    def close() -> None:
        root.removeHandler(handler)
        handler.close()

    QApplication.instance().aboutToQuit.connect(close)
    return log_file


def show_fault(error: StoreError) -> None:
    """A fault of the data folder (busy, disk full, read-only, damaged): its own words, in a
    plain warning. A module function so tests can watch it."""
    QMessageBox.warning(QApplication.activeWindow(), APP_TITLE, str(error))


_faults_waiting: set[str] = set()


def show_fault_soon(error: StoreError) -> None:
    """Show the fault once control is back in the event loop: it may have been met inside a
    paint, a model's fetch or a window being built, where a modal box must not open. The same
    fault met many times while waiting (every row of a damaged table) is shown once."""
    text = str(error)
    if text in _faults_waiting:
        return
    _faults_waiting.add(text)

    def show() -> None:
        try:
            show_fault(error)
        finally:
            _faults_waiting.discard(text)

    QTimer.singleShot(0, show)


def show_bug(details: str, log_file: Path) -> None:
    box = QMessageBox(
        QMessageBox.Icon.Critical, APP_TITLE, "程序出现了意外错误，刚才的操作可能没有完成。"
    )
    box.setInformativeText(
        f"已保存的数据不受影响。错误详情已写入日志：\n{log_file}\n请把日志文件发给维护人员。"
    )
    box.setDetailedText(details)
    box.exec()


def handle_uncaught(exc_type, exc_value, exc_traceback, log_file: Path) -> None:
    """Whatever no action caught: a data-folder fault the clerk can act on gets a normal
    message; anything else is a bug, logged with its traceback and shown as one."""
    if isinstance(exc_value, StoreError):
        log.warning("store fault: %s", exc_value)
        show_fault_soon(exc_value)
        return
    details = "".join(traceback.format_exception(exc_type, exc_value, exc_traceback))
    details = hide_personal_numbers(details)  # shown, and sent on with the log
    log.error("unexpected error\n%s", details)
    show_bug(details, log_file)


def _install_exception_hook(log_file: Path) -> None:
    sys.excepthook = lambda *exc_info: handle_uncaught(*exc_info, log_file=log_file)


def open_office_for_window(data_dir: Path) -> Office:
    """Open the office; a brand-new data folder starts as the demo office."""
    if Office.folder_is_new(data_dir):
        failed: list[BaseException] = []
        BackgroundJob(
            lambda report: _fill_demo_office(data_dir, report),
            None,
            on_done=lambda _nothing: None,
            on_error=failed.append,
            busy_text="第一次打开：正在建立演示办公数据……",
            busy_title=APP_TITLE,
            busy_after=0,
        ).start().wait()
        if failed:
            raise failed[0]
    return Office.open(data_dir)


def _fill_demo_office(data_dir: Path, report: ProgressReport) -> None:
    """On the worker thread, on a database connection of its own."""
    with Office.open(data_dir) as office:
        fill_demo_office(office, progress=report)


def run_app(
    data_dir: Path,
    screenshot: Path | None = None,
    search: str | None = None,
    section: str | None = None,
    open_case: str | None = None,
    startup_probe: bool = False,
) -> int:
    from desktop.ui.main_window import MainWindow

    app = create_application()
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        log_file = _set_up_logging(data_dir)
    except OSError as error:
        QMessageBox.critical(
            None,
            APP_TITLE,
            f"无法使用数据文件夹 {data_dir}：{os_error_text(error)}。"
            "请检查文件夹是否可以写入，或用另一个数据文件夹打开。",
        )
        return 1
    _install_exception_hook(log_file)
    try:
        office = open_office_for_window(data_dir)
    except (StoreError, BookError) as error:
        QMessageBox.critical(None, APP_TITLE, str(error))
        return 1

    try:
        window = MainWindow(office)
    except StoreError as error:
        QMessageBox.critical(None, APP_TITLE, str(error))
        return 1
    report = office.check(quick=True)
    if not report.ok:
        window.show_check_problems([f"{f.title}：{f.detail}" for f in report.problems()])
    open_elsewhere = presence.others(data_dir)
    presence.announce(data_dir, office.operator, datetime.now())
    if section:
        window.show_section(section)
    if search:
        window.search_book(search, open_first=True)
    window.show()
    if open_case:
        found = office.cases.find_case(open_case)
        if found is None:
            QMessageBox.warning(window, APP_TITLE, f"没有编号为 {open_case} 的案件。")
        else:
            window.open_case(found.id)

    if startup_probe:

        def report_shown() -> None:
            print(f"window_shown_at={time.time():.6f}", flush=True)
            app.quit()

        QTimer.singleShot(0, report_shown)
    elif screenshot is not None:

        def save_screenshot() -> None:
            window.grab().save(str(screenshot))
            window.skip_exit_backup()  # a look at the window, not a working session
            app.quit()

        # Let layouts settle and the first paint happen before grabbing.
        QTimer.singleShot(600, save_screenshot)
    else:
        if not report.ok:
            QTimer.singleShot(0, lambda: warn_check_failed(window, report))
        QTimer.singleShot(0, window.ask_sign_in)
        if open_elsewhere:
            QTimer.singleShot(0, lambda: warn_open_elsewhere(window, open_elsewhere))
    try:
        code = app.exec()
    finally:
        presence.withdraw(data_dir)
    office.close()
    return code


def warn_check_failed(parent, report) -> None:
    """The start-up check found something wrong: said plainly, with what to do."""
    problems = "\n\n".join(f"✗ {f.title}：{f.detail}" for f in report.problems())
    box = QMessageBox(
        QMessageBox.Icon.Critical, APP_TITLE, "打开数据时检查发现问题，请先处理再继续办理。"
    )
    box.setInformativeText(
        problems + "\n\n可以在“帮助 → 检查数据是否完好”中再次检查；"
        "数据有损坏的，用“文件 → 备份与恢复”从备份恢复。"
    )
    box.exec()


def warn_open_elsewhere(parent, windows: list[presence.OpenWindow]) -> None:
    """Said once at start, so the clerk knows before working a case twice."""
    lines = "\n".join(f"· {w.describe()}。" for w in windows)
    QMessageBox.warning(
        parent,
        APP_TITLE,
        f"{lines}\n\n可以继续使用；两个窗口同时办理同一件案件时，后保存的一方会被告知并不会覆盖"
        "对方的内容。为避免重复办理，建议关闭其中一个窗口。",
    )

"""The main window: a navigation list of sections on the left, the chosen section beside it.

A section is a key, a title and a page; later sections (事项办理, 人员/单位, 表单打印) are
added to SECTIONS and to ``_build_pages`` without touching the rest.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from desktop import APP_TITLE, __version__
from desktop.attachments import DEFAULT_SIZE_LIMIT_MB, SIZE_LIMIT_RANGE_MB
from desktop.changes import OFFICE_NAME, OPERATOR, Changes
from desktop.errors import StoreError
from desktop.office import OFFICE_NAME_LIMIT, Office
from desktop.ui.book_page import BookPage
from desktop.ui.cases_page import CasesPage
from desktop.ui.checklist_page import ChecklistPage
from desktop.ui.events import OfficeEvents
from desktop.ui.forms_page import FormsPage
from desktop.ui.office_contact_dialog import OfficeContactDialog
from desktop.ui.people_page import PeoplePage
from desktop.ui.settings import LAST_SECTION, PreserveGeometry, WindowSettings
from desktop.ui.theme import RED

# Windows that replaced another (开始正式使用) live here: nothing else holds them.
_open_windows: list[QMainWindow] = []


def ask_start_office(parent: QWidget):
    """The filled-in dialog, or None if cancelled; a module function so tests can answer it."""
    from desktop.ui.start_office_dialog import StartOfficeDialog

    dialog = StartOfficeDialog(parent)
    return dialog if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_office_name(parent: QWidget, current: str) -> tuple[str, bool]:
    """A module function so tests can answer it."""
    label = (
        f"本单位的名称（打印在各种表单的“受理单位”“发放单位”等处，最多 {OFFICE_NAME_LIMIT} 个字）："
    )
    return QInputDialog.getText(parent, "单位名称", label, text=current)


def ask_attachment_limit(parent: QWidget, current: int) -> tuple[int, bool]:
    """A module function so tests can answer it."""
    low, high = SIZE_LIMIT_RANGE_MB
    label = (
        "添加附件时，大于这个大小的文件不收（扫描件用 200 dpi 一般每页不到 1 MB）。\n"
        f"附件大小上限（MB，{low}–{high}，默认 {DEFAULT_SIZE_LIMIT_MB}）："
    )
    return QInputDialog.getInt(parent, "附件大小上限", label, current, low, high)


SECTIONS = (
    ("cases", "事项办理"),
    ("people", "人员/单位"),
    ("forms", "表单打印"),
    ("book", "制度汇编"),
    ("checklist", "服务清单"),
)

STYLE_SHEET = """
QListWidget#navigation {
    background: #f3f5f8;
    border: none;
    border-right: 1px solid #dde1e7;
    padding-top: 8px;
    font-size: 11pt;
}
QListWidget#navigation::item {
    padding: 10px 18px;
    color: #333;
}
QListWidget#navigation::item:selected {
    background: #dbe7ff;
    color: #0b3d91;
    border-left: 3px solid #2f6fde;
}
QLineEdit#bookSearch {
    padding: 6px 8px;
    font-size: 11pt;
}
QLabel#resultCount, QLabel#pageHint {
    color: #555;
}
QLabel#emptyHint {
    color: #777;
    font-size: 11pt;
}
QTreeView, QListView, QTableView {
    selection-background-color: #cfe0ff;
    selection-color: #000;
}
QTableView#checklistTable::item {
    padding: 4px 4px;
}
QTextBrowser#ruleReader {
    font-size: 11pt;
}
"""


class MainWindow(PreserveGeometry, QMainWindow):
    def __init__(self, office: Office, parent: QWidget | None = None):
        super().__init__(parent)
        self.office = office
        # A window made by 开始正式使用 opened its own office and closes it with itself.
        self.owns_office = False
        self._backup_job = None
        self._check_job = None
        self._skip_exit_backup = False
        self._closed = False
        self.settings = WindowSettings(office.data_dir)
        self.events = OfficeEvents(office, self)
        self.events.changed.connect(self._office_changed)
        self.setWindowTitle(self._title())
        self.setMinimumSize(QSize(760, 520))
        self.setStyleSheet(STYLE_SHEET)

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(150)
        self.navigation.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.pages = QStackedWidget()
        self._section_keys: list[str] = []
        self._build_pages()

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.navigation.currentRowChanged.connect(self.pages.setCurrentIndex)

        self._build_menus()
        self._build_status_bar()
        self.place_window(self.settings)
        self.show_section(self.settings.value(LAST_SECTION))
        self._backup_timer = QTimer(self)
        self._backup_timer.setInterval(60 * 60 * 1000)
        self._backup_timer.timeout.connect(self._daily_backup)
        self._backup_timer.start()
        QTimer.singleShot(30_000, self._daily_backup)

    def _title(self) -> str:
        """The office first, the program once and last: the system adds the program's name to
        a title that does not end with it (QPlatformWindow.formatWindowTitle)."""
        name = self.office.name or "未命名单位"
        demo = "（演示数据）" if self.office.is_demo else ""
        return f"{name}{demo} — {APP_TITLE}"

    def _build_pages(self) -> None:
        self.book_page = BookPage(self.office, self.settings)
        self.checklist_page = ChecklistPage(self.office, self.settings)
        self.checklist_page.rule_link_activated.connect(self.open_rule)
        self.cases_page = CasesPage(self.office, self.settings, events=self.events)
        self.cases_page.rule_link_activated.connect(self.open_rule)
        self.people_page = PeoplePage(self.office, self.settings, events=self.events)
        self.people_page.case_requested.connect(self.open_case)
        self.forms_page = FormsPage(self.office)
        pages = {
            "cases": self.cases_page,
            "people": self.people_page,
            "forms": self.forms_page,
            "book": self.book_page,
            "checklist": self.checklist_page,
        }
        for key, title in SECTIONS:
            self.navigation.addItem(QListWidgetItem(title))
            self.pages.addWidget(pages[key])
            self._section_keys.append(key)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        self.start_real_action = QAction("开始正式使用（换下演示数据）(&R)…", self)
        self.start_real_action.triggered.connect(self.start_real_office)
        self.start_real_action.setVisible(self.office.is_demo)
        file_menu.addAction(self.start_real_action)
        backup_action = QAction("备份与恢复(&B)…", self)
        backup_action.triggered.connect(self.open_backups)
        file_menu.addAction(backup_action)
        quit_action = QAction("退出(&X)", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        edit_menu = self.menuBar().addMenu("编辑(&E)")
        self.find_action = QAction("查找制度(&F)", self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.find_action.triggered.connect(self.focus_book_search)
        edit_menu.addAction(self.find_action)

        view_menu = self.menuBar().addMenu("栏目(&V)")
        for row, (_key, title) in enumerate(SECTIONS):
            action = QAction(title, self)
            action.setShortcut(QKeySequence(f"Ctrl+{row + 1}"))
            action.triggered.connect(lambda _checked=False, r=row: self.navigation.setCurrentRow(r))
            view_menu.addAction(action)

        settings_menu = self.menuBar().addMenu("设置(&S)")
        operator_action = QAction("工作人员与当前经办人(&O)…", self)
        operator_action.triggered.connect(self.choose_operator)
        settings_menu.addAction(operator_action)
        name_action = QAction("单位名称(&N)…", self)
        name_action.triggered.connect(self.choose_office_name)
        settings_menu.addAction(name_action)
        contact_action = QAction("单位联系电话和地址(&T)…", self)
        contact_action.triggered.connect(self.edit_office_contact)
        settings_menu.addAction(contact_action)
        holiday_action = QAction("节假日表(&H)…", self)
        holiday_action.triggered.connect(self.edit_holidays)
        settings_menu.addAction(holiday_action)
        attachment_action = QAction("附件大小上限(&A)…", self)
        attachment_action.triggered.connect(self.choose_attachment_limit)
        settings_menu.addAction(attachment_action)
        print_font_action = QAction("打印字体(&P)…", self)
        print_font_action.triggered.connect(self.choose_print_font)
        settings_menu.addAction(print_font_action)

        help_menu = self.menuBar().addMenu("帮助(&H)")
        check_action = QAction("检查数据是否完好(&C)…", self)
        check_action.triggered.connect(self.check_data)
        help_menu.addAction(check_action)
        about = QAction("关于(&A)", self)
        about.triggered.connect(self._show_about)
        help_menu.addAction(about)

    def _build_status_bar(self) -> None:
        stats = self.office.book.stats()
        book = QLabel(f"{stats.title}　版本 {stats.book_version}")
        data = QLabel(f"数据文件夹：{self.office.data_dir}" if self.office.data_dir else "")
        self.operator_label = QLabel()
        self._show_operator()
        self.statusBar().addWidget(book)
        self.statusBar().addWidget(self.operator_label)
        self.statusBar().addPermanentWidget(data)

    def check_data(self) -> None:
        """The full check (every attachment's file too), off the UI thread on a connection of
        its own, with what it found said the way uniondesk check says it."""
        from desktop.ui.background import BackgroundJob

        data_dir = self.office.data_dir
        if data_dir is None:
            return

        def work(_report):
            with Office.open(data_dir) as office:
                return office.check()

        def done(report) -> None:
            lines = "\n".join(
                f"{'✓' if f.ok else '✗'} {f.title}：{f.detail}" for f in report.findings
            )
            if report.ok:
                QMessageBox.information(self, APP_TITLE, f"数据完好。\n\n{lines}")
            else:
                QMessageBox.warning(
                    self, APP_TITLE, f"检查发现问题，请先处理再继续办理。\n\n{lines}\n\n"
                    "可以用“文件 → 备份与恢复”从备份恢复，或联系维护人员。",
                )  # fmt: skip

        def failed(error: BaseException) -> None:
            if not isinstance(error, StoreError):
                raise error
            QMessageBox.warning(self, APP_TITLE, f"没能检查：{error}")

        self._check_job = BackgroundJob(
            work, self, done, failed, busy_text="正在检查数据和附件……", busy_title=APP_TITLE
        ).start()

    def show_check_problems(self, problems: list[str]) -> None:
        """A red mark in the status bar for as long as the window is open, with the details."""
        mark = QLabel("⚠ 数据检查发现问题")
        mark.setObjectName("checkProblems")
        mark.setStyleSheet(f"color: {RED}; font-weight: bold;")
        mark.setToolTip("\n".join(problems) + "\n\n可以在“帮助 → 检查数据是否完好”中再次检查。")
        self.statusBar().addPermanentWidget(mark)

    def _office_changed(self, changes: Changes) -> None:
        if OFFICE_NAME in changes.settings:
            self.setWindowTitle(self._title())
        if OPERATOR in changes.settings:
            self._show_operator()

    def _show_operator(self) -> None:
        name = self.office.operator
        missing = "未选择（设置 → 工作人员与当前经办人）"
        self.operator_label.setText(f"　经办人：{name or missing}")

    def choose_operator(self) -> None:
        from desktop.ui.staff_dialog import StaffDialog

        StaffDialog(self.office, self).exec()
        self._show_operator()

    def ask_sign_in(self) -> None:
        """At start: the last operator protects themselves with a password, so nobody is at the
        desk until they give it, or somebody else is chosen."""
        from desktop.staff import StaffError
        from desktop.ui.staff_dialog import ask_password

        office = self.office
        last = office.staff.by_name(office.last_operator)
        if office.operator or last is None or not last.active or not last.has_password:
            return
        password = ask_password(
            self, "当前经办人", f"上次在这台电脑上办事的是{last.name}。请{last.name}输入密码"
            "（换别人办事请点“取消”，再选择当前经办人）：",
        )  # fmt: skip
        if password is not None:
            try:
                office.switch_operator(last.id, password)
            except StaffError as error:
                QMessageBox.warning(self, APP_TITLE, str(error))
        if not office.operator:
            self.choose_operator()
        self._show_operator()

    def start_real_office(self) -> MainWindow | None:
        """Swap the demo for an empty office of the clerk's own, in a fresh window."""
        if not self.cases_page.confirm_leave():
            return None
        dialog = ask_start_office(self)
        if dialog is None:
            return None
        data_dir = self.office.data_dir
        assert data_dir is not None
        # The database file moves, so this window and its office close first (Windows cannot
        # move an open file); the application must not quit in the moment without a window.
        app = QApplication.instance()
        app.setQuitOnLastWindowClosed(False)
        try:
            if not self.close():
                return None
        finally:
            QTimer.singleShot(0, lambda: app.setQuitOnLastWindowClosed(True))
        self.office.close()
        try:
            office, archive = Office.start_real_office(
                data_dir, dialog.office_name, dialog.staff, datetime.now()
            )
        except (OSError, ValueError) as error:
            QMessageBox.critical(None, APP_TITLE, f"没有能开始正式使用：{error}")
            office, archive = Office.open(data_dir), None
        replacement = MainWindow(office)
        replacement.owns_office = True
        _open_windows.append(replacement)
        replacement.show()
        if archive is not None:
            replacement.statusBar().showMessage(f"演示数据已移到 {archive}", 15000)
        return replacement

    # --- backups ---------------------------------------------------------------------------

    def _keeps_backups(self) -> bool:
        """Automatic backups are for an office's own data, not the demo or an empty folder, and
        never of a damaged file (the clerk has already been told to restore from a good one)."""
        office = self.office
        return (
            office.data_dir is not None
            and not office.is_demo
            and not office.is_damaged
            and office.has_office_data()
        )

    def _daily_backup(self) -> None:
        """Once a day while the window stays open, off the UI thread."""
        from desktop import backups
        from desktop.ui.background import BackgroundJob

        if self._closed or not self._keeps_backups() or self._backup_job is not None:
            return
        now = datetime.now().replace(microsecond=0)
        if not backups.automatic_backup_due(backups.backup_folder(self.office), now):
            return
        data_dir = self.office.data_dir

        def work(report):
            with Office.open(data_dir) as office:
                return backups.automatic_backup(office, now, report)

        def done(_result) -> None:
            self._backup_job = None

        def failed(error: BaseException) -> None:
            self._backup_job = None
            if not isinstance(error, backups.BackupError):
                raise error
            self.statusBar().showMessage(f"今天的自动备份没有做成：{error}", 60000)

        self._backup_job = BackgroundJob(work, self, done, failed).start()

    def skip_exit_backup(self) -> None:
        """Closing will not back up: a restore replaces the data, a screenshot is only a look."""
        self._skip_exit_backup = True

    def _backup_on_exit(self) -> None:
        from desktop import backups

        if not self._keeps_backups():
            return
        try:
            backups.automatic_backup(self.office, datetime.now().replace(microsecond=0))
        except backups.BackupError as error:
            QMessageBox.warning(self, APP_TITLE, f"退出时没有能自动备份：{error}")

    def open_backups(self) -> None:
        from desktop.ui.backup_dialog import BackupDialog

        if not self.cases_page.confirm_leave():
            return
        dialog = BackupDialog(self.office, self)
        if dialog.exec() and dialog.restore_from is not None:
            self.restore_from(dialog.restore_from)

    def restore_from(self, path: Path) -> MainWindow | None:
        """Replace the office's data with a checked backup, in a fresh window."""
        from desktop import backups

        data_dir = self.office.data_dir
        assert data_dir is not None
        app = QApplication.instance()
        app.setQuitOnLastWindowClosed(False)
        try:
            self.skip_exit_backup()
            if not self.close():
                return None
        finally:
            QTimer.singleShot(0, lambda: app.setQuitOnLastWindowClosed(True))
        self.office.close()
        message = None
        try:
            restored = backups.restore_backup(path, data_dir, datetime.now().replace(microsecond=0))
            info = restored.backup
            message = f"已从 {info.created:%Y-%m-%d %H:%M} 的备份恢复。"
            if restored.safety_copy:
                message += f"恢复前的数据已另存为 {restored.safety_copy}。"
        except backups.BackupError as error:
            QMessageBox.critical(None, APP_TITLE, f"没有恢复，原有数据保持不变：{error}")
        replacement = MainWindow(Office.open(data_dir))
        replacement.owns_office = True
        _open_windows.append(replacement)
        replacement.show()
        if message:
            replacement.statusBar().showMessage(message, 30000)
        return replacement

    def edit_holidays(self) -> None:
        from desktop.ui.holiday_dialog import HolidayDialog

        # Deadlines that move with the table are redrawn from its change report.
        HolidayDialog(self.office, self).exec()

    def choose_office_name(self) -> None:
        """The name printed on every form; asked again until it is acceptable or cancelled."""
        text = self.office.name
        while True:
            text, ok = ask_office_name(self, text)
            if not ok:
                return
            try:
                self.office.set_name(text)
            except ValueError as error:
                QMessageBox.warning(self, "单位名称", str(error))
                continue
            return

    def edit_office_contact(self) -> None:
        OfficeContactDialog(self.office, self).exec()

    def choose_attachment_limit(self) -> None:
        limit, ok = ask_attachment_limit(self, self.office.cases.attachment_limit_mb())
        if ok:
            self.office.cases.set_attachment_limit_mb(limit, actor=self.office.operator)
            self.statusBar().showMessage(f"附件大小上限已设为 {limit} MB。", 5000)

    def choose_print_font(self) -> None:
        # Imported when asked for: printing brings reportlab, which start-up need not load.
        from desktop.ui.print_preview import choose_print_font

        choose_print_font(self, self.office)

    # --- actions -----------------------------------------------------------------------------

    def show_section(self, key: str) -> None:
        row = self._section_keys.index(key) if key in self._section_keys else 0
        self.navigation.setCurrentRow(row)

    def current_section(self) -> str:
        return self._section_keys[self.navigation.currentRow()]

    def focus_book_search(self) -> None:
        self.show_section("book")
        self.book_page.focus_search()

    def search_book(self, text: str, open_first: bool = False) -> None:
        self.show_section("book")
        self.book_page.search(text)
        if open_first:
            self.book_page.open_first_result()

    def open_case(self, case_id: int) -> None:
        self.show_section("cases")
        self.cases_page.open_case(case_id)

    def open_rule(self, rule_id: str) -> None:
        self.show_section("book")
        self.book_page.open_rule(rule_id)

    def _show_about(self) -> None:
        QMessageBox.about(
            self,
            f"关于{APP_TITLE}",
            f"<h3>{APP_TITLE}（UnionDesk）{__version__}</h3>"
            "<p>离线的基层工会制度汇编、服务清单与事项办理工具。所有数据只保存在本机。</p>"
            "<p>界面与表单标题字体：文泉驿微米黑（Apache-2.0 / GPLv3）；"
            "表单正文字体：文鼎 PL 细上海宋（文鼎公众授权书）。</p>",
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.cases_page.confirm_leave():
            self.show_section("cases")
            event.ignore()
            return
        self.book_page.save_state()
        self.checklist_page.save_state()
        self.cases_page.save_state()
        self.people_page.save_state()
        self.settings.set_value(LAST_SECTION, self.current_section())
        self.save_geometry(self.settings)
        self.settings.sync()
        if not self._skip_exit_backup:
            self._backup_on_exit()
        super().closeEvent(event)
        # A window closed by a restore lives on until deleted: its timers must not reach an
        # office that is closed or replaced.
        self._closed = True
        self._backup_timer.stop()
        self.events.detach()
        if self.owns_office:
            self.office.close()

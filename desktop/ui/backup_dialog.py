"""文件 → 备份与恢复: where automatic backups go and how many are kept, the backups there by
date, a backup now, and a restore. The work itself is desktop.backups; it runs off the UI
thread on a connection of its own, with a progress dialog."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import backups
from desktop.backups import BackupError, BackupInfo
from desktop.errors import os_error_text
from desktop.office import Office
from desktop.ui.background import BackgroundJob
from desktop.ui.widgets import error_label


def choose_folder(parent: QWidget, start: str) -> str:
    return QFileDialog.getExistingDirectory(parent, "选择备份文件夹（可以是 U 盘）", start)


def choose_backup_file(parent: QWidget, start: str) -> str:
    path, _ = QFileDialog.getOpenFileName(
        parent, "选择要恢复的备份文件", start, f"UnionDesk 备份 (*{backups.SUFFIX})"
    )
    return path


def confirm(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes


def inform(parent: QWidget, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def run_backup(
    parent: QWidget, data_dir: Path, target: Path, now: datetime, on_done, on_error
) -> BackgroundJob:
    """A backup on a thread of its own (its own connection: SQLite's are not shared between
    threads), with a progress dialog if it takes more than a moment."""

    def work(report):
        with Office.open(data_dir) as office:
            return backups.make_backup(office, target, now, report)

    return BackgroundJob(
        work, parent, on_done, on_error, busy_text="正在备份办公数据和附件……", busy_title="备份"
    ).start()


class BackupDialog(QDialog):
    """Settings and the list of backups; 恢复 closes the dialog with ``restore_from`` set."""

    def __init__(self, office: Office, parent: QWidget | None = None):
        super().__init__(parent)
        self.office = office
        self.restore_from: Path | None = None
        self.job: BackgroundJob | None = None
        self.setWindowTitle("备份与恢复")
        self.resize(680, 460)

        intro = QLabel(
            "程序在每次退出时和每天第一次使用时自动备份（办公数据和全部附件），"
            "并保留最近若干天、若干周、若干月各一份。备份文件夹可以选 U 盘，以防电脑损坏。"
        )
        intro.setWordWrap(True)
        self.folder_edit = QLineEdit(office.backup_dir)
        self.folder_edit.setPlaceholderText(str(backups.backup_folder(office)))
        browse = QPushButton("选择…")
        browse.clicked.connect(self._browse)
        self.keep_spin = QSpinBox()
        self.keep_spin.setRange(1, 99)
        self.keep_spin.setValue(office.backup_keep)
        self.keep_spin.setSuffix(" 份")
        folder_row = QHBoxLayout()
        folder_row.addWidget(QLabel("备份文件夹："))
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(browse)
        keep_row = QHBoxLayout()
        keep_row.addWidget(QLabel("按天、按周、按月各保留："))
        keep_row.addWidget(self.keep_spin)
        keep_row.addStretch(1)

        self.table = QTableWidget(0, 4)
        self.table.setObjectName("backupTable")
        self.table.setHorizontalHeaderLabels(["备份时间", "类型", "内容", "大小"])
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)  # Tab goes on to the dialog's buttons
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.backup_button = QPushButton("立即备份")
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button = QPushButton("恢复所选备份…")
        self.restore_button.clicked.connect(self.restore_selected)
        other = QPushButton("从其他备份文件恢复…")
        other.clicked.connect(self.restore_other)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.backup_button)
        buttons_row.addStretch(1)
        buttons_row.addWidget(self.restore_button)
        buttons_row.addWidget(other)

        self.message = error_label()
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Save)
        close.button(QDialogButtonBox.StandardButton.Save).setText("保存设置并关闭")
        close.accepted.connect(self.save_settings)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(folder_row)
        layout.addLayout(keep_row)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons_row)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.show_backups()

    def _folder(self) -> Path:
        text = self.folder_edit.text().strip()
        return Path(text) if text else backups.backup_folder(self.office)

    def _browse(self) -> None:
        chosen = choose_folder(self, str(self._folder()))
        if chosen:
            self.folder_edit.setText(chosen)
            self.show_backups()

    def show_backups(self) -> None:
        found = backups.list_backups(self._folder()) if self._folder().is_dir() else []
        self._listed: list[BackupInfo] = found
        self.table.setRowCount(len(found))
        for row, info in enumerate(found):
            kind = "自动" if info.automatic else "手动"
            content = (
                f"{info.office_name}：案件 {info.cases} 件，职工 {info.people} 人，"
                f"附件 {info.attachments} 个"
            )
            cells = [f"{info.created:%Y-%m-%d %H:%M}", kind, content, f"{info.size / 1e6:.1f} MB"]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(info.path))
                if column == 3:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
        self.table.resizeColumnToContents(0)
        self.restore_button.setEnabled(bool(found))
        if found:
            self.table.selectRow(0)

    def save_settings(self) -> None:
        folder = self.folder_edit.text().strip()
        if folder and not Path(folder).is_dir():
            self.message.setText(
                f"文件夹 {folder} 不存在。请先建好它（或插好 U 盘），或清空这一栏用默认位置。"
            )
            self.message.show()
            return
        self.office.set_backups(folder, self.keep_spin.value())
        self.accept()

    def backup_now(self) -> None:
        folder = self._folder()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            self.message.setText(f"备份文件夹 {folder} 不能使用：{os_error_text(error)}")
            self.message.show()
            return
        now = self.office.cases.clock()
        target = folder / backups.backup_name(self.office.name, now)
        self.backup_button.setEnabled(False)
        assert self.office.data_dir is not None
        self.job = run_backup(
            self, self.office.data_dir, target, now, self._backed_up, self._failed
        )

    def _backed_up(self, info: BackupInfo) -> None:
        self.backup_button.setEnabled(True)
        self.message.hide()
        self.show_backups()
        inform(self, "备份", f"已备份到 {info.path}。")

    def _failed(self, error: BaseException) -> None:
        self.backup_button.setEnabled(True)
        if not isinstance(error, BackupError):
            raise error
        self.message.setText(str(error))
        self.message.show()

    def restore_selected(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self._listed):
            self._ask_restore(self._listed[row].path)

    def restore_other(self) -> None:
        chosen = choose_backup_file(self, str(self._folder()))
        if chosen:
            self._ask_restore(Path(chosen))

    def _ask_restore(self, path: Path) -> None:
        try:
            info = backups.read_backup(path)
        except BackupError as error:
            self.message.setText(str(error))
            self.message.show()
            return
        text = (
            f"用 {info.created:%Y-%m-%d %H:%M} 的备份（{info.office_name}，案件 {info.cases} 件）"
            "替换现在的办公数据？\n\n恢复前会先检查这份备份；现在的数据会另存为“恢复前的安全副本”，"
            "不会丢失。恢复时窗口会关闭再打开。"
        )
        if confirm(self, "从备份恢复", text):
            self.restore_from = path
            self.done(QDialog.DialogCode.Accepted)

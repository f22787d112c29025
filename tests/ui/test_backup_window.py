"""Backups in the window: one on exit for an office's own data, and 文件 → 备份与恢复."""

from __future__ import annotations

from pathlib import Path

from desktop import backups
from desktop.office import Office
from desktop.ui import backup_dialog
from desktop.ui.backup_dialog import BackupDialog
from desktop.ui.main_window import MainWindow


def real_office(folder: Path) -> Office:
    office = Office.open(folder)
    office.set_up("城关镇总工会", [("李红梅", "工会专干"), ("王建国", "工会主席")])
    return office


def test_closing_the_window_backs_up_an_offices_own_data(qtbot, tmp_path: Path):
    office = real_office(tmp_path / "office")
    window = MainWindow(office)
    qtbot.addWidget(window)
    window.show()
    window.close()
    [made] = backups.list_backups(tmp_path / "office" / "备份")
    assert made.automatic and made.office_name == "城关镇总工会"
    office.close()


def test_the_demo_is_not_backed_up_on_exit(qtbot, demo_dir: Path):
    office = Office.open(demo_dir)
    window = MainWindow(office)
    qtbot.addWidget(window)
    window.show()
    window.close()
    assert not (demo_dir / "备份").exists()
    office.close()


def test_backing_up_now_lists_the_backup_and_restore_asks_first(qtbot, tmp_path, monkeypatch):
    office = real_office(tmp_path / "office")
    dialog = BackupDialog(office)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 0
    monkeypatch.setattr(backup_dialog, "inform", lambda *_args: None)
    dialog.backup_now()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=20_000)
    assert "城关镇总工会：案件 0 件" in dialog.table.item(0, 2).text()
    asked = []
    monkeypatch.setattr(
        backup_dialog, "confirm", lambda _parent, title, text: asked.append(text) or True
    )
    dialog.restore_selected()
    assert dialog.restore_from == backups.list_backups(tmp_path / "office" / "备份")[0].path
    assert "恢复前的安全副本" in asked[0]
    office.close()


def test_the_data_is_checked_from_the_help_menu(qtbot, tmp_path: Path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    office = real_office(tmp_path / "office")
    window = MainWindow(office)
    qtbot.addWidget(window)
    window.skip_exit_backup()
    said: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: said.append(("ok", text)))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: said.append(("bad", text)))
    window.check_data()
    qtbot.waitUntil(lambda: bool(said), timeout=20_000)
    assert said[0][0] == "ok" and "✓ 办理记录链" in said[0][1]
    # Somebody drops the trail's protection with another tool: the next check says so.
    office.db.execute("DROP TRIGGER audit_log_no_delete")
    window.check_data()
    qtbot.waitUntil(lambda: len(said) == 2, timeout=20_000)
    assert said[1][0] == "bad" and "从备份恢复" in said[1][1]
    window.close()
    office.close()

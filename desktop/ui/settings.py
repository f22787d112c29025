"""Every window setting, declared once with its default, and the mixin that keeps geometry.

Settings live in ``window.ini`` inside the data folder, so each office's folder carries its
own layout and tests never touch the user's real settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QSplitter, QWidget

SETTINGS_FILE_NAME = "window.ini"


@dataclass(frozen=True)
class Setting:
    key: str
    default: Any


MAIN_WINDOW_GEOMETRY = Setting("main_window/geometry", QByteArray())
MAIN_WINDOW_STATE = Setting("main_window/state", QByteArray())
LAST_SECTION = Setting("main_window/section", "cases")  # the to-do list first
BOOK_SPLITTER = Setting("book_page/splitter", QByteArray())
CHECKLIST_SPLITTER = Setting("checklist_page/splitter", QByteArray())
# 事项办理: which tab was open, the case list's columns and sort, the dashboard's halves, and
# the workspace's columns (steps | step | record).
CASES_TAB = Setting("cases_page/tab", "todo")
CASES_LIST_HEADER = Setting("cases_page/list_header", QByteArray())
CASES_DASHBOARD_SPLITTER = Setting("cases_page/dashboard_splitter", QByteArray())
WORKSPACE_SPLITTER = Setting("case_workspace/splitter", QByteArray())
# 人员/单位: each tab's list above its detail, and the detail beside the cases.
PEOPLE_SPLITTER = Setting("people_page/people_splitter", QByteArray())
PEOPLE_DETAIL_SPLITTER = Setting("people_page/people_detail_splitter", QByteArray())
ENTERPRISES_SPLITTER = Setting("people_page/enterprises_splitter", QByteArray())
ENTERPRISES_DETAIL_SPLITTER = Setting("people_page/enterprises_detail_splitter", QByteArray())


class WindowSettings:
    def __init__(self, data_dir: Path | None):
        if data_dir is None:
            self._qsettings = None
            self._memory: dict[str, Any] = {}
        else:
            self._qsettings = QSettings(
                str(data_dir / SETTINGS_FILE_NAME), QSettings.Format.IniFormat
            )

    def value(self, setting: Setting) -> Any:
        if self._qsettings is None:
            return self._memory.get(setting.key, setting.default)
        value = self._qsettings.value(setting.key, setting.default)
        if isinstance(setting.default, QByteArray) and not isinstance(value, QByteArray):
            return setting.default
        if isinstance(setting.default, str) and not isinstance(value, str):
            return setting.default
        return value

    def set_value(self, setting: Setting, value: Any) -> None:
        if self._qsettings is None:
            self._memory[setting.key] = value
        else:
            self._qsettings.setValue(setting.key, value)

    def sync(self) -> None:
        if self._qsettings is not None:
            self._qsettings.sync()


def restore_splitter(settings: WindowSettings, setting: Setting, splitter: QSplitter) -> None:
    state = settings.value(setting)
    if state:
        splitter.restoreState(state)


def save_splitter(settings: WindowSettings, setting: Setting, splitter: QSplitter) -> None:
    settings.set_value(setting, splitter.saveState())


class PreserveGeometry:
    """Mixin for a top-level window that reopens where and how large the user left it."""

    geometry_setting = MAIN_WINDOW_GEOMETRY

    def restore_geometry(self, settings: WindowSettings) -> bool:
        geometry = settings.value(self.geometry_setting)
        return bool(geometry) and QWidget.restoreGeometry(self, geometry)  # type: ignore[arg-type]

    def save_geometry(self, settings: WindowSettings) -> None:
        settings.set_value(self.geometry_setting, QWidget.saveGeometry(self))  # type: ignore[arg-type]

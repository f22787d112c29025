"""Every window setting, declared once with its default, and the mixin that keeps geometry.

Settings live in ``window.ini`` inside the data folder, so each office's folder carries its
own layout and tests never touch the user's real settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QPoint, QRect, QSettings, QSize
from PySide6.QtWidgets import QSplitter, QWidget

SETTINGS_FILE_NAME = "window.ini"


@dataclass(frozen=True)
class Setting:
    key: str
    default: Any


MAIN_WINDOW_GEOMETRY = Setting("main_window/geometry", QByteArray())
MAIN_WINDOW_STATE = Setting("main_window/state", QByteArray())
# The window's size when it was saved, "1229x655": Qt's geometry record cannot be read back
# without restoring it, and a size saved on a larger screen must not be restored on a smaller.
MAIN_WINDOW_SIZE = Setting("main_window/size", "")
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


# A first window takes this share of the screen space the taskbar leaves, up to the largest size
# (beyond it a window is only emptier), so it fits a 1366×768 laptop and leaves a margin.
FIRST_SIZE_SHARE = 0.9
FIRST_SIZE_LARGEST = QSize(1440, 900)
# Room for the title bar the system draws above the window, whose height is known only once the
# window is shown (about 30 pixels on Windows and the Kylin and UOS desktops).
TITLE_BAR_ALLOWANCE = 40


def first_window_geometry(available: QRect) -> QRect:
    """Where a window opens when no saved place fits: centred in ``available`` (the screen
    without its taskbar, QScreen.availableGeometry), with its title bar inside it too."""
    area = available.adjusted(0, TITLE_BAR_ALLOWANCE, 0, 0)
    width = min(round(available.width() * FIRST_SIZE_SHARE), FIRST_SIZE_LARGEST.width())
    height = min(
        round(available.height() * FIRST_SIZE_SHARE), FIRST_SIZE_LARGEST.height(), area.height()
    )
    geometry = QRect(QPoint(0, 0), QSize(width, height))
    geometry.moveCenter(area.center())
    return geometry


def fits_screen(size: QSize, available: QRect) -> bool:
    """Whether a window of ``size`` and its title bar fit in the screen space ``available``."""
    return (
        size.width() <= available.width()
        and size.height() + TITLE_BAR_ALLOWANCE <= available.height()
    )


def _size_from_text(text: str) -> QSize | None:
    width, _, height = text.partition("x")
    if not (width.isdigit() and height.isdigit()):
        return None
    return QSize(int(width), int(height))


class PreserveGeometry:
    """Mixin for a top-level window that reopens where and how large the user left it, when
    that still fits the screen it opens on, and otherwise sized to that screen."""

    geometry_setting = MAIN_WINDOW_GEOMETRY
    size_setting = MAIN_WINDOW_SIZE

    def place_window(self, settings: WindowSettings, available: QRect | None = None) -> None:
        """Before the window is first shown: its saved place, or the first size for the screen
        space ``available`` (by default that of the screen it opens on)."""
        window: QWidget = self  # type: ignore[assignment]
        if available is None:
            available = window.screen().availableGeometry()
        first = first_window_geometry(available)
        # A small screen (or a large scaling factor) gets a window smaller than the usual least.
        window.setMinimumSize(window.minimumSize().boundedTo(first.size()))
        saved = settings.value(self.geometry_setting)
        size = _size_from_text(settings.value(self.size_setting))
        if (
            saved
            and size is not None
            and fits_screen(size, available)
            and QWidget.restoreGeometry(window, saved)
        ):
            return
        window.setGeometry(first)

    def save_geometry(self, settings: WindowSettings) -> None:
        window: QWidget = self  # type: ignore[assignment]
        settings.set_value(self.geometry_setting, QWidget.saveGeometry(window))
        size = window.normalGeometry().size() if window.isMaximized() else window.size()
        settings.set_value(self.size_setting, f"{size.width()}x{size.height()}")

"""Where UnionDesk finds its bundled files and keeps the office's data.

Bundled files (the default book, fonts, form layouts) live in ``resources/`` and ``forms/``.
In a source checkout they sit beside the package; in an installed wheel or a PyInstaller
bundle they sit inside it, as ``desktop/resources`` and ``desktop/forms``.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

from desktop import APP_NAME

_PACKAGE_DIR = Path(__file__).resolve().parent

DATABASE_FILE_NAME = "uniondesk.sqlite3"


def _bundled_dir(name: str) -> Path:
    for candidate in (_PACKAGE_DIR / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"找不到程序自带的 {name} 文件夹，安装可能不完整，请重新安装 UnionDesk。"
    )


def resources_dir() -> Path:
    return _bundled_dir("resources")


def forms_dir() -> Path:
    return _bundled_dir("forms")


def default_book_dir() -> Path:
    return resources_dir() / "book"


def bundled_font_path() -> Path:
    return resources_dir() / "fonts" / "wqy-microhei.ttc"


def bundled_song_font_path() -> Path:
    """AR PL SungtiL GB, the Song face of printed forms' body text."""
    return resources_dir() / "fonts" / "gbsn00lp.ttf"


def default_data_dir() -> Path:
    """The per-user data folder of the platform (e.g. %LOCALAPPDATA%\\UnionDesk on Windows)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))

"""Who else has this data folder open: each window leaves a small marker file in the folder
while it runs, so a second window can say that the first is there.

Two windows on one folder lose nothing (a save over someone else's change is refused, see
desktop.cases.service), but a clerk should know before working the same case twice. A marker
left by a window that crashed is recognised (its process is gone on this machine) and removed.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

MARKERS_DIR = "open-windows"
MAX_MARKER_BYTES = 10_000


@dataclass(frozen=True)
class OpenWindow:
    host: str
    pid: int
    since: datetime
    operator: str

    def describe(self) -> str:
        where = "这台电脑上" if self.host == socket.gethostname() else f"电脑“{self.host}”上"
        who = f"（经办人 {self.operator}）" if self.operator else ""
        return f"{where}另一个窗口{who}自 {self.since:%m-%d %H:%M} 起已打开这个数据文件夹"


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` runs on this machine."""
    if pid <= 0:
        return False
    if os.name == "nt":  # pragma: no cover - Windows
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)
        if not handle:
            return False
        ctypes.windll.kernel32.CloseHandle(handle)
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def others(data_dir: Path) -> list[OpenWindow]:
    """The other windows that have the folder open now; stale markers are removed."""
    found = []
    folder = Path(data_dir) / MARKERS_DIR
    if not folder.is_dir():
        return []
    host = socket.gethostname()
    for marker in folder.glob("*.json"):
        try:
            with open(marker, "rb") as stream:  # a marker has some 100 bytes
                entry = json.loads(stream.read(MAX_MARKER_BYTES).decode("utf-8"))
            window = OpenWindow(
                entry["host"], int(entry["pid"]), datetime.fromisoformat(entry["since"]),
                entry.get("operator", ""),
            )  # fmt: skip
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            continue  # not a marker this program wrote: it says nothing about who is here
        if window.host == host and window.pid == os.getpid():
            continue
        if window.host == host and not process_alive(window.pid):
            with contextlib.suppress(OSError):
                marker.unlink()
            continue
        found.append(window)
    return found


def _marker(data_dir: Path) -> Path:
    return Path(data_dir) / MARKERS_DIR / f"{socket.gethostname()}-{os.getpid()}.json"


def announce(data_dir: Path, operator: str, now: datetime) -> None:
    """Leave this window's marker in the folder (best effort: a read-only folder has none)."""
    marker = _marker(data_dir)
    with contextlib.suppress(OSError):
        marker.parent.mkdir(exist_ok=True)
        marker.write_text(
            json.dumps(
                {
                    "host": socket.gethostname(),
                    "pid": os.getpid(),
                    "since": now.isoformat(timespec="seconds"),
                    "operator": operator,
                },
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )


def withdraw(data_dir: Path) -> None:
    with contextlib.suppress(OSError):
        _marker(data_dir).unlink()

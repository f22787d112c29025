"""A second window on the same data folder is told that the first one is there."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from desktop import presence

NOW = datetime(2026, 11, 30, 9, 0)


def test_a_running_window_is_seen_and_gone_once_withdrawn(tmp_path: Path):
    # Another process of this machine announces itself and stays alive while we look.
    code = (
        "import sys, time; from datetime import datetime; from desktop import presence\n"
        "presence.announce(sys.argv[1], '王建国', datetime(2026, 11, 30, 8, 30))\n"
        "print('ready', flush=True); sys.stdin.readline()\n"
        "presence.withdraw(sys.argv[1])\n"
    )
    other = subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert other.stdout.readline().strip() == "ready"
        [window] = presence.others(tmp_path)
        assert window.pid == other.pid and window.operator == "王建国"
        assert (
            window.describe()
            == "这台电脑上另一个窗口（经办人 王建国）自 11-30 08:30 起已打开这个数据文件夹"
        )
    finally:
        other.communicate("\n", timeout=30)
    assert presence.others(tmp_path) == []


def test_this_window_does_not_see_itself(tmp_path: Path):
    presence.announce(tmp_path, "李红梅", NOW)
    assert presence.others(tmp_path) == []
    presence.withdraw(tmp_path)
    assert not any((tmp_path / presence.MARKERS_DIR).iterdir())


def test_a_crashed_windows_marker_is_cleared(tmp_path: Path):
    folder = tmp_path / presence.MARKERS_DIR
    folder.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()  # fmt: skip
    marker = folder / f"{socket.gethostname()}-{dead}.json"
    marker.write_text(json.dumps({"host": socket.gethostname(), "pid": int(dead),
                                  "since": NOW.isoformat(), "operator": ""}))  # fmt: skip
    assert presence.others(tmp_path) == []
    assert not marker.exists()


def test_a_window_on_another_computer_is_named(tmp_path: Path):
    folder = tmp_path / presence.MARKERS_DIR
    folder.mkdir()
    (folder / "clerk-pc-42.json").write_text(
        json.dumps({"host": "clerk-pc", "pid": os.getpid() + 1, "since": NOW.isoformat()})
    )
    [window] = presence.others(tmp_path)
    assert window.describe().startswith("电脑“clerk-pc”上另一个窗口自 11-30 09:00")


def test_a_read_only_folder_gets_no_marker_and_no_error(tmp_path: Path):
    missing = tmp_path / "not-there" / "office"
    presence.announce(missing, "", NOW)  # no folder to write into: quietly nothing
    assert presence.others(missing) == []


def test_a_file_in_the_markers_folder_that_is_no_marker_says_nothing(tmp_path: Path):
    # The window's start read each whole with json.loads: deep nesting raised RecursionError
    # and stopped the start; a file of a gigabyte would have been read into memory.
    folder = tmp_path / presence.MARKERS_DIR
    folder.mkdir()
    (folder / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    (folder / "list.json").write_text('["host", 1]', encoding="utf-8")
    (folder / "other.json").write_text('{"host": 1, "pid": "x", "since": 5}', encoding="utf-8")
    (folder / "big.json").write_bytes(b" " * (presence.MAX_MARKER_BYTES + 10) + b"{}")
    assert presence.others(tmp_path) == []

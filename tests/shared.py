"""Helpers shared by the test folders: the demo office built once and copied per test, and the
program's own processes started in the background."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

# The moment every test that reads the demo office looks at it from: a Friday morning. The demo
# is built for this moment, so what is overdue or due today in it never depends on the clock.
DEMO_NOW = datetime(2026, 11, 20, 10, 0)


# Runs a `uniondesk` command and reports any use of the network (tests/test_no_network.py).
NETWORK_WATCH = Path(__file__).with_name("network_watch.py")


def watched_command(report: Path, arguments: list[str]) -> list[str]:
    """The command line running `uniondesk ARGUMENTS` under the network watch."""
    return [sys.executable, str(NETWORK_WATCH), str(report), *arguments]


class Background:
    """A ``uniondesk`` command in a process of its own, in a folder of its own, run under the
    network watch (``network()`` is what it saw).

    The suite starts these when its tests are collected, so that their seconds of work (filling
    a demo office) run on the second core beside the in-process tests; a test that needs one
    waits for it to end and reads what it left.
    """

    def __init__(self, arguments: Callable[[Path], list[str]]) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="uniondesk-test-"))
        self._stdout = self.folder / "stdout.txt"
        self._stderr = self.folder / "stderr.txt"
        self._network = self.folder / "network.json"
        with open(self._stdout, "wb") as stdout, open(self._stderr, "wb") as stderr:
            self.process = subprocess.Popen(
                watched_command(self._network, arguments(self.folder)),
                stdout=stdout,
                stderr=stderr,
                env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
            )

    def wait(self, timeout: float = 180) -> tuple[int, str, str]:
        """The exit code, and what the command wrote to standard output and standard error."""
        code = self.process.wait(timeout=timeout)
        read = lambda path: path.read_bytes().decode("utf-8", "replace")  # noqa: E731
        return code, read(self._stdout), read(self._stderr)

    def network(self) -> dict:
        """What the network watch saw, once the command has ended (tests/network_watch.py)."""
        self.wait()
        return json.loads(self._network.read_text("utf-8"))

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def start_demo_build() -> Background:
    """The full demo office built the way offices build it: `uniondesk demo --now ... --json`."""
    return Background(
        lambda folder: [
            "--data-dir",
            str(folder / "office"),
            "demo",
            "--now",
            DEMO_NOW.isoformat(),
            "--json",
        ]  # fmt: skip
    )


def start_first_start() -> Background:
    """The window opened on an empty data folder: it fills the demo, shows itself, saves a
    screenshot and quits."""
    return Background(
        lambda folder: [
            "--data-dir",
            str(folder / "office"),
            "--screenshot",
            str(folder / "first.png"),
            "--section",
            "cases",
        ]  # fmt: skip
    )


@dataclass(frozen=True)
class DemoTemplate:
    folder: Path
    report: dict  # what `uniondesk demo --json` printed
    network: dict  # what the network watch saw while it was built


def finished_demo(build: Background) -> DemoTemplate:
    code, out, err = build.wait()
    assert code == 0, err[-2000:]
    assert "演示案件" not in err, err  # a showcase case that missed its shape is logged
    return DemoTemplate(build.folder / "office", json.loads(out), build.network())


def copy_demo(template: DemoTemplate, target: Path) -> Path:
    """A data folder of its own holding the demo office, for a test that may change it."""
    shutil.copytree(template.folder, target)
    return target


def staff_id(office, name: str) -> int:
    """The id of the registered staff member of that name (approvals take ids)."""
    member = office.staff.by_name(name)
    assert member is not None, f"{name} is not registered staff"
    return member.id

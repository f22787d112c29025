"""The program opens no network socket: not while building the demo office, not in the window
(a first start: the demo filled, the window shown, a screenshot), not while printing a filled
form. Each runs in a process of its own under tests/network_watch.py (a Python audit hook
installed before the program is imported); the first two are the suite's background processes,
so checking them costs nothing."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from desktop.office import Office
from tests.shared import watched_command

OFFLINE = {"events": [], "qt_network_modules": [], "libraries": [], "open_sockets": []}


def watched(report: Path, *arguments: str) -> dict:
    completed = subprocess.run(
        watched_command(report, list(arguments)),
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    return json.loads(report.read_text("utf-8"))


# The watch itself: a socket made and a name looked up are seen, with where it happened.
def test_the_watch_sees_a_socket(tmp_path: Path):
    code = (
        "import socket\n"
        "socket.socket().close()\n"
        "socket.getaddrinfo('127.0.0.1', 80, flags=socket.AI_NUMERICHOST)\n"
    )
    report = watched(tmp_path / "network.json", "--exec", code)
    assert [e["event"] for e in report["events"]] == ["socket.__new__", "socket.getaddrinfo"]
    assert 'File "<string>", line 2' in report["events"][0]["where"]  # the line that made it


def test_building_the_demo_office_uses_no_network(demo_template):
    assert demo_template.network == OFFLINE


def test_the_window_uses_no_network(first_start):
    code, _, stderr = first_start.wait()
    assert code == 0, stderr[-2000:]
    assert first_start.network() == OFFLINE


def test_printing_a_filled_form_uses_no_network(demo_dir: Path, tmp_path: Path):
    with Office.open(demo_dir) as office:
        # Paid living-aid cases: a payment sheet lists only cases that may be paid.
        paid = office.db.execute(
            "SELECT c.number FROM cases c JOIN case_steps s ON s.case_id = c.id"
            " WHERE c.service_item_id = 'BF-01' AND s.step_id = 'payment'"
            " AND s.status = 'done' ORDER BY c.id LIMIT 3"
        ).fetchall()
    cases = [argument for (number,) in paid for argument in ("--case", number)]
    assert len(cases) == 6
    output = tmp_path / "签领表.pdf"
    report = watched(
        tmp_path / "network.json", "--data-dir", str(demo_dir), "print", "aid_payment_signoff",
        *cases, "-o", str(output),
    )  # fmt: skip
    assert output.stat().st_size > 10_000
    assert report == OFFLINE

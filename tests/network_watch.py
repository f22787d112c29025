"""Run ``uniondesk`` (desktop.cli.main) with a watch on the network, and write what it saw.

    python tests/network_watch.py REPORT.json [uniondesk arguments...]
    python tests/network_watch.py REPORT.json --exec CODE    (runs CODE instead: a self-check)

A Python audit hook, installed before the program is imported, notes every socket made,
connected, bound or sent on, every host name looked up and every URL opened, with where in the
code it happened. Sockets made inside Qt's own C++ code raise no audit event, so the report
also says whether Qt's network module was imported or its library loaded, and which sockets the
process still had open at the end (Linux). The program's exit code is passed on.

The suite runs its background processes (the demo build, the window's first start) through
this, so every test run checks them; tests/test_no_network.py reads the reports.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path

WATCHED = (
    "socket.", "urllib.", "http.", "ftplib.", "smtplib.", "imaplib.", "poplib.", "nntplib.",
    "telnetlib.", "webbrowser.",
)  # fmt: skip
# Asking the machine its own name opens no socket; desktop.presence marks open windows with it.
ALLOWED = {"socket.gethostname"}
REPO = Path(__file__).resolve().parents[1]


def _linux_facts() -> dict[str, list[str]]:
    """Qt network libraries mapped into the process, and sockets it holds open (Linux only)."""
    facts: dict[str, list[str]] = {"libraries": [], "open_sockets": []}
    maps = Path("/proc/self/maps")
    if not maps.exists():
        return facts
    libraries = {
        line.split()[-1]
        for line in maps.read_text(errors="replace").splitlines()
        if "Network" in line and line.split()[-1].startswith("/")
    }
    facts["libraries"] = sorted(libraries)
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:"):
            facts["open_sockets"].append(target)
    return facts


def main() -> int:
    report_file = Path(sys.argv[1])
    events: list[dict[str, str]] = []

    def hook(event: str, args: tuple) -> None:
        if event.startswith(WATCHED) and event not in ALLOWED:
            where = "".join(traceback.format_stack(limit=8)[:-1])
            events.append({"event": event, "args": repr(args)[:300], "where": where})

    sys.addaudithook(hook)
    sys.path.insert(0, str(REPO))  # this checkout's desktop package, as `python -m desktop`
    code = 1
    try:
        if sys.argv[2:3] == ["--exec"]:
            exec(sys.argv[3], {})
            code = 0
        else:
            from desktop.cli import main as uniondesk

            code = uniondesk(sys.argv[2:])
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else 1
    finally:
        report = {
            "events": events,
            "qt_network_modules": sorted(m for m in sys.modules if "QtNetwork" in m),
            **_linux_facts(),
        }
        report_file.write_text(json.dumps(report, ensure_ascii=False, indent=1), "utf-8")
    return code


if __name__ == "__main__":
    sys.exit(main())

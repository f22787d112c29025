"""The layers stay apart: domain, store and command line work without Qt."""

from __future__ import annotations

import subprocess
import sys

QT_FREE_MODULES = [
    "desktop.tomlsource",
    "desktop.book.loader",
    "desktop.book.search",
    "desktop.book.procedures",
    "desktop.book.conditions",
    "desktop.cases.calendar",
    "desktop.cases.engine",
    "desktop.identity",
    "desktop.money",
    "desktop.store.schema",
    "desktop.store.book_repo",
    "desktop.office",
    "desktop.demo",
    "desktop.validation",
    "desktop.cli",
    "desktop.printing",
    "desktop.printing.render",
    "desktop.printing.context",
    "desktop.printing.jobs",
    "desktop.printing.office_forms",
]


def test_domain_store_and_cli_import_no_qt():
    # A fresh interpreter, so modules the GUI tests loaded do not hide an import.
    code = (
        "import sys\n"
        + "".join(f"import {name}\n" for name in QT_FREE_MODULES)
        + "print(sorted(m for m in sys.modules if m.startswith('PySide6')))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "[]"

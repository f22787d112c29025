"""The layers stay apart, for every module of the package (found by walking it, not listed):

- nothing outside desktop.ui imports Qt, so the domain, the store, printing and the command
  line run and are tested without a display;
- the window does not reach the store: no desktop.ui module imports desktop.store or touches
  a repository or the database connection; it goes through the office's services;
- only the services (desktop.office, desktop.cases.service, desktop.backups) and the store
  itself use the store.
"""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import desktop

PACKAGE_DIR = Path(desktop.__file__).parent
# desktop.staff names its repository's type only for type checking.
STORE_USERS = {"desktop.office", "desktop.cases.service", "desktop.backups", "desktop.staff"}


def all_modules() -> list[str]:
    names = ["desktop"]
    for info in pkgutil.walk_packages([str(PACKAGE_DIR)], prefix="desktop."):
        names.append(info.name)
    return sorted(names)


def source_of(module: str) -> Path:
    relative = Path(*module.split(".")[1:])
    package = PACKAGE_DIR / relative / "__init__.py"
    return package if package.exists() else (PACKAGE_DIR / relative).with_suffix(".py")


def imported_names(module: str) -> set[str]:
    tree = ast.parse(source_of(module).read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            # `from desktop import store` reaches desktop.store too.
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def test_the_walk_finds_the_whole_package():
    modules = all_modules()
    assert {"desktop.cli", "desktop.cases.case_view", "desktop.ui.case_workspace"} <= set(modules)
    assert len(modules) > 50


def test_nothing_below_the_window_imports_qt():
    # desktop.__main__ runs the program when imported; its one import is desktop.cli.
    assert imported_names("desktop.__main__") <= {"sys", "desktop.cli", "desktop.cli.main"}
    qt_free = [
        m for m in all_modules() if not m.startswith("desktop.ui") and m != "desktop.__main__"
    ]
    # A fresh interpreter, so modules the GUI tests loaded do not hide an import.
    code = (
        "import sys\n"
        + "".join(f"import {name}\n" for name in qt_free)
        + "print(sorted(m for m in sys.modules if m.startswith('PySide6')))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "[]"


def test_the_window_does_not_reach_the_store():
    offenders = []
    for module in all_modules():
        if not module.startswith("desktop.ui"):
            continue
        for name in imported_names(module):
            if name == "desktop.store" or name.startswith("desktop.store."):
                offenders.append(f"{module} imports {name}")
        tree = ast.parse(source_of(module).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("repo", "db"):
                offenders.append(f"{module}:{node.lineno} uses .{node.attr}")
    assert offenders == []


def test_only_the_services_use_the_store():
    users = {
        module
        for module in all_modules()
        if not module.startswith("desktop.store")
        and any(
            n == "desktop.store" or n.startswith("desktop.store.") for n in imported_names(module)
        )
    }
    assert users <= STORE_USERS, users - STORE_USERS

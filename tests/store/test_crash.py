"""Pulling the plug: a writer killed at random moments leaves nothing half written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from desktop.office import Office


def test_a_copy_left_by_a_process_that_is_gone_is_removed_at_the_next_start(tmp_path: Path):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    folder = tmp_path / "attachments"
    folder.mkdir(parents=True)
    abandoned = folder / f"incoming-{gone.stdout.strip()}-0123456789abcdef.part"
    in_progress = folder / f"incoming-{os.getppid()}-0123456789abcdef.part"  # a window still open
    not_ours = folder / "incoming-notes.part"
    for path in (abandoned, in_progress, not_ours):
        path.write_bytes(b"%PDF half")
    with Office.open(tmp_path):
        pass
    assert not abandoned.exists()
    assert in_progress.exists() and not_ours.exists()

"""Pulling the plug: a writer killed at random moments loses no acknowledged write and leaves
nothing half written (tests/store/crash_writer.py says how; benchmarks/bench_crash.py runs
hundreds of kills)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from desktop.office import Office
from tests.store.crash_writer import crash_and_check

KILLS = 8
SEED = 11


def test_writers_killed_at_random_moments_lose_no_acknowledged_write(
    tmp_path: Path, small_book_dir: Path
):
    kills, problems = crash_and_check(tmp_path, small_book_dir, KILLS, SEED)
    assert problems == []
    acknowledged = [ack for kill in kills for ack in kill.acknowledged]
    kinds = {ack["kind"] for ack in acknowledged}
    # The kills landed all over the cycle, not only between whole cases.
    assert {"person", "case", "save", "attach", "complete"} <= kinds
    assert len({kill.after_acknowledgements % 6 for kill in kills}) >= 3


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

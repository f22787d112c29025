"""Time from process start to the main window shown (run on demand, not part of the tests).

    python benchmarks/bench_startup.py [--runs 5]

Starts ``python -m desktop --startup-probe`` in a fresh process; the window prints the wall
clock time once it is shown and quits. The first run uses a new data folder (database
created, book imported, demo office filled); the later runs reopen it, as a clerk's
morning start does. Runs offscreen unless DISPLAY is set (e.g. under xvfb-run).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def time_one_start(data_dir: Path) -> float:
    environment = dict(os.environ)
    if not environment.get("DISPLAY"):
        environment["QT_QPA_PLATFORM"] = "offscreen"
    started = time.time()
    completed = subprocess.run(
        [sys.executable, "-m", "desktop", "--data-dir", str(data_dir), "--startup-probe"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )
    for line in completed.stdout.splitlines():
        if line.startswith("window_shown_at="):
            return float(line.split("=", 1)[1]) - started
    raise RuntimeError(f"the window did not report being shown:\n{completed.stderr}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "office"
        first = time_one_start(data_dir)
        later = [time_one_start(data_dir) for _ in range(args.runs)]
    print(
        json.dumps(
            {
                "platform": "xcb" if os.environ.get("DISPLAY") else "offscreen",
                "first_start_new_folder_s": round(first, 3),
                "later_starts_median_s": round(statistics.median(later), 3),
                "later_starts_max_s": round(max(later), 3),
                "runs": args.runs,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()

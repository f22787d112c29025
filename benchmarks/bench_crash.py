"""Kill a writer hundreds of times at random moments, then check the office (run on demand).

    python benchmarks/bench_crash.py                  # 300 kills, seed 1
    python benchmarks/bench_crash.py --kills 1000 --seed 7

The long version of tests/store/test_crash.py (8 kills): the same writer process registers
workers, opens cases, records and attaches a scan (up to 3 MB) and completes steps, printing an
acknowledgement after each commit; each writer is killed with SIGKILL after a random number of
acknowledgements and a random few milliseconds. Afterwards the office is opened as the next
start would open it and checked as `uniondesk check` checks it, and every acknowledged write is
looked for. It prints the kills, the acknowledged writes by kind, scans copied in but never
listed (harmless), the seconds taken and every problem found, and exits 1 if there is one.
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.store.crash_writer import crash_and_check, orphan_files  # noqa: E402

SMALL_BOOK = Path(__file__).resolve().parents[1] / "tests" / "data" / "small_book"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()

    def progress(run: int, kill) -> None:
        if (run + 1) % 25 == 0:
            print(f"  {run + 1} kills, {time.perf_counter() - started:.0f} s", flush=True)

    with tempfile.TemporaryDirectory(prefix="uniondesk-crash-") as folder:
        kills, problems = crash_and_check(Path(folder), SMALL_BOOK, args.kills, args.seed, progress)
        orphans = orphan_files(Path(folder) / "data")
    acknowledged = [ack for kill in kills for ack in kill.acknowledged]
    by_kind = collections.Counter(ack["kind"] for ack in acknowledged)
    print(f"kills: {len(kills)} (seed {args.seed}), {time.perf_counter() - started:.0f} s")
    print(f"acknowledged writes: {len(acknowledged)} {dict(sorted(by_kind.items()))}")
    print(f"scans copied but never listed (killed between copy and commit): {orphans}")
    print(f"problems: {len(problems)}")
    for problem in problems:
        print(f"  {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

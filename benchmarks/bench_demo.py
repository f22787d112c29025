"""Build the full demo office at many moments: its fill time and its shape (run on demand).

    python benchmarks/bench_demo.py                 # the issue's moments plus 12 spread ones
    python benchmarks/bench_demo.py --spread 60     # more moments, 2026 to 2030
    python benchmarks/bench_demo.py --at 2027-02-10T09:00 --at 2028-01-03T08:30

For each moment it builds the demo in memory, as the first start and ``uniondesk demo --now``
do, and prints the seconds it took and what the dashboard shows at that moment. It exits 1 if
any build fails or lacks the promised shape: at least 5 open cases, 2 overdue, 1 due today or
within 3 working days, and refused, terminated and late-finished cases. The test suite checks
the same shape on small demos; this checks the full-size one.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop.demo import fill_demo_office  # noqa: E402
from desktop.office import Office  # noqa: E402
from desktop.store.case_repo import CaseFilter  # noqa: E402

ISSUE_MOMENTS = (
    "2026-11-30T09:15",  # a weekday morning
    "2026-11-29T22:30",  # a Sunday night
    "2027-02-10T09:00",  # Spring Festival week of a year chinesecalendar does not know
    "2028-01-03T08:30",
)


def spread_moments(count: int, seed: int = 9) -> list[str]:
    rng = random.Random(seed)
    start = datetime(2026, 1, 1)
    return [
        (start + timedelta(minutes=rng.randrange(5 * 365 * 24 * 60))).isoformat(timespec="minutes")
        for _ in range(count)
    ]


def shape_at(office: Office, now: datetime) -> dict[str, int]:
    service = office.cases
    service.clock = lambda: now
    count = service.count_cases
    rows = service.list_cases(CaseFilter(status="closed"), limit=-1)
    return {
        "open": count(CaseFilter(status="open")),
        "overdue": count(CaseFilter(status="overdue")),
        "due_now": count(CaseFilter(status="due_today")) + count(CaseFilter(status="due_soon")),
        "terminated": count(CaseFilter(status="terminated")),
        "late": sum(1 for row in rows if row.served_at and row.served_at > row.due_at),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--at", action="append", default=[], metavar="TIME")
    parser.add_argument("--spread", type=int, default=12, help="moments spread over 2026–2030")
    args = parser.parse_args()
    moments = args.at or [*ISSUE_MOMENTS, *spread_moments(args.spread)]
    seconds: list[float] = []
    failures = 0
    for text in moments:
        now = datetime.fromisoformat(text)
        with Office.open(None) as office:
            started = time.perf_counter()
            try:
                fill_demo_office(office, now=now)
            except Exception as error:  # report every moment, then fail
                failures += 1
                print(f"{text}  {now:%a}  FAILED: {type(error).__name__}: {error}")
                continue
            seconds.append(time.perf_counter() - started)
            shape = shape_at(office, now)
        good = (
            shape["open"] >= 5 and shape["overdue"] >= 2 and shape["due_now"] >= 1
            and shape["terminated"] >= 1 and shape["late"] >= 1
        )  # fmt: skip
        failures += not good
        print(f"{text}  {now:%a}  {seconds[-1]:5.2f} s  {shape}{'' if good else '  BAD SHAPE'}")
    if seconds:
        print(
            f"fill: median {statistics.median(seconds):.2f} s, worst {max(seconds):.2f} s "
            f"over {len(seconds)} builds; {failures} failed"
        )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

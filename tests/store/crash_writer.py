"""A clerk's work, killed at random moments: the writer process, and the harness the crash test
(tests/store/test_crash.py) and its long version (benchmarks/bench_crash.py) share.

The writer, ``python -m tests.store.crash_writer DATA_DIR BOOK_DIR SCRATCH RUN``, opens the
office and works cases in a loop: registers a worker, opens a case for them, records the
application with an attached scan, completes the application and the assessment. After each
write's transaction has committed, and only then, it prints one line of JSON, its
acknowledgement: what a window would have shown the clerk as saved.

The harness starts writers one after another, kills each with SIGKILL (TerminateProcess on
Windows) after a seeded random number of acknowledgements and a random few milliseconds, so
kills land inside transactions, fsyncs and file copies, then opens the office as the next start
would and checks it: `uniondesk check` passes, every acknowledged write is there, and nothing is
half there (a case without its first step, an attachment row without its file, a .part file).
"""

from __future__ import annotations

import itertools
import json
import random
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from desktop.cases.records import CaseFilter
from desktop.cases.service import ATTACHMENTS_DIR
from desktop.identity import make_id_number
from desktop.office import Office
from desktop.registry import clean_person

CLERK = "李红梅"
REPO = Path(__file__).resolve().parents[2]


# --- the writer ----------------------------------------------------------------------------------


def acknowledge(kind: str, **data) -> None:
    print(json.dumps({"kind": kind, **data}, ensure_ascii=False), flush=True)


def work(data_dir: Path, book_dir: Path, scratch: Path, run: int) -> None:
    """Write until killed; ``run`` sets this writer's clock and its scans' contents apart."""
    start = datetime(2026, 3, 2, 9, 0) + timedelta(days=run)
    ticks = itertools.count()
    rng = random.Random(run)
    with Office.open(data_dir, book_dir) as office:
        office.cases.clock = lambda: start + timedelta(minutes=next(ticks))
        cases = office.cases
        # Counted from what is stored, so a worker committed but not acknowledged before the
        # last kill does not make this one's ID number a duplicate.
        for n in itertools.count(office.registry.count_people() + 1):
            id_number = make_id_number("620102", date(1950, 1, 1) + timedelta(days=n), n)
            values = clean_person(
                {"name": "张秀英", "id_number": id_number, "household_size": 3,
                 "income_per_head": "600"},
                start.date(),
            )  # fmt: skip
            person_id = office.registry.add_person(values, CLERK, start)
            acknowledge("person", id=person_id, id_number=id_number)
            case = cases.open_case("BF-01", CLERK, person_id=person_id)
            acknowledge("case", id=case.id, number=case.number, person=person_id)
            typed = {"household_size": 3, "income_per_head": "600", "medical": "否"}
            cases.save_step(case.id, "application", CLERK, typed, materials=["id_copy"])
            acknowledge("save", case=case.id, step="application", values={"household_size": 3,
                        "income_per_head": 60000, "medical": False})  # fmt: skip
            scan = scratch / f"扫描件-{run}-{n}.pdf"
            # Up to 3 MB: several chunks to copy and an fsync, so kills land in the copy too.
            scan.write_bytes(b"%PDF-1.4\n" + rng.randbytes(rng.randrange(1_000, 3_000_000)))
            attachment = cases.attach_file(case.id, "application", scan, CLERK, "申请书")
            acknowledge("attach", case=case.id, id=attachment, name=scan.name)
            scan.unlink()
            for step in ("application", "assessment"):
                cases.complete_step(case.id, step, CLERK)
                acknowledge("complete", case=case.id, step=step)


# --- the harness ---------------------------------------------------------------------------------


def prepare(data_dir: Path, book_dir: Path) -> None:
    """The office the writers work in: the book imported, the clerk on the staff."""
    with Office.open(data_dir, book_dir) as office:
        office.staff.add(CLERK, "工会专干")


@dataclass
class Kill:
    """One writer's life: when it was killed and what it acknowledged before."""

    after_acknowledgements: int
    extra_seconds: float
    acknowledged: list[dict] = field(default_factory=list)


def run_and_kill(
    data_dir: Path, book_dir: Path, scratch: Path, run: int, rng: random.Random
) -> Kill:
    """Start a writer, kill it after a random number of acknowledgements and a random few
    milliseconds (or, when that number is 0, a random moment of its start)."""
    kill = Kill(rng.randrange(0, 14), rng.uniform(0, 0.04))
    if kill.after_acknowledgements == 0:
        kill.extra_seconds = rng.uniform(0.05, 0.6)  # during imports, opening, the first write
    lines: list[bytes] = []
    with subprocess.Popen(
        [sys.executable, "-m", "tests.store.crash_writer",
         str(data_dir), str(book_dir), str(scratch), str(run)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    ) as process:  # fmt: skip
        reached = threading.Event()

        def read() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                lines.append(line)
                if len(lines) >= kill.after_acknowledgements:
                    reached.set()
            reached.set()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        if kill.after_acknowledgements:
            reached.wait(timeout=60)
        time.sleep(kill.extra_seconds)
        process.kill()
        process.wait()
        reader.join(timeout=60)
        assert process.stderr is not None
        stderr = process.stderr.read().decode("utf-8", "replace")
    # Killed, it ends with -9 (SIGKILL); on Windows TerminateProcess makes it 1.
    ended_by_itself = sys.platform != "win32" or "Traceback" in stderr
    if process.returncode >= 0 and ended_by_itself:
        raise AssertionError(f"the writer ended by itself ({process.returncode}):\n{stderr}")
    # A line is written whole by one write() after the commit, or not at all.
    kill.acknowledged = [json.loads(line) for line in lines if line.endswith(b"\n")]
    return kill


def verify(data_dir: Path, book_dir: Path, acknowledged: list[dict]) -> list[str]:
    """Open the office as the next start would and list everything wrong with it."""
    problems: list[str] = []
    with Office.open(data_dir, book_dir) as office:
        report = office.check()
        problems += [f"check: {f.title}：{f.detail}" for f in report.problems()]
        cases = office.cases
        for ack in acknowledged:
            kind = ack["kind"]
            if kind == "person":
                person = office.registry.person(ack["id"])
                if person is None or person.id_number != ack["id_number"]:
                    problems.append(f"acknowledged worker lost: {ack}")
                continue
            view = cases.view(ack["case"] if kind != "case" else ack["id"])
            if kind == "case" and view.row.number != ack["number"]:
                problems.append(f"acknowledged case lost: {ack}")
            elif kind == "save":
                stored = view.state.record("application").values
                if any(stored.get(k) != v for k, v in ack["values"].items()):
                    problems.append(f"acknowledged values lost: {ack} (stored {stored})")
            elif kind == "attach" and ack["id"] not in {a.id for a in view.attachments}:
                problems.append(f"acknowledged attachment lost: {ack}")
            elif kind == "complete" and view.state.record(ack["step"]).completed_at is None:
                problems.append(f"acknowledged completion lost: {ack}")
        for row in cases.list_cases(CaseFilter(), limit=-1):  # nothing half written
            state = cases.view(row.id).state
            if "application" not in state.steps:
                problems.append(f"case {row.number} has no steps")
    partials = sorted(p.name for p in (data_dir / ATTACHMENTS_DIR).glob("*.part"))
    if partials:
        problems.append(f"copies left half written: {partials}")
    return problems


def orphan_files(data_dir: Path) -> int:
    """Scans copied in but never listed on a case (killed between copy and commit): harmless,
    content-addressed, and reused if the same scan is attached again."""
    with Office.open(data_dir) as office:
        listed = set(office.cases.attachment_names())
    folder = data_dir / ATTACHMENTS_DIR
    stored = {p.relative_to(folder).as_posix() for p in folder.glob("*/*") if p.is_file()}
    return len(stored - listed)


def crash_and_check(
    folder: Path,
    book_dir: Path,
    kills: int,
    seed: int,
    progress: Callable[[int, Kill], None] = lambda _run, _kill: None,
) -> tuple[list[Kill], list[str]]:
    """``kills`` writers killed one after another in a new office in ``folder``; what each
    acknowledged, and the problems found afterwards."""
    data_dir, scratch = folder / "data", folder / "scratch"
    scratch.mkdir(parents=True)
    prepare(data_dir, book_dir)
    rng = random.Random(seed)
    done: list[Kill] = []
    for run in range(kills):
        done.append(run_and_kill(data_dir, book_dir, scratch, run, rng))
        progress(run, done[-1])
    acknowledged = [ack for kill in done for ack in kill.acknowledged]
    return done, verify(data_dir, book_dir, acknowledged)


if __name__ == "__main__":
    data, book, scratch_dir, run_number = sys.argv[1:5]
    work(Path(data), Path(book), Path(scratch_dir), int(run_number))

"""Printing speed of the official forms (run on demand, not part of the tests).

    python benchmarks/bench_forms.py [--repeat 20] [--data-dir DIR]

Fills a demo office in a temporary folder (or uses DIR if it already holds one), then times, in
this one process:

- importing desktop.printing and reading the 12 form files (checked against the procedures);
- the first form printed, which also reads the two bundled fonts (about 10 MB);
- every later form, filled from a demo case, ``--repeat`` times each: target < 30 ms for a
  one-page filled form;
- a payment sign-off sheet of 1,000 rows: target < 3 s.

Building each case's values (case_context, a few SQL queries) is timed apart from rendering.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop.demo import fill_demo_office  # noqa: E402
from desktop.office import Office  # noqa: E402

KINDS = {
    "aid_application": "生活救助",
    "medical_aid_application": "医疗救助",
    "golden_autumn_application": "金秋助学",
}


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def pick_cases(office, forms) -> dict[str, str]:
    """A finished demo case for each form, printed at a step that was completed."""
    found: dict[str, str] = {}
    rows = office.db.execute(
        "SELECT id, number, kind FROM cases WHERE status = 'closed' ORDER BY id"
    ).fetchall()
    for case_id, number, kind in rows:
        view = office.cases.view(case_id)
        for step in view.procedure.steps:
            if view.state.record(step.id).status != "done":
                continue
            for form_id in step.form_ids:
                if form_id in forms and KINDS.get(form_id, kind) == kind:
                    found.setdefault(form_id, number)
        if len(found) == len(forms):
            break
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--data-dir", type=Path)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as temporary:
        folder = args.data_dir or Path(temporary)
        started = time.perf_counter()
        office = Office.open(folder)
        if not office.settings.has_office_data():
            fill_demo_office(office, now=datetime(2026, 11, 20, 10, 0))
        print(f"demo office ready              {ms(time.perf_counter() - started)}")
        try:
            run(office, args.repeat)
        finally:
            office.close()


def run(office, repeat: int) -> None:
    started = time.perf_counter()
    from desktop.printing import (
        PrintData,
        case_context,
        load_forms,
        office_procedures,
        render_pdf,
    )

    imported = time.perf_counter()
    forms = load_forms(procedures=office_procedures(office))
    loaded = time.perf_counter()
    print(f"import desktop.printing        {ms(imported - started)}")
    print(f"read and check {len(forms)} form files  {ms(loaded - imported)}")

    cases = pick_cases(office, forms)
    contexts = {}
    context_times = []
    for form_id, number in cases.items():
        begin = time.perf_counter()
        contexts[form_id] = case_context(office, number)
        context_times.append(time.perf_counter() - begin)
    print(f"case_context, median           {ms(statistics.median(context_times))}")

    first_id = "aid_application"
    begin = time.perf_counter()
    result = render_pdf(forms[first_id], contexts[first_id], BytesIO())
    print(
        f"first form (fonts read), {first_id}: {ms(time.perf_counter() - begin)}"
        f"  {result.pages} page(s)"
    )

    print(f"\nlater forms, filled, {repeat} runs each (median / slowest):")
    medians = []
    for form_id, data in contexts.items():
        times = []
        pages = 0
        for _ in range(repeat):
            begin = time.perf_counter()
            pages = render_pdf(forms[form_id], data, BytesIO()).pages
            times.append(time.perf_counter() - begin)
        medians.append(statistics.median(times))
        print(f"  {form_id:28s} {ms(statistics.median(times))} / {ms(max(times))}  {pages} page(s)")
    print(f"  {'all forms, median':28s} {ms(statistics.median(medians))}   (target < 30 ms)")

    rows = [
        {
            "name": f"职工{i}",
            "id_number": "620102199001011234",
            "amount_fen": 50_000 + i * 137,
            "kind": "生活救助",
            "case_number": f"BF-2026-{i:04d}",
        }
        for i in range(1, 1001)
    ]
    data = PrintData(values={"office.name": office.name}, rows=rows, number="批次 2026-11")
    begin = time.perf_counter()
    out = BytesIO()
    result = render_pdf(forms["aid_payment_signoff"], data, out)
    elapsed = time.perf_counter() - begin
    print(
        f"\n1,000-row sign-off sheet       {ms(elapsed)}  {result.pages} pages, "
        f"{len(out.getvalue()) / 1024:.0f} KB   (target < 3 s)"
    )


if __name__ == "__main__":
    main()

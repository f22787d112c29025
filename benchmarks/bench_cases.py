"""Casework at county scale: 100,000 cases and 50,000 people (run on demand, not in tests).

    python benchmarks/bench_cases.py [--cases 100000] [--people 50000] [--keep DIR]

Builds the data once in a temporary data folder (rows written through the repositories in one
transaction, with realistic spread over two years, statuses and due dates), then times what
the clerk waits for:
- the case list showing its first rows (count + first page into the lazy Qt model and view);
- a filter (status, service item, name) and a sort (due date, subject) re-querying the model;
- the to-do dashboard counts;
- memory of the whole app process (the main window opened on this office).
Targets: first rows < 100 ms, filter/sort < 200 ms, dashboard < 200 ms, memory < 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desktop.identity import make_id_number  # noqa: E402
from desktop.office import Office  # noqa: E402
from desktop.registry import clean_person  # noqa: E402
from desktop.store.case_repo import CaseFilter  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "建国秀英桂兰志强海燕红梅丽娟文华明辉春花"


def build(data_dir: Path, cases: int, people: int) -> None:
    rng = random.Random(7)
    now = datetime.now().replace(microsecond=0)
    with Office.open(data_dir) as office:
        db = office.db
        items = office.book.service_items()
        hashes = office.book.procedure_hashes()
        with db.atomic():
            person_ids = []
            for index in range(people):
                birth = date(1960 + index % 40, 1 + index % 12, 1 + index % 28)
                region = f"6201{index // 1000 % 100:02d}"
                values = clean_person(
                    {
                        "name": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                        "id_number": make_id_number(region, birth, index % 1000),
                        "household_size": rng.randint(1, 6),
                        "income_per_head": str(rng.randint(400, 4000)),
                    },
                    now.date(),
                )
                person_ids.append(office.registry.add_person(values, "基准", now))
            serials: dict[tuple[str, int], int] = {}
            for _ in range(cases):
                item = rng.choice(items)
                procedure = office.cases.repo.procedure(hashes[item.id])
                opened = now - timedelta(days=rng.uniform(0, 730))
                key = (procedure.case_prefix, opened.year)
                serials[key] = serials.get(key, 0) + 1
                status = rng.choices(["closed", "open", "terminated"], [85, 13, 2])[0]
                due = opened + timedelta(days=item.time_limit * 1.4)
                person = rng.choice(person_ids)
                office.cases.repo.insert_case(
                    {
                        "number": f"{key[0]}-{key[1]}-{serials[key]:05d}",
                        "prefix": key[0],
                        "year": key[1],
                        "serial": serials[key],
                        "procedure_id": procedure.id,
                        "procedure_hash": procedure.source_hash,
                        "procedure_title": procedure.title,
                        "service_item_id": item.id,
                        "service_item_name": item.name,
                        "kind": procedure.kind_for(item.id),
                        "person_id": person,
                        "subject_name": f"职工{person}",
                        "status": status,
                        "current_step_id": procedure.steps[1].id if status == "open" else None,
                        "current_step_title": procedure.steps[1].title if status == "open" else "",
                        "responsible": rng.choice(["李红梅", "王建国", "周静"]),
                        "opened_at": opened,
                        "opened_by": "基准",
                        "time_limit": item.time_limit,
                        "time_limit_unit": item.time_limit_unit,
                        "due_at": due,
                        "next_due_at": due if status == "open" else None,
                        "served_at": due - timedelta(days=rng.uniform(-3, 10))
                        if status == "closed"
                        else None,
                    }
                )


def timed(function, repeat: int = 7, reset=None) -> tuple[float, float]:
    """Median and worst of ``repeat`` runs; ``reset`` (untimed) puts the window back first,
    so that every run does the whole work rather than finding nothing changed."""
    samples = []
    for _ in range(repeat):
        if reset is not None:
            reset()
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), max(samples)


def measure(data_dir: Path) -> dict[str, object]:
    """Time the real window: the 事项办理 page's list, filter bar, header sort and dashboard."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    office = Office.open(data_dir)
    service = office.cases
    results: dict[str, object] = {"cases": service.count_cases(CaseFilter())}
    results["people"] = office.registry.count_people()

    window = MainWindow(office)
    window.resize(1400, 900)
    window.show()
    window.show_section("cases")
    page = window.cases_page
    page.show_list()
    app.processEvents()
    cases = page.case_list
    header = cases.table.horizontalHeader()

    def shown(action):
        def run():
            action()
            app.processEvents()  # the view fetches and paints its first rows
            assert cases.model.rowCount() > 0 or cases.model.total == 0

        return run

    def set_status(value: str):
        return shown(lambda: cases.status_combo.setCurrentIndex(cases.status_combo.findData(value)))

    def sort_by(key: str, order: Qt.SortOrder):
        return shown(lambda: header.setSortIndicator(cases._column_of(key), order))

    def search(text: str):
        def run():
            cases.search_box.setText(text)
            cases.apply_filters()  # what the typing timer does after its pause

        return shown(run)

    def everything():
        cases.show_cases(sort_key="opened", descending=True)
        app.processEvents()

    def open_cases():
        cases.show_cases(status="open", sort_key="opened", descending=True)
        app.processEvents()

    item = cases.item_combo.findData("BF-01")
    results["list_first_rows_ms"] = timed(shown(everything))
    results["filter_status_open_ms"] = timed(set_status("open"), reset=everything)
    results["filter_overdue_ms"] = timed(set_status("overdue"), reset=everything)
    results["filter_service_item_ms"] = timed(
        shown(lambda: cases.item_combo.setCurrentIndex(item)), reset=everything
    )
    results["filter_name_ms"] = timed(search("职工12"), reset=everything)
    results["filter_number_ms"] = timed(search("BF-2026-001"), reset=everything)
    asc, desc = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder
    results["sort_due_asc_ms"] = timed(sort_by("due", asc), reset=everything)
    results["sort_due_desc_ms"] = timed(sort_by("due", desc), reset=everything)
    results["sort_subject_ms"] = timed(sort_by("subject", asc), reset=everything)
    results["sort_number_desc_ms"] = timed(sort_by("number", desc), reset=everything)
    results["open_sort_due_asc_ms"] = timed(sort_by("due", asc), reset=open_cases)
    results["open_sort_due_desc_ms"] = timed(sort_by("due", desc), reset=open_cases)
    people = window.people_page.people

    def people_search(text: str):
        def run():
            people.search_box.setText(text)
            people.run_search()  # what the typing timer does after its pause
            app.processEvents()

        return run

    def all_people():
        people.search_box.setText("")
        people.run_search()
        app.processEvents()

    window.show_section("people")
    app.processEvents()
    results["people_list_ms"] = timed(people_search(""), reset=lambda: people_search("王")())
    results["people_search_pinyin_ms"] = timed(people_search("wang"), reset=all_people)
    results["people_search_initials_ms"] = timed(people_search("wjg"), reset=all_people)
    results["people_search_id_digits_ms"] = timed(people_search("0013"), reset=all_people)
    window.show_section("cases")
    results["dashboard_counts_ms"] = timed(service.dashboard)
    results["dashboard_page_refresh_ms"] = timed(shown(page.dashboard.refresh))
    results["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    window.close()
    office.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--keep", type=Path, help="build into (or reuse) this data folder")
    args = parser.parse_args()
    data_dir = args.keep or Path(tempfile.mkdtemp(prefix="uniondesk-bench-"))
    if not Office.folder_is_new(data_dir) and args.keep:
        print(f"reusing {data_dir}")
    else:
        start = time.perf_counter()
        build(data_dir, args.cases, args.people)
        took = time.perf_counter() - start
        print(f"built {args.cases} cases / {args.people} people in {took:.1f} s")
    results = measure(data_dir)
    for key, value in results.items():
        if isinstance(value, tuple):
            print(f"{key:28s} median {value[0]:7.1f} ms   max {value[1]:7.1f} ms")
        else:
            print(f"{key:28s} {value}")
    print(json.dumps({k: v for k, v in results.items()}, ensure_ascii=False))


if __name__ == "__main__":
    main()

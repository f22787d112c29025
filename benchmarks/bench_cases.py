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


def timed(function, repeat: int = 7) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), max(samples)


def measure(data_dir: Path) -> dict[str, object]:
    from PySide6.QtWidgets import QApplication, QTableView

    from desktop.ui.lazy_model import Column, LazyTableModel
    from desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    office = Office.open(data_dir)
    service = office.cases
    results: dict[str, object] = {"cases": service.count_cases(CaseFilter())}
    results["people"] = office.registry.count_people()

    def model_for(filter: CaseFilter, order: str = "opened", descending: bool = True):
        # The columns the case list shows, the deadline state included (computed per shown row).
        columns = [
            Column("案件编号", lambda r: r.number, "number"),
            Column("服务项目", lambda r: r.service_item_name, "service_item"),
            Column("办理对象", lambda r: r.subject_name, "subject"),
            Column("当前步骤", lambda r: r.current_step_title, "current_step"),
            Column("状态", lambda r: service.case_deadline_state(r), "status"),
            Column("受理日期", lambda r: f"{r.opened_at:%Y-%m-%d}", "opened"),
            Column("到期日", lambda r: f"{(r.next_due_at or r.due_at):%Y-%m-%d}", "due"),
        ]
        model = LazyTableModel(
            columns,
            lambda offset, limit, key, desc: service.list_cases(
                filter, order=key or order, descending=desc, offset=offset, limit=limit
            ),
            lambda: service.count_cases(filter),
            sort_key=order,
            descending=descending,
        )
        return model

    view = QTableView()
    view.resize(1000, 600)
    view.show()

    def first_rows(filter=None, order="opened", descending=True):
        filter = filter or CaseFilter()
        model = model_for(filter, order, descending)
        model.refresh()
        view.setModel(model)
        app.processEvents()
        return model

    results["list_first_rows_ms"] = timed(lambda: first_rows())
    results["filter_status_open_ms"] = timed(lambda: first_rows(CaseFilter(status="open")))
    results["filter_overdue_ms"] = timed(lambda: first_rows(CaseFilter(status="overdue")))
    by_item = CaseFilter(service_item_id="BF-01")
    results["filter_service_item_ms"] = timed(lambda: first_rows(by_item))
    results["filter_name_ms"] = timed(lambda: first_rows(CaseFilter(text="职工12")))
    results["filter_number_ms"] = timed(lambda: first_rows(CaseFilter(text="BF-2026-001")))
    results["sort_due_ms"] = timed(lambda: first_rows(order="due", descending=False))
    results["sort_subject_ms"] = timed(lambda: first_rows(order="subject", descending=False))
    results["filter_open_sort_due_ms"] = timed(
        lambda: first_rows(CaseFilter(status="open"), order="due", descending=False)
    )
    results["dashboard_ms"] = timed(service.dashboard)
    window = MainWindow(office)
    window.show()
    app.processEvents()
    if hasattr(window, "show_section"):
        window.show_section("cases")
        app.processEvents()
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

"""The case list's search over 10,000 cases (run on demand, not in tests).

    python benchmarks/bench_case_search.py [--cases 10000] [--keep DIR]

Builds an office of people and firms with cases spread over two years (rows written through
the repositories in one transaction), then times what the list does for each way a clerk
finds a case (desktop.cases.records.CaseSearch): the count and the first page of rows, as
the lazy list model asks for them. Target: under 100 ms each, so typing never waits.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from desktop.cases.records import CaseFilter
from desktop.demo import FIRMS, GIVEN, SURNAMES
from desktop.identity import make_credit_code, make_id_number
from desktop.office import Office
from desktop.registry import clean_enterprise, clean_person

PAGE_SIZE = 200  # desktop.ui.lazy_model.PAGE_SIZE, without importing Qt


def build(data_dir: Path, cases: int) -> None:
    rng = random.Random(12)
    now = datetime(2026, 11, 20, 10, 0)
    with Office.open(data_dir) as office:
        items = office.book.service_items()
        hashes = office.book.procedure_hashes()
        repo = office.cases.repo
        with office.db.atomic():
            people = []
            for index in range(cases // 3):
                name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))
                values = clean_person(
                    {
                        "name": name,
                        "id_number": make_id_number(
                            f"6201{index // 1000 % 100:02d}", date(1970, 1, 1), index % 1000
                        ),
                    },
                    now.date(),
                )
                people.append((office.registry.add_person(values, "基准", now), name))
            firms = []
            for index in range(200):
                name = f"{rng.choice(('示例', '城关', '东坝', '新华'))}{FIRMS[index % len(FIRMS)]}"
                name += f"第{index}分公司" if index >= len(FIRMS) else "有限公司"
                code = make_credit_code("91", "620102", f"MA{index:06d}")
                values = clean_enterprise({"name": name, "credit_code": code}, now.date())
                firms.append((office.registry.add_enterprise(values, "基准", now), name))
            serials: dict[tuple[str, int], int] = {}
            for _ in range(cases):
                item = rng.choice(items)
                procedure = repo.procedure(hashes[item.id])
                opened = now - timedelta(days=rng.uniform(0, 730))
                key = (procedure.case_prefix, opened.year)
                serials[key] = serials.get(key, 0) + 1
                subject_id, subject = rng.choice(firms if procedure.subject != "person" else people)
                due = opened + timedelta(days=14)
                repo.insert_case(
                    {
                        "number": f"{key[0]}-{key[1]}-{serials[key]:04d}",
                        "prefix": key[0],
                        "year": key[1],
                        "serial": serials[key],
                        "procedure_id": procedure.id,
                        "procedure_hash": procedure.source_hash,
                        "procedure_title": procedure.title,
                        "service_item_id": item.id,
                        "service_item_name": item.name,
                        "kind": procedure.kind_for(item.id),
                        "person_id": subject_id if procedure.subject == "person" else None,
                        "enterprise_id": subject_id if procedure.subject != "person" else None,
                        "subject_name": subject,
                        "status": "closed",
                        "opened_at": opened,
                        "opened_by": "基准",
                        "time_limit": item.time_limit,
                        "time_limit_unit": item.time_limit_unit,
                        "due_at": due,
                    }
                )


def timed(function, repeat: int = 9) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), max(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="build into (or reuse) this data folder")
    args = parser.parse_args()
    data_dir = args.keep or Path(tempfile.mkdtemp(prefix="uniondesk-bench-search-"))
    if Office.folder_is_new(data_dir):
        start = time.perf_counter()
        build(data_dir, args.cases)
        print(f"built {args.cases} cases in {time.perf_counter() - start:.1f} s")
    with Office.open(data_dir) as office:
        service = office.cases
        total = service.count_cases(CaseFilter())
        sample = service.list_cases(CaseFilter(), order="number", descending=False, limit=13)[-1]
        prefix, year, serial = sample.number.split("-")
        person = next(
            row
            for row in service.list_cases(CaseFilter(), limit=50)
            if row.person_id is not None and len(row.subject_name) == 3
        )
        searches = {
            "number as printed": sample.number,
            "number, no hyphens": sample.number.replace("-", "").lower(),
            "year and serial": sample.number.split("-", 1)[1].replace("-", ""),
            "serial, no zeros": f"{prefix}-{year}-{int(serial)}",
            "number part (BF2026)": f"{prefix}{year}",
            "whole name": person.subject_name,
            "name, middle char": person.subject_name[1],
            "initials": service.repo.db.execute(
                "SELECT subject_initials FROM cases WHERE id = ?", [person.id]
            ).fetchone()[0],
            "full pinyin": service.repo.db.execute(
                "SELECT subject_pinyin FROM cases WHERE id = ?", [person.id]
            ).fetchone()[0],
            "firm pinyin inside": "huaxin",
            "nothing found": "航天飞机",
        }
        print(f"{total} cases; each: count + first {PAGE_SIZE} rows, newest first")
        for label, text in searches.items():
            case_filter = CaseFilter(text=text)

            def search(case_filter=case_filter):
                service.count_cases(case_filter)
                service.list_cases(case_filter, order="opened", descending=True, limit=PAGE_SIZE)

            found = service.count_cases(case_filter)
            median, worst = timed(search)
            print(
                f"{label:22s} {text!r:22s} {found:6d} found"
                f"   median {median:6.1f} ms   max {worst:6.1f} ms"
            )


if __name__ == "__main__":
    main()

"""Search speed on a synthetic book of 10,000 rules (run on demand, not part of the tests).

    python benchmarks/bench_search.py [--rules 10000] [--queries 300]

The synthetic rules are stitched from the shipped book's own sentences, so words occur about
as often as in a real book. Queries are 2-, 3- and 4-character strings cut from rule texts
(plus the common words clerks type), timed through BookRepository.search: index lookup,
ranking and snippets for the first 100 hits. Target: median < 5 ms, 95th percentile < 20 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

from desktop.book.loader import load_book
from desktop.book.model import Book, Rule, WorkItem
from desktop.paths import DATABASE_FILE_NAME, default_book_dir
from desktop.store import open_database
from desktop.store.book_repo import BookRepository

COMMON_WORDS = ["帮扶", "慰问", "工会", "会员", "困难职工", "集体协商", "审计", "报销", "金秋助学"]
HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")


def synthetic_book(rule_count: int, seed: int = 7) -> Book:
    shipped = load_book(default_book_dir())
    rng = random.Random(seed)
    sentences = [
        s.strip() + "。"
        for rule in shipped.rules
        for s in rule.text.replace("\n", "").split("。")
        if len(s.strip()) > 6
    ]
    titles = [rule.title for rule in shipped.rules]
    per_item = 50
    items = []
    for item_number in range(rule_count // per_item):
        rules = []
        for rule_number in range(per_item):
            rules.append(
                Rule(
                    id=f"S{item_number:03d}-{rule_number:02d}",
                    work_item_id=f"S{item_number:03d}",
                    title=rng.choice(titles) + f"（{rule_number + 1}）",
                    text="".join(rng.choices(sentences, k=rng.randint(3, 8))),
                    source="合成数据",
                    effective=date(2026, 1, 1),
                )
            )
        items.append(
            WorkItem(
                id=f"S{item_number:03d}",
                title=f"合成事项 {item_number + 1}",
                section="合成",
                summary="基准测试用的合成数据。",
                rules=tuple(rules),
            )
        )
    return replace(shipped, work_items=tuple(items), service_items=(), service_categories=())


def sample_queries(book: Book, length: int, count: int, rng: random.Random) -> list[str]:
    runs = [run for rule in book.rules for run in HAN_RUN.findall(rule.text) if len(run) >= length]
    queries = [w for w in COMMON_WORDS if len(w) == length]
    while len(queries) < count:
        run = rng.choice(runs)
        start = rng.randrange(len(run) - length + 1)
        queries.append(run[start : start + length])
    return queries


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rules", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()

    book = synthetic_book(args.rules)
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / DATABASE_FILE_NAME)
        repository = BookRepository(db)
        started = time.perf_counter()
        repository.replace_book(book)
        import_seconds = time.perf_counter() - started
        rng = random.Random(11)
        report: dict[str, object] = {
            "rules": len(book.rules),
            "import_seconds": round(import_seconds, 2),
        }
        for length in (2, 3, 4):
            queries = sample_queries(book, length, args.queries, rng)
            for query in queries[:10]:
                repository.search(query)  # warm the page cache
            timings, hit_counts = [], []
            for query in queries:
                started = time.perf_counter()
                result = repository.search(query)
                timings.append((time.perf_counter() - started) * 1000)
                hit_counts.append(result.total)
            report[f"{length}_chars"] = {
                "queries": len(queries),
                "median_ms": round(statistics.median(timings), 2),
                "p95_ms": round(percentile(timings, 0.95), 2),
                "max_ms": round(max(timings), 2),
                "median_hits": statistics.median(hit_counts),
                "max_hits": max(hit_counts),
            }
        # The first number typed keys every rule's number once (kept until the book changes).
        started = time.perf_counter()
        BookRepository(db).search("s007-03")
        report["first rule number"] = {"ms": round((time.perf_counter() - started) * 1000, 2)}
        # A common word, title initials, a synonym (婚丧 → 结婚, 丧葬, 去世), a rule number with
        # its citations, and a work item's number (its 50 rules).
        for word in ("工会", "knzg", "婚丧", "S007-03", "s012"):
            timings = []
            for _ in range(20):
                started = time.perf_counter()
                result = repository.search(word)
                timings.append((time.perf_counter() - started) * 1000)
            report[f"word {word}"] = {
                "hits": result.total,
                "median_ms": round(statistics.median(timings), 2),
            }
        db.close()
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

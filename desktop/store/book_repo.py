"""The book as stored in the office database: import, read, search, and the office's choices."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

import sqlite_utils

from desktop.book.model import (
    RULE_STATUSES,
    Book,
    Rule,
    ServiceCategory,
    ServiceItem,
    WorkItem,
)
from desktop.book.search import (
    Query,
    SearchHit,
    SearchResult,
    contains_all,
    fold,
    index_tokens,
    make_snippet,
    parse_query,
    rule_number_keys,
    search_key,
    synonym_queries,
    typed_numbers,
)
from desktop.changes import BOOK, RESPONSIBLE, Changes
from desktop.store.schema import index_rule

DEFAULT_SEARCH_LIMIT = 100
# Title words weigh ten times body words.
RANK = "bm25(rules_search, 10.0, 1.0)"
# Above this many hits, body hits come in book order instead of being scored one by one.
RANKED_HITS_LIMIT = 2000


@dataclass(frozen=True)
class BookStats:
    title: str
    book_version: str
    work_items: int
    rules: int
    local_default_rules: int
    service_categories: int
    service_items: int
    # 国家规定 / 地方默认 / 待核实 → how many rules, every status present (0 when none).
    rules_by_status: dict[str, int]


@dataclass(frozen=True)
class _Found:
    """How a rule came into a search's results, in the order it came."""

    matched_in: str
    query: Query  # what to mark in its snippet
    synonym: str = ""


@dataclass(frozen=True)
class _RuleNumbers:
    """Rule and work item numbers by the forms they are typed in (rule_number_keys), each to
    the rule ids it finds: a rule's own, or a work item's rules in book order."""

    compact: dict[str, list[str]]
    unpadded: dict[str, list[str]]

    def rule_ids(self, keys: tuple[str, str], hyphenated: bool) -> list[str]:
        compact, unpadded = keys
        # w6-1 is W06-01 before it is a work item W61; w0601 the other way round.
        if hyphenated:
            return self.unpadded.get(unpadded) or self.compact.get(compact) or []
        return self.compact.get(compact) or self.unpadded.get(unpadded) or []


class BookRepository:
    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        self._numbers: tuple[str | None, _RuleNumbers] | None = None

    # --- import ------------------------------------------------------------------------------

    def imported_fingerprint(self) -> str | None:
        row = self.db.execute("SELECT value FROM book_meta WHERE key = 'content_hash'").fetchone()
        return row[0] if row else None

    def replace_book(self, book: Book) -> None:
        """Replace the stored book with ``book`` in one transaction; office choices stay."""
        db = self.db
        with db.atomic():
            db.report(Changes.of(settings=[BOOK]))
            for table in (
                "rules_search",
                "service_item_rules",
                "service_items",
                "service_categories",
                "rules",
                "work_items",
                "book_meta",
            ):
                db.execute(f"DELETE FROM {table}")
            meta = {
                "title": book.title,
                "version": book.version,
                "issuer": book.issuer,
                "effective": book.effective.isoformat(),
                "note": book.note,
                "content_hash": book.content_hash,
                "imported_at": datetime.now().isoformat(timespec="seconds"),
            }
            meta["procedures"] = json.dumps(self._store_procedures(book), ensure_ascii=False)
            # Read with every search; a few dozen words, so kept whole beside the book's title.
            meta["synonyms"] = json.dumps(
                [[synonym.word, list(synonym.search_for)] for synonym in book.synonyms],
                ensure_ascii=False,
            )
            for key, value in meta.items():
                db.execute("INSERT INTO book_meta (key, value) VALUES (?, ?)", [key, value])
            for item_position, item in enumerate(book.work_items):
                db.execute(
                    "INSERT INTO work_items (id, position, title, section, summary)"
                    " VALUES (?, ?, ?, ?, ?)",
                    [item.id, item_position, item.title, item.section, item.summary],
                )
                for rule_position, rule in enumerate(item.rules):
                    cursor = db.execute(
                        "INSERT INTO rules (id, work_item_id, position, title, text, source,"
                        " effective, tags, local_default, status)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [
                            rule.id,
                            item.id,
                            rule_position,
                            rule.title,
                            rule.text,
                            rule.source,
                            rule.effective.isoformat(),
                            json.dumps(list(rule.tags), ensure_ascii=False),
                            int(rule.local_default),
                            rule.status,
                        ],
                    )
                    index_rule(db, cursor.lastrowid, rule.title, rule.text)
            for position, category in enumerate(book.service_categories):
                db.execute(
                    "INSERT INTO service_categories (id, position, name) VALUES (?, ?, ?)",
                    [category.id, position, category.name],
                )
            for position, service in enumerate(book.service_items):
                db.execute(
                    "INSERT INTO service_items (id, category_id, position, name, standard,"
                    " time_limit, time_limit_unit, responsible_role, work_item_id, local_default)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        service.id,
                        service.category_id,
                        position,
                        service.name,
                        service.standard,
                        service.time_limit,
                        service.time_limit_unit,
                        service.responsible_role,
                        service.work_item_id,
                        int(service.local_default),
                    ],
                )
                for rule_position, rule_id in enumerate(service.rule_ids):
                    db.execute(
                        "INSERT INTO service_item_rules (service_item_id, rule_id, position)"
                        " VALUES (?, ?, ?)",
                        [service.id, rule_id, rule_position],
                    )

    def _store_procedures(self, book: Book) -> dict[str, str]:
        """Keep each procedure's text under its hash; return service item → hash."""
        served: dict[str, str] = {}
        now = datetime.now().isoformat(timespec="seconds")
        for procedure in book.procedures:
            self.db.execute(
                "INSERT INTO procedure_versions (hash, procedure_id, version, title, source_text,"
                " first_seen) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING",
                [
                    procedure.source_hash, procedure.id, procedure.version, procedure.title,
                    procedure.source_text, now,
                ],
            )  # fmt: skip
            for item_id in procedure.serves:
                served[item_id] = procedure.source_hash
        return served

    def procedure_hashes(self) -> dict[str, str]:
        """Service item → the hash of the procedure version new cases start with."""
        row = self.db.execute("SELECT value FROM book_meta WHERE key = 'procedures'").fetchone()
        return json.loads(row[0]) if row else {}

    # --- reading -----------------------------------------------------------------------------

    def meta(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT key, value FROM book_meta").fetchall())

    def stats(self) -> BookStats:
        meta = self.meta()

        def count(sql: str) -> int:
            return self.db.execute(sql).fetchone()[0]

        by_status = dict.fromkeys(RULE_STATUSES, 0)
        for status, number in self.db.execute(
            "SELECT status, count(*) FROM rules GROUP BY status"
        ).fetchall():
            by_status[status] = number
        return BookStats(
            title=meta.get("title", ""),
            book_version=meta.get("version", ""),
            work_items=count("SELECT count(*) FROM work_items"),
            rules=count("SELECT count(*) FROM rules"),
            local_default_rules=count("SELECT count(*) FROM rules WHERE local_default"),
            service_categories=count("SELECT count(*) FROM service_categories"),
            service_items=count("SELECT count(*) FROM service_items"),
            rules_by_status=by_status,
        )

    def work_items(self) -> list[WorkItem]:
        """Every work item with its rules, in book order."""
        rules_by_item: dict[str, list[Rule]] = {}
        for row in self.db.query("SELECT * FROM rules ORDER BY work_item_id, position"):
            rules_by_item.setdefault(row["work_item_id"], []).append(_rule(row))
        return [
            WorkItem(
                id=row["id"],
                title=row["title"],
                section=row["section"],
                summary=row["summary"],
                rules=tuple(rules_by_item.get(row["id"], ())),
            )
            for row in self.db.query("SELECT * FROM work_items ORDER BY position")
        ]

    def rule(self, rule_id: str) -> Rule | None:
        rows = list(self.db.query("SELECT * FROM rules WHERE id = ?", [rule_id]))
        return _rule(rows[0]) if rows else None

    def rule_titles(self, rule_ids: set[str] | list[str]) -> dict[str, str]:
        """Titles of the rules with these ids that the book holds (a step may name one that has
        since left the book)."""
        ids = sorted(rule_ids)
        if not ids:
            return {}
        marks = ", ".join("?" for _ in ids)
        rows = self.db.execute(f"SELECT id, title FROM rules WHERE id IN ({marks})", ids)
        return dict(rows.fetchall())

    def work_item_title(self, work_item_id: str) -> str:
        row = self.db.execute(
            "SELECT title FROM work_items WHERE id = ?", [work_item_id]
        ).fetchone()
        return row[0] if row else ""

    def service_categories(self) -> list[ServiceCategory]:
        return [
            ServiceCategory(id=row["id"], name=row["name"])
            for row in self.db.query("SELECT * FROM service_categories ORDER BY position")
        ]

    def service_items(self) -> list[ServiceItem]:
        rules: dict[str, list[str]] = {}
        for row in self.db.query(
            "SELECT service_item_id, rule_id FROM service_item_rules ORDER BY position"
        ):
            rules.setdefault(row["service_item_id"], []).append(row["rule_id"])
        return [
            ServiceItem(
                id=row["id"],
                category_id=row["category_id"],
                name=row["name"],
                standard=row["standard"],
                time_limit=row["time_limit"],
                time_limit_unit=row["time_limit_unit"],
                responsible_role=row["responsible_role"],
                work_item_id=row["work_item_id"],
                rule_ids=tuple(rules.get(row["id"], ())),
                local_default=bool(row["local_default"]),
                responsible_person=row["person_name"] or "",
            )
            for row in self.db.query(
                "SELECT s.*, p.person_name FROM service_items s"
                " JOIN service_categories c ON c.id = s.category_id"
                " LEFT JOIN service_responsibles p ON p.service_item_id = s.id"
                " ORDER BY c.position, s.position"
            )
        ]

    # --- the office's choices ----------------------------------------------------------------

    def set_responsible_person(
        self, service_item_id: str, person_name: str, now: datetime | None = None
    ) -> None:
        """Record who is in charge of a service item; an empty name clears it."""
        exists = self.db.execute(
            "SELECT 1 FROM service_items WHERE id = ?", [service_item_id]
        ).fetchone()
        if not exists:
            raise KeyError(service_item_id)
        with self.db.atomic():
            self.db.report(Changes.of(settings=[RESPONSIBLE]))
            if person_name:
                self.db.execute(
                    "INSERT INTO service_responsibles (service_item_id, person_name, updated_at)"
                    " VALUES (?, ?, ?) ON CONFLICT (service_item_id) DO UPDATE SET"
                    " person_name = excluded.person_name, updated_at = excluded.updated_at",
                    [
                        service_item_id,
                        person_name,
                        (now or datetime.now()).isoformat(timespec="seconds"),
                    ],  # fmt: skip
                )
            else:
                self.db.execute(
                    "DELETE FROM service_responsibles WHERE service_item_id = ?",
                    [service_item_id],
                )

    # --- search ------------------------------------------------------------------------------

    def synonyms(self) -> dict[str, tuple[str, ...]]:
        """The book's synonym list: search_key(word) → what to search for instead."""
        row = self.db.execute("SELECT value FROM book_meta WHERE key = 'synonyms'").fetchone()
        return {
            search_key(word): tuple(entries)
            for word, entries in json.loads(row[0] if row else "[]")
        }

    def search(self, text: str, limit: int = DEFAULT_SEARCH_LIMIT) -> SearchResult:
        """Rules matching ``text``, in this order: the rule (or work item's rules) whose number
        is typed in it; then the rules matching every other term, title hits first, then pinyin,
        then body; then, when a term holds a word of the synonym list, the rules its synonyms
        find. A number typed alone also finds the rules that cite it.
        """
        numbered, rest = self._typed_rule_numbers(text)
        query = parse_query(rest)
        if numbered:
            # 第、见、条 around a number (见W18-05条) are how it was cited, not words to find.
            query = Query(tuple(term for term in query.terms if len(term) > 1))
        if query.is_empty and not numbered:
            return SearchResult(text, (), 0)
        numbered_rowids = self._rowids_of(numbered)
        chosen = {rowid: _Found("number", Query(())) for rowid in numbered_rowids[:limit]}
        cited = query.is_empty
        searches: list[tuple[Query, str]] = []
        if cited:
            # What the book says about the rule elsewhere: 见 W18-05.
            searches.append((Query(tuple(fold(rule_id) for rule_id in numbered)), ""))
        else:
            searches.append((query, ""))
            word, alternatives = synonym_queries(query, self.synonyms())
            searches += [(alternative, word) for alternative in alternatives]
        total = 0
        for search, word in searches:
            wanted = max(0, limit - len(chosen))
            ranked, total = self._ranked(search, wanted + len(chosen), cited)
            for rowid, matched_in in ranked.items():
                if rowid not in chosen and wanted > 0:
                    chosen[rowid] = _Found(matched_in, search, word)
                    wanted -= 1
        if numbered_rowids or len(searches) > 1:
            # Several searches may find the same rule: count it once.
            matching = self._all_matching([search for search, _ in searches], cited)
            total = len(matching | set(numbered_rowids))
        highlight = Query(
            tuple(dict.fromkeys(term for search, _ in searches for term in search.terms))
        )
        rows = self._rows_by_rowid(list(chosen))
        hits = tuple(
            SearchHit(
                rule_id=rows[rowid]["id"],
                work_item_id=rows[rowid]["work_item_id"],
                work_item=rows[rowid]["work_item_title"],
                title=rows[rowid]["title"],
                snippet=make_snippet(rows[rowid]["text"], found.query),
                matched_in=found.matched_in,
                synonym=found.synonym,
            )
            for rowid, found in chosen.items()
        )
        return SearchResult(text, hits, total, highlight)

    def _ranked(self, query: Query, limit: int, cited: bool = False) -> tuple[dict[int, str], int]:
        """Up to ``limit`` rules matching every term of ``query`` (rowid → where it matched, in
        rank order), and how many match in all.

        Title hits and body hits are each ranked by bm25 (title words weigh more). A word so
        common that it is in thousands of rules is not worth scoring: its body hits come in
        book order, which SQLite can stop reading after ``limit``. ``cited``: the terms are
        rule numbers, looked for in the text only.
        """
        chosen: dict[int, str] = {}  # rowid → matched_in, in rank order
        total = 0

        expression = self._expression(query, cited)
        if expression is not None and not cited:
            total = self.db.execute(
                "SELECT count(*) FROM rules_search WHERE rules_search MATCH ?", [expression]
            ).fetchone()[0]
            for (rowid,) in self.db.execute(
                "SELECT rowid FROM rules_search WHERE rules_search MATCH ?"
                f" ORDER BY {RANK} LIMIT ?",
                [f"title_tokens : ({expression})", limit],
            ):
                chosen[rowid] = "title"
        elif expression is not None:
            total = self.db.execute(
                "SELECT count(*) FROM rules_search WHERE rules_search MATCH ?", [expression]
            ).fetchone()[0]
        else:
            # A one-character term is not in the pair index: scan, which a short book affords.
            scanned = self._scan(query)
            total = len(scanned)
            for rowid, title in scanned:
                if contains_all(title, query) and len(chosen) < limit:
                    chosen[rowid] = "title"

        if query.pinyin_key and not cited:
            pattern = f"%{query.pinyin_key}%"
            pinyin_rowids = [
                rowid
                for (rowid,) in self.db.execute(
                    "SELECT rowid FROM rules WHERE title_initials LIKE :pattern"
                    " OR title_pinyin LIKE :pattern ORDER BY"
                    " NOT (title_initials LIKE :prefix OR title_pinyin LIKE :prefix), rowid",
                    {"pattern": pattern, "prefix": f"{query.pinyin_key}%"},
                )
                if rowid not in chosen
            ]
            total += len(pinyin_rowids) - self._count_matching(expression, pinyin_rowids)
            for rowid in pinyin_rowids[: max(0, limit - len(chosen))]:
                chosen[rowid] = "pinyin"

        wanted = limit - len(chosen)
        if wanted > 0:
            if expression is not None:
                order = f"ORDER BY {RANK}" if total <= RANKED_HITS_LIMIT else ""
                body = self.db.execute(
                    f"SELECT rowid FROM rules_search WHERE rules_search MATCH ? {order} LIMIT ?",
                    [expression, wanted + len(chosen)],
                ).fetchall()
            else:
                body = scanned
            for row in body:
                if row[0] not in chosen and wanted > 0:
                    chosen[row[0]] = "text"
                    wanted -= 1
        return chosen, total

    @staticmethod
    def _expression(query: Query, cited: bool) -> str | None:
        if not cited:
            return query.fts_expression()
        # A rule number as the index holds it where the text cites it: W18-05 → "w18 05".
        phrases = [f'"{index_tokens(term)}"' for term in query.terms]
        return "text_tokens : (" + " OR ".join(phrases) + ")"

    def _all_matching(self, queries: list[Query], cited: bool) -> set[int]:
        """Every rule any of ``queries`` matches, to count the rules a search found in all."""
        found: set[int] = set()
        for query in queries:
            expression = self._expression(query, cited)
            if expression is None:
                found.update(rowid for rowid, _ in self._scan(query))
            else:
                found.update(
                    rowid
                    for (rowid,) in self.db.execute(
                        "SELECT rowid FROM rules_search WHERE rules_search MATCH ?", [expression]
                    )
                )
            if query.pinyin_key and not cited:
                pattern = f"%{query.pinyin_key}%"
                found.update(
                    rowid
                    for (rowid,) in self.db.execute(
                        "SELECT rowid FROM rules"
                        " WHERE title_initials LIKE :pattern OR title_pinyin LIKE :pattern",
                        {"pattern": pattern},
                    )
                )
        return found

    # --- rule numbers typed into a search ----------------------------------------------------

    def _typed_rule_numbers(self, text: str) -> tuple[list[str], str]:
        """The rule ids whose numbers ``text`` holds (a work item's number: its rules), and the
        text without those numbers."""
        typed = typed_numbers(text)
        if not typed:
            return [], text
        numbers = self._rule_numbers()
        found: list[str] = []
        rest = text
        for start, end, keys in reversed(typed):
            hyphenated = keys[0] != fold(text[start:end])
            rule_ids = numbers.rule_ids(keys, hyphenated)
            if rule_ids:
                found[:0] = [rule_id for rule_id in rule_ids if rule_id not in found]
                rest = f"{rest[:start]} {rest[end:]}"
        return found, rest

    def _rule_numbers(self) -> _RuleNumbers:
        """Built once per imported book: ten thousand rules take a few milliseconds to key."""
        fingerprint = self.imported_fingerprint()
        if self._numbers is None or self._numbers[0] != fingerprint:
            compact: dict[str, list[str]] = {}
            unpadded: dict[str, list[str]] = {}
            item_keys: dict[str, tuple[str, str]] = {}
            for rule_id, work_item_id in self.db.execute(
                "SELECT r.id, r.work_item_id FROM rules r"
                " JOIN work_items w ON w.id = r.work_item_id ORDER BY w.position, r.position"
            ).fetchall():
                if work_item_id not in item_keys:
                    item_keys[work_item_id] = rule_number_keys(work_item_id)
                for keys in (rule_number_keys(rule_id), item_keys[work_item_id]):
                    compact.setdefault(keys[0], []).append(rule_id)
                    unpadded.setdefault(keys[1], []).append(rule_id)
            self._numbers = (fingerprint, _RuleNumbers(compact, unpadded))
        return self._numbers[1]

    def _rowids_of(self, rule_ids: list[str]) -> list[int]:
        if not rule_ids:
            return []
        marks = ",".join("?" * len(rule_ids))
        rowids = dict(
            self.db.execute(f"SELECT id, rowid FROM rules WHERE id IN ({marks})", rule_ids)
        )
        return [rowids[rule_id] for rule_id in rule_ids if rule_id in rowids]

    def _count_matching(self, expression: str | None, rowids: list[int]) -> int:
        """How many of ``rowids`` the full-text expression also matches (already counted)."""
        if expression is None or not rowids:
            return 0
        marks = ",".join("?" * len(rowids))
        return self.db.execute(
            f"SELECT count(*) FROM rules_search WHERE rules_search MATCH ? AND rowid IN ({marks})",
            [expression, *rowids],
        ).fetchone()[0]

    def _scan(self, query: Query) -> list[tuple[int, str]]:
        conditions = " AND ".join(
            "(instr(lower(title), ?) > 0 OR instr(lower(text), ?) > 0)" for _ in query.terms
        )
        parameters = [term for term in query.terms for _ in (0, 1)]
        return self.db.execute(
            f"SELECT rowid, title FROM rules WHERE {conditions}", parameters
        ).fetchall()

    def _rows_by_rowid(self, rowids: list[int]) -> dict[int, dict]:
        if not rowids:
            return {}
        marks = ",".join("?" * len(rowids))
        return {
            row["rowid"]: row
            for row in self.db.query(
                "SELECT r.rowid, r.id, r.work_item_id, r.title, r.text,"
                " w.title AS work_item_title FROM rules r"
                f" JOIN work_items w ON w.id = r.work_item_id WHERE r.rowid IN ({marks})",
                rowids,
            )
        }


def _rule(row: dict) -> Rule:
    return Rule(
        id=row["id"],
        work_item_id=row["work_item_id"],
        title=row["title"],
        text=row["text"],
        source=row["source"],
        effective=date.fromisoformat(row["effective"]),
        tags=tuple(json.loads(row["tags"])),
        status=row["status"],
    )

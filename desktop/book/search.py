"""Chinese search over the book: the tokens the index stores, and the snippets users read.

SQLite's own tokenizers cut Chinese badly: unicode61 keeps a whole run of Han characters as
one token, and trigram cannot match the two-character words clerks type most (帮扶, 慰问).
So the index stores every overlapping pair of Han characters (困难职工 → 困难 难职 职工) and
a query becomes a phrase of its pairs. Consecutive pairs in a phrase match exactly where the
query stands in the text, for queries of any length from two characters up.

Pinyin initials of titles (困难职工 → knzg) let a clerk search without switching the input
method. A rule number (W06-01, typed w0601 or w6-1) finds its rule, and a word clerks say
that the rules put otherwise (婚丧) is looked up by the words the book's synonym list gives.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

SNIPPET_LENGTH = 60
HIGHLIGHT_OPEN = "【"
HIGHLIGHT_CLOSE = "】"

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_HAN}]+|[0-9a-z]+")
_LATIN = re.compile(r"[a-z]+")


# Full-width digits and letters (０-９, Ａ-Ｚ, ａ-ｚ) fold to ASCII; punctuation is left alone,
# since the index drops it anyway.
_FULL_WIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_FULL_WIDTH_TO_ASCII = {
    code: code - 0xFEE0
    for first, last in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
    for code in range(first, last + 1)
}


def fold(text: str) -> str:
    """Lower-case and turn full-width letters and digits into ASCII, keeping every offset."""
    if _FULL_WIDTH_ALNUM.search(text):
        text = text.translate(_FULL_WIDTH_TO_ASCII)
    folded = text.lower()
    if len(folded) == len(text):
        return folded
    # A rare character lower-cases to two (İ → i̇): fold one by one to keep offsets aligned.
    return "".join(lowered if len(lowered := ch.lower()) == 1 else ch for ch in text)


def _run_tokens(run: str) -> list[str]:
    if not (run[0] >= "\u3400"):
        return [run]
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def index_tokens(text: str) -> str:
    """The space-separated tokens the full-text index stores for ``text``."""
    tokens: list[str] = []
    for match in _RUN.finditer(fold(text)):
        tokens.extend(_run_tokens(match.group()))
    return " ".join(tokens)


@dataclass(frozen=True)
class Query:
    """A user's query: the terms all results must contain, and how to look them up."""

    terms: tuple[str, ...]

    @property
    def is_empty(self) -> bool:
        return not self.terms

    def fts_expression(self) -> str | None:
        """An FTS5 MATCH expression, or None when a term is too short for the pair index."""
        phrases = []
        for term in self.terms:
            tokens: list[str] = []
            for match in _RUN.finditer(term):
                tokens.extend(_run_tokens(match.group()))
            if not tokens or any(len(t) == 1 and t >= "\u3400" for t in tokens):
                return None
            phrases.append('"' + " ".join(tokens) + '"')
        return " AND ".join(phrases)

    @property
    def pinyin_key(self) -> str | None:
        """The letters to look for in titles' pinyin, when the query is plain letters."""
        joined = "".join(self.terms)
        return joined if len(self.terms) == 1 and _LATIN.fullmatch(joined) else None


def parse_query(text: str) -> Query:
    """Split on spaces; keep only the letters, digits and Han characters the index knows."""
    terms = []
    for raw in fold(text).split():
        cleaned = "".join(m.group() for m in _RUN.finditer(raw))
        if cleaned:
            terms.append(cleaned)
    return Query(tuple(terms))


def search_key(word: str) -> str:
    """A word as the search box keeps it (folded; letters, digits and Han characters only), so
    a listed synonym and a typed term compare alike."""
    return "".join(m.group() for m in _RUN.finditer(fold(word)))


def synonym_queries(
    query: Query, synonyms: Mapping[str, tuple[str, ...]]
) -> tuple[str, list[Query]]:
    """What to search for after ``query`` itself, when a term holds a listed word: the query
    with that word replaced by each of its entries in turn. ``synonyms`` maps search_key(word)
    to its entries. Returns (the word, the queries), or ("", []) when no word is listed.

    One word per query: a clerk types one such word (婚丧, 婚丧慰问, 婚丧 标准), and trying every
    combination of two would multiply the searches for little gain.
    """
    for index, term in enumerate(query.terms):
        listed = [word for word in synonyms if word and word in term]
        if not listed:
            continue
        word = max(listed, key=len)
        before, _, after = term.partition(word)
        others = (
            *query.terms[:index],
            *(t for t in (before, after) if t),
            *query.terms[index + 1 :],
        )
        queries = []
        for entry in synonyms[word]:
            terms = tuple(dict.fromkeys((*others, *parse_query(entry).terms)))
            if terms:
                queries.append(Query(terms))
        return word, queries
    return "", []


# Letters, digits and hyphens with a digit among them may be a rule or work item number
# (W06-01, w0601, W06). Full-width and dash-like hyphens count as hyphens.
NUMBER_SEPARATORS = "\\-_\u2010-\u2015\uff0d"
_TYPED_NUMBER = re.compile(f"[0-9a-z](?:[0-9a-z{NUMBER_SEPARATORS}]*[0-9a-z])?")
_SEPARATOR_RUN = re.compile(f"[{NUMBER_SEPARATORS}]+")
_LEADING_ZEROS = re.compile("(?<![0-9])0+(?=[0-9])")


def rule_number_keys(number: str) -> tuple[str, str]:
    """The two forms a rule number is looked up by: without separators (W06-01 → w0601) and
    without leading zeros (w6-1). Typed and stored numbers alike go through here."""
    hyphenated = _SEPARATOR_RUN.sub("-", fold(number.strip()))
    return hyphenated.replace("-", ""), _LEADING_ZEROS.sub("", hyphenated)


def typed_numbers(text: str) -> list[tuple[int, int, tuple[str, str]]]:
    """(start, end, rule_number_keys) of each run of ``text`` that could be a rule number."""
    return [
        (m.start(), m.end(), rule_number_keys(m.group()))
        for m in _TYPED_NUMBER.finditer(fold(text))
        if any(ch in "0123456789" for ch in m.group())
    ]


def contains_all(text: str, query: Query) -> bool:
    """Whether every term stands in ``text``, punctuation skipped as the index skips it."""
    searchable = _without_separators(fold(text))[0]
    return all(term in searchable for term in query.terms)


# Surnames read differently from the same character in ordinary words (曾经 ceng, 曾国藩 zeng).
# pypinyin reads the word; a person's name starts with the surname reading.
SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "区": "ou", "朴": "piao", "查": "zha",
    "覃": "qin", "盖": "ge", "乐": "yue", "翟": "zhai", "缪": "miao", "尉": "yu", "召": "shao",
    "谌": "chen", "种": "chong", "繁": "po", "员": "yun", "秘": "bi", "黑": "he", "那": "na",
    "宓": "mi", "句": "gou", "阚": "kan", "訾": "zi", "隗": "wei", "冼": "xian", "洗": "xian",
}  # fmt: skip


def name_keys(name: str) -> tuple[str, str]:
    """(initials, full pinyin) of a person's name, the surname read as a surname."""
    reading = SURNAME_READINGS.get(name[:1])
    if reading is None:
        return pinyin_keys(name)
    initials, full = pinyin_keys(name[1:])
    return reading[0] + initials, reading + full


def subject_name_keys(name: str, is_person: bool) -> tuple[str, str]:
    """(initials, full pinyin) of whom a case is for: a person's name read with its surname
    (name_keys), a firm's name read as words (pinyin_keys), as the registry keys them."""
    return name_keys(name) if is_person else pinyin_keys(name)


def typed_pinyin(text: str) -> str | None:
    """The letters of ``text`` when it is pinyin a clerk typed (ding hua, Dinghua, dh, xi'an),
    spaces and apostrophes dropped; None when it holds anything else."""
    letters = re.sub(r"[\s']+", "", fold(text))
    return letters if letters and _LATIN.fullmatch(letters) else None


@lru_cache(maxsize=4096)
def pinyin_keys(title: str) -> tuple[str, str]:
    """(initials, full pinyin) of a title, e.g. 困难职工 → ("knzg", "kunnanzhigong")."""
    # Imported on first use: its phrase dictionary costs a fifth of a second at start-up, and
    # the window opens without needing it (stored keys serve the searches).
    from pypinyin import Style, lazy_pinyin

    han_only = "".join(ch for ch in title if re.match(rf"[{_HAN}0-9A-Za-z]", ch))
    initials = "".join(lazy_pinyin(han_only, style=Style.FIRST_LETTER, errors="default"))
    full = "".join(lazy_pinyin(han_only, style=Style.NORMAL, errors="default"))
    return fold(initials), fold(full)


@dataclass(frozen=True)
class Snippet:
    """An excerpt of a rule's text as pieces, each marked whether it matched the query."""

    pieces: tuple[tuple[str, bool], ...]

    def marked(self) -> str:
        """Plain text with matches in 【】, for the command line and JSON."""
        return "".join(
            f"{HIGHLIGHT_OPEN}{t}{HIGHLIGHT_CLOSE}" if hit else t for t, hit in self.pieces
        )

    def plain(self) -> str:
        return "".join(t for t, _ in self.pieces)


def match_spans(text: str, query: Query) -> list[tuple[int, int]]:
    """Where the query's terms stand in ``text`` (start, end offsets), merged and sorted."""
    folded = fold(text)
    spans: list[tuple[int, int]] = []
    compact: tuple[str, list[int]] | None = None
    for term in query.terms:
        found = _find_all(folded, term)
        if not found and _crosses_runs(term):
            # The index skips punctuation and spaces between runs of digits, letters and Han
            # characters, so such a term may match across them ("12351，热线"); look again in
            # the text without them, mapping offsets back.
            if compact is None:
                compact = _without_separators(folded)
            kept_text, kept = compact
            found = [(kept[a], kept[b - 1] + 1) for a, b in _find_all(kept_text, term)]
        spans.extend(found)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _crosses_runs(term: str) -> bool:
    return len(_RUN.findall(term)) > 1


def _find_all(text: str, term: str) -> list[tuple[int, int]]:
    found = []
    start = text.find(term)
    while start != -1:
        found.append((start, start + len(term)))
        start = text.find(term, start + len(term))
    return found


def _without_separators(folded: str) -> tuple[str, list[int]]:
    pieces, offsets = [], []
    for match in _RUN.finditer(folded):
        pieces.append(match.group())
        offsets.extend(range(match.start(), match.end()))
    return "".join(pieces), offsets


def make_snippet(text: str, query: Query, length: int = SNIPPET_LENGTH) -> Snippet:
    """An excerpt of about ``length`` characters around the first match, matches marked."""
    flat = " ".join(text.split())
    spans = match_spans(flat, query)
    if spans:
        first = spans[0][0]
        start = max(0, first - length // 3)
    else:
        start = 0
    end = min(len(flat), start + length)
    start = max(0, min(start, end - length))
    pieces: list[tuple[str, bool]] = []
    if start > 0:
        pieces.append(("…", False))
    cursor = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start > cursor:
            pieces.append((flat[cursor:span_start], False))
        pieces.append((flat[span_start:span_end], True))
        cursor = span_end
    if cursor < end:
        pieces.append((flat[cursor:end], False))
    if end < len(flat):
        pieces.append(("…", False))
    return Snippet(tuple(pieces))


@dataclass(frozen=True)
class SearchHit:
    rule_id: str
    work_item_id: str
    work_item: str
    title: str
    snippet: Snippet
    # Which part matched: "number" (the rule number typed), "title" (the words), "pinyin"
    # (title initials), or "text".
    matched_in: str
    # The listed word (婚丧) whose synonyms found this rule; "" when the typed words did.
    synonym: str = ""

    @property
    def synonym_note(self) -> str:
        """How a hit found by a synonym is labelled wherever it is listed; "" for the others."""
        return f"按“{self.synonym}”的近义词查到" if self.synonym else ""


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: tuple[SearchHit, ...]
    total: int
    # Every word the hits were found by (the typed ones and any synonyms), to mark in a rule.
    highlight: Query = Query(())

"""The shipped book cites its sources consistently: dates, versions and numbering.

These read the book's own text; they do not decide the law. They keep the book from saying
two things at once, and from dating a rule before the text it rests on was in force.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from desktop.book.loader import load_book
from desktop.paths import default_book_dir

# When the versions the book cites took effect (from their promulgation notices).
IN_FORCE = {
    "《中华人民共和国工会法》（2021年修正）": date(2022, 1, 1),
    "《中国工会章程》（2023年修改）": date(2023, 10, 12),
    "《中华人民共和国劳动合同法》（2012年修正）": date(2013, 7, 1),
    "《企业劳动争议协商调解规定》（2011年）": date(2012, 1, 1),
    "《中华人民共和国劳动争议调解仲裁法》（2007年）": date(2008, 5, 1),
    "《中华人民共和国法律援助法》（2021年）": date(2022, 1, 1),
    "《中华人民共和国个人信息保护法》（2021年）": date(2021, 11, 1),
    "《工伤保险条例》（2010年修订）": date(2011, 1, 1),
}


@pytest.fixture(scope="module")
def book():
    return load_book(default_book_dir())


def test_no_rule_is_dated_before_the_text_it_cites(book):
    for rule in book.rules:
        for source, in_force in IN_FORCE.items():
            if source in rule.source:
                assert rule.effective >= in_force, (rule.id, rule.effective, source)
        # A source known only by its year cannot be in force before that year either.
        for year in re.findall(r"（(\d{4})年", rule.source):
            assert rule.effective.year >= int(year), (rule.id, rule.effective, rule.source)


def test_the_charter_and_the_union_law_are_cited_with_their_version(book):
    for rule in book.rules:
        for name in ("《中国工会章程》", "《中华人民共和国工会法》"):
            for at in (m.end() for m in re.finditer(re.escape(name), rule.source)):
                assert rule.source[at : at + 1] == "（", (rule.id, rule.source)


def test_the_union_law_articles_on_enterprise_democracy_follow_the_2021_numbering(book):
    # The 2021 revision inserted art. 8: the 国有企业 职代会 article is 36, other firms 38.
    rule = next(r for r in book.rules if r.id == "W16-02")
    assert rule.source == "《中华人民共和国工会法》（2021年修正）第三十六条、第三十八条"


def test_a_claim_is_made_with_one_status_wherever_it_is_made(book):
    rules = {rule.id: rule for rule in book.rules}
    # The election thresholds live in W18-05 (待核实); W01-06 refers to it, not restating them.
    assert "三分之二" not in rules["W01-06"].text and "W18-05" in rules["W01-06"].text
    assert rules["W01-06"].status == "国家规定" and rules["W18-05"].status == "待核实"
    # The 0.5% dues rest on the same unchecked 全总 document in both places.
    assert rules["W02-07"].status == rules["W13-01"].status == "待核实"
    # 章程 art. 2 is national; how this county records the decision is its own default.
    assert "第二条" in rules["W02-02"].source and "代表委员会" not in rules["W02-02"].text
    assert rules["W02-10"].status == "地方默认" and "代表委员会" in rules["W02-10"].text


def test_work_injury_recognition_has_its_time_limits(book):
    rule = next(r for r in book.rules if r.id == "W25-07")
    assert rule.source == "《工伤保险条例》（2010年修订）第十七条" and rule.status == "国家规定"
    assert "30日内" in rule.text and "工会组织" in rule.text and "1年内" in rule.text

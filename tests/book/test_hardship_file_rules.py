"""[[steps.hardship_file]] in a procedure file: read as written, a mistake pointed at its line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from desktop.book.loader import load_book
from desktop.cases.hardship_file import FileChange, file_change
from tests.book.test_loader import line_of, problems_of, replace_in

PAYMENT = """deadline = { limit = 10, unit = "自然日", from = "approval" }
"""


def with_rules(book_dir: Path, rules: str) -> Path:
    path = book_dir / "procedures" / "small_aid.toml"
    replace_in(path, PAYMENT, PAYMENT + rules)
    return path


def test_the_first_rule_that_holds_sets_the_file(small_book_dir: Path):
    with_rules(
        small_book_dir,
        '\n[[steps.hardship_file]]\nwhen = "eligibility_level == \'深度困难\'"\nstatus = "建档"\n'
        'review_months = 6\n\n[[steps.hardship_file]]\nstatus = "退出"\n',
    )
    (procedure,) = load_book(small_book_dir).procedures
    payment = procedure.step("payment")
    paid = date(2026, 8, 31)
    deep = {"eligibility_level": "深度困难"}
    assert file_change(payment, deep, "", paid) == FileChange("建档", date(2027, 2, 28))
    # Already under care: filing again keeps it 在档.
    assert file_change(payment, deep, "在档", paid) == FileChange("在档", date(2027, 2, 28))
    assert file_change(payment, {"eligibility_level": "因病困难"}, "在档", paid) == FileChange(
        "退出", None
    )
    assert file_change(procedure.step("approval"), deep, "", paid) is None


def test_a_wrong_status_and_a_review_for_an_ended_file_point_at_their_lines(small_book_dir):
    path = with_rules(
        small_book_dir,
        '\n[[steps.hardship_file]]\nstatus = "归档"\n'
        '\n[[steps.hardship_file]]\nstatus = "脱困"\nreview_months = 12\n'
        '\n[[steps.hardship_file]]\nstatus = "在档"\nreview_months = 0\n',
    )
    wrong, ended, zero = problems_of(small_book_dir)
    assert f"第 {line_of(path, '归档')} 行" in wrong
    assert "status “归档”不对，只能是 建档、在档、脱困、退出" in wrong
    assert f"第 {line_of(path, 'review_months = 12')} 行" in ended
    assert "脱困后档案不再复核，不要写 review_months" in ended
    assert "review_months 应在 1 到 60 之间" in zero and "现在是 0" in zero

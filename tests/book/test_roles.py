"""Posts are spelled one way everywhere: in the book, the staff dialog and the demo's staff.

An approval card pre-selects the registered staff member whose post is the one the step names,
so a procedure asking for “经审委员” while the dialog offers “经费审查委员” never finds the
office's auditor, and someone else (the chair) ends up signing.
"""

from __future__ import annotations

from pathlib import Path

from desktop.book.loader import load_book
from desktop.demo import DEMO_STAFF_BY_ROLE
from desktop.staff import POSTS

# Decisions recorded from outside the office, or taken by the committee as a body.
NOT_A_POST = {"上级工会", "工会委员会"}


def test_every_post_the_book_names_is_offered_by_the_staff_dialog(shipped_book_dir: Path):
    book = load_book(shipped_book_dir)
    named = {step.role for procedure in book.procedures for step in procedure.steps}
    named |= {
        step.approval.role
        for procedure in book.procedures
        for step in procedure.steps
        if step.approval is not None
    }
    named |= {item.responsible_role for item in book.service_items}
    posts = named - NOT_A_POST
    assert "经费审查委员" in posts
    assert posts <= set(POSTS), posts - set(POSTS)
    # The demo office has someone in each of them, under the same spelling.
    assert posts <= set(DEMO_STAFF_BY_ROLE), posts - set(DEMO_STAFF_BY_ROLE)

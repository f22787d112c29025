"""Where each form is printed: the procedure steps that name it (``forms = [...]``)."""

from __future__ import annotations

from collections.abc import Iterable

from desktop.book.procedures import Procedure


def form_users(procedures: Iterable[Procedure] | None = None) -> dict[str, list[str]]:
    """Form id → ["困难职工帮扶救助 · 受理申请", …] in procedure and step order.

    Without ``procedures``, those of the shipped book.
    """
    if procedures is None:
        from desktop.book.loader import load_book
        from desktop.paths import default_book_dir

        procedures = load_book(default_book_dir()).procedures
    users: dict[str, list[str]] = {}
    for procedure in procedures:
        for step in procedure.steps:
            for form_id in step.form_ids:
                users.setdefault(form_id, []).append(f"{procedure.title} · {step.title}")
    return users

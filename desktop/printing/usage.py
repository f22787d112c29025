"""Where each form is printed: the procedure steps that name it (``forms = [...]``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from desktop.book.procedures import Procedure


@dataclass(frozen=True)
class FormUse:
    """A step that prints a form: 困难职工帮扶救助 · 受理申请."""

    procedure_id: str
    procedure_title: str
    step_title: str

    def __str__(self) -> str:
        return f"{self.procedure_title} · {self.step_title}"


def form_users(procedures: Iterable[Procedure] | None = None) -> dict[str, list[FormUse]]:
    """Form id → the steps that print it, in procedure and step order (first use first).

    Without ``procedures``, those of the shipped book.
    """
    if procedures is None:
        from desktop.book.loader import load_book
        from desktop.paths import default_book_dir

        procedures = load_book(default_book_dir()).procedures
    users: dict[str, list[FormUse]] = {}
    for procedure in procedures:
        for step in procedure.steps:
            for form_id in step.form_ids:
                use = FormUse(procedure.id, procedure.title, step.title)
                if use not in users.setdefault(form_id, []):
                    users[form_id].append(use)
    return users

"""The forms an office prints and the procedure steps that print each (``forms = [...]``).

The window lists them in 表单打印, offers each step its forms and the case list its sign-off
sheets; ``uniondesk forms`` lists them too. All ask here.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from desktop.book.procedures import Procedure
from desktop.printing.context import office_procedures
from desktop.printing.forms import Form, FormError, load_forms
from desktop.printing.jobs import rows_per_case

if TYPE_CHECKING:
    from desktop.office import Office

log = logging.getLogger(__name__)


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


@dataclass
class OfficeForms:
    """The forms an office prints, checked against its procedures, and the steps using each.
    When a form file is wrong, ``error`` says where and ``forms`` is empty."""

    forms: dict[str, Form] = field(default_factory=dict)
    uses: dict[str, list[FormUse]] = field(default_factory=dict)
    error: FormError | None = None

    def used_by(self, form_id: str) -> list[FormUse]:
        return self.uses.get(form_id, [])

    def signoff_forms(self) -> list[Form]:
        """Sign-off sheets with a row per case (not sign-in sheets signed by hand)."""
        return [form for form in self.forms.values() if rows_per_case(form)]


_office_forms: weakref.WeakKeyDictionary[Office, OfficeForms] = weakref.WeakKeyDictionary()


def office_forms(office: Office, reload: bool = False) -> OfficeForms:
    """The office's forms, read once per office (``reload`` reads the files again)."""
    cached = _office_forms.get(office)
    if cached is not None and not reload:
        return cached
    procedures = office_procedures(office)
    # In the order of the service checklist the clerk knows (组织建设, 企业, 帮扶 …), each
    # procedure's forms in the order of its steps.
    by_hash = {procedure.source_hash: procedure for procedure in procedures}
    hashes = office.book.procedure_hashes()
    ordered = [hashes[item.id] for item in office.book.service_items() if item.id in hashes]
    ordered = [h for h in ordered if h in by_hash] + list(by_hash)
    uses = form_users(by_hash[h] for h in dict.fromkeys(ordered))
    try:
        forms = load_forms(procedures=procedures)
        order = {form_id: index for index, form_id in enumerate(uses)}
        forms = dict(sorted(forms.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))
        catalogue = OfficeForms(forms, uses)
    except FormError as error:
        log.warning("form files have problems: %s", error)
        catalogue = OfficeForms({}, uses, error)
    _office_forms[office] = catalogue
    return catalogue


__all__ = ["FormUse", "OfficeForms", "form_users", "office_forms"]

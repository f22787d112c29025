"""The text limits and the forms agree: a field typed to its limit prints in its box.

Text a clerk writes (申请事由, 调查人意见, 审批意见 …) is limited to what keeps every form
that prints it on its one sheet. Names and other facts of the world are as long as they are
(a Uyghur name of 40 characters, a firm's registered name): they print whole, wrapping in their
cells, and a dense form may need a second sheet, never more. The office's name, printed in
headings and footers that do not wrap, fits beside the number and the page count.
"""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

import pytest

from desktop.book.loader import load_book
from desktop.cases.fields import NOTE_LIMIT, OPINION_LIMIT, REPEAT_REASON_LIMIT
from desktop.identity import make_id_number
from desktop.office import OFFICE_NAME_LIMIT, Office
from desktop.paths import default_book_dir
from desktop.printing import SIGNOFF, blank_context, case_context, render_pdf
from desktop.printing.office_forms import form_users
from desktop.registry import ENTERPRISE_TEXT_LIMITS, PERSON_TEXT_LIMITS, clean_person
from desktop.validation import MAX_PERSON_NAME_LENGTH

FREE, FACT = "free", "fact"
# The record fields forms print, with their limits: facts about people and firms.
RECORD_LIMITS = {
    "person.name": PERSON_TEXT_LIMITS["name"],
    "person.union_name": PERSON_TEXT_LIMITS["union_name"],
    "person.enterprise": ENTERPRISE_TEXT_LIMITS["name"],
    "enterprise.name": ENTERPRISE_TEXT_LIMITS["name"],
    "enterprise.address": ENTERPRISE_TEXT_LIMITS["address"],
    "enterprise.contact": ENTERPRISE_TEXT_LIMITS["contact"],
    # Staff names (who opened the case, who signed a step).
    "case.opened_by": MAX_PERSON_NAME_LENGTH,
    "office.operator": MAX_PERSON_NAME_LENGTH,
}


@pytest.fixture(scope="module")
def procedures():
    return load_book(default_book_dir()).procedures


def typed_limits(form, procedures) -> dict[str, tuple[int, str]]:
    """Each text the form prints that somebody types: (its limit, free text or a fact)."""
    users = {use.procedure_id for use in form_users(procedures).get(form.id, [])}
    limits: dict[str, tuple[int, str]] = {}
    for name in form.field_names():
        if name in RECORD_LIMITS:
            limits[name] = (RECORD_LIMITS[name], FACT)
        elif name == "case.repeat_reason":
            limits[name] = (REPEAT_REASON_LIMIT, FREE)
        elif name.startswith("step."):
            _, step_id, key = name.split(".")
            if key == "note":
                limits[name] = (NOTE_LIMIT, FREE)
            elif key == "opinion":
                limits[name] = (OPINION_LIMIT, FREE)
            for procedure in procedures:
                if procedure.id not in users:
                    continue
                for step in procedure.steps:
                    for spec in step.fields:
                        if step.id == step_id and spec.id == key and spec.length_limit:
                            kind = FACT if spec.type == "name" else FREE
                            limits[name] = (spec.length_limit, kind)
    return limits


def pages(form, values) -> int:
    data = blank_context(form)
    data.values.update(values)
    return render_pdf(form, data, BytesIO()).pages


def test_every_form_prints_some_typed_text(forms, procedures):
    # The check below is only as good as the fields it finds.
    found = {form_id: typed_limits(form, procedures) for form_id, form in forms.items()}
    assert found["aid_application"]["step.application.reason"] == (250, FREE)
    assert found["home_visit_survey"]["step.home_visit.visitor_1"] == (40, FACT)
    assert sum(kind == FREE for f in found.values() for _, kind in f.values()) >= 20


def test_free_text_at_its_limit_keeps_each_form_on_one_sheet(forms, procedures):
    spilled = []
    for form_id, form in forms.items():
        for name, (limit, kind) in typed_limits(form, procedures).items():
            if kind == FREE and pages(form, {name: "困" * limit}) > 1:
                spilled.append(f"{form_id} {name} {limit}")
    assert spilled == []


def test_a_fact_at_its_limit_takes_at_most_one_more_sheet(forms, procedures):
    for form_id, form in forms.items():
        for name, (limit, kind) in typed_limits(form, procedures).items():
            if kind == FACT:
                assert pages(form, {name: "困" * limit}) <= 2, (form_id, name)


def test_everything_at_its_limit_at_once_takes_at_most_two_sheets(forms, procedures):
    for form_id, form in forms.items():
        values = {name: "困" * limit for name, (limit, _) in typed_limits(form, procedures).items()}
        assert pages(form, values) <= 2, form_id


def overlapping(chars) -> list[str]:
    """Pairs of characters on one line whose boxes overlap: text printed over text."""
    lines: dict[int, list] = {}
    for c in chars:
        lines.setdefault(round(c["top"]), []).append(c)
    found = []
    for line in lines.values():
        line.sort(key=lambda c: c["x0"])
        for left, right in zip(line, line[1:], strict=False):
            if left["x1"] > right["x0"] + 0.5:
                found.append(left["text"] + right["text"])
    return found


@pytest.mark.parametrize("body_font", ["bundled_song", "sans"])
def test_the_office_name_at_its_limit_fits_the_heading_and_footer(forms, read_pdf, body_font):
    name = "困" * OFFICE_NAME_LIMIT
    for form_id, form in forms.items():
        data = blank_context(form)
        data.values.update({"office.name": name, "doc.number": "BF-2026-0007"})
        data.number = "BF-2026-0007"
        out = BytesIO()
        render_pdf(form, data, out, body_font=body_font)
        page = read_pdf(out.getvalue()).pages[0]
        height = page.height
        # The heading line under the title and the footer line: nothing printed over anything.
        edges = [c for c in page.chars if c["top"] < 110 or c["top"] > height - 50]
        assert overlapping(edges) == [], form_id
        assert name in "".join(c["text"] for c in page.chars), form_id


def test_a_uyghur_name_of_40_characters_is_saved_whole_and_printed_whole(tmp_path, forms, read_pdf):
    name = "阿卜杜热合曼·阿卜杜热西提·艾合买提江·吐尔逊托合提·买买提依明·阿卜杜克里木江"
    now = datetime(2026, 3, 2, 9, 0)
    with Office.open(tmp_path / "data") as office:
        office.cases.clock = lambda: now
        office.staff.add("李红梅", "工会专干")
        raw = {"name": name, "id_number": make_id_number("653101", date(1979, 4, 2), 3)}
        person = office.registry.add_person(clean_person(raw, now.date()), "李红梅", now)
        assert office.registry.person(person).name == name
        case = office.cases.open_case("BF-01", "李红梅", person_id=person)
        out = BytesIO()
        result = render_pdf(forms["aid_application"], case_context(office, case.number), out)
    (cell,) = [c for c in result.cells if c.name == "person.name"]
    chars = read_pdf(out.getvalue()).chars_in(cell.page, cell.x0, cell.top, cell.x1, cell.bottom)
    assert "".join(c["text"] for c in chars) == name  # whole, in the name's own cell
    assert result.pages <= 2


def test_a_sign_off_row_with_a_long_name_stays_in_its_row(forms):
    form = forms["aid_payment_signoff"]
    assert form.kind == SIGNOFF
    data = blank_context(form)
    data.rows = [{"serial": 1, "name": "困" * MAX_PERSON_NAME_LENGTH, "amount_fen": 100_000}]
    assert render_pdf(form, data, BytesIO()).pages == 1

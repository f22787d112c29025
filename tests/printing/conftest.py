"""Fixtures for printing: one copy of the demo office per session, read only, the forms, and
a reader that gives back what a PDF holds (pdfplumber)."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pdfplumber
import pytest

from desktop.office import Office
from desktop.printing import load_forms, office_procedures
from tests.cases.procedure_driver import CHAIR, CLERK
from tests.shared import DEMO_NOW, copy_demo

# The application forms are each for one kind of hardship aid.
FORM_KINDS = {
    "aid_application": "生活救助",
    "medical_aid_application": "医疗救助",
    "golden_autumn_application": "金秋助学",
}


@pytest.fixture(scope="session")
def demo_office(demo_template, tmp_path_factory):
    folder = copy_demo(demo_template, tmp_path_factory.mktemp("printing") / "demo")
    with Office.open(folder) as office:
        office.cases.clock = lambda: DEMO_NOW
        yield office


@pytest.fixture(scope="session")
def forms():
    return load_forms()


@pytest.fixture(scope="session")
def printed_cases(demo_office, forms):
    """For each form, a finished demo case whose procedure printed it at a completed step."""
    procedures = {p.source_hash: p for p in office_procedures(demo_office)}
    found: dict[str, str] = {}
    rows = demo_office.db.execute(
        "SELECT id, number, procedure_hash, kind FROM cases WHERE status = 'closed' ORDER BY id"
    ).fetchall()
    for case_id, number, procedure_hash, kind in rows:
        procedure = procedures.get(procedure_hash) or demo_office.cases.repo.procedure(
            procedure_hash
        )
        wanted = [
            form_id
            for step in procedure.steps
            for form_id in step.form_ids
            if form_id not in found and FORM_KINDS.get(form_id, kind) == kind
        ]
        if not wanted:
            continue
        view = demo_office.cases.view(case_id)
        for step in procedure.steps:
            if view.state.record(step.id).status != "done":
                continue
            for form_id in step.form_ids:
                if form_id in wanted:
                    found.setdefault(form_id, number)
        if len(found) == len(forms):
            break
    return found


class PrintedPdf:
    """A rendered PDF opened for reading: pages' text, characters and font dictionaries."""

    def __init__(self, content: bytes):
        self.content = content
        self.pdf = pdfplumber.open(BytesIO(content))
        self._pdfium = None

    @property
    def pages(self):
        return self.pdf.pages

    def text(self, page_number: int) -> str:
        return self.pdf.pages[page_number - 1].extract_text() or ""

    def raw_text(self, page_number: int) -> str:
        """The page's text by PDFium (pdfplumber's own renderer): fast, for long documents."""
        if self._pdfium is None:
            import pypdfium2

            self._pdfium = pypdfium2.PdfDocument(self.content)
        return self._pdfium[page_number - 1].get_textpage().get_text_range()

    def chars_in(self, page_number: int, x0: float, top: float, x1: float, bottom: float):
        """Characters whose centre lies in the box, in drawing order."""
        page = self.pdf.pages[page_number - 1]
        return [
            c
            for c in page.chars
            if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom
        ]

    def fonts(self):
        """Every font dictionary used on any page, resolved."""
        from pdfminer.pdftypes import resolve1

        seen = {}
        for page in self.pdf.pages:
            resources = resolve1(page.page_obj.resources) or {}
            for name, ref in (resolve1(resources.get("Font")) or {}).items():
                font = resolve1(ref)
                seen[(page.page_number, name)] = font
        return seen

    def close(self):
        self.pdf.close()
        if self._pdfium is not None:
            self._pdfium.close()


@pytest.fixture
def read_pdf():
    opened: list[PrintedPdf] = []

    def read(source: bytes | Path | BytesIO) -> PrintedPdf:
        if isinstance(source, BytesIO):
            content = source.getvalue()
        elif isinstance(source, Path):
            content = source.read_bytes()
        else:
            content = source
        pdf = PrintedPdf(content)
        opened.append(pdf)
        return pdf

    yield read
    for pdf in opened:
        pdf.close()


@pytest.fixture
def staffed_on_clock(tmp_path, clock):
    """A new office on disk with a clerk and a chair, on the test's clock."""
    with Office.open(tmp_path / "data") as office:
        office.set_up("示例镇总工会", [(CLERK, "工会专干"), (CHAIR, "工会主席")])
        office.cases.clock = clock
        yield office

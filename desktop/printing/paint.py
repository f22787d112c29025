"""Laid-out pages drawn onto a reportlab canvas: text in the face that has each character,
ruled rows with a heavier frame, signature lines, the 说明, and the page's footer.

The layout measures from the top-left corner of the page; reportlab's origin is the bottom-left,
and the turn happens here (Painter.y).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas

from desktop.printing.boxes import MM, PAD_X, PAD_Y, CellLayout
from desktop.printing.fonts import MISSING_MARK, FontSet
from desktop.printing.layout import (
    CONTINUED_TITLE_SIZE,
    SMALL_SIZE,
    SUBTITLE_SIZE,
    TITLE_SIZE,
    Layout,
    Page,
    Placed,
)

LINE_INNER = 0.5
LINE_OUTER = 1.0
LABEL_GREY = 0.93
SIGN_GAP = 30 * MM


@dataclass(frozen=True)
class CellRecord:
    """Where a value was printed: page (from 1) and box in points from the top-left."""

    page: int
    name: str
    text: str
    x0: float
    top: float
    x1: float
    bottom: float


class Painter:
    """Draws the pages of a Layout, and records where each value went (for the tests)."""

    def __init__(self, layout: Layout, canvas: Canvas):
        self.layout = layout
        self.canvas = canvas
        self.records: list[CellRecord] = []
        self.texts = canvas.beginText()
        self.font: tuple[str, float] | None = None

    def y(self, top: float) -> float:
        return self.layout.page_height - top

    def text(self, x: float, baseline: float, text: str, fonts: FontSet, size: float) -> None:
        """Draw ``text`` with each run in the face that has its characters.

        Plain text goes into one text object per page (fewer operators, a faster save); bold
        text is drawn at once, outlined as well as filled (render mode 2) to look bold.
        """
        y = self.y(baseline)
        for face, run in fonts.runs(text):
            width = face.width(run, size)
            if not run.strip():
                x += width
                continue
            if any(not fonts.has(c) for c in run):
                run = "".join(c if fonts.has(c) else MISSING_MARK for c in run)
                width = face.width(run, size)
            if fonts.bold:
                self.canvas.setLineWidth(size * 0.035)
                self.canvas.setFont(face.name, size)
                self.canvas.drawString(x, y, run, mode=2)
            else:
                if self.font != (face.name, size):
                    self.texts.setFont(face.name, size)
                    self.font = (face.name, size)
                self.texts.setTextOrigin(x, y)
                self.texts.textOut(run)
            x += width

    def aligned(
        self,
        x0: float,
        x1: float,
        baseline: float,
        text: str,
        fonts: FontSet,
        size: float,
        align: str,
    ) -> None:
        width = fonts.width(text, size)
        if align == "center":
            x = (x0 + x1 - width) / 2
        elif align == "right":
            x = x1 - width
        else:
            x = x0
        self.text(x, baseline, text, fonts, size)

    @staticmethod
    def baseline(line_top: float, leading: float, size: float) -> float:
        return line_top + leading / 2 + 0.36 * size

    def page(self, number: int, total: int) -> None:
        layout = self.layout
        page = layout.pages[number - 1]
        self.texts = self.canvas.beginText()
        self.font: tuple[str, float] | None = None
        self.header(page)
        for placed in page.rows:
            self.row(placed, number)
        self.outer_borders(page)
        for top, line in page.notes:
            base = self.baseline(top, line.leading, line.size)
            if line.lead:
                self.aligned(
                    layout.left,
                    layout.left + line.indent,
                    base,
                    line.lead,
                    line.fonts,
                    line.size,
                    "right",
                )
            self.text(layout.left + line.indent, base, line.text, line.fonts, line.size)
        self.footer(number, total)
        self.canvas.drawText(self.texts)

    def header(self, page: Page) -> None:
        layout = self.layout
        form = layout.form
        faces = layout.faces
        y = layout.top
        size = TITLE_SIZE if page.first else CONTINUED_TITLE_SIZE
        title = form.title if page.first else f"{form.title}（续）"
        self.aligned(
            layout.left,
            layout.left + layout.content_width,
            self.baseline(y, size * 1.5, size),
            title,
            faces.heading,
            size,
            "center",
        )
        y += size * 1.5
        if page.first and form.subtitle:
            self.aligned(
                layout.left,
                layout.left + layout.content_width,
                self.baseline(y, SUBTITLE_SIZE * 1.5, SUBTITLE_SIZE),
                form.subtitle,
                faces.body,
                SUBTITLE_SIZE,
                "center",
            )
            y += SUBTITLE_SIZE * 1.5
        if layout.heading_left or layout.heading_right:
            base = self.baseline(y, layout.size * 1.8, layout.size)
            self.text(layout.left, base, layout.heading_left, faces.body, layout.size)
            self.aligned(
                layout.left,
                layout.left + layout.content_width,
                base,
                layout.heading_right,
                faces.body,
                layout.size,
                "right",
            )

    def footer(self, number: int, total: int) -> None:
        layout = self.layout
        fonts = layout.faces.body
        size = SMALL_SIZE
        base = layout.bottom + (layout.page_height - layout.bottom) * 0.45
        x0, x1 = layout.left, layout.left + layout.content_width
        self.aligned(x0, x1, base, f"第 {number} 页 共 {total} 页", fonts, size, "center")
        if layout.footer:
            self.text(x0, base, layout.footer, fonts, size)
        number_text = layout.data.number or layout.data.values.get("doc.number") or ""
        if number_text:
            self.aligned(x0, x1, base, f"编号：{number_text}", fonts, size, "right")

    def row(self, placed: Placed, page_number: int) -> None:
        canvas = self.canvas
        row = placed.row
        top, bottom = placed.top, placed.top + placed.height
        if row.border:
            for cell in row.cells:
                if cell.fill:
                    canvas.setFillGray(LABEL_GREY)
                    canvas.rect(
                        cell.x0, self.y(bottom), cell.x1 - cell.x0, placed.height, stroke=0, fill=1
                    )
            canvas.setFillGray(0)
            # Thin rules: the row's top edge and the lines between its cells. The heavier frame
            # drawn around the table afterwards covers the outer edges.
            lines = canvas.beginPath()
            left, right = row.cells[0].x0, row.cells[-1].x1
            lines.moveTo(left, self.y(top))
            lines.lineTo(right, self.y(top))
            for cell in row.cells[1:]:
                lines.moveTo(cell.x0, self.y(top))
                lines.lineTo(cell.x0, self.y(bottom))
            canvas.setStrokeGray(0)
            canvas.setLineWidth(LINE_INNER)
            canvas.drawPath(lines, stroke=1, fill=0)
        for cell in row.cells:
            self.cell(cell, top, bottom, page_number)

    def cell(self, cell: CellLayout, top: float, bottom: float, page_number: int) -> None:
        x0, x1 = cell.x0 + PAD_X, cell.x1 - PAD_X
        lines = cell.body_lines()
        body = cell.body
        content = len(lines) * body.leading + cell.head_height() + cell.sign_height()
        if cell.valign == "middle":
            y = top + max(PAD_Y, (bottom - top - content) / 2)
        else:
            y = top + PAD_Y
        if cell.head is not None and cell.show_head:
            for line in cell.head.lines:
                self.aligned(
                    x0,
                    x1,
                    self.baseline(y, cell.head.leading, cell.head.size),
                    line,
                    cell.head.fonts,
                    cell.head.size,
                    "left",
                )
                y += cell.head.leading
        for line in lines:
            self.aligned(
                x0,
                x1,
                self.baseline(y, body.leading, body.size),
                line,
                body.fonts,
                body.size,
                body.align,
            )
            y += body.leading
        if cell.name and lines and cell.kind != "label":
            self.records.append(
                CellRecord(page_number, cell.name, "".join(lines), cell.x0, top, cell.x1, bottom)
            )
        if cell.sign and cell.show_sign and cell.sign_text is not None:
            self.sign_area(cell, x0, x1, bottom)

    def sign_area(self, cell: CellLayout, x0: float, x1: float, bottom: float) -> None:
        assert cell.sign_text is not None
        fonts, size, leading = cell.sign_text.fonts, cell.sign_text.size, cell.sign_text.leading
        y = bottom - PAD_Y - len(cell.sign) * leading
        for text, how in cell.sign:
            base = self.baseline(y, leading, size)
            if how == "sign":
                label, date = text.split("\t")
                date_width = fonts.width(date, size)
                label_width = fonts.width(label, size)
                gap = min(SIGN_GAP, x1 - x0 - label_width - date_width)
                start = x1 - date_width - gap - label_width
                self.text(start, base, label, fonts, size)
                self.text(x1 - date_width, base, date, fonts, size)
            elif how == "seal":
                self.aligned(x0, x1 - 8 * MM, base, text, fonts, size, "right")
            else:
                self.aligned(x0, x1, base, text, fonts, size, how)
            y += leading

    def outer_borders(self, page: Page) -> None:
        """A heavier rule around each run of bordered rows on the page."""
        canvas = self.canvas
        canvas.setLineWidth(LINE_OUTER)
        canvas.setStrokeGray(0)
        run: list[Placed] = []
        for placed in [*page.rows, None]:
            if placed is not None and placed.row.border:
                if run and abs(run[-1].top + run[-1].height - placed.top) > 0.5:
                    self._frame(run)
                    run = []
                run.append(placed)
                continue
            if run:
                self._frame(run)
                run = []

    def _frame(self, run: list[Placed]) -> None:
        x0 = min(c.x0 for p in run for c in p.row.cells)
        x1 = max(c.x1 for p in run for c in p.row.cells)
        top = run[0].top
        bottom = run[-1].top + run[-1].height
        self.canvas.rect(x0, self.y(bottom), x1 - x0, bottom - top, stroke=1, fill=0)

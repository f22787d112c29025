"""A form filled with its data, laid out on pages before anything is drawn.

Every cell's text is wrapped, every row measured and placed on a page, so the number of pages
is known when the first page is drawn ("第 1 页 共 3 页"), and characters no font can draw are
found before printing. A row whose text does not fit in what is left of a page is split between
lines there, each part in its own ruled cell (the label repeated with "（续）"), so text never
crosses a border; only when little of the page is left, or the row is tall for handwriting
rather than for its text, does it move whole to the next page. The 说明 under the table stay
with the last row: set a little tighter, or carried over with that row, never alone on a page.

A sign-off sheet's table is laid out by desktop.printing.signoff. Coordinates are points
measured from the top-left corner of the page (desktop.printing.paint turns them into
reportlab's bottom-left ones when drawing).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from desktop.printing.boxes import MM, PAD_X, CellLayout, RowLayout, TextBlock
from desktop.printing.context import PrintData
from desktop.printing.fields import (
    BLANK_DATE,
    FieldInfo,
    choice_items,
    format_value,
    is_empty,
)
from desktop.printing.fonts import FontSet, Typefaces
from desktop.printing.forms import Cell, Form, Placeholder, Row, Template, TextRef
from desktop.printing.textflow import wrap, wrap_balanced, wrap_items

TITLE_SIZE = 18.0  # 小二
CONTINUED_TITLE_SIZE = 14.0  # 四号
SUBTITLE_SIZE = 12.0  # 小四
SMALL_SIZE = 9.0  # 小五
SHRINK_LIMIT = 0.75  # the smallest a code or amount is set to fit its column, as a share
BLANK_FILL = "________"  # an empty field inside running text, to write on
# An amount cell left to the hand shows its unit (and the 大写 to write out): the formats that
# print one, and the room before 元 for the figures.
BLANK_MONEY = ("money_yuan", "money_both")
BLANK_MONEY_LEAD = "　" * 7
SIGN_GAP_MIN = 25 * MM  # room to sign between the label and the date, or they take two lines
SEAL_TEXT = "（盖章）"
# A row whose text overflows the page is split there when at least this share of the page's
# height is left; with less, it moves whole to the next page.
SPLIT_ROOM = 0.25
NOTE_SPACING = 1.5  # the 说明's line spacing, in font sizes
NOTE_SPACING_TIGHT = 1.3  # ... when that keeps them on the page of the last row
NOTE_GAP = 1.5 * MM  # between the table and the 说明
NOTE_GAP_TIGHT = 0.8 * MM


@dataclass(frozen=True)
class Scope:
    """What a text is filled from when it is not the whole form's data: a row of a sign-off
    sheet, with its case's values and conditions."""

    values: Mapping[str, Any]
    conditions: Mapping[str, Any]


@dataclass
class Placed:
    row: RowLayout
    top: float
    height: float


@dataclass
class NoteLine:
    """One line of the 说明 under the grid: a number in the margin, then the text."""

    lead: str
    text: str
    indent: float
    fonts: FontSet
    size: float
    spacing: float = NOTE_SPACING

    @property
    def leading(self) -> float:
        return self.size * self.spacing


@dataclass
class Page:
    rows: list[Placed] = field(default_factory=list)
    notes: list[tuple[float, NoteLine]] = field(default_factory=list)  # (top, line)
    first: bool = True


class Layout:
    """The pages of one filled form: ``paginate`` fills ``pages``, and ``missing`` and
    ``warnings`` say what the clerk should know before printing."""

    def __init__(self, form: Form, data: PrintData, faces: Typefaces, reveal_personal: bool):
        self.form = form
        self.data = data
        self.faces = faces
        self.reveal = reveal_personal
        self.size = form.page.font_size
        self.missing: list[tuple[str, str]] = []
        self.warnings: list[str] = list(data.notices)
        self.page_width = form.page.width * MM
        self.page_height = form.page.height * MM
        self.left = form.page.left * MM
        self.content_width = form.page.content_width * MM
        self.top = form.page.top * MM
        self.bottom = self.page_height - form.page.bottom * MM
        self.pages: list[Page] = []
        self.squeeze = 0.0  # how far rows with ``shrink_to`` give up their height, 0 to 1
        self.heading_left = self.template(form.heading_left, "标题下一行")
        self.heading_right = self.template(form.heading_right, "编号")
        self.footer = self.template(form.footer, "页脚", fill_blank=False)
        self._check_with(faces.heading, form.title, "标题")
        self._check_with(faces.body, form.subtitle, "标题")
        self._check_with(faces.body, self.heading_left + self.heading_right, "页眉")
        self._check_with(faces.body, self.footer, "页脚")

    # --- values

    def info(self, base: FieldInfo) -> FieldInfo:
        return self.data.infos.get(base.name, base)

    def value_of(
        self, infos: tuple[FieldInfo, ...], values: Mapping[str, Any] | None = None
    ) -> tuple[Any, FieldInfo | None]:
        values = self.data.values if values is None else values
        for base in infos:
            value = values.get(base.name)
            if base.name == "doc.number" and is_empty(value):
                value = self.data.number
            if not is_empty(value):
                return value, self.info(base)
        return None, (self.info(infos[0]) if infos else None)

    def format(
        self,
        infos: tuple[FieldInfo, ...],
        fmt: str | None,
        choices: tuple[str, ...] = (),
        values: Mapping[str, Any] | None = None,
    ) -> str:
        value, info = self.value_of(infos, values)
        if info is None:
            return ""
        return format_value(value, info, fmt, choices, self.reveal)

    def shows(self, cell: Cell) -> bool:
        """Whether the cell's content prints for this case (its ``when`` / ``unless``)."""
        return cell.condition.shows(self.data.conditions)

    def text_block(self, name: str, where: str, fill_blank: bool, scope: Scope | None) -> str:
        """The first alternative of text block ``name`` the case meets; "" when none does (a
        blank form, or no alternative fits): the place is left for the hand."""
        conditions = self.data.conditions if scope is None else scope.conditions
        for choice in self.form.texts.get(name, ()):
            if choice.condition.shows(conditions):
                return self.template(choice.text, where, fill_blank, scope)
        return ""

    def template(
        self, template: Template, where: str, fill_blank: bool = True, scope: Scope | None = None
    ) -> str:
        """The text with its fields filled in: from the form's data, or from ``scope`` (one row
        of a sign-off sheet)."""
        text = ""
        for part in template.parts:
            if isinstance(part, str):
                text += part
                continue
            if isinstance(part, TextRef):
                text += self.text_block(part.name, where, fill_blank, scope)
                continue
            assert isinstance(part, Placeholder)
            value = self.format(part.infos, part.format, values=scope.values if scope else None)
            if not value and fill_blank:
                kind = self.info(part.infos[0]).type
                value = "　　" + BLANK_DATE if kind == "date" else BLANK_FILL
            text += value
        return text

    def _text(
        self,
        text: str,
        width: float,
        where: str,
        fonts: FontSet | None = None,
        size: float | None = None,
        align: str = "left",
        balanced: bool = False,
        items: list[str] | None = None,
        shrink: bool = False,
    ) -> TextBlock:
        fonts = fonts or self.faces.body
        size = size or self.size
        self._check_with(fonts, text if items is None else "".join(items), where)
        width = max(width, size)
        if shrink and text and text.isascii() and not any(c.isspace() for c in text):
            # A number or code a little too wide for its column is set smaller, not broken.
            natural = fonts.width(text, size)
            if width < natural <= width / SHRINK_LIMIT:
                size = size * width / natural

        def measure(s: str) -> float:
            return fonts.width(s, size)

        if items is not None:
            lines = wrap_items(items, width, measure)
        elif not text:
            lines = []
        elif balanced:
            lines = wrap_balanced(text, width, measure)
        else:
            lines = wrap(text, width, measure)
        return TextBlock(lines, fonts, size, align)

    def _check_with(self, fonts: FontSet, text: str, where: str) -> None:
        for char in fonts.missing(text):
            if (where, char) not in self.missing:
                self.missing.append((where, char))

    # --- grid rows

    def grid_row(self, row: Row) -> list[RowLayout]:
        """The row as printed: ``repeat`` times, or for a family row once per member and at
        least ``repeat`` times (blank rows after the members, to write in); nothing when the
        row's ``when`` / ``unless`` leave it out for this case."""
        if not row.condition.shows(self.data.conditions):
            return []
        widths = [w * MM for w in row.columns]
        layouts = []
        scopes: list[Mapping[str, Any] | None] = [None] * row.repeat
        if row.each == "family":
            members = [{**self.data.values, **m} for m in self.data.members]
            scopes = [*members, *[{}] * max(0, row.repeat - len(members))]
        for values in scopes:
            x = self.left
            cells = []
            column = 0
            for cell in row.cells:
                width = sum(widths[column : column + cell.span])
                cells.append(self.grid_cell(cell, x, x + width, row, values))
                x += width
                column += cell.span
            height = row.height
            if row.shrink_to is not None:
                height -= self.squeeze * (row.height - row.shrink_to)
            layouts.append(RowLayout(cells, height * MM, row.border))
        return layouts

    def grid_cell(
        self, cell: Cell, x0: float, x1: float, row: Row, values: Mapping[str, Any] | None = None
    ) -> CellLayout:
        """One cell, filled from the form's data, or from ``values`` (a family row's member)."""
        width = x1 - x0 - 2 * PAD_X
        size = cell.size or self.size
        fonts = self.faces.heading if cell.bold else self.faces.body
        where = self._where(cell)
        fill = (cell.fill if cell.fill is not None else self.form.label_fill) and row.border
        shown = self.shows(cell)
        if cell.kind == "label":
            body = self._text(
                cell.label if shown else "",
                width,
                where,
                fonts,
                size,
                cell.align or "center",
                balanced=True,
            )
            return CellLayout(x0, x1, "label", body, fill=fill, name=f"label:{cell.label}")
        if cell.kind in ("value", "text", "blank"):
            items = None
            align = cell.align or "left"
            if not shown:
                text, name = "", cell.where
            elif cell.kind == "value":
                items = self.choice_items(cell, values)
                text = (
                    ""
                    if items is not None
                    else self.format(cell.fields, cell.format, cell.choices, values)
                )
                if not text and items is None and self._is_date(cell.fields):
                    text = self._blank_date(width, fonts, size)
                    align = "right"
                elif not text and items is None and cell.format in BLANK_MONEY:
                    text = self._blank_money(cell.format, width, fonts, size)
                    align = "left" if cell.format == "money_both" else "right"
                name = cell.fields[0].name
            else:
                scope = Scope(values, self.data.conditions) if values is not None else None
                text = self.template(cell.text, where, scope=scope) if cell.kind == "text" else ""
                name = cell.where
            body = self._text(
                text, width, where, fonts, size, align, items=items, shrink=cell.kind == "value"
            )
            valign = "top" if len(body.lines) > 1 and cell.kind == "text" else "middle"
            return CellLayout(
                x0,
                x1,
                cell.kind,
                body,
                valign=valign,
                name=name,
                fill=bool(cell.fill) and row.border,
            )
        # box and sign: the cell's label at the top, then its text, then the signature line
        head = None
        if cell.label and shown:
            head = self._text(cell.label + "：", width, where, fonts, size, "left")
        if not shown:
            text, name = "", cell.where
        elif cell.fields:
            text = self.format(cell.fields, cell.format, cell.choices)
            name = cell.fields[0].name
        else:
            text = self.template(cell.text, where)
            name = cell.where
        indent = "　　" if head is not None and text else ""
        body = self._text(
            indent + text if text else "", width, where, self.faces.body, size, cell.align or "left"
        )
        layout = CellLayout(
            x0,
            x1,
            cell.kind,
            body,
            head=head,
            valign="top",
            name=name,
            fill=bool(cell.fill) and row.border,
        )
        if cell.kind == "sign":
            layout.sign_text = TextBlock([], self.faces.body, size)
            layout.sign = self._sign_lines(cell, width, size, where)
        return layout

    def choice_items(self, cell: Cell, values: Mapping[str, Any] | None = None) -> list[str] | None:
        """□/■ options of a choices or yes/no cell, to wrap without splitting an option."""
        if not cell.fields:
            return None
        value, info = self.value_of(cell.fields, values)
        fmt = cell.format
        if fmt not in ("choices", "yesno") or info is None:
            return None
        return choice_items(value, fmt, cell.choices or info.choices)

    def _is_date(self, infos: tuple[FieldInfo, ...]) -> bool:
        return bool(infos) and self.info(infos[0]).type == "date"

    @staticmethod
    def _blank_money(fmt: str, width: float, fonts: FontSet, size: float) -> str:
        """An amount to write by hand: its unit, and for money_both the 大写 to write out,
        "　　　　元（人民币大写：　　　　　　　　）" as wide as the cell allows."""
        if fmt == "money_yuan":
            return "元"
        text = BLANK_MONEY_LEAD + "元（人民币大写："
        if fonts.width(text + "）", size) > width:
            return "元（人民币大写：）"
        space = fonts.width("　", size)
        room = width - fonts.width(text + "）", size)
        return text + "　" * int(room // space) + "）"

    def _blank_date(self, width: float, fonts: FontSet, size: float) -> str:
        for text in (BLANK_DATE, "年　月　日"):
            if fonts.width(text, size) <= width:
                return text
        return ""

    def _sign_lines(
        self, cell: Cell, width: float, size: float, where: str
    ) -> list[tuple[str, str]]:
        fonts = self.faces.body
        date = self.format(cell.date, "date") if cell.date else ""
        date = date or BLANK_DATE
        label = f"{cell.sign}：" if cell.sign else ""
        self._check_with(fonts, label + date, where)
        lines: list[tuple[str, str]] = []
        if cell.seal:
            lines.append((SEAL_TEXT, "seal"))
        label_width = fonts.width(label, size)
        date_width = fonts.width(date, size)
        if not label:
            lines.append((date, "right"))
        elif label_width + SIGN_GAP_MIN + date_width <= width:
            lines.append((label + "\t" + date, "sign"))
        else:
            lines.append((label, "left"))
            lines.append((date, "right"))
        return lines

    def _where(self, cell: Cell) -> str:
        if cell.label:
            return cell.label
        if cell.fields:
            return self.info(cell.fields[0]).label
        if cell.sign:
            return cell.sign
        return cell.where

    # --- title, heading, notes

    def title_height(self, first: bool) -> float:
        height = (TITLE_SIZE if first else CONTINUED_TITLE_SIZE) * 1.5
        if first and self.form.subtitle:
            height += SUBTITLE_SIZE * 1.5
        if self.heading_left or self.heading_right:
            height += self.size * 1.8
        return height + 1.5 * MM

    def note_lines(self) -> list[NoteLine]:
        notes = [self.template(n, "说明") for n in self.form.notes]
        if not notes:
            return []
        fonts = self.faces.body
        size = SMALL_SIZE
        lines: list[NoteLine] = []
        numbered = len(notes) > 1
        indent = fonts.width("说明：" + ("1. " if numbered else ""), size)
        for index, note in enumerate(notes, start=1):
            lead = ("说明：" if index == 1 else "") + (f"{index}. " if numbered else "")
            self._check_with(fonts, note, "说明")
            for number, line in enumerate(
                wrap(note, self.content_width - indent, lambda s: fonts.width(s, size))
            ):
                lines.append(NoteLine(lead if number == 0 else "", line, indent, fonts, size))
        return lines

    # --- paginating

    def paginate(self) -> None:
        self._place_rows()
        self._place_notes()
        rows = (*self.form.rows, *self.form.rows_after)
        if len(self.pages) > 1 and any(row.shrink_to for row in rows):
            self._paginate_squeezed()

    def _paginate_squeezed(self) -> None:
        """Again with the rows that may shrink (``shrink_to``) shrunk just enough to save a
        page, if shrinking them all the way does: handwriting room is given up only to avoid a
        last page that holds a row or two, and no more of it than that takes."""
        pages, y, missing, warnings = self.pages, self.y, len(self.missing), len(self.warnings)

        def fits(squeeze: float) -> bool:
            self.pages, self.squeeze = [], squeeze
            self._place_rows()
            self._place_notes()
            # Each pass finds the same missing characters and warnings again.
            del self.missing[missing:], self.warnings[warnings:]
            return len(self.pages) < len(pages)

        if not fits(1.0):
            self.pages, self.y, self.squeeze = pages, y, 0.0
            return
        enough, too_little = 1.0, 0.0
        for _ in range(6):  # to within 1/64 of the room the rows may give up
            middle = (enough + too_little) / 2
            if fits(middle):
                enough = middle
            else:
                too_little = middle
        fits(enough)

    def _place_rows(self) -> None:
        """The form's rows, page after page; a sign-off sheet places its table among them."""
        self._new_page()
        grid = (*self.form.rows, *self.form.rows_after)
        for index, row in enumerate(grid):
            # A family table going on to the next page takes its column titles (the row just
            # above it) along, so the rows there still say what each column is.
            titles = grid[index - 1] if row.each and index > 0 else None
            for layout in self.grid_row(row):
                if titles is not None and layout.natural_height() > self._room() + 1e-6:
                    self._new_page()
                    for title in self.grid_row(titles):
                        self._place(title)
                self._place(layout)

    def _new_page(self) -> Page:
        page = Page(first=not self.pages)
        self.pages.append(page)
        self.y = self.top + self.title_height(page.first)
        return page

    @property
    def page(self) -> Page:
        return self.pages[-1]

    def _room(self) -> float:
        return self.bottom - self.y

    def _page_room(self) -> float:
        return self.bottom - self.top - self.title_height(False)

    def _place(self, row: RowLayout, reserve: float = 0.0) -> None:
        """Put ``row`` on the current page, or the next, splitting it if a page is too small."""
        pending: RowLayout | None = row
        while pending is not None:
            height = pending.natural_height()
            room = self._room() - reserve
            if height <= room + 1e-6:
                self.page.rows.append(Placed(pending, self.y, height))
                self.y += height
                return
            if (
                height <= self._page_room() - reserve + 1e-6
                and self.page.rows
                and not self._worth_splitting(pending, room)
            ):
                self._new_page()
                continue
            piece, rest = pending.split(room)
            if rest is not None and rest.text_lines() == 1:
                # Not one line alone under the 续 label: take the one before it along.
                leading = max(c.body.leading for c in rest.cells if c.body_lines())
                fewer, more = pending.split(room - leading)
                if fewer is not None:
                    piece, rest = fewer, more
            if piece is None:
                self._new_page()
                continue
            self.page.rows.append(Placed(piece, self.y, room))
            self.y += room
            pending = rest
            if rest is not None:
                self._new_page()

    def _worth_splitting(self, row: RowLayout, room: float) -> bool:
        """Split ``row`` here rather than leave the rest of the page empty: when its text is
        what overflows (a row tall to write in by hand moves whole) and much of the page is
        left."""
        return (
            room >= SPLIT_ROOM * (self.bottom - self.top) - 1e-6 and row.text_height() > room + 1e-6
        )

    @staticmethod
    def _notes_height(lines: list[NoteLine], gap: float = NOTE_GAP) -> float:
        return gap + sum(line.leading for line in lines)

    def _place_notes(self) -> None:
        """The 说明 under the last row, on its page: set tighter if that is enough, or else
        with the last row carried over to a new page, so no page holds only notes."""
        lines = self.note_lines()
        if not lines:
            return
        gap = NOTE_GAP
        if self._notes_height(lines) > self._room() + 1e-6:
            tight = [replace(line, spacing=NOTE_SPACING_TIGHT) for line in lines]
            if self._notes_height(tight, NOTE_GAP_TIGHT) <= self._room() + 1e-6:
                lines, gap = tight, NOTE_GAP_TIGHT
            else:
                self._carry_last_row(self._notes_height(lines))
        self.y += gap
        for line in lines:
            if self.y + line.leading > self.bottom + 1e-6:
                self._new_page()
            self.page.notes.append((self.y, line))
            self.y += line.leading

    def _carry_last_row(self, notes_height: float) -> None:
        """Carry the last row of the page over to a new page, for the notes to follow it.

        When it is the page's only row, its last lines go over instead (a row that cannot be
        split stays, and the notes follow it as they can).
        """
        rows = self.page.rows
        if len(rows) > 1:
            last = rows.pop()
            self._new_page()
            self._place(last.row)
            return
        if not rows:
            return
        only = rows[0]
        piece, rest = only.row.split(only.height - notes_height)
        if piece is None or rest is None:
            return
        rows[0] = Placed(piece, only.top, only.height - notes_height)
        self._new_page()
        self._place(rest)

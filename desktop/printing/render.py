"""A form plus its data, laid out on A4 pages and written as a PDF (reportlab, no Qt).

Layout happens before anything is drawn: every cell's text is wrapped, every row measured and
placed on a page, so the number of pages is known when the first page is drawn ("第 1 页
共 3 页"), and characters no font can draw are found before printing. A row whose text does not
fit in what is left of a page is split between lines there, each part in its own ruled cell
(the label repeated with "（续）"), so text never crosses a border; only when little of the page
is left, or the row is tall for handwriting rather than for its text, does it move whole to the
next page. The 说明 under the table stay with the last row: set a little tighter, or carried
over with that row, never alone on a page.

Coordinates in this module are points measured from the top-left corner of the page; they are
turned into reportlab's bottom-left ones only when drawing.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from io import BytesIO
from pathlib import Path
from typing import IO, Any

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from desktop.money import format_fen
from desktop.printing.capitals import fen_to_capitals
from desktop.printing.context import PrintData
from desktop.printing.fields import (
    BLANK_DATE,
    FieldInfo,
    choice_items,
    format_value,
    is_empty,
)
from desktop.printing.fonts import BUNDLED_SONG, FontSet, Typefaces, typefaces
from desktop.printing.forms import SIGNOFF, Cell, Column, Form, Placeholder, Row, Template
from desktop.printing.textflow import wrap, wrap_balanced, wrap_items

MM = 72 / 25.4
PAD_X = 1.2 * MM
PAD_Y = 1.3 * MM
TITLE_SIZE = 18.0  # 小二
CONTINUED_TITLE_SIZE = 14.0  # 四号
SUBTITLE_SIZE = 12.0  # 小四
SMALL_SIZE = 9.0  # 小五
SHRINK_LIMIT = 0.75  # the smallest a code or amount is set to fit its column, as a share
LINE_INNER = 0.5
LINE_OUTER = 1.0
LABEL_GREY = 0.93
BLANK_FILL = "________"  # an empty field inside running text, to write on
MISSING_MARK = "〓"  # the typesetter's mark for a character that cannot be set
SIGN_GAP = 30 * MM
SIGN_GAP_MIN = 12 * MM
SEAL_TEXT = "（盖章）"
# A row whose text overflows the page is split there when at least this share of the page's
# height is left; with less, it moves whole to the next page.
SPLIT_ROOM = 0.25
NOTE_SPACING = 1.5  # the 说明's line spacing, in font sizes
NOTE_SPACING_TIGHT = 1.3  # ... when that keeps them on the page of the last row
NOTE_GAP = 1.5 * MM  # between the table and the 说明
NOTE_GAP_TIGHT = 0.8 * MM
LISTED_CASES = 5  # case numbers named in a warning before "等 N 件"
APP_NAME = "UnionDesk"


class MissingGlyphs(Exception):
    """Some characters have no font to print them; ``missing`` lists (where, character)."""

    def __init__(self, missing: list[tuple[str, str]]):
        self.missing = missing
        listed = "；".join(
            f"{where}中的“{char}”（U+{ord(char):04X}）" for where, char in missing[:12]
        )
        more = f" 等 {len(missing)} 处" if len(missing) > 12 else ""
        super().__init__(
            f"以下字符没有字体可以打印：{listed}{more}。打印出来会是“{MISSING_MARK}”，"
            "可以打印后手写补上，或先在档案中核对这些字。"
        )


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


@dataclass(frozen=True)
class RenderResult:
    pages: int
    cells: tuple[CellRecord, ...] = ()
    warnings: tuple[str, ...] = ()
    missing: tuple[tuple[str, str], ...] = ()


# --- cells and rows ----------------------------------------------------------------------------


@dataclass
class _Text:
    """Lines of text in one font set and size."""

    lines: list[str]
    fonts: FontSet
    size: float
    align: str = "left"

    @property
    def leading(self) -> float:
        return self.size * 1.42


@dataclass
class _CellLayout:
    x0: float
    x1: float
    kind: str  # label, value, box, sign, text, blank
    body: _Text
    head: _Text | None = None  # a box's or sign cell's own label, at its top
    # The signature lines at the bottom: (text, how), how being seal, sign, left or right.
    sign: list[tuple[str, str]] = field(default_factory=list)
    sign_text: _Text | None = None
    fill: bool = False
    valign: str = "middle"
    name: str = ""  # what is printed, for the record the tests read
    # Which body lines this piece shows (the rest continues in the next piece of the row).
    start: int = 0
    end: int = -1
    show_head: bool = True
    show_sign: bool = True

    def head_height(self) -> float:
        if self.head is None or not self.show_head or not self.head.lines:
            return 0.0
        return len(self.head.lines) * self.head.leading

    def sign_height(self) -> float:
        if not self.sign or not self.show_sign or self.sign_text is None:
            return 0.0
        return len(self.sign) * self.sign_text.leading + 0.6 * self.sign_text.leading

    def body_lines(self) -> list[str]:
        end = len(self.body.lines) if self.end < 0 else self.end
        return self.body.lines[self.start : end]

    def height(self) -> float:
        lines = len(self.body_lines())
        return 2 * PAD_Y + self.head_height() + lines * self.body.leading + self.sign_height()


@dataclass
class _RowLayout:
    cells: list[_CellLayout]
    min_height: float
    border: bool = True

    def natural_height(self) -> float:
        return max([self.min_height] + [c.height() for c in self.cells])

    def text_lines(self) -> int:
        """The most lines of text any (non-label) cell of the row shows."""
        return max((len(c.body_lines()) for c in self.cells if c.kind != "label"), default=0)

    def text_height(self) -> float:
        """The height the row's text needs, whatever room it leaves for handwriting."""
        return max(c.height() for c in self.cells)

    def split(self, available: float) -> tuple[_RowLayout | None, _RowLayout | None]:
        """The part of the row that fits in ``available`` points, and what is left.

        Each cell shows the lines that fit; the rest continue in the next part, whose label
        cells repeat their label marked 续. A signature line goes with a cell's last lines.
        Returns (None, self) when not even one line fits.
        """
        first_cells: list[_CellLayout] = []
        rest_cells: list[_CellLayout] = []
        fitted_any = False
        unfinished = False
        for cell in self.cells:
            lines = cell.body_lines()
            if cell.kind == "label":
                taken = len(lines)  # a label is short: never split
            else:
                room = available - 2 * PAD_Y - cell.head_height()
                taken = min(len(lines), max(0, int(room // cell.body.leading + 1e-6)))
                fitted_any = fitted_any or taken > 0
            done = taken == len(lines)
            if done and cell.sign:
                used = 2 * PAD_Y + cell.head_height() + taken * cell.body.leading
                done = used + _sign_height(cell) <= available + 1e-6
            unfinished = unfinished or not done
            first_cells.append(_copy_cell(cell, cell.start, cell.start + taken, show_sign=done))
            rest = _copy_cell(cell, cell.start + taken, cell.start + len(lines), show_sign=True)
            if done:
                rest = _emptied(rest)
            elif cell.head is not None:
                rest.head = _continued(cell.head)
            rest_cells.append(rest)
        if not fitted_any:
            return None, self
        piece = _RowLayout(first_cells, available, self.border)
        if not unfinished:
            piece.min_height = min(self.min_height, available)
            return piece, None
        for cell, rest in zip(self.cells, rest_cells, strict=True):
            if cell.kind == "label":
                rest.body = _continued(cell.body)
                rest.start, rest.end = 0, -1
        remaining = _RowLayout(rest_cells, 0.0, self.border)
        remaining.min_height = min(self.min_height, remaining.natural_height())
        return piece, remaining


def _sign_height(cell: _CellLayout) -> float:
    if not cell.sign or cell.sign_text is None:
        return 0.0
    return len(cell.sign) * cell.sign_text.leading + 0.6 * cell.sign_text.leading


def _copy_cell(cell: _CellLayout, start: int, end: int, show_sign: bool) -> _CellLayout:
    return replace(cell, start=start, end=end, show_sign=show_sign)


def _emptied(cell: _CellLayout) -> _CellLayout:
    """What a finished cell shows on the continuation of its row: nothing."""
    empty = _copy_cell(cell, 0, 0, show_sign=False)
    empty.show_head = False
    if cell.kind == "label":
        empty.body = _Text([], cell.body.fonts, cell.body.size, cell.body.align)
    return empty


def _continued(text: _Text) -> _Text:
    lines = list(text.lines)
    if lines and not lines[-1].rstrip("：:").endswith("（续）"):
        lines[-1] = lines[-1].rstrip("：:") + "（续）"
    return _Text(lines, text.fonts, text.size, text.align)


# --- pages -------------------------------------------------------------------------------------


@dataclass
class _Placed:
    row: _RowLayout
    top: float
    height: float


@dataclass
class _NoteLine:
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
class _Page:
    rows: list[_Placed] = field(default_factory=list)
    notes: list[tuple[float, _NoteLine]] = field(default_factory=list)  # (top, line)
    first: bool = True


class _Layout:
    def __init__(self, form: Form, data: PrintData, faces: Typefaces, reveal_personal: bool):
        self.form = form
        self.data = data
        self.faces = faces
        self.reveal = reveal_personal
        self.size = form.page.font_size
        self.missing: list[tuple[str, str]] = []
        self.warnings: list[str] = []
        self.page_width = form.page.width * MM
        self.page_height = form.page.height * MM
        self.left = form.page.left * MM
        self.content_width = form.page.content_width * MM
        self.top = form.page.top * MM
        self.bottom = self.page_height - form.page.bottom * MM
        self.pages: list[_Page] = []
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

    def value_of(self, infos: tuple[FieldInfo, ...]) -> tuple[Any, FieldInfo | None]:
        for base in infos:
            value = self.data.values.get(base.name)
            if base.name == "doc.number" and is_empty(value):
                value = self.data.number
            if not is_empty(value):
                return value, self.info(base)
        return None, (self.info(infos[0]) if infos else None)

    def format(
        self, infos: tuple[FieldInfo, ...], fmt: str | None, choices: tuple[str, ...] = ()
    ) -> str:
        value, info = self.value_of(infos)
        if info is None:
            return ""
        return format_value(value, info, fmt, choices, self.reveal)

    def template(self, template: Template, where: str, fill_blank: bool = True) -> str:
        text = ""
        for part in template.parts:
            if isinstance(part, str):
                text += part
                continue
            assert isinstance(part, Placeholder)
            value = self.format(part.infos, part.format)
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
    ) -> _Text:
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
        return _Text(lines, fonts, size, align)

    def _check_with(self, fonts: FontSet, text: str, where: str) -> None:
        for char in fonts.missing(text):
            if (where, char) not in self.missing:
                self.missing.append((where, char))

    # --- grid rows

    def grid_row(self, row: Row) -> list[_RowLayout]:
        widths = [w * MM for w in row.columns]
        layouts = []
        for _ in range(row.repeat):
            x = self.left
            cells = []
            column = 0
            for cell in row.cells:
                width = sum(widths[column : column + cell.span])
                cells.append(self.grid_cell(cell, x, x + width, row))
                x += width
                column += cell.span
            layouts.append(_RowLayout(cells, row.height * MM, row.border))
        return layouts

    def grid_cell(self, cell: Cell, x0: float, x1: float, row: Row) -> _CellLayout:
        width = x1 - x0 - 2 * PAD_X
        size = cell.size or self.size
        fonts = self.faces.heading if cell.bold else self.faces.body
        where = self._where(cell)
        fill = (cell.fill if cell.fill is not None else self.form.label_fill) and row.border
        if cell.kind == "label":
            body = self._text(
                cell.label, width, where, fonts, size, cell.align or "center", balanced=True
            )
            return _CellLayout(x0, x1, "label", body, fill=fill, name=f"label:{cell.label}")
        if cell.kind in ("value", "text", "blank"):
            items = None
            align = cell.align or "left"
            if cell.kind == "value":
                items = self.choice_items(cell)
                text = (
                    "" if items is not None else self.format(cell.fields, cell.format, cell.choices)
                )
                if not text and items is None and self._is_date(cell.fields):
                    text = self._blank_date(width, fonts, size)
                    align = "right"
                name = cell.fields[0].name
            else:
                text = self.template(cell.text, where) if cell.kind == "text" else ""
                name = cell.where
            body = self._text(
                text, width, where, fonts, size, align, items=items, shrink=cell.kind == "value"
            )
            valign = "top" if len(body.lines) > 1 and cell.kind == "text" else "middle"
            return _CellLayout(
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
        if cell.label:
            head = self._text(cell.label + "：", width, where, fonts, size, "left")
        if cell.fields:
            text = self.format(cell.fields, cell.format, cell.choices)
            name = cell.fields[0].name
        else:
            text = self.template(cell.text, where)
            name = cell.where
        indent = "　　" if head is not None and text else ""
        body = self._text(
            indent + text if text else "", width, where, self.faces.body, size, cell.align or "left"
        )
        layout = _CellLayout(
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
            layout.sign_text = _Text([], self.faces.body, size)
            layout.sign = self._sign_lines(cell, width, size, where)
        return layout

    def choice_items(self, cell: Cell) -> list[str] | None:
        """□/■ options of a choices or yes/no cell, to wrap without splitting an option."""
        if not cell.fields:
            return None
        value, info = self.value_of(cell.fields)
        fmt = cell.format
        if fmt not in ("choices", "yesno") or info is None:
            return None
        return choice_items(value, fmt, cell.choices or info.choices)

    def _is_date(self, infos: tuple[FieldInfo, ...]) -> bool:
        return bool(infos) and self.info(infos[0]).type == "date"

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

    # --- sign-off table

    def table_header(self) -> _RowLayout:
        table = self.form.table
        assert table is not None
        cells = []
        x = self.left
        for column in table.columns:
            width = column.width * MM
            body = self._text(
                column.title, width - 2 * PAD_X, "表头", self.faces.heading, self.size, "center"
            )
            cells.append(
                _CellLayout(
                    x,
                    x + width,
                    "label",
                    body,
                    fill=self.form.label_fill,
                    name=f"header:{column.title}",
                )
            )
            x += width
        return _RowLayout(cells, table.header_height * MM)

    def table_row(self, serial: int | None, values: dict[str, Any] | None) -> _RowLayout:
        table = self.form.table
        assert table is not None
        cells = []
        x = self.left
        for column in table.columns:
            width = column.width * MM
            text = self._column_text(column, serial, values)
            where = f"第 {serial} 行{column.title}" if serial else column.title
            body = self._text(
                text,
                width - 2 * PAD_X,
                where,
                self.faces.body,
                self.size,
                column.align,
                shrink=True,
            )
            name = (
                f"row[{serial}].{column.value.name.split('.', 1)[1]}"
                if (column.value is not None and serial)
                else ""
            )
            cells.append(_CellLayout(x, x + width, "value", body, name=name))
            x += width
        return _RowLayout(cells, table.row_height * MM)

    def _column_text(
        self, column: Column, serial: int | None, values: dict[str, Any] | None
    ) -> str:
        if column.value is None or column.sign:
            return ""
        key = column.value.name.split(".", 1)[1]
        if column.value.name == "row.serial":
            return str(serial) if serial else ""
        if values is None:
            return ""
        if column.value.name.startswith("row."):
            value = values.get(key)
        elif column.value.name in values:
            value = values[column.value.name]  # the row's own case: step.…, person.…
        else:
            value = self.data.values.get(column.value.name)
        fmt = column.format or ("money" if column.value.type == "money" else None)
        return format_value(value, column.value, fmt, (), self.reveal)

    def sum_row(self, label: str, amount: int | None, name: str) -> _RowLayout:
        """本页小计 / 合计: the label across the columns before the money column."""
        table = self.form.table
        assert table is not None
        index = table.sum_column
        assert index is not None
        cells = []
        x = self.left
        before = sum(c.width for c in table.columns[:index]) * MM
        if before:
            body = self._text(
                label, before - 2 * PAD_X, label, self.faces.heading, self.size, "center"
            )
            cells.append(_CellLayout(x, x + before, "label", body, fill=self.form.label_fill))
            x += before
        money = table.columns[index]
        width = money.width * MM
        text = format_fen(amount) if amount is not None else ""
        body = self._text(
            text, width - 2 * PAD_X, label, self.faces.body, self.size, money.align, shrink=True
        )
        cells.append(_CellLayout(x, x + width, "value", body, name=name))
        x += width
        after = sum(c.width for c in table.columns[index + 1 :]) * MM
        if after:
            cells.append(_CellLayout(x, x + after, "blank", _Text([], self.faces.body, self.size)))
        return _RowLayout(cells, table.row_height * MM)

    def capitals_row(self, amount: int | None) -> _RowLayout:
        text = "合计金额（人民币大写）：" + (fen_to_capitals(amount) if amount is not None else "")
        if amount is not None:
            text += f"　　（小写）￥{format_fen(amount)}"
        body = self._text(text, self.content_width - 2 * PAD_X, "合计", self.faces.body, self.size)
        cell = _CellLayout(
            self.left, self.left + self.content_width, "value", body, name="capitals"
        )
        return _RowLayout([cell], (self.form.table.row_height if self.form.table else 10) * MM)

    # --- title, heading, notes

    def title_height(self, first: bool) -> float:
        height = (TITLE_SIZE if first else CONTINUED_TITLE_SIZE) * 1.5
        if first and self.form.subtitle:
            height += SUBTITLE_SIZE * 1.5
        if self.heading_left or self.heading_right:
            height += self.size * 1.8
        return height + 1.5 * MM

    def note_lines(self) -> list[_NoteLine]:
        notes = [self.template(n, "说明") for n in self.form.notes]
        if not notes:
            return []
        fonts = self.faces.body
        size = SMALL_SIZE
        lines: list[_NoteLine] = []
        numbered = len(notes) > 1
        indent = fonts.width("说明：" + ("1. " if numbered else ""), size)
        for index, note in enumerate(notes, start=1):
            lead = ("说明：" if index == 1 else "") + (f"{index}. " if numbered else "")
            self._check_with(fonts, note, "说明")
            for number, line in enumerate(
                wrap(note, self.content_width - indent, lambda s: fonts.width(s, size))
            ):
                lines.append(_NoteLine(lead if number == 0 else "", line, indent, fonts, size))
        return lines

    # --- paginating

    def paginate(self) -> None:
        if self.form.kind == SIGNOFF:
            self._paginate_signoff()
        else:
            rows = [
                r for row in (*self.form.rows, *self.form.rows_after) for r in self.grid_row(row)
            ]
            self._new_page()
            for row in rows:
                self._place(row)
        self._place_notes()

    def _new_page(self) -> _Page:
        page = _Page(first=not self.pages)
        self.pages.append(page)
        self.y = self.top + self.title_height(page.first)
        return page

    @property
    def page(self) -> _Page:
        return self.pages[-1]

    def _room(self) -> float:
        return self.bottom - self.y

    def _page_room(self) -> float:
        return self.bottom - self.top - self.title_height(False)

    def _place(self, row: _RowLayout, reserve: float = 0.0) -> None:
        """Put ``row`` on the current page, or the next, splitting it if a page is too small."""
        pending: _RowLayout | None = row
        while pending is not None:
            height = pending.natural_height()
            room = self._room() - reserve
            if height <= room + 1e-6:
                self.page.rows.append(_Placed(pending, self.y, height))
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
            self.page.rows.append(_Placed(piece, self.y, room))
            self.y += room
            pending = rest
            if rest is not None:
                self._new_page()

    def _worth_splitting(self, row: _RowLayout, room: float) -> bool:
        """Split ``row`` here rather than leave the rest of the page empty: when its text is
        what overflows (a row tall to write in by hand moves whole) and much of the page is
        left."""
        return (
            room >= SPLIT_ROOM * (self.bottom - self.top) - 1e-6 and row.text_height() > room + 1e-6
        )

    @staticmethod
    def _notes_height(lines: list[_NoteLine], gap: float = NOTE_GAP) -> float:
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
        rows[0] = _Placed(piece, only.top, only.height - notes_height)
        self._new_page()
        self._place(rest)

    def _paginate_signoff(self) -> None:
        table = self.form.table
        assert table is not None
        sum_index = table.sum_column
        handwritten = table.rows == "handwritten" or self.data.rows is None
        header = self.table_header()
        head_rows = [r for row in self.form.rows for r in self.grid_row(row)]
        after_rows = [r for row in self.form.rows_after for r in self.grid_row(row)]
        closing = [*after_rows]
        subtotal_height = (
            self.sum_row("本页小计", 0, "").natural_height() if sum_index is not None else 0.0
        )
        if sum_index is not None:
            closing = [self.sum_row("合　　计", 0, ""), self.capitals_row(None), *after_rows]
        closing_height = sum(r.natural_height() for r in closing)
        notes_height = sum(n.leading for n in self.note_lines()) + 1.5 * MM

        self._new_page()
        for row in head_rows:
            self._place(row)
        if handwritten:
            count = self.data.blank_rows or table.blank_rows
            if not count:
                room = (
                    self._room()
                    - header.natural_height()
                    - subtotal_height
                    - closing_height
                    - notes_height
                )
                count = max(1, int(room // (table.row_height * MM)))
            entries: list[dict[str, Any] | None] = [None] * count
        else:
            entries = list(self.data.rows or [])
        # A row without an amount (a refused case, one not yet approved) is written in by
        # hand; a printed subtotal or total would be wrong as soon as it is, so the page's
        # subtotal, and the total if any row lacks one, are left ruled and empty for the hand.
        unpaid = [
            (index, entry)
            for index, entry in enumerate(entries, start=1)
            if not handwritten and _amount(entry) is None
        ]
        blank_total = handwritten or not entries or bool(unpaid)
        if sum_index is not None and unpaid:
            self.warnings.append(_unpaid_warning(unpaid))
        # The 说明 stay with the last row: set tight if need be (see _place_notes).
        tight_notes = [replace(line, spacing=NOTE_SPACING_TIGHT) for line in self.note_lines()]
        closing_height += self._notes_height(tight_notes, NOTE_GAP_TIGHT) if tight_notes else 0.0
        page_total = 0
        grand_total = 0
        page_blank = handwritten
        first_row = self.table_row(1, entries[0]) if entries else header
        if header.natural_height() + first_row.natural_height() + subtotal_height > self._room():
            self._new_page()
        self._place(header)
        for index, entry in enumerate(entries):
            row = self.table_row(index + 1, entry)
            last = index == len(entries) - 1
            need = row.natural_height() + subtotal_height + (closing_height if last else 0.0)
            if need > self._room() + 1e-6 and index > 0:
                self._close_page(sum_index, None if page_blank else page_total)
                page_total, page_blank = 0, handwritten
                self._new_page()
                self._place(self.table_header())
            self._place(row, reserve=subtotal_height)
            amount = _amount(entry)
            if amount is None:
                page_blank = True
            else:
                page_total += amount
                grand_total += amount
        if not entries:
            self._place(self.table_row(None, None))
            page_blank = True
        self._close_page(sum_index, None if page_blank else page_total)
        if sum_index is not None:
            amount = None if blank_total else grand_total
            self._place(self.sum_row("合　　计", amount, "total"))
            self._place(self.capitals_row(amount))
        for row in after_rows:
            self._place(row)

    def _close_page(self, sum_index: int | None, amount: int | None) -> None:
        """本页小计 at the foot of the page's rows; None leaves it empty for the hand."""
        if sum_index is None:
            return
        page_number = len(self.pages)
        row = self.sum_row("本页小计", amount, f"subtotal[{page_number}]")
        self.page.rows.append(_Placed(row, self.y, row.natural_height()))
        self.y += row.natural_height()


def _unpaid_warning(unpaid: list[tuple[int, dict[str, Any] | None]]) -> str:
    """3 行没有金额（BF-2026-0111、…；尚未审批、不予救助或已终止），小计和合计留空待手写。"""
    names = [str((entry or {}).get("case_number") or f"第 {serial} 行") for serial, entry in unpaid]
    listed = "、".join(names[:LISTED_CASES])
    if len(names) > LISTED_CASES:
        listed += f" 等 {len(names)} 件"
    return (
        f"{len(names)} 行没有金额（{listed}；尚未审批、不予救助或已终止），小计和合计留空待手写。"
    )


def _amount(entry: dict[str, Any] | None) -> int | None:
    amount = entry.get("amount_fen") if entry else None
    return amount if isinstance(amount, int) and not isinstance(amount, bool) else None


# --- drawing -----------------------------------------------------------------------------------


class _Painter:
    def __init__(self, layout: _Layout, canvas: Canvas):
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

    def header(self, page: _Page) -> None:
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

    def row(self, placed: _Placed, page_number: int) -> None:
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

    def cell(self, cell: _CellLayout, top: float, bottom: float, page_number: int) -> None:
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

    def sign_area(self, cell: _CellLayout, x0: float, x1: float, bottom: float) -> None:
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

    def outer_borders(self, page: _Page) -> None:
        """A heavier rule around each run of bordered rows on the page."""
        canvas = self.canvas
        canvas.setLineWidth(LINE_OUTER)
        canvas.setStrokeGray(0)
        run: list[_Placed] = []
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

    def _frame(self, run: list[_Placed]) -> None:
        x0 = min(c.x0 for p in run for c in p.row.cells)
        x1 = max(c.x1 for p in run for c in p.row.cells)
        top = run[0].top
        bottom = run[-1].top + run[-1].height
        self.canvas.rect(x0, self.y(bottom), x1 - x0, bottom - top, stroke=1, fill=0)


# --- entry points ------------------------------------------------------------------------------


def _layout(form: Form, data: PrintData, faces: Typefaces, reveal_personal: bool) -> _Layout:
    layout = _Layout(form, data, faces, reveal_personal)
    layout.paginate()
    return layout


def missing_characters(
    form: Form, data: PrintData, body_font: str = BUNDLED_SONG
) -> list[tuple[str, str]]:
    """(where, character) for every character in the filled form that no font can print."""
    return list(_layout(form, data, typefaces(body_font), False).missing)


def render_pdf(
    form: Form,
    data: PrintData,
    out: Path | str | IO[bytes],
    *,
    body_font: str = BUNDLED_SONG,
    reveal_personal: bool = False,
    allow_missing_glyphs: bool = False,
) -> RenderResult:
    """Write ``form`` filled with ``data`` as a PDF to ``out`` (a path or a binary stream).

    ID and phone numbers are masked unless ``reveal_personal`` (and the data was built with
    them whole). Raises MissingGlyphs when some character has no font, unless
    ``allow_missing_glyphs`` (they then print as 〓). A file is written under a temporary name
    and renamed at the end, so a failed render leaves no file behind.
    """
    faces = typefaces(body_font)
    layout = _layout(form, data, faces, reveal_personal)
    if layout.missing and not allow_missing_glyphs:
        raise MissingGlyphs(layout.missing)
    buffer = BytesIO()
    total = len(layout.pages)
    with _binary_streams():
        # The initial font is ours: reportlab would otherwise name Helvetica on every page, a
        # font that is not embedded.
        canvas = Canvas(
            buffer,
            pagesize=(layout.page_width, layout.page_height),
            initialFontName=faces.body.primary.name,
            initialFontSize=form.page.font_size,
            pageCompression=1,
        )
        number = data.number or data.values.get("doc.number") or ""
        canvas.setTitle(f"{form.title}（{number}）" if number else form.title)
        canvas.setAuthor(data.office_name or APP_NAME)
        canvas.setSubject(form.title)
        canvas.setCreator(APP_NAME)
        canvas.setKeywords(form.id)
        painter = _Painter(layout, canvas)
        for number_on in range(1, total + 1):
            painter.page(number_on, total)
            canvas.showPage()
        canvas.save()
    _write(buffer.getvalue(), out)
    return RenderResult(
        pages=total,
        cells=tuple(painter.records),
        warnings=(*faces.warnings, *layout.warnings),
        missing=tuple(layout.missing),
    )


def render_to_bytes(
    form: Form,
    data: PrintData,
    body_font: str,
    reveal_personal: bool = False,
    allow_missing_glyphs: bool = False,
) -> tuple[bytes, RenderResult]:
    """The PDF in memory, for the window to show (no Qt: safe on a worker thread)."""
    out = BytesIO()
    result = render_pdf(
        form,
        data,
        out,
        body_font=body_font,
        reveal_personal=reveal_personal,
        allow_missing_glyphs=allow_missing_glyphs,
    )
    return out.getvalue(), result


_streams_lock = threading.Lock()


@contextmanager
def _binary_streams() -> Iterator[None]:
    """Compressed streams stored as binary, not also ASCII85-encoded (reportlab's default):
    a quarter smaller and quicker to write. The setting is global in reportlab, so it is set
    only while a form is written, one at a time."""
    with _streams_lock:
        saved = rl_config.useA85
        rl_config.useA85 = 0
        try:
            yield
        finally:
            rl_config.useA85 = saved


def write_atomically(target: Path, content: bytes) -> None:
    """Write under a temporary name and rename, so a full disk leaves no half file behind."""
    partial = target.with_name(target.name + ".part")
    try:
        partial.write_bytes(content)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _write(content: bytes, out: Path | str | IO[bytes]) -> None:
    if isinstance(out, str | os.PathLike):
        write_atomically(Path(out), content)
    else:
        out.write(content)


__all__ = [
    "CellRecord",
    "MissingGlyphs",
    "RenderResult",
    "missing_characters",
    "render_pdf",
    "render_to_bytes",
]

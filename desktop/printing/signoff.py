"""The table of a sign-off sheet: a row per case (or blank rows to write in), repeated over
as many pages as the rows need, the header on every page, 本页小计 at the foot of each page
and 合计 with the amount in capitals after the last row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from desktop.money import format_fen
from desktop.printing.boxes import MM, PAD_X, CellLayout, RowLayout, TextBlock
from desktop.printing.capitals import fen_to_capitals
from desktop.printing.context import ROW_CONDITIONS
from desktop.printing.forms import Column
from desktop.printing.layout import NOTE_GAP_TIGHT, NOTE_SPACING_TIGHT, Layout, Placed, Scope

LISTED_CASES = 5  # case numbers named in a warning before "等 N 件"
# The last page of a sheet carries at least this many rows with the totals and signatures, so
# a total never stands under a lone row and the signatures never on a page of their own.
MIN_LAST_ROWS = 3
BLANK_AMOUNT = "元"  # an amount cell left to the hand shows its unit
CAPITALS_LABEL = "合计金额（人民币大写）："
BLANK_FIGURES = 7  # room for the figures of a total written by hand, in characters


class SignoffLayout(Layout):
    """A sign-off sheet: the form's rows, then its table, then the rows after it."""

    # --- the table's rows

    def table_header(self) -> RowLayout:
        table = self.form.table
        assert table is not None
        cells = []
        x = self.left
        for column in table.columns:
            width = column.width * MM
            body = self._text(
                column.title,
                width - 2 * PAD_X,
                "表头",
                self.faces.heading,
                self.size,
                "center",
                balanced=True,
            )
            cells.append(
                CellLayout(
                    x,
                    x + width,
                    "label",
                    body,
                    fill=self.form.label_fill,
                    name=f"header:{column.title}",
                )
            )
            x += width
        return RowLayout(cells, table.header_height * MM)

    def table_row(self, serial: int | None, values: dict[str, Any] | None) -> RowLayout:
        table = self.form.table
        assert table is not None
        cells = []
        x = self.left
        for column in table.columns:
            width = column.width * MM
            text = self._column_text(column, serial, values)
            align = column.align
            blank_amount = not text and column.sum and serial is not None
            if blank_amount:
                text, align = BLANK_AMOUNT, "right"  # the amount to write in, before its unit
            where = f"第 {serial} 行{column.title}" if serial else column.title
            body = self._text(
                text,
                width - 2 * PAD_X,
                where,
                self.faces.body,
                self.size,
                align,
                shrink=True,
            )
            name = (
                f"row[{serial}].{column.value.name.split('.', 1)[1]}"
                if (column.value is not None and serial and not blank_amount)
                else ""
            )
            if column.text is not None and serial:
                name = f"row[{serial}].{column.title}"
            cells.append(CellLayout(x, x + width, "value", body, name=name))
            x += width
        return RowLayout(cells, table.row_height * MM)

    def _column_text(
        self, column: Column, serial: int | None, values: dict[str, Any] | None
    ) -> str:
        if column.sign or (column.value is None and column.text is None):
            return ""
        if column.value is not None and column.value.name == "row.serial":
            return str(serial) if serial else ""
        if values is None:
            return ""
        scope = Scope(RowValues(values, self.data.values), values.get(ROW_CONDITIONS) or {})
        if column.text is not None:
            return self.template(column.text, column.title, fill_blank=False, scope=scope)
        assert column.value is not None
        fmt = column.format or ("money" if column.value.type == "money" else None)
        return self.format((column.value,), fmt, values=scope.values)

    def sum_row(self, label: str, amount: int | None, name: str) -> RowLayout:
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
            cells.append(CellLayout(x, x + before, "label", body, fill=self.form.label_fill))
            x += before
        money = table.columns[index]
        width = money.width * MM
        text = format_fen(amount) if amount is not None else BLANK_AMOUNT
        align = money.align if amount is not None else "right"
        body = self._text(
            text, width - 2 * PAD_X, label, self.faces.body, self.size, align, shrink=True
        )
        cells.append(
            CellLayout(x, x + width, "value", body, name=name if amount is not None else "")
        )
        x += width
        after = sum(c.width for c in table.columns[index + 1 :]) * MM
        if after:
            cells.append(
                CellLayout(x, x + after, "blank", TextBlock([], self.faces.body, self.size))
            )
        return RowLayout(cells, table.row_height * MM)

    def capitals_row(self, amount: int | None) -> RowLayout:
        width = self.content_width - 2 * PAD_X
        if amount is not None:
            text = f"{CAPITALS_LABEL}{fen_to_capitals(amount)}　　（小写）￥{format_fen(amount)}"
        else:
            text = self._blank_capitals(width)
        body = self._text(text, width, "合计", self.faces.body, self.size)
        cell = CellLayout(self.left, self.left + self.content_width, "value", body, name="capitals")
        return RowLayout([cell], (self.form.table.row_height if self.form.table else 10) * MM)

    def _blank_capitals(self, width: float) -> str:
        """The total to write by hand: room for the 大写 after its label, then the figures,
        "合计金额（人民币大写）：　　　…　　（小写）￥　　　　　　元"."""
        fonts, size = self.faces.body, self.size
        space = fonts.width("　", size)
        figures = "（小写）￥" + "　" * BLANK_FIGURES + "元"
        room = width - fonts.width(CAPITALS_LABEL + figures, size)
        return CAPITALS_LABEL + "　" * max(2, int(room // space)) + figures

    # --- paginating

    def _place_rows(self) -> None:
        """The head rows, the table page after page with a subtotal on each, the total, and
        the rows after the table."""
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
        # The 说明 stay with the last row: set tight if need be (see _place_notes).
        tight_notes = [replace(line, spacing=NOTE_SPACING_TIGHT) for line in self.note_lines()]
        closing_height += self._notes_height(tight_notes, NOTE_GAP_TIGHT) if tight_notes else 0.0

        self._new_page()
        for row in head_rows:
            self._place(row)
        if handwritten:
            count = self._handwritten_rows(header.natural_height(), subtotal_height, closing_height)
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
        page_total = 0
        grand_total = 0
        page_blank = handwritten
        rows = [self.table_row(index + 1, entry) for index, entry in enumerate(entries)]
        first_row = rows[0] if rows else header
        if header.natural_height() + first_row.natural_height() + subtotal_height > self._room():
            self._new_page()
        self._place(header)
        counts = self._plan(
            [row.natural_height() for row in rows],
            self._room(),
            self._page_room() - header.natural_height(),
            subtotal_height,
            closing_height,
        )
        breaks = {sum(counts[:page]) for page in range(1, len(counts))}
        for index, (entry, row) in enumerate(zip(entries, rows, strict=True)):
            if index in breaks:
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

    def _handwritten_rows(self, header: float, subtotal: float, closing: float) -> int:
        """The empty rows of a sheet signed by hand: as many as asked (--rows, or the form's
        ``blank_rows``), else a page full. Filled from a case, at least one for everyone
        expected (``min_rows``: 应到 196 is 196 rows over as many pages as they take), and
        the last page then filled too, for whoever else attends (列席)."""
        table = self.form.table
        assert table is not None
        asked = self.data.blank_rows or table.blank_rows
        expected = table.expected_rows(self.data.values) or 0
        if asked and asked >= expected:
            return asked
        row = table.row_height * MM
        room = self._room() - header
        page_room = self._page_room() - header

        def pages(count: int) -> int:
            return len(self._plan([row] * count, room, page_room, subtotal, closing))

        count = max(1, expected)
        needed = pages(count)
        while pages(count + 1) == needed:
            count += 1
        return count

    @staticmethod
    def _plan(
        heights: list[float], room: float, page_room: float, subtotal: float, closing: float
    ) -> list[int]:
        """How many rows each page takes: as many as fit above the page's subtotal, the last
        page's with the total, the signatures and the 说明 below them. The last page is never
        one row and the totals: rows move to it from the page before until it has
        MIN_LAST_ROWS (all of them on a shorter sheet), as long as they fit there."""
        counts: list[int] = []
        count = 0
        for index, height in enumerate(heights):
            last = index == len(heights) - 1
            need = height + subtotal + (closing if last else 0.0)
            if need > room + 1e-6 and count:
                counts.append(count)
                count, room = 0, page_room
            room -= height
            count += 1
        counts.append(count)
        wanted = min(MIN_LAST_ROWS, len(heights))
        while len(counts) > 1 and counts[-1] < wanted and counts[-2] > wanted:
            first_moved = sum(counts[:-1]) - 1
            carried = sum(heights[first_moved:]) + subtotal + closing
            if carried > page_room + 1e-6:
                break  # the totals and signatures leave no room for another row
            counts[-2] -= 1
            counts[-1] += 1
        return counts

    def _close_page(self, sum_index: int | None, amount: int | None) -> None:
        """本页小计 at the foot of the page's rows; None leaves it empty for the hand."""
        if sum_index is None:
            return
        page_number = len(self.pages)
        row = self.sum_row("本页小计", amount, f"subtotal[{page_number}]")
        self.page.rows.append(Placed(row, self.y, row.natural_height()))
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


class RowValues(Mapping[str, Any]):
    """A row's values by their field names: ``row.name`` and the row's own case's
    ``step.…``/``person.…``, and for anything else the sheet's (office.name, doc.number)."""

    def __init__(self, row: dict[str, Any], sheet: Mapping[str, Any]):
        self.row = row
        self.sheet = sheet

    def __getitem__(self, name: str) -> Any:
        if name.startswith("row."):
            return self.row[name[4:]]
        if name in self.row:
            return self.row[name]
        return self.sheet[name]

    def __iter__(self):
        return iter({*(f"row.{k}" for k in self.row), *self.row, *self.sheet})

    def __len__(self) -> int:
        return sum(1 for _ in self)

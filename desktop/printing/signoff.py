"""The table of a sign-off sheet: a row per case (or blank rows to write in), repeated over
as many pages as the rows need, the header on every page, 本页小计 at the foot of each page
and 合计 with the amount in capitals after the last row.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from desktop.money import format_fen
from desktop.printing.boxes import MM, PAD_X, CellLayout, RowLayout, TextBlock
from desktop.printing.capitals import fen_to_capitals
from desktop.printing.fields import format_value
from desktop.printing.forms import Column
from desktop.printing.layout import NOTE_GAP_TIGHT, NOTE_SPACING_TIGHT, Layout, Placed

LISTED_CASES = 5  # case numbers named in a warning before "等 N 件"


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
                column.title, width - 2 * PAD_X, "表头", self.faces.heading, self.size, "center"
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
            cells.append(CellLayout(x, x + width, "value", body, name=name))
            x += width
        return RowLayout(cells, table.row_height * MM)

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
        text = format_fen(amount) if amount is not None else ""
        body = self._text(
            text, width - 2 * PAD_X, label, self.faces.body, self.size, money.align, shrink=True
        )
        cells.append(CellLayout(x, x + width, "value", body, name=name))
        x += width
        after = sum(c.width for c in table.columns[index + 1 :]) * MM
        if after:
            cells.append(
                CellLayout(x, x + after, "blank", TextBlock([], self.faces.body, self.size))
            )
        return RowLayout(cells, table.row_height * MM)

    def capitals_row(self, amount: int | None) -> RowLayout:
        text = "合计金额（人民币大写）：" + (fen_to_capitals(amount) if amount is not None else "")
        if amount is not None:
            text += f"　　（小写）￥{format_fen(amount)}"
        body = self._text(text, self.content_width - 2 * PAD_X, "合计", self.faces.body, self.size)
        cell = CellLayout(self.left, self.left + self.content_width, "value", body, name="capitals")
        return RowLayout([cell], (self.form.table.row_height if self.form.table else 10) * MM)

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

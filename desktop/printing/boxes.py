"""Measured text, cells and rows: what the layout places on pages and the painter draws.

A row knows its height from its cells' wrapped lines, and how to split at a page break: each
cell shows the lines that fit and the rest continue in the next part of the row, whose label
cells repeat their label marked （续）. Sizes are in points.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from desktop.printing.fonts import FontSet

MM = 72 / 25.4
PAD_X = 1.2 * MM
PAD_Y = 1.3 * MM


@dataclass
class TextBlock:
    """Lines of text in one font set and size."""

    lines: list[str]
    fonts: FontSet
    size: float
    align: str = "left"

    @property
    def leading(self) -> float:
        return self.size * 1.42


@dataclass
class CellLayout:
    x0: float
    x1: float
    kind: str  # label, value, box, sign, text, blank
    body: TextBlock
    head: TextBlock | None = None  # a box's or sign cell's own label, at its top
    # The signature lines at the bottom: (text, how), how being seal, sign, left or right.
    sign: list[tuple[str, str]] = field(default_factory=list)
    sign_text: TextBlock | None = None
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
class RowLayout:
    cells: list[CellLayout]
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

    def split(self, available: float) -> tuple[RowLayout | None, RowLayout | None]:
        """The part of the row that fits in ``available`` points, and what is left.

        Each cell shows the lines that fit; the rest continue in the next part, whose label
        cells repeat their label marked 续. A signature line goes with a cell's last lines.
        Returns (None, self) when not even one line fits.
        """
        first_cells: list[CellLayout] = []
        rest_cells: list[CellLayout] = []
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
        piece = RowLayout(first_cells, available, self.border)
        if not unfinished:
            piece.min_height = min(self.min_height, available)
            return piece, None
        for cell, rest in zip(self.cells, rest_cells, strict=True):
            if cell.kind == "label":
                rest.body = _continued(cell.body)
                rest.start, rest.end = 0, -1
        remaining = RowLayout(rest_cells, 0.0, self.border)
        remaining.min_height = min(self.min_height, remaining.natural_height())
        return piece, remaining


def _sign_height(cell: CellLayout) -> float:
    if not cell.sign or cell.sign_text is None:
        return 0.0
    return len(cell.sign) * cell.sign_text.leading + 0.6 * cell.sign_text.leading


def _copy_cell(cell: CellLayout, start: int, end: int, show_sign: bool) -> CellLayout:
    return replace(cell, start=start, end=end, show_sign=show_sign)


def _emptied(cell: CellLayout) -> CellLayout:
    """What a finished cell shows on the continuation of its row: nothing."""
    empty = _copy_cell(cell, 0, 0, show_sign=False)
    empty.show_head = False
    if cell.kind == "label":
        empty.body = TextBlock([], cell.body.fonts, cell.body.size, cell.body.align)
    return empty


def _continued(text: TextBlock) -> TextBlock:
    lines = list(text.lines)
    if lines and not lines[-1].rstrip("：:").endswith("（续）"):
        lines[-1] = lines[-1].rstrip("：:") + "（续）"
    return TextBlock(lines, text.fonts, text.size, text.align)

"""A measured row split at a page break: the lines that fit stay, the rest continue under the
label marked （续）, and a signature line goes with a cell's last lines."""

from __future__ import annotations

import pytest

from desktop.printing.boxes import PAD_Y, CellLayout, RowLayout, TextBlock
from desktop.printing.fonts import BUNDLED_SONG, typefaces

SIZE = 10.0


@pytest.fixture(scope="module")
def fonts():
    return typefaces(BUNDLED_SONG).body


def text(fonts, *lines: str) -> TextBlock:
    return TextBlock(list(lines), fonts, SIZE)


def opinion_row(fonts, lines: int, sign: bool = False) -> RowLayout:
    label = CellLayout(0, 60, "label", text(fonts, "意见："))
    value = CellLayout(60, 400, "box", text(fonts, *(f"第{i}行" for i in range(1, lines + 1))))
    if sign:
        value.sign = [("负责人签字：\t年　月　日", "sign")]
        value.sign_text = text(fonts)
    return RowLayout([label, value], min_height=20)


def room_for(lines: int) -> float:
    # A hair more than the lines need: an exact fit is at the mercy of float rounding.
    return 2 * PAD_Y + lines * SIZE * 1.42 + 0.01


def test_the_lines_that_fit_stay_and_the_rest_continue_under_the_label(fonts):
    piece, rest = opinion_row(fonts, 5).split(room_for(2))
    assert piece.cells[1].body_lines() == ["第1行", "第2行"]
    assert rest is not None
    assert rest.cells[0].body_lines() == ["意见（续）"]
    assert rest.cells[1].body_lines() == ["第3行", "第4行", "第5行"]


def test_a_row_that_fits_is_not_split(fonts):
    piece, rest = opinion_row(fonts, 2).split(room_for(3))
    assert rest is None and piece.cells[1].body_lines() == ["第1行", "第2行"]


def test_nothing_is_split_when_not_one_line_fits(fonts):
    row = opinion_row(fonts, 3)
    assert row.split(room_for(0)) == (None, row)


def test_the_signature_goes_with_the_last_lines(fonts):
    # All three lines fit, the signature under them does not: it goes to the next part.
    piece, rest = opinion_row(fonts, 3, sign=True).split(room_for(3))
    assert piece.cells[1].sign_height() == 0
    assert rest is not None and rest.cells[1].body_lines() == []
    assert rest.cells[1].sign_height() > 0

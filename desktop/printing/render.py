"""A form plus its data written as a PDF (reportlab, no Qt): the entry points.

desktop.printing.layout (and .signoff for a sign-off sheet's table) lays the filled form out on
pages first, so the page count and the characters no font has are known before drawing;
desktop.printing.paint draws the pages. Here the two are run, a PDF is written to a file or a
stream, and the result says what was printed where.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import IO

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from desktop.printing.context import PrintData
from desktop.printing.fonts import BUNDLED_SONG, MISSING_MARK, Typefaces, typefaces
from desktop.printing.forms import SIGNOFF, Form
from desktop.printing.layout import Layout
from desktop.printing.paint import CellRecord, Painter
from desktop.printing.signoff import SignoffLayout

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
class RenderResult:
    pages: int
    cells: tuple[CellRecord, ...] = ()
    warnings: tuple[str, ...] = ()
    missing: tuple[tuple[str, str], ...] = ()


def _layout(form: Form, data: PrintData, faces: Typefaces, reveal_personal: bool) -> Layout:
    kind = SignoffLayout if form.kind == SIGNOFF else Layout
    layout = kind(form, data, faces, reveal_personal)
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
        painter = Painter(layout, canvas)
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
    "MissingGlyphs",
    "RenderResult",
    "missing_characters",
    "render_pdf",
    "render_to_bytes",
]

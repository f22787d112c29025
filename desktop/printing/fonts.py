"""The faces printed forms use, and which face draws each character.

Body text is set in a Song face: the bundled AR PL SungtiL GB by default, or the Windows system
SimSun when the office prefers it. Titles are set in the bundled WenQuanYi Micro Hei (a sans),
made bold by stroking the outline, since it has no bold weight. Every face falls back to the
others character by character: GB 2312 Song lacks rarer characters found in names (镕, 堃),
which the sans has. A character no face has is reported before anything is printed.

Fonts are read once per process; reportlab embeds only the glyphs a document uses.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from desktop.paths import bundled_font_path, bundled_song_font_path

BUNDLED_SONG = "bundled_song"
SIMSUN = "simsun"
SANS = "sans"
MISSING_MARK = "〓"  # the typesetter's mark for a character that cannot be set
BODY_FONTS = {
    BUNDLED_SONG: "程序自带宋体（文鼎 PL 细上海宋）",
    SIMSUN: "系统宋体（Windows SimSun）",
    SANS: "程序自带黑体（文泉驿微米黑）",
}

# Characters that need no glyph: they are spacing, not ink.
SPACES = frozenset(" \t\n\r\u3000")


class FontUnavailable(Exception):
    """A font file the office asked for cannot be read; the message says which and why."""


@dataclass(eq=False)
class Face:
    """One registered TrueType face: its reportlab name and the characters it can draw."""

    name: str
    font: TTFont
    label: str

    def __post_init__(self) -> None:
        self.codepoints = frozenset(self.font.face.charToGlyph)

    def has(self, char: str) -> bool:
        return ord(char) in self.codepoints

    def width(self, text: str, size: float) -> float:
        return self.font.stringWidth(text, size)


_lock = threading.Lock()
_faces: dict[str, Face] = {}


def _simsun_path() -> Path:
    override = os.environ.get("UNIONDESK_SIMSUN")
    if override:
        return Path(override)
    return Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts" / "simsun.ttc"


def _load(name: str, path: Path, label: str, subfont: int = 0) -> Face:
    with _lock:
        face = _faces.get(name)
        if face is not None:
            return face
        if not path.is_file():
            raise FontUnavailable(f"找不到字体文件 {path}（{label}）。")
        try:
            font = TTFont(name, str(path), subfontIndex=subfont)
        except (TTFError, OSError, ValueError) as error:
            raise FontUnavailable(f"字体文件 {path}（{label}）无法使用：{error}") from error
        pdfmetrics.registerFont(font)
        face = Face(name, font, label)
        _faces[name] = face
        return face


def song() -> Face:
    return _load("UDSong", bundled_song_font_path(), "文鼎 PL 细上海宋")


def sans() -> Face:
    return _load("UDSans", bundled_font_path(), "文泉驿微米黑")


def simsun() -> Face:
    return _load("UDSimSun", _simsun_path(), "Windows 系统宋体 SimSun")


@dataclass(eq=False)
class FontSet:
    """Faces in order of preference; each character is drawn by the first face that has it."""

    faces: tuple[Face, ...]
    bold: bool = False
    _choice: dict[str, int] = field(default_factory=dict, repr=False)
    _widths: dict[str, float] = field(default_factory=dict, repr=False)

    @property
    def primary(self) -> Face:
        return self.faces[0]

    def face_index(self, char: str) -> int:
        index = self._choice.get(char)
        if index is None:
            index = next((i for i, f in enumerate(self.faces) if f.has(char)), -1)
            self._choice[char] = index
        return index

    def has(self, char: str) -> bool:
        return char in SPACES or self.face_index(char) >= 0

    def missing(self, text: str) -> list[str]:
        seen: list[str] = []
        for char in text:
            if not self.has(char) and char not in seen:
                seen.append(char)
        return seen

    def runs(self, text: str) -> list[tuple[Face, str]]:
        """The text cut where the drawing face changes; unknown characters go to the first."""
        runs: list[tuple[Face, str]] = []
        current = -2
        start = 0
        for position, char in enumerate(text):
            index = 0 if char in SPACES else max(self.face_index(char), 0)
            if index != current:
                if position > start:
                    runs.append((self.faces[current], text[start:position]))
                current, start = index, position
        if len(text) > start:
            runs.append((self.faces[current], text[start:]))
        return runs

    def char_width(self, char: str) -> float:
        """Width at 1 pt."""
        width = self._widths.get(char)
        if width is None:
            index = 0 if char in SPACES else max(self.face_index(char), 0)
            width = self.faces[index].width(char, 1.0)
            self._widths[char] = width
        return width

    def width(self, text: str, size: float) -> float:
        return sum(self.char_width(c) for c in text) * size


@dataclass(frozen=True)
class Typefaces:
    """The font sets of one rendering: body (Song), heading (bold sans)."""

    body: FontSet
    heading: FontSet
    warnings: tuple[str, ...] = ()

    def all_faces(self) -> tuple[Face, ...]:
        return tuple(dict.fromkeys(self.body.faces + self.heading.faces))


_typefaces: dict[str, Typefaces] = {}


def typefaces(body_font: str = BUNDLED_SONG) -> Typefaces:
    """The fonts for ``body_font`` ("bundled_song", "simsun" or "sans"), loaded once.

    SimSun missing (not Windows, or removed) falls back to the bundled Song with a warning.
    """
    if body_font not in BODY_FONTS:
        raise ValueError(f"正文字体“{body_font}”不对，只能是 {'、'.join(BODY_FONTS)}")
    cached = _typefaces.get(body_font)
    if cached is not None:
        return cached
    warnings: tuple[str, ...] = ()
    bundled_sans = sans()
    if body_font == SANS:
        body_faces: tuple[Face, ...] = (bundled_sans, song())
    elif body_font == SIMSUN:
        try:
            body_faces = (simsun(), song(), bundled_sans)
        except FontUnavailable as error:
            warnings = (f"{error} 已改用程序自带宋体。",)
            body_faces = (song(), bundled_sans)
    else:
        body_faces = (song(), bundled_sans)
    heading_faces = (bundled_sans,) + tuple(f for f in body_faces if f is not bundled_sans)
    result = Typefaces(FontSet(body_faces), FontSet(heading_faces, bold=True), warnings)
    _typefaces[body_font] = result
    return result

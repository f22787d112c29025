"""Checks on what people type, with messages that say what is wrong and how to fix it.

Text reaches the office from the keyboard, pasted from web pages and chat programs, from
spreadsheets and from files a county union sends. Pasted text brings characters nobody can see:
zero-width spaces, direction overrides that make a file name read backwards, control characters
that garble a terminal. Such a character in a name would make two names that look the same
compare different, so names refuse them outright; ordinary text strips the invisible ones and
refuses the control ones, telling the clerk where they were.
"""

from __future__ import annotations

import unicodedata

import opencc

# Real names of minority workers written in Chinese run long (维吾尔族, 藏族 and 蒙古族 names
# with a patronymic, joined by middle dots): 40 characters holds every one we have seen.
MAX_PERSON_NAME_LENGTH = 40

# The middle dot of minority and foreign names arrives in several forms; the printed forms and
# the comparison of names use one.
MIDDLE_DOT = "·"
MIDDLE_DOT_FORMS = "·・•‧∙⋅"

# Characters kept in multi-line text.
LINE_BREAKS = "\n"


class TextError(ValueError):
    """Typed text is unusable; the message names the character and how to fix it."""


def character_name(ch: str) -> str:
    """How a message names a character a clerk cannot see."""
    return f"U+{ord(ch):04X}" + (f"（{unicodedata.name(ch)}）" if unicodedata.name(ch, "") else "")


def is_invisible(ch: str) -> bool:
    """Format characters (zero-width spaces and joiners, direction marks and overrides, BOM)."""
    return unicodedata.category(ch) == "Cf"


def is_control(ch: str, keep: str = "") -> bool:
    """Control, private-use, surrogate and unassigned characters, except those in ``keep``."""
    return ch not in keep and unicodedata.category(ch) in ("Cc", "Co", "Cs", "Cn")


def strip_invisible(text: str) -> str:
    """Text without format characters: what a direction override or zero-width space hid."""
    return "".join(ch for ch in text if not is_invisible(ch))


# How shown_text shows a character by its category: control characters as blanks, halves of a
# character the system could not decode (surrogates) as the replacement mark.
_SHOWN_AS = {"Cc": " ", "Cs": "\ufffd"}


def shown_text(text: str, keep: str = "\n\t") -> str:
    """Stored text as a screen or a terminal may show it: invisible characters left out (a
    direction override cannot turn "gpj.exe" into "exe.jpg"), control characters other than
    those in ``keep`` shown as blanks (an escape sequence cannot recolour or clear a terminal).
    For text saved before it was cleaned at the edge, and for names of files from elsewhere."""
    return "".join(
        ch if ch in keep else _SHOWN_AS.get(unicodedata.category(ch), ch)
        for ch in text
        if not is_invisible(ch)
    )


def clean_text(text: object, *, what: str, limit: int, multiline: bool = False) -> str:
    """Typed text tidied for storing: invisible characters removed, control characters refused.

    ``what`` names the field in messages; ``limit`` is the most characters its printed box
    holds. Single-line text has its blanks collapsed; multi-line text keeps its line breaks.
    """
    raw = strip_invisible(str(text if text is not None else "")).replace("\r\n", "\n")
    raw = raw.replace("\r", "\n").replace("\t", " ")
    for position, ch in enumerate(raw, start=1):
        if is_control(ch, keep=LINE_BREAKS if multiline else ""):
            if ch == "\n":
                raise TextError(f"{what}只能写一行，请把换行去掉。")
            raise TextError(
                f"{what}的第 {position} 个字符是看不见的控制字符 {character_name(ch)}，"
                "多半是从别处粘贴带来的，请删掉后重新输入。"
            )
    if multiline:
        text_out = "\n".join(line.rstrip() for line in raw.strip("\n").split("\n")).strip()
    else:
        text_out = " ".join(raw.split())
    if len(text_out) > limit:
        raise TextError(
            f"{what}太长（{len(text_out)} 个字），最多 {limit} 个字，这是纸质表格上能印下的长度。"
            "请精简后再保存。"
        )
    return text_out


def clean_person_name(text: object, what: str = "姓名") -> str:
    """A person's name as typed, tidied; raise TextError with a Chinese message if unusable.

    Full-width letters become half-width (NFKC), every form of the middle dot becomes "·",
    blanks collapse. Invisible and control characters are refused rather than stripped: a name
    is how a person is recognised, and a hidden character makes one name look like another.
    An empty result is allowed: it means "nobody named yet".
    """
    raw = str(text if text is not None else "")
    for position, ch in enumerate(raw, start=1):
        if is_invisible(ch) or is_control(ch, keep="\t\n\r"):
            raise TextError(
                f"{what}的第 {position} 个字符是看不见的字符 {character_name(ch)}，"
                "多半是从别处粘贴带来的。请删掉后重新输入姓名。"
            )
    name = unicodedata.normalize("NFKC", raw)
    for dot in MIDDLE_DOT_FORMS:
        name = name.replace(dot, MIDDLE_DOT)
    name = " ".join(name.split())
    name = name.replace(f" {MIDDLE_DOT}", MIDDLE_DOT).replace(f"{MIDDLE_DOT} ", MIDDLE_DOT)
    if len(name) > MAX_PERSON_NAME_LENGTH:
        raise TextError(
            f"{what}太长（{len(name)} 个字），最多 {MAX_PERSON_NAME_LENGTH} 个字。"
            "请只填写姓名本身。"
        )
    if any(ch.isdigit() for ch in name):
        raise TextError(f"{what}“{name}”里有数字，请只填写姓名；电话等信息请记在别处。")
    if name.strip(MIDDLE_DOT) != name or f"{MIDDLE_DOT}{MIDDLE_DOT}" in name:
        raise TextError(f"{what}“{name}”的间隔号“·”位置不对：它只能写在两段名字中间。")
    return name


_SIMPLIFIED = opencc.OpenCC("t2s")


def name_key(name: str) -> str:
    """What two names are compared by: normalised (NFKC, one middle dot, traditional characters
    as simplified), without blanks, invisible or control characters, letters case-folded.
    Tolerant of names recorded before such characters were refused, so an old record still
    matches its person."""
    text = _SIMPLIFIED.convert(unicodedata.normalize("NFKC", str(name or "")))
    for dot in MIDDLE_DOT_FORMS:
        text = text.replace(dot, MIDDLE_DOT)
    return "".join(
        ch for ch in text if not (ch.isspace() or is_invisible(ch) or is_control(ch))
    ).casefold()

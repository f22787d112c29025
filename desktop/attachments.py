"""What may be attached to a case, and how its name is shown (no Qt, no SQL).

Attachments are scans and documents: signed pages, certificates, bills, minutes. A file is
accepted when its extension is one of these kinds and its first bytes say it really is one (a
program renamed scan.pdf is not a scan); zip packages (OFD, .docx, .xlsx) must also hold the
part that makes them that kind. Its size is limited by an office setting, checked while the
file is copied, never by reading it whole. The name it had on the clerk's disk is shown without
the invisible characters that can make "gpj.exe" read as "exe.jpg".
"""

from __future__ import annotations

import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desktop.validation import shown_text

# The office setting: the largest attachment, in MB (10^6 bytes, as file managers count).
SIZE_LIMIT_SETTING = "attachment_max_mb"
DEFAULT_SIZE_LIMIT_MB = 50
SIZE_LIMIT_RANGE_MB = (1, 1000)
MB = 1_000_000
# How much of a file's start the kind is judged by.
HEAD_BYTES = 1024
# The longest name kept for a file (a path component is at most 255 on every system we run on).
MAX_FILE_NAME_LENGTH = 120

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 and Excel 97-2003 compound files
ZIP = b"PK\x03\x04"


class AttachmentRefused(ValueError):
    """The file cannot be attached; the message says why and what to do instead."""


@dataclass(frozen=True)
class FileKind:
    label: str
    extensions: tuple[str, ...]
    head_matches: Callable[[bytes], bool]
    # A zip package is this kind when it holds a member starting with this.
    package_member: str = ""


FILE_KINDS = (
    FileKind("PDF", (".pdf",), lambda head: b"%PDF-" in head[:HEAD_BYTES]),
    FileKind("JPEG", (".jpg", ".jpeg"), lambda head: head.startswith(b"\xff\xd8\xff")),
    FileKind("PNG", (".png",), lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    FileKind(
        "TIFF",
        (".tif", ".tiff"),
        lambda head: head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"),
    ),
    FileKind("OFD", (".ofd",), lambda head: head.startswith(ZIP), "OFD.xml"),
    FileKind("Word", (".docx",), lambda head: head.startswith(ZIP), "word/"),
    FileKind("Word", (".doc",), lambda head: head.startswith(OLE2)),
    FileKind("Excel", (".xlsx",), lambda head: head.startswith(ZIP), "xl/"),
    FileKind("Excel", (".xls",), lambda head: head.startswith(OLE2)),
)


def allowed_types_text() -> str:
    """PDF、JPEG、PNG、TIFF、OFD、Word（.doc .docx）、Excel（.xls .xlsx）"""
    by_label: dict[str, list[str]] = {}
    for kind in FILE_KINDS:
        by_label.setdefault(kind.label, []).extend(kind.extensions)
    shown = []
    for label, extensions in by_label.items():
        several = label in ("Word", "Excel")
        shown.append(f"{label}（{' '.join(sorted(extensions))}）" if several else label)
    return "、".join(shown)


def file_patterns() -> list[str]:
    """*.pdf, *.jpg … for a file chooser."""
    return [f"*{extension}" for kind in FILE_KINDS for extension in kind.extensions]


def kind_for_name(name: str) -> FileKind | None:
    suffix = Path(display_name(name)).suffix.lower()
    return next((kind for kind in FILE_KINDS if suffix in kind.extensions), None)


def can_open(name: str) -> bool:
    """Whether a stored attachment may be handed to the computer's program for its kind:
    only the kinds attachments may be (a file listed before these rules may be anything)."""
    return kind_for_name(name) is not None


def kind_by_name(name: str) -> FileKind:
    """The kind the file's name says; AttachmentRefused if attachments cannot be of it."""
    kind = kind_for_name(name)
    if kind is None:
        raise AttachmentRefused(
            f"“{display_name(name)}”不能作为附件。附件只能是扫描件和文档："
            f"{allowed_types_text()}。请把它另存或导出为其中一种格式（如用扫描仪存成 PDF）再添加。"
        )
    return kind


def check_head(name: str, kind: FileKind, head: bytes) -> None:
    """Refuse a file whose first bytes are not those of the kind its name says."""
    if not kind.head_matches(head):
        raise AttachmentRefused(
            f"“{display_name(name)}”的名字是 {kind.label} 文件，但内容不是 {kind.label}"
            "（文件开头不对），可能是改了名的其他文件或已经损坏。为安全起见没有添加；"
            f"请用扫描仪或原来的程序重新存成 {kind.label} 后再添加。"
        )


def check_package(name: str, kind: FileKind, path: Path) -> None:
    """A zip package (OFD, .docx, .xlsx) must hold its kind's part; only the package's
    directory at its end is read."""
    if not kind.package_member:
        return
    try:
        with zipfile.ZipFile(path) as package:
            names = package.namelist()
    except (zipfile.BadZipFile, OSError) as error:
        raise AttachmentRefused(
            f"“{display_name(name)}”不是完整的 {kind.label} 文件，可能已经损坏或没有下载完。"
            f"请用原来的程序重新存成 {kind.label} 后再添加。"
        ) from error
    if not any(member.startswith(kind.package_member) for member in names):
        raise AttachmentRefused(
            f"“{display_name(name)}”的名字是 {kind.label} 文件，但里面没有 {kind.label} 的内容，"
            f"可能是改了名的其他压缩文件。为安全起见没有添加；请用原来的程序重新存成 {kind.label}。"
        )


def size_text(size: int) -> str:
    """1.2 MB, 350 KB: sizes as a clerk's file manager shows them."""
    if size >= MB:
        return f"{size / MB:.1f} MB"
    return f"{max(1, round(size / 1000))} KB"


def too_large(name: str, size: int, limit_mb: int, at_least: bool = False) -> AttachmentRefused:
    """The refusal of a file larger than the office allows; ``at_least`` when the copy stopped
    at the limit and the whole size is not known."""
    where = "（设置 → 附件大小上限）"
    if at_least:
        said = f"“{display_name(name)}”大于附件大小上限 {limit_mb} MB{where}，没有添加。"
    else:
        said = (
            f"“{display_name(name)}”有 {size_text(size)}，附件最大 {limit_mb} MB{where}，没有添加。"
        )
    return AttachmentRefused(
        said + "请用较低的分辨率（如 200 dpi）或黑白、灰度重新扫描，或把文件分成几份分别添加。"
    )


def limit_mb_from_setting(text: str) -> int:
    """The stored setting as a number of MB; the default when unset or unreadable."""
    low, high = SIZE_LIMIT_RANGE_MB
    return int(text) if text.isdigit() and low <= int(text) <= high else DEFAULT_SIZE_LIMIT_MB


def check_limit_mb(value: int) -> int:
    low, high = SIZE_LIMIT_RANGE_MB
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"附件大小上限应在 {low} 到 {high} MB 之间，现在是 {value}。")
    return value


def display_name(name: str) -> str:
    """A file's name as lists, the timeline and messages show it: without direction overrides,
    zero-width and other invisible characters, control characters and runs of blanks."""
    shown = " ".join(shown_text(unicodedata.normalize("NFC", str(name)), keep="").split())
    if len(shown) > MAX_FILE_NAME_LENGTH:
        suffix = Path(shown).suffix[:10]
        shown = shown[: MAX_FILE_NAME_LENGTH - len(suffix) - 1] + "…" + suffix
    return shown or "（无名文件）"

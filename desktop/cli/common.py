"""What every command shares: exit codes, JSON output, and a terminal that only shows text."""

from __future__ import annotations

import contextlib
import json
import sys
import unicodedata
from collections.abc import Iterator
from typing import Any

from desktop.validation import shown_text

EXIT_OK = 0
EXIT_ERROR = 1
# Characters JSON may carry raw that a terminal would act on or hide: direction overrides and
# other invisible ones, DEL and the C1 controls, halves of undecodable names.
_ESCAPED_IN_JSON = ("Cf", "Cc", "Cs")


def _escape(ch: str) -> str:
    code = ord(ch)
    if code > 0xFFFF:
        high, low = divmod(code - 0x10000, 0x400)
        return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"
    return f"\\u{code:04x}"


def print_json(value: Any) -> None:
    """``value`` as JSON; characters a terminal would act on are written as \\u escapes, so
    a script reads the stored text exactly while the terminal shows nothing strange."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    print(
        "".join(
            _escape(ch) if ch != "\n" and unicodedata.category(ch) in _ESCAPED_IN_JSON else ch
            for ch in text
        )
    )


class _ShownStream:
    """A standard stream whose text is written as shown_text shows it: what was stored before
    it was cleaned (a name with an escape sequence, a direction override) cannot recolour, clear
    or reorder the clerk's terminal."""

    def __init__(self, stream: Any):
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(shown_text(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def terminal_output() -> Iterator[None]:
    """Standard output and error as _ShownStream for as long as a command runs."""
    saved = sys.stdout, sys.stderr
    if sys.stdout is not None:
        sys.stdout = _ShownStream(sys.stdout)
    if sys.stderr is not None:
        sys.stderr = _ShownStream(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved

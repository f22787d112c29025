"""Generated input shared by the property tests: junk of every kind, and what a clerk might
really type, written the ways clerks write it."""

from __future__ import annotations

import re
from datetime import date

from hypothesis import strategies as st

# The day the tests look from (a Friday); nothing here reads the clock.
TODAY = date(2026, 11, 20)

_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def is_chinese_message(error: BaseException) -> bool:
    """A message a clerk can read: not empty, and in Chinese."""
    return bool(_CHINESE.search(str(error)))


# Characters that reach validators: digits and letters (ASCII and full-width), separators, the
# Chinese the clerk types, invisible and control characters pasted from elsewhere.
TRICKY = (
    "0123456789Xx+-.,，()（）:/ \t\n\r\u3000"
    "０１２３４５６７８９ＸＡ"
    "元￥¥年月日号"
    "\u200b\u200e\u202e\ufeff\x00\x1b\x85\u2028"
    "٣²½"  # other scripts' digits, a superscript, a fraction
)

junk = st.one_of(
    st.text(),
    st.text(alphabet=TRICKY, max_size=40),
    st.text(alphabet="0123456789", min_size=1, max_size=6000),  # the 5,000-digit number
)


def full_width(text: str) -> str:
    """ASCII letters and digits as an IME in full-width mode writes them."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


@st.composite
def spaced(draw, text: str, separators: str = " ") -> str:
    """``text`` with separators typed between some characters."""
    out = []
    for char in text:
        out.append(char)
        if draw(st.booleans()) and draw(st.booleans()):
            out.append(draw(st.sampled_from(separators)))
    return "".join(out)

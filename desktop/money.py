"""Money is integer fen everywhere; this is where it is read from and written for people."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

MAX_FEN = 10**13  # 1,000 亿元: larger is a typing slip, not a union payment


class MoneyError(ValueError):
    """The amount typed cannot be taken; the message says why in Chinese."""


def parse_yuan(text: str) -> int:
    """'1,234.5' / '1234.50元' / '￥1234' → 123450 fen. Rejects a third decimal and negatives."""
    cleaned = re.sub(r"[\s,，¥￥元]", "", str(text))
    if not cleaned:
        raise MoneyError("请填写金额")
    if not re.fullmatch(r"\d+(\.\d*)?|\.\d+", cleaned):
        raise MoneyError(f"金额“{text}”只能包含数字和小数点，如 1200 或 1200.50")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as error:  # pragma: no cover - the pattern admits only numbers
        raise MoneyError(f"金额“{text}”无法识别") from error
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise MoneyError(f"金额“{text}”最多保留两位小数（角、分）")
    if fen >= MAX_FEN:
        raise MoneyError(f"金额“{text}”过大，请核对位数")
    return int(fen)


def format_fen(fen: int) -> str:
    """123450 → '1,234.50' (no unit; callers add 元 where it reads better)."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{yuan:,}.{cents:02d}"

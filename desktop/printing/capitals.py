"""Amounts in Chinese capital numerals (人民币大写), as they are written on vouchers.

The rules are those of the People's Bank of China, 《支付结算办法》 (银发〔1997〕393号), annex
《正确填写票据和结算凭证的基本规定》:

- 中文大写金额到“元”为止的，在“元”之后应写“整”字；在“角”之后可以不写“整”字；有“分”的，
  “分”后面不写“整”字。 We write 整 after 元 only, never after 角 or 分.
- 数字中间有“0”时，大写要写“零”字（¥1,409.50 → 壹仟肆佰零玖元伍角）；中间连续有几个“0”时，
  可以只写一个“零”字（¥6,007.14 → 陆仟零柒元壹角肆分）.
- 万位或元位是“0”，或者中间连续有几个“0”，万位、元位也是“0”，但千位、角位不是“0”时，可以只写一个
  “零”字，也可以不写“零”字（¥1,680.32 → 壹仟陆佰捌拾元零叁角贰分 或 壹仟陆佰捌拾元叁角贰分；
  ¥107,000.53 → 壹拾万柒仟元零伍角叁分 或 壹拾万零柒仟元伍角叁分）. Both are correct; we take
  the shorter form without 零 throughout, so ¥100.10 is 壹佰元壹角 and ¥107,000.53 is
  壹拾万柒仟元伍角叁分.
- 角位是“0”而分位不是“0”时，“元”后面应写“零”字（¥16,409.02 → 壹万陆仟肆佰零玖元零贰分）.
  This one is not optional.

拾 is always preceded by its digit (壹拾元, not 拾元), as cheques are filled in, so that nothing
can be written in front of it.
"""

from __future__ import annotations

DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("仟", "佰", "拾", "")
_GROUPS = ("亿", "万", "")
# Three groups of four digits: up to 9999,9999,9999.99 元, far beyond any union payment.
_LIMIT_YUAN = 10**12


def _four_digits(number: int) -> str:
    """1409 → 壹仟肆佰零玖; 10 → 壹拾; leading zeros are the caller's business."""
    text = ""
    pending_zero = False
    started = False
    for place, digit in zip(_PLACES, f"{number:04d}", strict=True):
        value = int(digit)
        if value == 0:
            pending_zero = started
            continue
        if pending_zero:
            text += "零"
        text += DIGITS[value] + place
        pending_zero = False
        started = True
    return text


def _yuan_to_capitals(yuan: int) -> str:
    groups = [(yuan // 10**8) % 10**4, (yuan // 10**4) % 10**4, yuan % 10**4]
    text = ""
    zero_between = False
    for group, unit in zip(groups, _GROUPS, strict=True):
        if group == 0:
            zero_between = bool(text)
            continue
        # A lower group that starts with zeros (10,010 → 壹万零壹拾) or follows an empty one
        # (1,0000,0001 → 壹亿零壹) is joined with one 零.
        if text and (zero_between or group < 1000):
            text += "零"
        text += _four_digits(group) + unit
        zero_between = False
    return text


def fen_to_capitals(fen: int) -> str:
    """1200000 → 壹万贰仟元整; 5 → 伍分; 1001001 → 壹万零壹拾元零壹分; 0 → 零元整.

    Raises ValueError for negative amounts (a sign-off sheet never pays a negative sum) and for
    amounts of 1 万亿元 or more.
    """
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError(f"金额应为以分计的整数，现在是 {fen!r}")
    if fen < 0:
        raise ValueError(f"金额不能为负数（{fen} 分）")
    yuan, cents = divmod(fen, 100)
    if yuan >= _LIMIT_YUAN:
        raise ValueError(f"金额 {yuan} 元过大，无法写成大写")
    jiao, fen_digit = divmod(cents, 10)
    if yuan == 0 and cents == 0:
        return "零元整"
    text = _yuan_to_capitals(yuan) + "元" if yuan else ""
    if cents == 0:
        return text + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif yuan:
        text += "零"  # 角位是 0 而分位不是 0：元后面应写“零”
    if fen_digit:
        text += DIGITS[fen_digit] + "分"
    return text

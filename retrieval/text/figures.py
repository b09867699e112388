"""Figures in text, normalised for comparison: 1.6亿 = 16000万, ９９ = 99, 九十九万 = 990000, 95.0% = 95%.

Used to check that every figure a generated sentence states occurs in a passage it cites. Text is
normalised first (OpenCC t2s, full/half width), so a Traditional passage supports a Simplified answer.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from retrieval.text.normalize import normalize

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}
# A Chinese numeral worth converting: at least one digit character and one unit character (九十九, 三千,
# 一万); a lone 一 (一是, 统一) or 十 (十分) stays text.
_CN_NUMERAL = re.compile(
    r"(?<![第])[零〇一二两三四五六七八九十百千]*[一二两三四五六七八九][零〇一二两三四五六七八九十百千]*"
)
_NUMBER = re.compile(r"(?<![\d.])(\d+(?:,\d{3})*(?:\.\d+)?)\s*(万|亿)?")
_MARKER = re.compile(r"\[\d+\]")
_ENUMERATOR = re.compile(r"^\s*(?:[（(]?\d+[）)]|\d+[、.．](?!\d))")


def cn_value(numeral: str) -> int | None:
    """Value of a simple Chinese numeral below 10 000 (九十九 → 99, 一千二百 → 1200); None otherwise."""
    total, digit = 0, None
    for ch in numeral:
        if ch in _DIGITS:
            if digit is not None and digit != 0:
                return None  # 一二 is a list, not a number
            digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            total += (1 if digit is None else digit) * _SMALL_UNITS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


def _convert_numerals(text: str) -> str:
    """Simple Chinese numerals with a unit character (九十九, 三千) become Arabic digits."""

    def repl(m: re.Match[str]) -> str:
        s = m.group(0)
        if not any(c in _SMALL_UNITS for c in s):
            return s
        value = cn_value(s)
        return s if value is None else str(value)

    return _CN_NUMERAL.sub(repl, text)


def figure_text(text: str) -> str:
    """``text`` normalised for figure comparison: t2s, half width, Chinese numerals as digits, no markers."""
    return _convert_numerals(normalize(_MARKER.sub("", text)))


def figure_values(text: str) -> list[Decimal]:
    """Every figure of ``text`` as a number, 万/亿 applied (1.6亿 and 16000万 are both 160000000)."""
    out = []
    for m in _NUMBER.finditer(figure_text(text)):
        try:
            value = Decimal(m.group(1).replace(",", ""))
        except InvalidOperation:
            continue
        if m.group(2):
            value *= _BIG_UNITS[m.group(2)]
        out.append(value.normalize())
    return out


def sentence_figures(sentence: str) -> list[Decimal]:
    """Figures a sentence states, without its outline enumerator (``1.`` / ``（2）``) and markers."""
    return figure_values(_ENUMERATOR.sub("", _MARKER.sub("", sentence)))


def unsupported_figures(sentence: str, sources: list[str]) -> list[Decimal]:
    """Figures of ``sentence`` that occur in none of ``sources`` (compared as numbers)."""
    available: set[Decimal] = set()
    for source in sources:
        available.update(figure_values(source))
    return [v for v in sentence_figures(sentence) if v not in available]

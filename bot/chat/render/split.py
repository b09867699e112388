"""Split text for Telegram (and any HTML chat): escape for HTML, cut at sentence ends, pack into messages under 4096 characters."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable

from retrieval.sentences import sentences

TELEGRAM_LIMIT = 4096
PART_LIMIT = 4000
"""Budget per message, counted on the HTML we send (always ≥ what Telegram counts), with headroom."""

_SOFT_BREAKS = "，、,： "


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def escape_units(text: str, limit: int = PART_LIMIT) -> list[str]:
    """``text`` as HTML-escaped sentence units, each under ``limit`` (over-long sentences cut at commas, then anywhere)."""
    units: list[str] = []
    for sentence in sentences(text):
        escaped = html.escape(sentence, quote=False)
        if utf16_len(escaped) <= limit:
            units.append(escaped)
        else:
            units.extend(html.escape(piece, quote=False) for piece in _hard_split(sentence, limit))
    return units


def _hard_split(sentence: str, limit: int) -> list[str]:
    pieces: list[str] = []
    start = 0
    size = 0
    soft = -1
    for i, ch in enumerate(sentence):
        width = utf16_len(html.escape(ch, quote=False))
        if size + width > limit:
            cut = soft + 1 if soft > start + (i - start) // 2 else i
            pieces.append(sentence[start:cut])
            start = cut
            size = utf16_len(html.escape(sentence[start:i], quote=False))
            soft = -1
        size += width
        if ch in _SOFT_BREAKS:
            soft = i
    pieces.append(sentence[start:])
    return [p for p in pieces if p]


def pack(
    units: Iterable[str], limit: int = PART_LIMIT, measure: Callable[[str], int] = utf16_len
) -> list[str]:
    """Join well-formed units, in order, into as few messages as fit under ``limit`` each, as ``measure``
    counts (Telegram: UTF-16 code units; WeCom: UTF-8 bytes).
    """
    parts: list[str] = []
    current = ""
    for unit in units:
        if current and measure(current) + measure(unit) > limit:
            parts.append(current)
            current = ""
        current += unit
    if current:
        parts.append(current)
    return [p.strip() for p in parts if p.strip()]

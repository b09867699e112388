"""The one cutter: text escaped sentence by sentence, over-long sentences cut, units packed into messages.

Every format cuts the same way: whole sentences; a sentence over the budget is cut between escaped atoms (an
HTML entity, a markdown backslash escape: never inside one), at its last soft break past the half when the
format has soft breaks, else anywhere. What counts is the format's own measure (Telegram: UTF-16 code units of
the HTML we send; WeCom: UTF-8 bytes).
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from retrieval.text.sentences import sentences

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

TELEGRAM_LIMIT = 4096
PART_LIMIT = 4000
"""Budget per message, counted on the HTML we send (always ≥ what Telegram counts), with headroom."""

SOFT_BREAKS = "，、,： "
HTML_ATOM = re.compile(r"&(?:amp|lt|gt);|.", re.DOTALL)
"""What ``html.escape(…, quote=False)`` makes of one character."""


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def byte_len(text: str) -> int:
    """Length as WeCom counts it (UTF-8 bytes)."""
    return len(text.encode("utf-8"))


def _html(text: str) -> str:
    return html.escape(text, quote=False)


def sentence_units(
    text: str,
    limit: int,
    *,
    escape: Callable[[str], str],
    measure: Callable[[str], int],
    atom: re.Pattern[str],
    soft_breaks: str = "",
) -> list[str]:
    """``text`` as escaped sentence units, each under ``limit`` as ``measure`` counts (over-long ones cut)."""
    units: list[str] = []
    for sentence in sentences(text):
        escaped = escape(sentence)
        if measure(escaped) <= limit:
            units.append(escaped)
        else:
            units.extend(_cut(atom.findall(escaped), limit, measure, soft_breaks))
    return units


def _cut(atoms: list[str], limit: int, measure: Callable[[str], int], soft_breaks: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    size = 0
    soft = -1
    for i, atom in enumerate(atoms):
        width = measure(atom)
        if size + width > limit:
            cut = soft + 1 if soft > start + (i - start) // 2 else i
            pieces.append("".join(atoms[start:cut]))
            start = cut
            size = measure("".join(atoms[start:i]))
            soft = -1
        size += width
        if atom in soft_breaks:
            soft = i
    pieces.append("".join(atoms[start:]))
    return [p for p in pieces if p]


def escape_units(text: str, limit: int = PART_LIMIT) -> list[str]:
    """``text`` as HTML-escaped sentence units, each under ``limit`` (over-long sentences cut at commas, then anywhere)."""
    return sentence_units(
        text, limit, escape=_html, measure=utf16_len, atom=HTML_ATOM, soft_breaks=SOFT_BREAKS
    )


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

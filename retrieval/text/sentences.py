"""Where a Chinese sentence ends: the one sentence splitter of ingest, retrieval and the front ends.

A sentence ends after a run of 。！？!?, and of ；; unless ``semicolon=False``. Closing quotes and
brackets right after that run (”’」』）)"]) stay with their sentence unless ``closers=False``; a line
break ends a sentence too unless ``newline=False``. ``[n]`` citation markers, which answers and drafts
write before the closing punctuation (``…培训[1]。``), stay with the sentence they cite for.

Three views of one split: ``sentence_spans`` (offsets, covering the text), ``sentences`` (the pieces,
joining back to the text) and ``split_sentences`` (the pieces that have wording, stripped). The module
imports nothing of the project, so every layer can use it.
"""

from __future__ import annotations

import re
from functools import cache

__all__ = ["CLOSERS", "SEMICOLONS", "TERMINATORS", "Span", "sentence_spans", "sentences", "split_sentences"]

TERMINATORS = "。！？!?"
SEMICOLONS = "；;"
CLOSERS = '”’」』）)"]'

Span = tuple[int, int]


@cache
def _pattern(semicolon: bool, newline: bool, closers: bool) -> re.Pattern[str]:
    """One sentence per match: group 1 is its wording (maybe empty), then its end (or the text's end)."""
    ends = re.escape(TERMINATORS + (SEMICOLONS if semicolon else ""))
    body = f"[^{ends}\\n]*" if newline else f"[^{ends}]*"
    close = f"[{re.escape(CLOSERS)}]*" if closers else ""
    line = "|\\n" if newline else ""
    return re.compile(f"({body})(?:[{ends}]+{close}{line}|\\Z)")


def sentence_spans(
    text: str,
    span: Span | None = None,
    *,
    semicolon: bool = True,
    newline: bool = True,
    closers: bool = True,
) -> list[Span]:
    """Sentences of ``text[span]`` (the whole text by default) as consecutive spans that cover it."""
    start, end = span if span is not None else (0, len(text))
    pattern = _pattern(semicolon, newline, closers)
    return [(start + m.start(), start + m.end()) for m in pattern.finditer(text[start:end]) if m.group()]


def sentences(text: str, *, semicolon: bool = True, newline: bool = True, closers: bool = True) -> list[str]:
    """Sentences of ``text`` with their closing punctuation and line breaks; they join back to ``text``."""
    return [text[a:b] for a, b in sentence_spans(text, semicolon=semicolon, newline=newline, closers=closers)]


def split_sentences(
    text: str,
    *,
    semicolon: bool = True,
    newline: bool = True,
    closers: bool = True,
    strip: bool = True,
) -> list[str]:
    """Sentences that have wording (a stray run of punctuation is none), stripped unless ``strip=False``.

    With ``strip`` a sentence ends at its punctuation: the line break that ended it is dropped, and so
    is any sentence that is only whitespace.
    """
    out: list[str] = []
    for m in _pattern(semicolon, newline, closers).finditer(text):
        if not m.group(1):
            continue
        piece = m.group(0)
        if strip:
            piece = piece.strip()
            if not piece:
                continue
        out.append(piece)
    return out

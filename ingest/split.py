"""Pack a section's paragraphs into chunks of at most ``max_chars`` characters.

Chunks are ``(start, end)`` spans into the cleaned text, so a chunk's text is always a verbatim slice.
Paragraphs are packed whole while they fit; a longer paragraph is cut at sentence ends (。！？；),
falling back to commas and, for pathological runs without punctuation, a hard cut. Pieces of a cut
paragraph are balanced so that no tiny tail chunk is left over.
"""

from __future__ import annotations

import math
import re

from retrieval.text.sentences import Span, sentence_spans

MAX_CHUNK_CHARS = 500
_CLAUSE = re.compile(r"[^，,、：:]*[，,、：:]+|[^，,、：:]+$")


def pack_spans(text: str, paragraphs: list[Span], max_chars: int = MAX_CHUNK_CHARS) -> list[Span]:
    """Chunk spans for one section: paragraphs packed in order, none longer than ``max_chars``."""
    units: list[Span] = []
    for start, end in paragraphs:
        if end - start <= max_chars:
            units.append((start, end))
        else:
            units.extend(split_long(text, (start, end), max_chars))
    chunks: list[Span] = []
    for start, end in units:
        if chunks and end - chunks[-1][0] <= max_chars:
            chunks[-1] = (chunks[-1][0], end)
        else:
            chunks.append((start, end))
    return [_trim(text, span) for span in chunks]


def split_long(text: str, span: Span, max_chars: int = MAX_CHUNK_CHARS) -> list[Span]:
    """Cut one over-long paragraph into balanced pieces at the best available boundaries."""
    pieces = _pieces(text, span, max_chars)
    total = span[1] - span[0]
    target = total / math.ceil(total / max_chars)
    out: list[Span] = []
    cur_start, cur_end = pieces[0]
    for start, end in pieces[1:]:
        if end - cur_start > max_chars or cur_end - cur_start >= target:
            out.append((cur_start, cur_end))
            cur_start = start
        cur_end = end
    out.append((cur_start, cur_end))
    return [_trim(text, s) for s in out if text[s[0] : s[1]].strip()]


def _pieces(text: str, span: Span, max_chars: int) -> list[Span]:
    """Boundaries no longer than ``max_chars``: sentences, else clauses, else hard cuts."""
    pieces: list[Span] = []
    # a line break inside a paragraph does not end a sentence; closing quotes stay with theirs
    for sentence in sentence_spans(text, span, newline=False) or [span]:
        if sentence[1] - sentence[0] <= max_chars:
            pieces.append(sentence)
            continue
        for clause in _regex_spans(_CLAUSE, text, sentence):
            start, end = clause
            while end - start > max_chars:
                pieces.append((start, start + max_chars))
                start += max_chars
            pieces.append((start, end))
    return pieces


def _regex_spans(pattern: re.Pattern[str], text: str, span: Span) -> list[Span]:
    start, end = span
    spans = [(start + m.start(), start + m.end()) for m in pattern.finditer(text[start:end]) if m.group()]
    return spans or [span]


def _trim(text: str, span: Span) -> Span:
    """Drop whitespace at the span's edges so the chunk text starts and ends with content."""
    start, end = span
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end

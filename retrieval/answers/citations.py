"""Citation markers in generated text: normalise their forms, check them, renumber them.

An LLM writes ``[2]`` meaning "passage 2 of the prompt". The answer shown to the user numbers its
citations 1..n in order of first use, so markers are checked against the passages given (``[9]``
with five passages is dropped), moved before the sentence's closing punctuation and renumbered.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from retrieval.answers.types import Citation

if TYPE_CHECKING:
    from collections.abc import Sequence

    from retrieval.types import ChunkRecord

_GROUP = re.compile(r"[\[【［]\s*(\d+(?:\s*[,，、;；\s-]\s*\d+)*)\s*[\]】］]")
MARKER = re.compile(r"\[(\d+)\]")
"""A citation marker ``[n]`` as shown to users (group 1: n); the one definition every module uses."""
_MARKERS = r"(?:\[\d+\])+"
_CLOSING = "。！？；!?;"
_AFTER_PUNCT = re.compile(rf"([{_CLOSING}]+)\s*({_MARKERS})")
_REPEATED = re.compile(r"(\[\d+\])(?:\1)+")
_SPACE_AFTER_CJK_PUNCT = re.compile(r"([。！？；，：])[ \t]+")


def _expand(numbers: str) -> list[int]:
    out: list[int] = []
    for part in re.split(r"\s*[,，、;；\s]\s*", numbers.strip()):
        if "-" in part:
            lo, _, hi = part.partition("-")
            if lo.strip().isdigit() and hi.strip().isdigit() and int(hi) - int(lo) < 10:
                out.extend(range(int(lo), int(hi) + 1))
        elif part.isdigit():
            out.append(int(part))
    return out


def normalize_markers(text: str) -> str:
    """``【1】``, ``[1,2]``, ``[1、2]``, ``[1-3]`` → ``[1][2]…``; a marker after the closing
    punctuation moves before it (``培训。[1]`` → ``培训[1]。``); repeats collapse (``[1][1]`` → ``[1]``).
    """
    text = _GROUP.sub(lambda m: "".join(f"[{n}]" for n in _expand(m.group(1))), text)
    text = _AFTER_PUNCT.sub(lambda m: m.group(2) + m.group(1), text)
    text = _SPACE_AFTER_CJK_PUNCT.sub(r"\1", text)
    return _REPEATED.sub(r"\1", text)


def renumber(text: str, chunks: Sequence[ChunkRecord]) -> tuple[str, list[Citation]]:
    """Keep markers ``[n]`` with ``1 <= n <= len(chunks)``, drop the rest, renumber by first use.

    Returns the rewritten text and one ``Citation`` per chunk actually cited, numbered 1..m.
    """
    text = normalize_markers(text)
    order: dict[int, int] = {}

    def repl(m: re.Match[str]) -> str:
        n = int(m.group(1))
        if not 1 <= n <= len(chunks):
            return ""
        order.setdefault(n, len(order) + 1)
        return f"[{order[n]}]"

    text = _REPEATED.sub(r"\1", MARKER.sub(repl, text))
    citations = [Citation.from_chunk(new, chunks[old - 1]) for old, new in order.items()]
    return text, citations


def strip_markers(text: str) -> str:
    """Text without any citation markers (for checks on the prose itself)."""
    return MARKER.sub("", normalize_markers(text))

"""Answer metrics: is each ``[n]`` citation supported by its passage, and which key facts the answer states."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from retrieval.answers.citations import MARKER
from retrieval.evaluation.matching import match_key
from retrieval.text.sentences import split_sentences

if TYPE_CHECKING:
    from collections.abc import Sequence

    from retrieval.answers.types import Answer

MIN_SHARED_CHARS = 8
"""Consecutive characters a cited passage must share with its sentence when no figure is shared."""

_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:%|‰|/10万)?")
_NON_TEXT = re.compile(r"[^\w%‰./]")


def _numbers(key: str) -> set[str]:
    """Figures in a match key worth sharing: at least two characters, years (``2023年``) excluded."""
    out = set()
    for m in _NUMBER.finditer(key):
        tok = m.group(0)
        if len(tok) < 2 or key[m.end() : m.end() + 1] == "年":
            continue
        out.add(tok)
    return out


def citation_supported(sentence: str, passage: str, min_shared: int = MIN_SHARED_CHARS) -> bool:
    """Whether a cited passage supports the sentence that cites it.

    Rule: markers are removed from the sentence; both texts are normalised (``match_key``) and stripped of
    punctuation. The citation is supported when the passage contains a figure the sentence states (a
    number of at least two characters, with ``%``/``‰``/``/10万`` attached, years excluded) or when the two
    share at least ``min_shared`` consecutive characters. Extractive sentences copy the passage and pass by
    the second test; a grounded LLM sentence keeps the figures or a phrase of the passage.
    """
    s = _NON_TEXT.sub("", match_key(MARKER.sub("", sentence)))
    p = _NON_TEXT.sub("", match_key(passage))
    if not s or not p:
        return False
    if any(n in p for n in _numbers(s)):
        return True
    if len(s) < min_shared:
        return s in p
    return any(s[i : i + min_shared] in p for i in range(len(s) - min_shared + 1))


def citation_checks(answer: Answer, min_shared: int = MIN_SHARED_CHARS) -> list[bool]:
    """One verdict per ``[n]`` marker in the answer; a marker that names no citation is unsupported."""
    by_n = {c.n: c.text for c in answer.citations}
    verdicts = []
    for sentence in split_sentences(answer.text, closers=False):  # each keeps its [n] markers
        for m in MARKER.finditer(sentence):
            passage = by_n.get(int(m.group(1)))
            verdicts.append(passage is not None and citation_supported(sentence, passage, min_shared))
    return verdicts


def fact_recall(answer_text: str, facts: Sequence[str]) -> float:
    """Share of the key facts present in the answer text (the rule of ``retrieval.evaluation.matching``)."""
    if not facts:
        return 0.0
    text = match_key(answer_text)
    return sum(1 for f in facts if match_key(f) in text) / len(facts)

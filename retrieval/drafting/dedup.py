"""Near-duplicate points: the same commitment copied from report to report, or between two articles
of one file, must appear once in a draft.

Similarity is character-bigram Jaccard on normalised text (Simplified, no punctuation, digits and
outline numbering removed), so "（五）加強疾病預防控制工作" and "8、加强疾病预防控制工作" match.
A short point wholly contained in a longer one (containment) is a duplicate too.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, TypeVar

from retrieval.drafting.outline import strip_numbering
from retrieval.text.normalize import normalize

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

T = TypeVar("T")

JACCARD_THRESHOLD = 0.6
CONTAINMENT_THRESHOLD = 0.85
MIN_CONTAINMENT_BIGRAMS = 8

_NOISE = re.compile(r"[^\u4e00-\u9fffA-Za-z]+")


def dedup_key(text: str) -> str:
    """Normalised letters only: Simplified, no numbering, punctuation, digits or spaces."""
    return _NOISE.sub("", strip_numbering(normalize(text)))


def bigrams(text: str) -> frozenset[str]:
    """Character bigrams of ``dedup_key(text)`` (a one-character key is its own bigram)."""
    key = dedup_key(text)
    if len(key) < 2:
        return frozenset([key]) if key else frozenset()
    return frozenset(key[i : i + 2] for i in range(len(key) - 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """|a ∩ b| / |a ∪ b|; 0 for two empty sets."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def is_near_duplicate(a: frozenset[str], b: frozenset[str]) -> bool:
    """Jaccard ≥ 0.6, or the smaller set (of at least a few bigrams) lies almost wholly in the larger."""
    if not a or not b:
        return False
    if jaccard(a, b) >= JACCARD_THRESHOLD:
        return True
    small = min(len(a), len(b))
    return small >= MIN_CONTAINMENT_BIGRAMS and len(a & b) / small >= CONTAINMENT_THRESHOLD


def group_duplicates(items: Sequence[T], text: Callable[[T], str]) -> list[list[T]]:
    """Groups of near-identical items, in order of first appearance; each group starts with the item
    that represents it (the first one, so order = priority). Items with no letters are dropped.
    """
    groups: list[list[T]] = []
    seen: list[frozenset[str]] = []
    for item in items:
        grams = bigrams(text(item))
        if not grams:
            continue
        match = next((i for i, other in enumerate(seen) if is_near_duplicate(grams, other)), None)
        if match is None:
            groups.append([item])
            seen.append(grams)
        else:
            groups[match].append(item)
    return groups


def dedupe(items: Sequence[T], text: Callable[[T], str]) -> list[T]:
    """Keep the first of every group of near-identical items (order = priority), drop the rest."""
    return [group[0] for group in group_duplicates(items, text)]

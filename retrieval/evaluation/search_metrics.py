"""Search metrics, on chunks exactly as returned, in order: hit at k, reciprocal rank, coverage@k.

A hit is a chunk containing any expected substring (see ``retrieval.evaluation.matching``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from retrieval.evaluation.matching import match_key

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

RECALL_KS = (1, 3, 5, 10)
MRR_CUTOFF = 10


def first_hit_rank(texts: Sequence[str], expected: Iterable[str]) -> int | None:
    """1-based rank of the first text containing any expected substring, or None."""
    keys = [k for k in map(match_key, expected) if k]
    for rank, text in enumerate(texts, 1):
        t = match_key(text)
        if any(k in t for k in keys):
            return rank
    return None


def hit_at(rank: int | None, k: int) -> bool:
    """Whether a first hit at ``rank`` lies within the top ``k``."""
    return rank is not None and rank <= k


def reciprocal_rank(rank: int | None, cutoff: int = MRR_CUTOFF) -> float:
    """1/rank when the first hit lies within ``cutoff``, else 0."""
    return 1.0 / rank if rank is not None and rank <= cutoff else 0.0


def expected_coverage(texts: Sequence[str], expected: Sequence[str], k: int = 10) -> float:
    """Share of the expected substrings found in at least one of the top ``k`` texts."""
    if not expected:
        return 0.0
    top = [match_key(t) for t in texts[:k]]
    found = sum(1 for e in expected if any(match_key(e) in t for t in top))
    return found / len(expected)

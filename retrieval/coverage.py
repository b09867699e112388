"""Do the retrieved passages actually talk about what the question asks? Key-term coverage.

Fused similarity scores overlap between answerable and unanswerable questions on this corpus, so
"not found" is decided by whether the question's distinctive terms (艾滋病, DRG, 加强针, …) occur in
the passages at all. Everything is compared on normalised text, so a Traditional passage covers a
Simplified question.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from retrieval.index_text import index_text
from retrieval.normalize import normalize
from retrieval.tokenize import tokenize
from retrieval.types import Passage

GENERIC_WORDS = frozenset(
    word
    for line in Path(__file__).with_name("generic_words.txt").read_text(encoding="utf-8").splitlines()
    if not line.startswith("#")
    for word in line.split()
)
_PARTICLES = frozenset("了的地得着过那这呢吗吧啊么和与及或在是有个份次项些")
_MEASURES = frozenset("个项次份名所家场批")
UNKNOWN_RARITY = 1.2  # a word jieba's IDF table does not know (新冠, DRG, 两癌) counts as rare
MIN_BEST_SHARE = 0.5  # the best passage must cover at least this share of the weighted key terms
PARTIAL_CREDIT = 0.8  # a compound term whose parts all occur, but not together, counts this much
PRESENT = 0.6  # a term counts as mentioned from this score on (3/4 of its characters covered)


@dataclass(frozen=True)
class KeyTerm:
    """A distinctive term of the question (normalised) and how much it counts."""

    term: str
    weight: float


@dataclass(frozen=True)
class Coverage:
    """How well the passages cover the question's key terms."""

    terms: tuple[KeyTerm, ...]
    best_share: float
    missing: tuple[str, ...]
    passages: int

    @property
    def found(self) -> bool:
        """No key terms (e.g. "下半年有什么打算") leaves nothing to check: any passage will do."""
        if not self.passages:
            return False
        if not self.terms:
            return True
        top = max(self.terms, key=lambda t: t.weight)
        return top.term not in self.missing and self.best_share >= MIN_BEST_SHARE


@lru_cache(maxsize=1)
def _idf() -> tuple[dict[str, float], float]:
    import jieba.analyse

    table = jieba.analyse.default_tfidf
    return table.idf_freq, table.median_idf


def term_weight(term: str) -> float:
    """Longer and rarer terms weigh more; rarity from jieba's general-language IDF table."""
    if term.isdigit():
        return len(term) * 0.5
    idf, median = _idf()
    rarity = UNKNOWN_RARITY if term not in idf else min(max(idf[term] / median, 0.5), UNKNOWN_RARITY)
    return len(term) * rarity


def _trim(token: str) -> str:
    """Drop a verb with 了 (建了), a trailing 了, and a leading measure word (个村 → 村) jieba glued on."""
    if token.endswith("了"):
        return token[:-1] if len(token) > 2 else ""
    if len(token) == 2 and token[0] in _MEASURES:
        token = token[1:]
    return token


def key_terms(question: str) -> tuple[KeyTerm, ...]:
    """Distinctive terms of ``question``, most important first.

    Search-mode tokens are reduced to the longest ones (艾滋 inside 艾滋病 is dropped); a single
    character is glued to the token it touches (加强 + 针 → 加强针), otherwise dropped; then
    question and generic bureau words go.
    """
    q = normalize(question).lower()
    tokens = [_trim(t) for t in tokenize(q, normalized=True)]
    tokens = [t for t in dict.fromkeys(tokens) if t and not (len(t) == 1 and t in GENERIC_WORDS | _PARTICLES)]
    tokens = [t for t in tokens if not any(t != o and t in o for o in tokens)]
    spans = sorted((q.find(t), t) for t in tokens if q.find(t) >= 0)
    merged: list[tuple[int, str]] = []
    for start, tok in spans:
        if merged:
            prev_start, prev = merged[-1]
            touching = prev_start + len(prev) == start and tok.isascii() == prev.isascii()
            # a lone character is a suffix of the word before it (加强 + 针), else a prefix of a
            # specific word after it (村 + 卫生室)
            if touching and (len(tok) == 1 or (len(prev) == 1 and tok not in GENERIC_WORDS)):
                merged[-1] = (prev_start, prev + tok)
                continue
        merged.append((start, tok))
    terms = [t for _, t in merged if t not in GENERIC_WORDS and (len(t) > 1 or t.isdigit())]
    weighted = {t: KeyTerm(t, term_weight(t)) for t in terms}
    return tuple(sorted(weighted.values(), key=lambda k: -k.weight))


@lru_cache(maxsize=4096)
def _parts(term: str) -> tuple[tuple[str, int, int], ...]:
    """Search-mode sub-words of a compound term with their spans (传染病防控 → 传染, 传染病, 防控)."""
    import jieba

    tokenize("")  # loads the domain vocabulary
    return tuple((w, a, b) for w, a, b in jieba.tokenize(term, mode="search") if 2 <= len(w) < len(term))


def term_score(term: str, text: str) -> float:
    """1 when ``term`` occurs in ``text``; otherwise partial credit (scaled by ``PARTIAL_CREDIT``)
    for the share of its characters that its sub-words found in ``text`` cover. Characters only
    generic sub-words cover do not count either way: 居民健康档案 is covered by 居民电子档案,
    加强针 is not covered by 加强."""
    if term in text:
        return 1.0
    generic: set[int] = set()
    specific: set[int] = set()
    covered: set[int] = set()
    for word, start, end in _parts(term):
        span = range(start, end)
        (generic if word in GENERIC_WORDS else specific).update(span)
        if word in text and word not in GENERIC_WORDS:
            covered.update(span)
    relevant = set(range(len(term))) - (generic - specific)
    return PARTIAL_CREDIT * len(covered & relevant) / len(relevant) if relevant else 0.0


def term_share(terms: Sequence[KeyTerm], normalized_text: str) -> float:
    """Weighted share of ``terms`` that ``normalized_text`` (already normalised) covers."""
    total = sum(t.weight for t in terms)
    if total <= 0:
        return 0.0
    text = normalized_text.lower()
    return sum(t.weight * term_score(t.term, text) for t in terms) / total


def passage_text(passage: Passage) -> str:
    """Normalised text a passage is checked against: titles, heading path and body."""
    return index_text(passage.chunk).lower()


def coverage(terms: Sequence[KeyTerm], passages: Sequence[Passage]) -> Coverage:
    """Best single-passage share and the terms that no passage mentions."""
    texts = [passage_text(p) for p in passages]
    best = max((term_share(terms, t) for t in texts), default=0.0)
    missing = tuple(
        t.term for t in terms if max((term_score(t.term, x) for x in texts), default=0.0) < PRESENT
    )
    return Coverage(tuple(terms), best, missing, len(texts))


def check_coverage(question: str, passages: Sequence[Passage], fallback_question: str = "") -> Coverage:
    """Coverage of ``question``'s key terms; ``fallback_question`` (e.g. the contextualised query)
    supplies the terms when the question itself has none ("那下半年呢")."""
    terms = key_terms(question) or (key_terms(fallback_question) if fallback_question else ())
    return coverage(terms, passages)

"""Do the retrieved passages actually talk about what the question asks? Key-term coverage.

Fused similarity scores overlap between answerable and unanswerable questions on this corpus, so
"not found" is decided by whether the question's distinctive terms (艾滋病, DRG, 加强针, …) occur in
the passages at all. Everything is compared on normalised text, so a Traditional passage covers a
Simplified question.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from retrieval.text.index_text import index_text
from retrieval.text.normalize import normalize
from retrieval.text.synonyms import expansions
from retrieval.text.tokenize import tokenize

if TYPE_CHECKING:
    from collections.abc import Sequence

    from retrieval.types import Passage


def _word_list(name: str) -> frozenset[str]:
    """The words of a bundled word list (``#`` lines are comments)."""
    lines = Path(__file__).with_name(name).read_text(encoding="utf-8").splitlines()
    return frozenset(word for line in lines if not line.startswith("#") for word in line.split())


QUESTION_WORDS = _word_list("question_words.txt")
GENERIC_WORDS = _word_list("generic_words.txt") | QUESTION_WORDS
_MEASURES = frozenset("个项次份名所家场批")
_HOW_MANY = (("多少", 2), ("几", 1))  # 多少人次; 几 + one character only (几内亚 is a place)
_SUFFIXES = frozenset("针率病室站证卡苗剂")
UNKNOWN_RARITY = 1.2  # a word jieba's IDF table does not know (新冠, DRG, 两癌) counts as rare
MIN_BEST_SHARE = 0.35  # the best passage must cover at least this share of the weighted key terms
PARTIAL_CREDIT = 0.8  # a compound term whose parts all occur, but not together, counts this much
PRESENT = 0.6  # a term counts as mentioned from this score on (3/4 of its characters covered)
PARTIAL_SHARE = 0.25  # partial: the heaviest term is mentioned and the best passage covers this much


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
    split: tuple[str, str] | None = None

    @property
    def found(self) -> bool:
        """Found when the heaviest term is mentioned, the best passage covers enough of the rest, and
        the strongest pair of terms written together in the question (互联网|医院, 新冠|疫苗) occurs
        together in some passage. No key terms (下半年有什么打算) leaves nothing to check.
        """
        if not self.passages:
            return False
        if not self.terms:
            return True
        top = max(self.terms, key=lambda t: t.weight)
        return top.term not in self.missing and self.best_share >= MIN_BEST_SHARE and self.split is None

    @property
    def state(self) -> str:
        """``found``; ``partial`` when the passages are about the question's main subject but cover only
        part of what it asks; ``not_found`` otherwise.
        """
        if self.found:
            return "found"
        if not self.passages or not self.terms:
            return "not_found"
        top = max(self.terms, key=lambda t: t.weight)
        if top.term in self.missing or self.best_share < PARTIAL_SHARE:
            return "not_found"
        if self.split is not None and not any(expansions(t) for t in self.split):
            # 互联网医院, 新冠疫苗全程接种率: the report never writes the two together. A colloquial word
            # (牙齿 → 口腔, 看病 → 就医) says nothing about how the report phrases the pair, so that split
            # may still be a partial answer.
            return "not_found"
        return "partial"


def has_content(question: str, *, normalized: bool = False) -> bool:
    """Does ``question`` hold any word besides question words, function words, punctuation and emoji?
    ("？？", "的", "多少", "哪几个" do not: there is nothing to look up.) ``normalized``: it went through
    ``normalize`` already.
    """
    return any(t not in QUESTION_WORDS for t in tokenize(question, normalized=normalized))


@lru_cache(maxsize=1)
def _idf() -> tuple[dict[str, float], float]:
    from retrieval.text.tokenize import idf_table  # jieba.analyse's table without importing jieba.analyse

    return idf_table()


def term_weight(term: str) -> float:
    """Longer and rarer terms weigh more; rarity from jieba's general-language IDF table."""
    if term.isdigit():
        return len(term) * 0.5
    idf, median = _idf()
    rarity = UNKNOWN_RARITY if term not in idf else min(max(idf[term] / median, 0.5), UNKNOWN_RARITY)
    return len(term) * rarity


def _trim(token: str) -> str:
    """Drop a verb with 了 (建了) and how-many + measure (几起, 多少岁, 多少人次); trim a trailing 了 and a
    leading measure word (个村 → 村) jieba glued on.
    """
    if token.endswith("了"):
        return token[:-1] if len(token) > 2 else ""
    for how_many, measure_chars in _HOW_MANY:  # 几针, 几起, 多少岁, 多少户: "how many", whatever the measure
        if token.startswith(how_many) and len(token) - len(how_many) <= measure_chars:
            return ""
    if len(token) == 2 and token[0] in _MEASURES:
        token = token[1:]
    return token


def _glue_suffixes(question: str, tokens: list[str]) -> list[str]:
    """Glue a lone noun-forming character to the token right before it in ``question`` (加强针)."""
    out: list[str] = []
    pos = 0
    for tok in tokens:
        start = question.find(tok, pos)
        if start < 0:
            out.append(tok)
            continue
        if (
            len(tok) == 1
            and tok in _SUFFIXES
            and out
            and len(out[-1]) > 1
            and question.endswith(out[-1], 0, start)
        ):
            out[-1] += tok
        else:
            out.append(tok)
        pos = start
    return out


def key_terms(question: str, *, normalized: bool = False) -> tuple[KeyTerm, ...]:
    """Distinctive terms of ``question`` (``normalized``: it went through ``normalize`` already), most
    important first.

    Search-mode tokens are reduced to the longest ones (艾滋 inside 艾滋病 is dropped); single
    characters, question words and generic bureau words go. Terms are kept separate rather than
    glued into phrases: 互联网医院 is checked as 互联网 + 医院.
    """
    q = (question if normalized else normalize(question)).lower()
    tokens = _glue_suffixes(q, [_trim(t) for t in tokenize(q, normalized=True)])
    tokens = [t for t in dict.fromkeys(tokens) if t and (len(t) > 1 or t.isdigit())]
    tokens = [t for t in tokens if not any(t != o and t in o for o in tokens)]
    weighted = [KeyTerm(t, term_weight(t)) for t in tokens if t not in GENERIC_WORDS]
    return tuple(sorted(weighted, key=lambda k: -k.weight))


@lru_cache(maxsize=4096)
def _parts(term: str) -> tuple[tuple[str, int, int], ...]:
    """Search-mode sub-words of a compound term with their spans (传染病防控 → 传染, 传染病, 防控)."""
    import jieba

    tokenize("")  # loads the domain vocabulary
    return tuple((w, a, b) for w, a, b in jieba.tokenize(term, mode="search") if 2 <= len(w) < len(term))


def term_score(term: str, text: str) -> float:
    """How well ``text`` covers ``term``, in its own words or in the official wording the glossary
    gives for a colloquial term (男女比例 is covered by 性别比, 公卫 by 公共卫生).
    """
    score = _literal_score(term, text)
    if score >= 1.0:
        return score
    return max([score, *(_literal_score(alt, text) for alt in expansions(term))])


def _literal_score(term: str, text: str) -> float:
    """1 when ``term`` occurs in ``text``; otherwise partial credit (scaled by ``PARTIAL_CREDIT``)
    for the share of its characters that its sub-words found in ``text`` cover. Characters only
    generic sub-words cover do not count either way: 居民健康档案 is covered by 居民电子档案,
    加强针 is not covered by 加强.
    """
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


def adjacent_pairs(
    question: str, terms: Sequence[KeyTerm], *, normalized: bool = False
) -> list[tuple[KeyTerm, KeyTerm]]:
    """Key terms written right next to each other in ``question`` (新冠 + 疫苗 in 新冠疫苗全程接种率)."""
    q = (question if normalized else normalize(question)).lower()
    spans = sorted((q.find(t.term), t) for t in terms if q.find(t.term) >= 0)
    return [(a, b) for (sa, a), (sb, b) in itertools.pairwise(spans) if sa + len(a.term) == sb]


def coverage(
    terms: Sequence[KeyTerm], passages: Sequence[Passage], pairs: Sequence[tuple[KeyTerm, KeyTerm]] = ()
) -> Coverage:
    """Best single-passage share, the terms no passage mentions, and the strongest adjacent pair
    whose terms are both mentioned but never in the same passage.
    """
    texts = [passage_text(p) for p in passages]
    best = max((term_share(terms, t) for t in texts), default=0.0)
    present = {t.term: [term_score(t.term, x) >= PRESENT for x in texts] for t in terms}
    missing = tuple(t.term for t in terms if not any(present[t.term]))
    mentioned = [(a, b) for a, b in pairs if any(present[a.term]) and any(present[b.term])]
    split = None
    if mentioned:
        a, b = max(mentioned, key=lambda p: p[0].weight + p[1].weight)
        if not any(x and y for x, y in zip(present[a.term], present[b.term], strict=True)):
            split = (a.term, b.term)
    return Coverage(tuple(terms), best, missing, len(texts), split)


def check_coverage(question: str, passages: Sequence[Passage], fallback_question: str = "") -> Coverage:
    """Coverage of ``question``'s key terms; ``fallback_question`` (e.g. the contextualised query)
    supplies the terms when the question itself has none ("那下半年呢").
    """
    source = question if key_terms(question) or not fallback_question else fallback_question
    terms = key_terms(source)
    return coverage(terms, passages, adjacent_pairs(source, terms))

"""One question, analysed once: normalised text, intent (period, kind, year, unit) and key terms.

Built once per question by the answer service and passed to search, coverage and the extractive
answer, so none of them re-detects what the question asks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.coverage import KeyTerm, adjacent_pairs, key_terms
from retrieval.extractive import asks_for_figures
from retrieval.intent import Intent, detect_intent
from retrieval.normalize import normalize
from retrieval.units import question_units

# The asking bureau names the unit, not the topic; written before a topic word, jieba glues them wrongly
# (县卫健委在党建 → 县卫, 健委在, 党建), so bureau names are blanked before key terms are taken.
_BUREAU = re.compile(r"[省市县区]?(?:卫健委|卫健局|卫生健康委员会|卫生健康委|卫生健康局|卫计委|卫生局)")


def _topic_text(question: str) -> str:
    return _BUREAU.sub(" ", normalize(question))


@dataclass(frozen=True)
class Query:
    """A question as asked, as searched (follow-ups completed) and what was detected in it."""

    question: str
    text: str
    normalized: str
    intent: Intent
    terms: tuple[KeyTerm, ...]
    pairs: tuple[tuple[KeyTerm, KeyTerm], ...]
    units: tuple[str, ...]
    wants_figures: bool

    @classmethod
    def build(cls, question: str, searched: str = "") -> Query:
        """Analyse ``question``; ``searched`` is the contextualised follow-up query when it differs.

        Key terms come from the question itself, or from ``searched`` when the question has none
        ("那下半年呢").
        """
        text = searched or question
        normalized = normalize(text).strip()
        source = _topic_text(question)
        terms = key_terms(source)
        if not terms and searched:
            source = _topic_text(searched)
            terms = key_terms(source)
        return cls(
            question=question,
            text=text,
            normalized=normalized,
            intent=detect_intent(normalized),
            terms=terms,
            pairs=tuple(adjacent_pairs(source, terms)),
            units=question_units(normalized),
            wants_figures=asks_for_figures(question),
        )

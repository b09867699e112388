"""One question, analysed once: normalised text, intent (period, kind, year, unit) and key terms.

Built once per question by the answer service and passed to search, coverage and the extractive
answer, so none of them re-detects what the question asks.
"""

from __future__ import annotations

from dataclasses import dataclass

from retrieval.coverage import KeyTerm, adjacent_pairs, key_terms
from retrieval.extractive import asks_for_figures
from retrieval.intent import Intent, detect_intent
from retrieval.normalize import normalize
from retrieval.units import question_units


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
        ("那下半年呢")."""
        text = searched or question
        normalized = normalize(text).strip()
        terms = key_terms(question)
        source = question
        if not terms and searched:
            source, terms = searched, key_terms(searched)
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

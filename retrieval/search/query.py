"""One question, analysed once: normalised text, intent (period, kind, year, unit) and key terms.

Built once per question by the answer service and passed to search, coverage and the extractive
answer, so none of them re-detects what the question asks. The question goes through ``normalize`` once here
(a follow-up's completed query once more); every analysis below takes the normalised text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from retrieval.search.coverage import KeyTerm, adjacent_pairs, has_content, key_terms
from retrieval.search.followup import contextualize
from retrieval.search.intent import Intent, asks_for_figures, detect_intent
from retrieval.search.units import Gazetteer, NamedUnit, unit_words, unknown_units
from retrieval.text.normalize import normalize

if TYPE_CHECKING:
    from collections.abc import Sequence

# The asking bureau names the unit, not the topic; written before a topic word, jieba glues them wrongly
# (县卫健委在党建 → 县卫, 健委在, 党建), so bureau names are blanked before key terms are taken.
# Its names over the years are unit_words.txt's [bureaus], longest first (卫生健康委员会 whole, not 卫生健康委).
_BUREAU = re.compile(
    "[省市县区]?(?:" + "|".join(sorted(map(re.escape, unit_words()["bureaus"]), key=len, reverse=True)) + ")"
)


EMPTY_GAZETTEER = Gazetteer(())


def _topic_text(text: str, gazetteer: Gazetteer) -> str:
    """The (normalised) question with the units it names blanked: a unit is who asks or is asked about, not
    the topic.
    """
    named, unknown = gazetteer.named(text)
    for unit in named:
        a, b = unit.span
        text = text[:a] + " " * (b - a) + text[b:]
    for label in unknown:
        text = text.replace(label, " " * len(label))
    return _BUREAU.sub(" ", text)


def _units(normalized: str, gazetteer: Gazetteer) -> tuple[tuple[NamedUnit, ...], tuple[str, ...]]:
    """Known units the question names, and (only when it names no known one) units the KB lacks."""
    named, unknown = gazetteer.named(normalized)
    if named:
        return named, ()
    blanked = normalized
    for label in unknown:
        blanked = blanked.replace(label, " " * len(label))
    return (), tuple(dict.fromkeys([*unknown, *unknown_units(blanked, gazetteer)]))


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
    named: tuple[NamedUnit, ...] = ()
    unknown: tuple[str, ...] = ()
    topic: str = ""  # the searched text with the units it names blanked (what other wordings are sought for)
    # the question holds a word to look up (``retrieval.search.coverage.has_content``)
    has_content: bool = True
    gazetteer: Gazetteer = field(default=EMPTY_GAZETTEER, compare=False, repr=False)

    @classmethod
    def build(
        cls,
        question: str,
        searched: str = "",
        gazetteer: Gazetteer | None = None,
        *,
        history: Sequence[str] = (),
    ) -> Query:
        """Analyse ``question``; ``searched`` is the contextualised follow-up query when it differs (made here
        from the chat's previous questions ``history`` when not given).

        Key terms come from the question itself, or from ``searched`` when the question has none
        ("那下半年呢"). Units are looked up in ``gazetteer`` (the knowledge base's units; none when omitted).
        """
        gazetteer = gazetteer or EMPTY_GAZETTEER
        asked = normalize(question)
        if history and not searched:
            searched = contextualize(question, history, normalized=asked)
            searched = "" if searched == question else searched
        text = searched or question
        full = normalize(searched) if searched else asked
        normalized = full.strip()
        named, unknown = _units(normalized, gazetteer)
        topic = _topic_text(full, gazetteer)
        source = _topic_text(asked, gazetteer) if searched else topic
        terms = key_terms(source, normalized=True)
        if not terms and searched:
            source = topic
            terms = key_terms(source, normalized=True)
        return cls(
            question=question,
            text=text,
            normalized=normalized,
            intent=detect_intent(normalized, normalized=True),
            terms=terms,
            pairs=tuple(adjacent_pairs(source, terms, normalized=True)),
            units=tuple(dict.fromkeys(u.core for u in named)),
            wants_figures=asks_for_figures(asked, normalized=True),
            named=named,
            unknown=unknown,
            topic=topic,
            has_content=has_content(asked, normalized=True),
            gazetteer=gazetteer,
        )

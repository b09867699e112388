"""Keep an answer to what the question names: its unit, period and year, its section, never the preamble.

Applied to the passages search returned, before coverage and before any answer is written: a question
naming 义乌 is answered from 义乌's passages only (no padding with other cities' figures, none at all when
search found none of 义乌's), a plan question naming a unit from its newest documents first; a topic matching a section heading (党建 → 党的建设) puts that section first; a document's
preamble (no heading path) is never presented as a plan or as a section's content.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from retrieval.search.coverage import PRESENT, KeyTerm, passage_text, term_score, term_share
from retrieval.search.intent import prefer_intent
from retrieval.search.units import Gazetteer, NamedUnit, belongs_to
from retrieval.text.index_text import heading_text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from retrieval.search.query import Query
    from retrieval.types import Passage

HEADING_MATCH = 0.99  # a key term counts as naming a section only when the heading covers it fully


def unit_verdicts(passages: Sequence[Passage], unit: NamedUnit, gazetteer: Gazetteer) -> list[bool | None]:
    """Per passage: of ``unit`` (True), of another unit (False) or unknown (None), decided per article:
    an article (document + article title + the unit stored at ingest) is of ``unit`` when any of its
    passages says so. The stored unit keeps articles apart even when their titles are the same.
    """

    def key(p: Passage) -> tuple[str, str, str]:
        return p.chunk.doc_id, p.chunk.article_title, p.chunk.unit

    by_article: dict[tuple[str, str, str], list[bool | None]] = {}
    for p in passages:
        by_article.setdefault(key(p), []).append(belongs_to(p.chunk, unit, gazetteer))
    verdict = {
        k: True if True in votes else (False if False in votes else None) for k, votes in by_article.items()
    }
    return [verdict[key(p)] for p in passages]


def keep_unit(passages: Sequence[Passage], query: Query) -> list[Passage]:
    """Only the passages of the units the question names (none when none of theirs was found: another
    unit's figures are never the answer); all passages when it names no known unit.
    """
    if not query.named:
        return list(passages)
    per_unit = [unit_verdicts(passages, u, query.gazetteer) for u in query.named]
    return [p for i, p in enumerate(passages) if any(v[i] is True for v in per_unit)]


def newest_first(passages: Sequence[Passage], query: Query) -> list[Passage]:
    """For a plan or target question naming a unit and no year: that unit's newest documents first
    (a passage with no stated year counts as oldest), best first within a year; passages that hardly
    mention the question's terms stay after them.
    """
    if not query.named or query.intent.kind != "plan" or query.intent.year is not None:
        return list(passages)
    on_topic = [p for p in passages if not query.terms or term_share(query.terms, passage_text(p)) >= PRESENT]
    rest = [p for p in passages if p not in on_topic]
    return sorted(on_topic, key=lambda p: -(p.chunk.year or 0)) + rest


def keep_year(passages: Sequence[Passage], year: int | None) -> list[Passage]:
    """Passages of the named year (or of no stated year), when some passage states that year."""
    if year is None or not any(p.chunk.year == year for p in passages):
        return list(passages)
    return [p for p in passages if p.chunk.year in (year, None)]


def names_topic(passage: Passage, query: Query) -> bool:
    """Does the passage's heading path name one of the question's key terms (or its official wording)?"""
    heading = heading_text(passage.chunk).lower()
    terms = [t for t in query.terms if t.term not in query.units]  # 清远 in 创建平安清远 is no topic
    return bool(heading) and any(term_score(t.term, heading) >= HEADING_MATCH for t in terms)


def section_first(passages: Sequence[Passage], query: Query) -> list[Passage]:
    """Passages whose heading path names one of the question's key terms first, the rest after."""
    matching = [p for p in passages if names_topic(p, query)]
    return matching + [p for p in passages if p not in matching]


def without_preamble(passages: Sequence[Passage], query: Query) -> list[Passage]:
    """A preamble (empty heading path) goes last, and goes entirely for plan questions or when
    another passage's section names the question's topic.
    """
    headed = [p for p in passages if p.chunk.heading_path]
    preamble = [p for p in passages if not p.chunk.heading_path]
    if not headed or not preamble:
        return list(passages)
    if query.intent.kind == "plan" or any(names_topic(p, query) for p in headed):
        return headed
    return headed + preamble


def topic_terms(passages: Sequence[Passage], query: Query) -> tuple[KeyTerm, ...]:
    """Key terms coverage checks: a named unit drops out once the passages were kept to it (a chunk
    of 清远's report need not repeat 清远).
    """
    matched = {u.core for u in query.named if True in unit_verdicts(passages, u, query.gazetteer)}
    return tuple(t for t in query.terms if t.term not in matched) or query.terms


def answers_intent(passages: Sequence[Passage], query: Query) -> bool:
    """Can the passages answer what kind of text the question asks for? A plan question with no plan
    passage, or a period question whose passages are all of another period, cannot (001 has no
    下半年计划 part: its 上半年 summary is not the answer).
    """
    intent = query.intent
    if not passages:
        return False
    if intent.kind == "plan" and not any(p.chunk.kind == "plan" for p in passages):
        return False
    periods = {p.chunk.period for p in passages}
    return not (intent.period and intent.period not in periods and "" not in periods)


def focus(passages: Sequence[Passage], query: Query, k: int) -> list[Passage]:
    """Unit, period and year kept to the question's and the preamble last or out, then the best ``k``
    with the question's section first (reordered among themselves, never pulled in from further down).
    """
    kept = newest_first(keep_unit(passages, query), query)
    kept = keep_year(prefer_intent(kept, query.intent), query.intent.year)
    return section_first(without_preamble(kept, query)[:k], query)

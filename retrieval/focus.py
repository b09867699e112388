"""Keep an answer to what the question names: its unit, period and year, its section, never the preamble.

Applied to the passages search returned, before coverage and before any answer is written: a question
naming 义乌 is answered from 义乌's passages when there are any (no padding with other cities'
figures); a topic matching a section heading (党建 → 党的建设) puts that section first; a document's
preamble (no heading path) is never presented as a plan or as a section's content.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from retrieval.coverage import term_score
from retrieval.intent import prefer_intent
from retrieval.normalize import normalize
from retrieval.units import belongs_to

if TYPE_CHECKING:
    from retrieval.query import Query
    from retrieval.types import Passage

HEADING_MATCH = 0.99  # a key term counts as naming a section only when the heading covers it fully


def keep_unit(passages: Sequence[Passage], units: Sequence[str]) -> list[Passage]:
    """Passages of the named units, when any exist; all passages otherwise."""
    if not units:
        return list(passages)
    kept = [p for p in passages if any(belongs_to(p.chunk, u) for u in units)]
    return kept or list(passages)


def keep_year(passages: Sequence[Passage], year: int | None) -> list[Passage]:
    """Passages of the named year (or of no stated year), when some passage states that year."""
    if year is None or not any(p.chunk.year == year for p in passages):
        return list(passages)
    return [p for p in passages if p.chunk.year in (year, None)]


def names_topic(passage: Passage, query: Query) -> bool:
    """Does the passage's heading path name one of the question's key terms (or its official wording)?"""
    heading = normalize(" ".join(passage.chunk.heading_path)).lower()
    return bool(heading) and any(term_score(t.term, heading) >= HEADING_MATCH for t in query.terms)


def section_first(passages: Sequence[Passage], query: Query) -> list[Passage]:
    """Passages whose heading path names one of the question's key terms first, the rest after."""
    matching = [p for p in passages if names_topic(p, query)]
    return matching + [p for p in passages if p not in matching]


def without_preamble(passages: Sequence[Passage], query: Query) -> list[Passage]:
    """A preamble (empty heading path) goes last, and goes entirely for plan questions or when
    another passage's section names the question's topic."""
    headed = [p for p in passages if p.chunk.heading_path]
    preamble = [p for p in passages if not p.chunk.heading_path]
    if not headed or not preamble:
        return list(passages)
    if query.intent.kind == "plan" or any(names_topic(p, query) for p in headed):
        return headed
    return headed + preamble


def focus(passages: Sequence[Passage], query: Query) -> list[Passage]:
    """Unit, period and year kept to the question's, its section first, the preamble last or out."""
    kept = keep_unit(passages, query.units)
    kept = keep_year(prefer_intent(kept, query.intent), query.intent.year)
    return section_first(without_preamble(kept, query), query)

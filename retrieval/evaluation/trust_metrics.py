"""Trust metrics of one delivered answer: unsupported figures, quoted instruction text, unit consistency.

- unsupported figures: figures (``retrieval.text.figures``: 1.6亿 = 16000万, 九十九 = 99) of a delivered
  sentence that occur in none of the passages it cites (a sentence without markers is checked against
  every passage the answer cites). The answer's fixed lines are not claims and are skipped: the
  extractive label, the partial caveat / not-found header (they repeat the question) and the
  ``《title》`` line of each source block. Counted for found and partial answers (a not-found answer
  delivers no claim, only the closest passages' own text).
- instruction text: sentences of the delivered text that ``retrieval.text.injection`` calls instruction-like.
- unit consistency: an answer to a question naming a unit (城市/县) is consistent when every citation
  belongs to that unit: the unit is named by the citation's stored unit (``Citation.unit``), or by its
  displayed title when the stored unit names no place.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from retrieval.answers.citations import MARKER
from retrieval.text.figures import unsupported_figures
from retrieval.text.injection import instruction_sentences
from retrieval.text.normalize import normalize
from retrieval.text.sentences import split_sentences

if TYPE_CHECKING:
    from collections.abc import Iterable

    from retrieval.answers.types import Answer, Citation

_TITLE_LINE = re.compile(r"^《.*》$")  # a title may quote another (关于印发《…》的通知)
_FIXED_STARTS = ("（摘录模式", "资料中没有直接回答", "资料中未找到")


def _claim_lines(text: str) -> list[str]:
    """Lines of an answer that state something (the label, caveat and title lines left out)."""
    lines = [line.strip() for line in text.splitlines()]
    return [
        line for line in lines if line and not _TITLE_LINE.match(line) and not line.startswith(_FIXED_STARTS)
    ]


def unsupported_figure_count(answer: Answer) -> int:
    """Figures in the answer's delivered sentences that occur in none of the passages they cite."""
    if answer.state == "not_found":
        return 0
    by_n = {c.n: c.text for c in answer.citations}
    every = list(by_n.values())
    count = 0
    for line in _claim_lines(answer.text):
        for sentence in split_sentences(line, semicolon=False, closers=False):
            cited = [by_n[n] for n in map(int, MARKER.findall(sentence)) if n in by_n]
            count += len(unsupported_figures(sentence, cited or every))
    return count


def instruction_count(answer: Answer) -> int:
    """Instruction-like sentences (``retrieval.text.injection``) in the delivered text and notice."""
    return len(instruction_sentences(answer.text)) + len(instruction_sentences(answer.notice))


def citation_of_unit(citation: Citation, unit: str) -> bool:
    """Does the citation come from ``unit`` (a place name without 市/县, e.g. 义乌)?"""
    key = normalize(unit)
    return key in normalize(citation.unit) or key in normalize(citation.title)


def unit_consistent(answer: Answer, unit: str) -> bool | None:
    """All citations of a found or partial answer belong to ``unit``; None when nothing was cited."""
    if answer.state == "not_found" or not answer.citations:
        return None
    return all(citation_of_unit(c, unit) for c in answer.citations)


def known_units(articles: Iterable[tuple[str, str]]) -> frozenset[str]:
    """Places the knowledge base's articles report for, from their (unit, title) pairs (义乌, 清远): the
    knowledge base's gazetteer (``retrieval.search.units``), at any level.
    """
    from retrieval.search.units import Gazetteer

    return Gazetteer.from_labels((unit, title, title) for unit, title in articles).cores

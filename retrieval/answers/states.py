"""The answers that are not a plain "found": partial (可能相关, with the caveat), not found, a question with
no content, and a question about a unit the knowledge base does not have.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from retrieval.answers.extractive import EXTRACTIVE_LABEL, extractive_answer
from retrieval.answers.types import Answer, AnswerMode, Citation
from retrieval.text.inert import quotable_text
from retrieval.text.normalize import normalize
from retrieval.text.synonyms import expansions

if TYPE_CHECKING:
    from collections.abc import Sequence

    from retrieval.search.coverage import KeyTerm
    from retrieval.search.query import Query
    from retrieval.types import Passage

NOT_FOUND_TEXT = "资料中未找到与“{subject}”直接相关的内容。以下是最接近的段落："
UNIT_NOT_FOUND_TEXT = "{unit}的资料中未找到与“{subject}”直接相关的内容。以下是{unit}资料中最接近的段落："
PARTIAL_TEXT = "资料中没有直接回答“{subject}”的内容，以下内容可能相关，请核对原文："
EMPTY_TEXT = "请输入具体问题，例如“上半年传染病防控做了哪些工作”或“下半年家庭医生签约服务有什么计划”。"
UNKNOWN_UNIT_TEXT = "知识库中没有“{units}”的资料，所以没有给出回答。"
KNOWN_UNITS_TEXT = "知识库现有单位：{units}。"
KNOWN_UNITS_SHOWN = 20
CLOSEST = 3
SNIPPET_CHARS = 80  # a passage with none of the question's terms shows its first this many characters
BEFORE_TERMS = 30  # a window around the question's terms starts at most this far before the first one
WINDOW_CHARS = 120  # the question's terms are looked for within a window this wide
AFTER_TERMS = 100  # and it runs on to the end of the sentence, at most this far after the last term
_SENTENCE_END = "。；！？!?;\n"
_TRAILING = re.compile(r"[\s?？。!！]+$")


def _subject(question: str) -> str:
    return _TRAILING.sub("", question.strip()) or question


def partial_answer(query: Query, passages: Sequence[Passage]) -> Answer:
    """The passages cover only part of the question: say so, then quote what may be relevant, cited."""
    text, citations = extractive_answer(query.terms, passages, wants_figures=query.wants_figures)
    body = text.removeprefix(EXTRACTIVE_LABEL).strip()
    caveat = PARTIAL_TEXT.format(subject=_subject(query.question))
    return Answer(f"{caveat}\n\n{body}", citations, "extractive", False, state="partial")


def empty_question_answer(*, mode: AnswerMode) -> Answer:
    """A question with no content word ("？？", "的", emoji): ask for a real question, nothing else."""
    return Answer(EMPTY_TEXT, [], mode, False, state="not_found")


def unknown_unit_answer(query: Query, *, mode: AnswerMode) -> Answer:
    """A question naming units the knowledge base has none of: say so, and which units it does have."""
    lines = [UNKNOWN_UNIT_TEXT.format(units="、".join(query.unknown))]
    names = query.gazetteer.names()
    if names:
        shown = "、".join(names[:KNOWN_UNITS_SHOWN]) + ("等" if len(names) > KNOWN_UNITS_SHOWN else "")
        lines.append(KNOWN_UNITS_TEXT.format(units=shown))
    return Answer("\n".join(lines), [], mode, False, state="not_found")


def not_found_answer(
    question: str, passages: Sequence[Passage], *, mode: AnswerMode, query: Query | None = None
) -> Answer:
    """Say plainly that the reports (or the named unit's reports) do not answer, and list the closest
    passages as citations, each cut around the question's terms.
    """
    closest = list(passages[:CLOSEST])
    subject = _subject(question)
    named = query.named if query is not None else ()
    if named and closest:
        lines = [UNIT_NOT_FOUND_TEXT.format(unit="、".join(u.label for u in named), subject=subject)]
    else:
        lines = [NOT_FOUND_TEXT.format(subject=subject)]
    terms = query.terms if query is not None else ()
    citations = []
    for n, passage in enumerate(closest, 1):
        chunk = passage.chunk
        snippet = term_window(" ".join(quotable_text(chunk).split()), terms)
        where = f"《{chunk.display_title}》" + (f" {chunk.heading}" if chunk.heading_path else "")
        lines.append(f"[{n}] {where}：{snippet}")
        citations.append(Citation.from_chunk(n, chunk))
    if not closest:
        lines[0] = lines[0].removesuffix("以下是最接近的段落：")
    return Answer("\n".join(lines), citations, mode, False, closest=closest, state="not_found")


def term_window(text: str, terms: Sequence[KeyTerm]) -> str:
    """The part of ``text`` around the question's terms: the window of ``WINDOW_CHARS`` that holds the most
    (weighted, distinct) terms, from a little before the first to the end of the sentence of the last (so a
    figure right after a term is kept: "…412…" no longer stops before 1.27亿元). No term: the first
    ``SNIPPET_CHARS`` characters.
    """
    hits = _hits(text, terms)
    if not hits:
        return text if len(text) <= SNIPPET_CHARS else text[:SNIPPET_CHARS] + "…"
    best = (-1.0, 0, 0)
    for anchor, _, _ in hits:
        inside = [(b, key) for a, b, key in hits if anchor <= a and b <= anchor + WINDOW_CHARS]
        score = sum(dict(key for _, key in inside).values())  # each term counted once
        if score > best[0]:
            best = (score, anchor, max(b for b, _ in inside))
    _, first, last = best
    start = max(first - BEFORE_TERMS, 0)
    cut = max((text.rfind(ch, start, first) for ch in _SENTENCE_END), default=-1)
    start = cut + 1 if cut >= start else start
    ends = [i for i in (text.find(ch, last) for ch in _SENTENCE_END) if i >= 0]
    end = min([*ends, len(text) - 1, last + AFTER_TERMS]) + 1
    snippet = text[start:end].strip()
    return ("…" if start > 0 else "") + snippet + ("…" if end < len(text) else "")


def _hits(text: str, terms: Sequence[KeyTerm]) -> list[tuple[int, int, tuple[str, float]]]:
    """Where each term (or another wording of it) occurs in ``text``: (start, end, (term, weight))."""
    normalized = normalize(text).lower()
    if len(normalized) != len(text):  # positions would not line up with the text shown
        return []
    hits = []
    for t in terms:
        for form in (t.term, *expansions(t.term)):
            pos = normalized.find(form)
            while pos >= 0:
                hits.append((pos, pos + len(form), (t.term, t.weight)))
                pos = normalized.find(form, pos + 1)
    return sorted(hits)

"""The two answers that are not a plain "found": partial (可能相关, with the caveat) and not found."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from retrieval.extractive import EXTRACTIVE_LABEL, extractive_answer
from retrieval.inert import quotable
from retrieval.types import Answer, AnswerMode, Citation, Passage

if TYPE_CHECKING:
    from retrieval.query import Query

NOT_FOUND_TEXT = "资料中未找到与“{subject}”直接相关的内容。以下是最接近的段落："
PARTIAL_TEXT = "资料中没有直接回答“{subject}”的内容，以下内容可能相关，请核对原文："
CLOSEST = 3
SNIPPET_CHARS = 80
_TRAILING = re.compile(r"[\s?？。!！]+$")


def _subject(question: str) -> str:
    return _TRAILING.sub("", question.strip()) or question


def partial_answer(query: Query, passages: Sequence[Passage]) -> Answer:
    """The passages cover only part of the question: say so, then quote what may be relevant, cited."""
    text, citations = extractive_answer(query.terms, passages, wants_figures=query.wants_figures)
    body = text.removeprefix(EXTRACTIVE_LABEL).strip()
    caveat = PARTIAL_TEXT.format(subject=_subject(query.question))
    return Answer(f"{caveat}\n\n{body}", citations, "extractive", False, state="partial")


def not_found_answer(question: str, passages: Sequence[Passage], *, mode: AnswerMode) -> Answer:
    """Say plainly that the reports do not answer, and list the closest passages as citations."""
    closest = list(passages[:CLOSEST])
    lines = [NOT_FOUND_TEXT.format(subject=_subject(question))]
    citations = []
    for n, passage in enumerate(closest, 1):
        chunk = passage.chunk
        snippet = " ".join(quotable(chunk.text).split())
        snippet = snippet if len(snippet) <= SNIPPET_CHARS else snippet[:SNIPPET_CHARS] + "…"
        where = f"《{chunk.display_title}》" + (f" {chunk.heading}" if chunk.heading_path else "")
        lines.append(f"[{n}] {where}：{snippet}")
        citations.append(Citation.from_chunk(n, chunk))
    if not closest:
        lines[0] = lines[0].removesuffix("以下是最接近的段落：")
    return Answer("\n".join(lines), citations, mode, False, closest=closest, state="not_found")

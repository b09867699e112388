"""AnswerService: question (+ chat history) → passages → cited answer, with an LLM or without one.

The LLM is optional and never trusted to be up: when it is missing, unreachable, slow, failing or
talking nonsense, the user still gets the extractive answer built from the same passages.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

from retrieval.answer_chain import build_chain, chain_inputs
from retrieval.citations import renumber, strip_markers
from retrieval.coverage import KeyTerm, check_coverage
from retrieval.extractive import asks_for_figures, extractive_answer
from retrieval.followup import contextualize
from retrieval.intent import detect_intent, prefer_intent
from retrieval.llm import UnusableAnswerError, describe_failure
from retrieval.normalize import normalize
from retrieval.types import Answer, AnswerMode, Citation, Passage

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.runnables import Runnable

__all__ = ["AnswerService", "Searcher", "contextualize"]

log = logging.getLogger(__name__)

NOT_FOUND_PHRASE = "资料中未找到"
NOT_FOUND_TEXT = "资料中未找到与“{subject}”直接相关的内容。以下是最接近的段落："
FALLBACK_NOTICE = "大模型暂不可用（{reason}），以下为摘录模式答案。"
CLOSEST = 3
SNIPPET_CHARS = 80
_CJK = re.compile(r"[\u4e00-\u9fff]")
_TRAILING = re.compile(r"[\s?？。!！]+$")


class Searcher(Protocol):
    """Anything that returns the top passages for a query (retrieval.search.HybridSearcher)."""

    def search(self, query: str, k: int = 5) -> list[Passage]: ...


class AnswerService:
    """Answers questions from the indexed reports; the one entry point for the CLI and the bot."""

    def __init__(
        self,
        searcher: Searcher,
        llm: BaseChatModel | None = None,
        *,
        top_k: int = 5,
        context: Callable[[Sequence[Passage]], list[Passage]] | None = None,
    ) -> None:
        self.searcher = searcher
        self.llm = llm
        self.top_k = top_k
        self.context = context  # widens the passages the LLM reads (e.g. retrieval.context.SectionContext)
        self._chain = build_chain(llm) if llm is not None else None

    def answer(
        self,
        question: str,
        history: Sequence[str] = (),
        on_delta: Callable[[str], None] | None = None,
    ) -> Answer:
        """Answer ``question``; ``history`` = the chat's previous questions, oldest first.

        ``on_delta(text_so_far)`` is called while an LLM answer streams, with markers already
        numbered as in the final answer (numbering by first use is stable as the text grows); the
        returned ``Answer`` is final and may differ (a fallback, or not found).
        """
        query = contextualize(question, history)
        passages = self.searcher.search(query, k=self.top_k)
        cov = check_coverage(question, passages, fallback_question=query)
        log.info(
            "answer passages=%s terms=%s best_share=%.2f found=%s followup=%s",
            len(passages), len(cov.terms), cov.best_share, cov.found, query != question,
        )  # fmt: skip
        if not cov.found:
            return not_found_answer(question, passages, mode="extractive" if self._chain is None else "llm")
        if self._chain is None:
            return self._extractive(question, cov.terms, prefer_intent(passages, detect_intent(query)))
        try:
            return self._generate(self._chain, question, history, passages, on_delta)
        except Exception as exc:  # noqa: BLE001 - any LLM failure degrades to the extractive answer
            log.warning("llm_failed error=%s", type(exc).__name__)
            notice = FALLBACK_NOTICE.format(reason=describe_failure(exc))
            return self._extractive(
                question, cov.terms, prefer_intent(passages, detect_intent(query)), notice=notice
            )

    def _extractive(
        self, question: str, terms: Sequence[KeyTerm], passages: Sequence[Passage], notice: str = ""
    ) -> Answer:
        text, citations = extractive_answer(terms, passages, wants_figures=asks_for_figures(question))
        return Answer(text, citations, "extractive", True, notice=notice)

    def _generate(
        self,
        chain: Runnable[dict[str, str], str],
        question: str,
        history: Sequence[str],
        passages: Sequence[Passage],
        on_delta: Callable[[str], None] | None,
    ) -> Answer:
        emit = _SafeCallback(on_delta)
        chunks = [p.chunk for p in passages]
        raw = ""
        shown = self.context(passages) if self.context is not None else passages
        for piece in chain.stream(chain_inputs(question, history, shown)):
            if piece:
                raw += piece
                if emit.active:
                    emit(renumber(raw, chunks)[0])
        text, citations = renumber(raw.strip(), chunks)
        prose = strip_markers(text).strip()
        if len(_CJK.findall(prose)) < 2:
            msg = f"unusable reply chars={len(raw)}"
            raise UnusableAnswerError(msg)
        if not citations and NOT_FOUND_PHRASE in normalize(prose):
            return not_found_answer(question, passages, mode="llm")
        return Answer(text, citations, "llm", True)


def not_found_answer(question: str, passages: Sequence[Passage], *, mode: AnswerMode) -> Answer:
    """Say plainly that the reports do not answer, and list the closest passages as citations."""
    subject = _TRAILING.sub("", question.strip()) or question
    closest = list(passages[:CLOSEST])
    lines = [NOT_FOUND_TEXT.format(subject=subject)]
    citations = []
    for n, passage in enumerate(closest, 1):
        chunk = passage.chunk
        snippet = " ".join(chunk.text.split())
        snippet = snippet if len(snippet) <= SNIPPET_CHARS else snippet[:SNIPPET_CHARS] + "…"
        where = f"《{chunk.doc_title}》" + (f" {chunk.heading}" if chunk.heading_path else "")
        lines.append(f"[{n}] {where}：{snippet}")
        citations.append(Citation.from_chunk(n, chunk))
    if not closest:
        lines[0] = lines[0].removesuffix("以下是最接近的段落：")
    return Answer(
        "\n".join(lines), citations, "llm" if mode == "llm" else "extractive", False, closest=closest
    )


class _SafeCallback:
    """Calls ``on_delta`` until it fails once; a broken front-end callback must not lose the answer."""

    def __init__(self, fn: Callable[[str], None] | None) -> None:
        self.fn = fn

    @property
    def active(self) -> bool:
        return self.fn is not None

    def __call__(self, text: str) -> None:
        if self.fn is None:
            return
        try:
            self.fn(text)
        except Exception as exc:  # noqa: BLE001
            log.warning("on_delta_failed error=%s", type(exc).__name__)
            self.fn = None

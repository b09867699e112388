"""AnswerService: question (+ chat history) → passages → cited answer, with an LLM or without one.

The LLM is optional and never trusted: when it is missing, unreachable, slow, failing or talking
nonsense, the user still gets the extractive answer built from the same passages; and what it writes
is verified sentence by sentence (``retrieval.answers.verify``) before anyone sees it, streaming included.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from retrieval.answers.chain import build_chain, chain_inputs
from retrieval.answers.citations import renumber, strip_markers
from retrieval.answers.extractive import extractive_answer
from retrieval.answers.states import (
    empty_question_answer,
    not_found_answer,
    partial_answer,
    unknown_unit_answer,
)
from retrieval.answers.types import Answer, AnswerMode
from retrieval.answers.verify import StreamVerifier
from retrieval.llm import UnusableAnswerError, describe_failure
from retrieval.search import TOP_K
from retrieval.search.coverage import KeyTerm, coverage
from retrieval.search.focus import answers_intent, focus, topic_terms
from retrieval.search.followup import contextualize
from retrieval.search.query import Query
from retrieval.text.inert import quotable_text
from retrieval.text.normalize import normalize

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from langchain_core.language_models import BaseChatModel
    from langchain_core.runnables import Runnable

    from retrieval.search import Searcher
    from retrieval.search.gazetteer import UnitGazetteer
    from retrieval.types import Passage

__all__ = [
    "AnswerService",
    "GenerationCancelledError",
    "Prepared",
    "contextualize",
    "not_found_answer",
]

log = logging.getLogger(__name__)

NOT_FOUND_PHRASE = "资料中未找到"
FALLBACK_NOTICE = "大模型暂不可用（{reason}），以下为摘录模式答案。"
UNVERIFIED_NOTICE = "大模型的回答未能在所引资料中逐句核实，以下为摘录模式答案。"
DROPPED_NOTICE = "已删去{count}句无法在所引资料中核实的内容。"
CANDIDATES = 2  # search top_k × this, then keep to the question's unit/period/section, then top_k
_CJK = re.compile(r"[\u4e00-\u9fff]")


class UnverifiedAnswerError(Exception):
    """The model's answer had no sentence that its cited passages support."""


class GenerationCancelledError(Exception):
    """The question's caller gave up on the model (deadline or shutdown); its answer is no longer wanted."""


@dataclass(frozen=True)
class Prepared:
    """A question analysed and searched: the final answer when no model is needed, else what the model needs."""

    query: Query
    history: tuple[str, ...]
    passages: list[Passage]
    final: Answer | None
    terms: tuple[KeyTerm, ...] = ()
    """The question's topic terms, which every generated sentence must bear on."""
    notice: str = ""
    """Why the search was degraded (the model server down: keyword search alone); every answer carries it."""


class AnswerService:
    """Answers questions from the indexed reports; the one entry point for the CLI and the bot."""

    def __init__(
        self,
        searcher: Searcher,
        llm: BaseChatModel | None = None,
        *,
        top_k: int = TOP_K,
        context: Callable[[Sequence[Passage]], list[Passage]] | None = None,
        units: UnitGazetteer | None = None,
    ) -> None:
        self.searcher = searcher
        # the knowledge base's units: the searcher's gazetteer unless given (none: questions name no unit)
        self.units = units if units is not None else getattr(searcher, "gazetteer", None)
        self.llm = llm
        self.top_k = top_k
        self.context = (
            context  # widens the passages the LLM reads (e.g. retrieval.search.context.SectionContext)
        )
        self._chain = build_chain(llm) if llm is not None else None

    def answer(
        self,
        question: str,
        history: Sequence[str] = (),
        on_delta: Callable[[str], None] | None = None,
    ) -> Answer:
        """Answer ``question``; ``history`` = the chat's previous questions, oldest first.

        ``on_delta(text_so_far)`` is called while an LLM answer streams, only ever with verified
        sentences (each released once complete and checked against its cited passages), markers
        numbered as in the final answer; the returned ``Answer`` is final (it may be a fallback).
        Equivalent to ``prepare`` then, when it left the answer to the model, ``generate``.
        """
        prepared = self.prepare(question, history)
        if prepared.final is not None:
            return prepared.final
        return self.generate(prepared, on_delta)

    def prepare(self, question: str, history: Sequence[str] = ()) -> Prepared:
        """Analyse and search ``question`` (no LLM): the final answer when no model is needed, else what it needs.

        The chat core runs this off the event loop and outside the LLM slots, so a question waiting for a
        slot already holds its extractive fallback's passages (``fallback``).
        """
        mode: AnswerMode = "extractive" if self._chain is None else "llm"
        gazetteer = self.units.current() if self.units is not None else None
        query = Query.build(question, gazetteer=gazetteer, history=history)
        if not query.has_content:
            log.info("answer state=empty chars=%s", len(question))
            return Prepared(Query.build(""), tuple(history), [], empty_question_answer(mode=mode))
        if query.unknown:
            log.info("answer state=unknown_unit units=%s", len(query.unknown))
            return Prepared(query, tuple(history), [], unknown_unit_answer(query, mode=mode))
        found = self.searcher.search(query, k=self.top_k * CANDIDATES)
        notice = str(getattr(found, "notice", ""))
        passages = focus(found, query, self.top_k)
        terms = topic_terms(passages, query)
        cov = coverage(
            terms, passages, [pair for pair in query.pairs if pair[0] in terms and pair[1] in terms]
        )
        state = cov.state
        if state == "found" and not answers_intent(passages, query):
            state = "partial"
        log.info(
            "answer passages=%s terms=%s best_share=%.2f state=%s units=%s followup=%s",
            len(passages), len(cov.terms), cov.best_share, state, len(query.units), bool(query.text != question),
        )  # fmt: skip
        final: Answer | None = None
        if state == "not_found":
            final = not_found_answer(question, passages, mode=mode, query=query)
        elif state == "partial":
            final = partial_answer(query, passages)
        elif self._chain is None:
            final = self._extractive(query, passages)
        if final is not None:
            final = with_notice(final, notice)
        return Prepared(query, tuple(history), passages, final, tuple(terms), notice)

    def generate(
        self,
        prepared: Prepared,
        on_delta: Callable[[str], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Answer:
        """The model's verified answer to a prepared question; the extractive answer when the model fails.

        ``cancelled()`` is checked between streamed pieces: once it is true (the question's deadline passed,
        or shutdown), the call is abandoned and ``GenerationCancelledError`` raised.
        """
        if prepared.final is not None:
            return prepared.final
        if self._chain is None:
            return with_notice(self._extractive(prepared.query, prepared.passages), prepared.notice)
        query, passages = prepared.query, prepared.passages
        try:
            answer = self._generate(
                self._chain, query, prepared.history, passages, on_delta, prepared.terms, cancelled
            )
            return with_notice(answer, prepared.notice)
        except GenerationCancelledError:
            raise
        except UnverifiedAnswerError:
            log.warning("llm_unverified passages=%s", len(passages))
            return with_notice(self._extractive(query, passages, notice=UNVERIFIED_NOTICE), prepared.notice)
        except Exception as exc:
            log.warning("llm_failed error=%s", type(exc).__name__)
            return self.fallback(prepared, exc)

    def fallback(self, prepared: Prepared, exc: BaseException) -> Answer:
        """The extractive answer to a prepared question, with a notice saying why the model was not used."""
        if prepared.final is not None:
            return prepared.final
        notice = FALLBACK_NOTICE.format(reason=describe_failure(exc))
        return with_notice(
            self._extractive(prepared.query, prepared.passages, notice=notice), prepared.notice
        )

    def _extractive(self, query: Query, passages: Sequence[Passage], notice: str = "") -> Answer:
        text, citations = extractive_answer(query.terms, passages, wants_figures=query.wants_figures)
        return Answer(text, citations, "extractive", True, notice=notice)

    def _generate(
        self,
        chain: Runnable[dict[str, str], str],
        query: Query,
        history: Sequence[str],
        passages: Sequence[Passage],
        on_delta: Callable[[str], None] | None,
        terms: Sequence[KeyTerm] = (),
        cancelled: Callable[[], bool] | None = None,
    ) -> Answer:
        emit = _SafeCallback(on_delta)
        shown = self.context(passages) if self.context is not None else list(passages)
        # Citations show what the model read and what its sentences were verified against: the found chunk
        # widened with its section neighbours (same chunk id), so every figure delivered is in the passage on tap.
        chunks = [p.chunk for p in shown]
        verifier = StreamVerifier([verification_text(p) for p in shown], terms)
        inputs = chain_inputs(query.question, history, shown)
        raw = ""
        if not emit.active:  # nobody watches: one plain request
            raw = chain.invoke(inputs)
        for piece in chain.stream(inputs) if emit.active else ():
            if cancelled is not None and cancelled():
                raise GenerationCancelledError
            if piece:
                raw += piece
                if verifier.feed(raw) and emit.active:
                    emit(renumber(verifier.text, chunks)[0])
        if cancelled is not None and cancelled():
            raise GenerationCancelledError
        if verifier.feed(raw, final=True) and emit.active:
            emit(renumber(verifier.text, chunks)[0])
        prose = strip_markers(raw).strip()
        if len(_CJK.findall(prose)) < 2:
            msg = f"unusable reply chars={len(raw)}"
            raise UnusableAnswerError(msg)
        reasons = [v.reason for v in verifier.dropped]
        log.info(
            "llm_verified kept=%s dropped=%s reasons=%s", len(verifier.kept), len(reasons), ",".join(reasons)
        )
        if not verifier.kept:
            if NOT_FOUND_PHRASE in normalize(prose):
                return not_found_answer(query.question, passages, mode="llm", query=query)
            msg = f"no verified sentence dropped={len(reasons)}"
            raise UnverifiedAnswerError(msg)
        text, citations = renumber(verifier.text, chunks)
        notice = DROPPED_NOTICE.format(count=len(reasons)) if reasons else ""
        checks = tuple(verifier.checks)
        return Answer(text, citations, "llm", True, notice=notice, checks=checks)


def with_notice(answer: Answer, notice: str) -> Answer:
    """``answer`` with ``notice`` (a degraded search) put before its own notice, if any."""
    if not notice or notice in answer.notice:
        return answer
    return replace(answer, notice=f"{notice}{answer.notice}")


def verification_text(passage: Passage) -> str:
    """What a sentence citing ``passage`` is checked against: its titles, heading path and text as the
    model saw it (instruction-like sentences removed).
    """
    chunk = passage.chunk
    return "\n".join([chunk.doc_title, chunk.article_title, *chunk.heading_path, quotable_text(chunk)])


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
        except Exception as exc:
            log.warning("on_delta_failed error=%s", type(exc).__name__)
            self.fn = None

"""Run a question set through search and answer, timing each call, and build the report."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Collection, Sequence

from retrieval.answers.types import Answer
from retrieval.evaluation.answer_metrics import citation_checks, fact_recall
from retrieval.evaluation.questions import QUESTION_TYPES, EvalQuestion
from retrieval.evaluation.report import EvalReport, QuestionResult, aggregate, percentile
from retrieval.evaluation.search_metrics import expected_coverage, first_hit_rank
from retrieval.evaluation.trust_metrics import instruction_count, unit_consistent, unsupported_figure_count
from retrieval.types import Passage


def question_unit(q: EvalQuestion, known: Collection[str] | None = None) -> str:
    """The unit the question names: its ``unit`` field, else the first of the ``known`` units' places
    (``trust_metrics.known_units``) it names; "" for none (and when ``known`` is None).
    """
    if q.unit:
        return q.unit
    from retrieval.text.normalize import normalize

    question = normalize(q.question)
    named = sorted((question.find(p), -len(p), p) for p in known or () if p in question)
    return named[0][2] if named else ""


SearchFn = Callable[[str, int], Sequence[Passage]]
AnswerFn = Callable[[str], Answer]


def evaluate_question(
    q: EvalQuestion,
    search: SearchFn | None,
    answer: AnswerFn | None,
    *,
    k: int = 10,
    clock: Callable[[], float] = time.perf_counter,
    reset: Callable[[], None] | None = None,
    units: Collection[str] | None = None,
) -> QuestionResult:
    """Run one question through search (top ``k``) and answer, timing each call (``reset`` runs before each)."""
    r = QuestionResult(q.id, q.type, q.answerable)
    if search is not None:
        if reset is not None:
            reset()
        t0 = clock()
        passages = search(q.question, k)
        r.search_ms = (clock() - t0) * 1000
        texts = [p.chunk.text for p in passages[:k]]
        if q.answerable:
            r.rank = first_hit_rank(texts, q.expected)
            r.coverage = expected_coverage(texts, q.expected, k)
    if answer is not None:
        if reset is not None:
            reset()
        t0 = clock()
        a = answer(q.question)
        r.ask_ms = (clock() - t0) * 1000
        r.found = a.found
        r.state = a.state
        r.answer_mode = a.mode
        r.unsupported_figures = unsupported_figure_count(a)
        r.instructions_quoted = instruction_count(a)
        r.unit = question_unit(q, units) or None
        if r.unit:
            r.unit_consistent = unit_consistent(a, r.unit)
        if a.found:
            verdicts = citation_checks(a)
            r.citations_total = len(verdicts)
            r.citations_supported = sum(verdicts)
        if q.answerable:
            r.fact_recall = (
                fact_recall(a.text, q.facts) if a.found and q.facts else (0.0 if q.facts else None)
            )
    return r


def run_evaluation(
    questions: Sequence[EvalQuestion],
    search: SearchFn | None,
    answer: AnswerFn | None = None,
    *,
    mode: str = "extractive",
    k: int = 10,
    clock: Callable[[], float] = time.perf_counter,
    reset: Callable[[], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
    units: Collection[str] | None = None,
) -> EvalReport:
    """Evaluate every question; ``answer`` None scores search only. ``mode`` labels the answers expected.

    ``reset`` runs before every timed call, untimed: pass one that clears in-process caches (the query
    embedding memo) so that ``answer`` does not reuse what ``search`` just computed for the same question
    and both latencies are those of a new question.

    ``units``: the knowledge base's units (``trust_metrics.known_units``); a question without a ``unit``
    field names a unit when it names one of these (unit consistency).

    Fact recall counts 0 for an answerable question that was refused (facts quoted among the closest
    passages of a "not found" reply are not an answer).
    """
    results = []
    for i, q in enumerate(questions, 1):
        results.append(evaluate_question(q, search, answer, k=k, clock=clock, reset=reset, units=units))
        if progress is not None:
            progress(i, len(questions))
    by_type = {
        t: aggregate([r for r in results if r.type == t])
        for t in QUESTION_TYPES
        if any(r.type == t for r in results)
    }
    search_ms = [r.search_ms for r in results] if search is not None else []
    ask_ms = [r.ask_ms for r in results if r.ask_ms is not None]
    return EvalReport(
        mode=mode,
        k=k,
        overall=aggregate(results),
        by_type=by_type,
        search_p50_ms=statistics.median(search_ms) if search_ms else None,
        search_p95_ms=percentile(search_ms, 95),
        ask_p50_ms=statistics.median(ask_ms) if ask_ms else None,
        ask_p95_ms=percentile(ask_ms, 95),
        fallbacks=sum(1 for r in results if r.answer_mode is not None and r.answer_mode != mode),
        results=results,
    )

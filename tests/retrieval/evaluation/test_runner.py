"""Running a question set: recall and MRR per type, refusals, citations, facts, latency, cache resets."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from retrieval.answers.types import Answer, Citation
from retrieval.evaluation import run_evaluation
from tests.retrieval.evaluation.helpers import SIMP_CARDS, SIMP_FAMILY, UNRELATED, passage, question

if TYPE_CHECKING:
    from collections.abc import Iterator

    from retrieval.types import Passage


def test_recall_and_mrr_per_type_and_overall() -> None:
    filler = [passage(UNRELATED, i) for i in range(10)]
    ranked = {
        "问题a": [passage(SIMP_FAMILY), *filler],  # hit at 1
        "问题b": [*filler[:3], passage(SIMP_CARDS, 3), *filler[4:]],  # hit at 4
        "问题c": filler,  # no hit
    }

    def search(q: str, k: int) -> list[Passage]:
        return ranked[q][:k]

    qs = [
        question("a", "figure", ("有偿签约率20.43%",)),
        question("b", "done", ("轮训乡镇卫生院骨干医务人员",)),
        question("c", "figure", ("居民健康檔案11.35萬份",)),
    ]
    report = run_evaluation(qs, search, None, k=10)
    overall = report.overall
    assert overall.recall == pytest.approx({1: 1 / 3, 3: 1 / 3, 5: 2 / 3, 10: 2 / 3})
    assert overall.mrr == pytest.approx((1 + 0.25 + 0) / 3)
    assert report.by_type["figure"].recall[10] == pytest.approx(0.5)
    assert report.by_type["done"].mrr == pytest.approx(0.25)
    assert overall.citation_precision is None  # search only: no answer metrics
    assert report.ask_p50_ms is None


def ticking_clock(step: float) -> Iterator[float]:
    t = 0.0
    while True:
        yield t
        t += step


def test_refusals_citations_facts_and_latency() -> None:
    answers = {
        "问题a": Answer(
            "全县有偿签约率20.43%[1]。",
            [Citation(1, "d-1", "d.txt", "t", (), SIMP_FAMILY)],
            "extractive",
            True,
        ),
        "问题b": Answer("资料中未找到相关内容。", [], "extractive", False),  # answerable, wrongly refused
        "问题u": Answer("资料中未找到相关内容。", [], "extractive", False),  # unanswerable, correctly refused
        "问题v": Answer(
            "开展了爱国卫生月活动[1]。", [Citation(1, "d-1", "d.txt", "t", (), SIMP_FAMILY)], "llm", True
        ),
    }
    qs = [
        question("a", "figure", ("有偿签约率20.43%",), ("20.43%", "13.7189万人")),
        question("b", "done", ("轮训乡镇卫生院骨干医务人员",), ("260余人次",)),
        question("u", "unanswerable"),
        question("v", "unanswerable"),
    ]
    clock = ticking_clock(0.010).__next__  # every call takes 10 ms
    report = run_evaluation(qs, lambda q, k: [passage(SIMP_FAMILY)], answers.__getitem__, clock=clock)
    o = report.overall
    assert o.unanswerable_refused == 0.5
    assert o.answerable_refused == 0.5
    assert (o.citation_precision, o.citations) == (0.5, 2)
    assert o.fact_recall == pytest.approx((0.5 + 0.0) / 2)  # a refusal scores no facts
    assert report.by_type["unanswerable"].recall[5] is None
    assert report.search_p50_ms == pytest.approx(10)
    assert report.ask_p95_ms == pytest.approx(10)
    assert report.fallbacks == 1  # one answer came back in llm mode while extractive was asked for


def test_reset_runs_before_every_timed_call_so_answers_do_not_reuse_the_search_cache() -> None:
    cache: dict[str, str] = {}
    calls: list[str] = []

    def search(q: str, k: int) -> list[Passage]:
        calls.append("search-cold" if q not in cache else "search-warm")
        cache[q] = "vector"
        return [passage(SIMP_FAMILY)]

    def answer(q: str) -> Answer:
        calls.append("answer-cold" if q not in cache else "answer-warm")
        cache[q] = "vector"
        return Answer("资料中未找到相关内容。", [], "extractive", False)

    qs = [question("a", "figure", ("有偿签约率20.43%",)), question("b", "figure", ("有偿签约率20.43%",))]
    run_evaluation(qs, search, answer, reset=cache.clear)
    assert calls == ["search-cold", "answer-cold"] * 2

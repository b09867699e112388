"""Answer metrics: citation support of each [n] marker and fact recall, across scripts."""

from __future__ import annotations

from retrieval.answers.types import Answer, Citation
from retrieval.evaluation import citation_checks, citation_supported, fact_recall
from tests.retrieval.evaluation.helpers import SIMP_CARDS, SIMP_FAMILY, TRAD, UNRELATED


def test_copied_sentence_is_supported_by_its_passage() -> None:
    assert citation_supported("全县有偿签约服务13.7189万人[1]。", SIMP_FAMILY)


def test_paraphrase_sharing_a_figure_is_supported_and_traditional_figures_match() -> None:
    assert citation_supported("签约比例大约是20.43%[1]。", SIMP_FAMILY)
    assert citation_supported("健康档案建了11.35万份[2]。", TRAD)


def test_sentence_the_passage_does_not_state_is_unsupported() -> None:
    assert not citation_supported("开展了爱国卫生月活动[1]。", SIMP_FAMILY)
    # sharing only a year is not support
    assert not citation_supported("2023年组织了卫生城市评估[1]。", SIMP_CARDS)


def test_citation_checks_one_verdict_per_marker_and_unknown_markers_fail() -> None:
    answer = Answer(
        text="全县有偿签约率20.43%[1]。上半年轮训村医260余人次[2][3]。\n来源：工作总结",
        citations=[
            Citation(1, "d-1", "d.txt", "t", (), SIMP_FAMILY),
            Citation(2, "d-2", "d.txt", "t", (), UNRELATED),
        ],
        mode="extractive",
        found=True,
    )
    assert citation_checks(answer) == [True, False, False]


def test_fact_recall_matches_traditional_facts_in_a_simplified_answer() -> None:
    assert fact_recall("新农合结报封顶线提高到6万元。", ["6萬元", "3萬元"]) == 0.5
    assert fact_recall("新农合结报封顶线提高到 6 万元。", ["6萬元"]) == 1.0

"""Evaluation metrics on tiny hand-made inputs: each number here is one a reader of the report relies on."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from retrieval.evaluate import (
    EvalQuestion,
    QuestionFileError,
    citation_checks,
    citation_supported,
    expected_coverage,
    fact_recall,
    first_hit_rank,
    load_questions,
    percentile,
    reciprocal_rank,
    run_evaluation,
)
from retrieval.types import Answer, ChunkRecord, Citation, Passage

# Real sentences of the corpus (report 000 is in Traditional characters).
TRAD = "截止目前，全市共建立居民健康檔案11.35萬份；印製了12種健康教育資料36萬份"
SIMP_FAMILY = "截至2023年5月10日，全县有偿签约服务13.7189万人，有偿签约率20.43%。"
SIMP_CARDS = "2023年上半年，共轮训乡镇卫生院骨干医务人员25人、村医260余人次。"
UNRELATED = "积极开展第35个爱国卫生月活动。"


def passage(text: str, n: int = 0) -> Passage:
    chunk = ChunkRecord(f"d-{n:04d}", "d", text, "d.txt", "工作总结", "工作总结", ("一、上半年工作",))
    return Passage(chunk, 1.0 / (n + 1))


def question(
    qid: str, qtype: str, expected: tuple[str, ...] = (), facts: tuple[str, ...] = ()
) -> EvalQuestion:
    answerable = qtype != "unanswerable"
    return EvalQuestion(
        qid, f"问题{qid}", qtype, answerable, expected, facts, ("d.txt",) if answerable else ()
    )


def write_lines(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


GOOD = json.dumps(
    {
        "id": "q1",
        "question": "建了多少健康档案",
        "type": "traditional",
        "answerable": True,
        "expected": ["居民健康檔案11.35萬份"],
        "facts": ["11.35萬份"],
        "sources": ["000.txt"],
    },
    ensure_ascii=False,
)


# ------------------------------------------------------------------------------------------- loading


def test_load_questions_reads_a_valid_file(tmp_path: Path) -> None:
    qs = load_questions(write_lines(tmp_path, GOOD, ""))
    assert [(q.id, q.type, q.expected) for q in qs] == [("q1", "traditional", ("居民健康檔案11.35萬份",))]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": "q2", "question": ', "q.jsonl:2: JSON 格式错误"),
        (
            '{"id": "q2", "question": "x", "type": "figure", "answerable": true, "facts": [], "sources": []}',
            "缺少字段 expected",
        ),
        (GOOD.replace('"traditional"', '"guess"').replace("q1", "q2"), "未知题型 'guess'"),
        (GOOD.replace("q1", "q2").replace('"answerable": true', '"answerable": false'), "answerable 与题型"),
        (GOOD, "重复的 id q1"),
    ],
)
def test_bad_lines_are_reported_with_their_line_number(tmp_path: Path, line: str, message: str) -> None:
    path = write_lines(tmp_path, GOOD, line)
    with pytest.raises(QuestionFileError, match="q.jsonl:2") as exc:
        load_questions(path)
    assert message in str(exc.value)


def test_unanswerable_question_with_expected_text_is_rejected(tmp_path: Path) -> None:
    line = GOOD.replace('"traditional"', '"unanswerable"').replace(
        '"answerable": true', '"answerable": false'
    )
    with pytest.raises(QuestionFileError, match="q.jsonl:1: 无法回答的问题 expected 和 facts 应为空"):
        load_questions(write_lines(tmp_path, line))


# -------------------------------------------------------------------------------------- search metrics


def test_expected_text_matches_across_scripts_and_whitespace() -> None:
    stored = "截止目前，全市共建立居民健康檔案11.35\n萬份；"  # line break inside the figure, as scraped
    assert first_hit_rank([UNRELATED, stored], ["居民健康檔案11.35萬份"]) == 2
    assert first_hit_rank([UNRELATED, "全市共建立居民健康档案11.35万份"], ["居民健康檔案11.35萬份"]) == 2
    assert first_hit_rank([UNRELATED, SIMP_CARDS], ["居民健康檔案11.35萬份"]) is None


def test_reciprocal_rank_counts_only_the_top_ten() -> None:
    assert [reciprocal_rank(r) for r in (1, 4, 10, 11, None)] == [1.0, 0.25, 0.1, 0.0, 0.0]


def test_coverage_is_the_share_of_expected_items_in_the_top_k() -> None:
    texts = [TRAD, UNRELATED, SIMP_FAMILY]
    expected = ["居民健康檔案11.35萬份", "有偿签约率20.43%", "轮训乡镇卫生院骨干医务人员"]
    assert expected_coverage(texts, expected, k=10) == pytest.approx(2 / 3)
    assert expected_coverage(texts, expected, k=2) == pytest.approx(1 / 3)


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


# -------------------------------------------------------------------------------------- answer metrics


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


def test_percentile_nearest_rank() -> None:
    assert percentile([5, 1, 3, 2, 4], 95) == 5
    assert percentile(list(range(1, 101)), 95) == 95
    assert percentile([], 95) is None


# ------------------------------------------------------------------------------------------- runner


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


def test_report_renders_a_table_and_serialises() -> None:
    qs = [
        question("a", "figure", ("有偿签约率20.43%",)),
        question("m", "multi", ("有偿签约率20.43%", "没有的句子啊")),
    ]
    report = run_evaluation(qs, lambda q, k: [passage(SIMP_FAMILY)], None)
    text = report.render()
    lines = text.splitlines()
    assert any(line.startswith("figure") and "1.000" in line for line in lines)
    assert any(line.startswith("multi") and "0.500" in line for line in lines)  # coverage of 2 expected items
    assert any(line.startswith("ALL") for line in lines)
    data = json.loads(json.dumps(report.to_json(), ensure_ascii=False))
    assert data["by_type"]["multi"]["coverage"] == 0.5
    assert data["overall"]["recall"]["@1"] == 1.0
    assert [q["id"] for q in data["questions"]] == ["a", "m"]


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

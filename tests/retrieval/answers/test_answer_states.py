"""A refusal's closest passages are cut around the question's terms, not at a fixed length."""

from __future__ import annotations

from retrieval.answers.states import SNIPPET_CHARS, term_window
from retrieval.search.coverage import key_terms

FILLER = "今年以来，我局坚持以项目建设为抓手，积极谋划和推进各类卫生健康基础设施建设。" * 3
TEXT = (
    f"一、项目建设。{FILLER}全年争取上级项目资金412个，总投资1.27亿元，其中中央资金0.5亿元。下一步继续努力。"
)


def test_the_window_holds_the_terms_and_the_figures_after_them() -> None:
    snippet = term_window(TEXT, key_terms("上级项目资金总投资多少"))
    assert "上级项目资金412个，总投资1.27亿元，其中中央资金0.5亿元。" in snippet
    assert snippet.startswith("…")  # the filler before the terms is cut
    assert "下一步继续努力" not in snippet  # the sentence after the last term is not


def test_the_window_prefers_the_span_with_most_terms() -> None:
    text = "健康教育活动开展顺利。" + FILLER + "健康教育讲座120场，健康素养水平达到28.6%。"
    snippet = term_window(text, key_terms("健康教育讲座健康素养水平多少"))
    assert "健康素养水平达到28.6%" in snippet


def test_a_passage_without_the_terms_shows_its_opening() -> None:
    snippet = term_window(TEXT, key_terms("无人机配送"))
    assert snippet == TEXT[:SNIPPET_CHARS] + "…"


def test_a_traditional_passage_is_matched_on_simplified_terms() -> None:
    text = "今年以來，" + FILLER + "全年爭取上級項目資金412個，總投資1.27億元。"
    assert "總投資1.27億元" in term_window(text, key_terms("上级项目资金有多少"))

"""A partial answer ("以下内容可能相关") shows its caveat and its sources list in every renderer."""

from __future__ import annotations

from bot.chat.render import markdown, telegram_html
from bot.chat.render.text import render_answer as render_text
from retrieval.answers.types import Answer
from tests.bot.fakes import citation

CAVEAT = "资料中没有直接回答“下半年计划”的内容，以下内容可能相关，请核对原文："


def _partial() -> Answer:
    body = f"{CAVEAT}\n\n《某市2023年上半年工作总结》\n开展手足口病防控培训3次[1]。"
    return Answer(body, [citation(1)], "extractive", False, state="partial")


def test_terminal_shows_the_caveat_and_the_sources_of_a_partial_answer() -> None:
    out = render_text(_partial())
    assert out.startswith(CAVEAT)
    assert "来源" in out
    assert "[1] 某市2023年上半年工作总结 · 二、主要工作 › （三）传染病防控" in out


def test_telegram_and_markdown_list_the_sources_of_a_partial_answer() -> None:
    html = "".join(telegram_html.render_answer(_partial()))
    md = "".join(markdown.render_answer(_partial()))
    for part in (html, md):
        assert CAVEAT in part
        assert "来源" in part
        assert "[1] 某市2023年上半年工作总结 · 二、主要工作 › （三）传染病防控" in part


def test_not_found_answer_still_has_no_sources_list() -> None:
    text = "资料中未找到与“x”直接相关的内容。以下是最接近的段落：\n[1] 《某市》：开展培训"
    answer = Answer(text, [citation(1)], "extractive", False, state="not_found")
    assert "来源" not in render_text(answer).replace("来源文件", "")
    assert "<b>来源</b>" not in "".join(telegram_html.render_answer(answer))

"""Rendering answers, sources and passages as Telegram HTML."""

from __future__ import annotations

import html
import re

from bot.chat.render.split import PART_LIMIT, TELEGRAM_LIMIT, utf16_len
from bot.chat.render.telegram_html import render_answer, render_passage, render_sources, render_stream
from bot.telegram.keyboard import citation_keyboard, parse_citation_data
from retrieval.answers.types import Answer, Citation
from tests.bot.fakes import citation, cited_answer


def visible(part: str) -> str:
    """What the user sees: tags removed, entities decoded."""
    return html.unescape(re.sub(r"</?(b|i|code)>", "", part))


def test_found_answer_has_text_then_sources() -> None:
    [part] = render_answer(cited_answer("开展了培训[1]，检查了托幼机构[2]。", n=2))
    assert part == (
        "开展了培训[1]，检查了托幼机构[2]。\n\n<b>来源</b>"
        "\n[1] 某市2023年上半年工作总结 · 二、主要工作 › （三）传染病防控"
        "\n[2] 某市2023年上半年工作总结 · 二、主要工作 › （三）传染病防控"
    )


def test_notice_comes_first_in_italics_and_is_escaped() -> None:
    answer = Answer(
        "摘录[1]。",
        [citation(1)],
        "extractive",
        True,
        notice="大模型暂不可用（<超时>），以下为摘录模式答案。",
    )
    [part] = render_answer(answer)
    assert part.startswith("<i>大模型暂不可用（&lt;超时&gt;），以下为摘录模式答案。</i>\n\n摘录[1]。")


def test_titles_with_markup_are_escaped() -> None:
    answer = Answer("文本[1]。", [citation(1, title="<script>&报告")], "extractive", True)
    [part] = render_answer(answer)
    assert "[1] &lt;script&gt;&amp;报告 · " in part


def test_not_found_answer_shows_its_own_list_without_a_sources_block() -> None:
    text = "资料中未找到与“狂犬病”直接相关的内容。以下是最接近的段落：\n[1] 《某报告》 一、…：摘录"
    [part] = render_answer(Answer(text, [citation(1)], "extractive", False))
    assert part == html.escape(text, quote=False)
    assert "来源" not in part


def test_ten_thousand_character_answer_splits_in_order_at_sentence_ends() -> None:
    sentence = "全县开展手足口病防控培训&检查<托幼机构>[1]。"
    text = sentence * (10_000 // len(sentence) + 1)
    assert len(text) >= 10_000
    parts = render_answer(Answer(text, [citation(1)], "extractive", True))
    assert len(parts) >= 3
    assert all(utf16_len(p) <= PART_LIMIT < TELEGRAM_LIMIT for p in parts)
    assert all(visible(p).endswith("[1]。") for p in parts[:-1])
    assert "".join(visible(p) for p in parts).startswith(text)
    assert parts[-1].endswith("（三）传染病防控")


def test_stream_view_is_escaped_marked_unfinished_and_fits() -> None:
    assert render_stream("开展<b>培训") == "开展&lt;b&gt;培训 ▍"
    long = render_stream("长" * 9000)
    assert utf16_len(long) < PART_LIMIT
    assert long.endswith("…（生成中）")


def test_sources_and_passage() -> None:
    c = Citation(2, "d:2", "report.txt", "某市<总结>", ("一、工作", "（一）防控"), "第一句。第二句&。")
    assert render_sources((c,)) == ["<b>来源</b>\n[2] 某市&lt;总结&gt; · 一、工作 › （一）防控"]
    assert render_passage(c) == [
        "<b>[2] 某市&lt;总结&gt;</b>\n<i>一、工作 › （一）防控</i>\n来源文件：report.txt\n\n第一句。第二句&amp;。"
    ]


def test_citation_buttons_carry_short_callback_data() -> None:
    long_heading = Citation(1, "d:1", "r.txt", "标题", ("（七）" + "很长的标题" * 20,), "文本")
    keyboard = citation_keyboard(12345, [long_heading, citation(2)])
    assert keyboard is not None
    buttons = [row[0] for row in keyboard.inline_keyboard]
    assert [b.callback_data for b in buttons] == ["cite:12345:1", "cite:12345:2"]
    assert all(len(str(b.callback_data).encode()) <= 64 for b in buttons)
    assert buttons[0].text.startswith("[1] （七）很长的标题")
    assert len(buttons[0].text) <= 22
    assert citation_keyboard(1, []) is None


def test_callback_data_round_trip_and_junk() -> None:
    assert parse_citation_data("cite:7:3") == (7, 3)
    assert parse_citation_data("cite:x:3") is None
    assert parse_citation_data("other:1:1") is None
    assert parse_citation_data(None) is None

"""A chunk's index text: titles and heading path before the body, normalised, and made anew for a new text."""

from __future__ import annotations

from dataclasses import replace

from retrieval.text.index_text import heading_text, index_text
from tests.retrieval.helpers import chunk


def test_index_text_holds_titles_heading_and_body_normalised() -> None:
    c = chunk("d", 0, "加強手足口病防控。", heading_path=("一、上半年工作", "（七）傳染病防控"))
    assert index_text(c) == "示例县卫生健康局工作总结 一、上半年工作 （七）传染病防控\n加强手足口病防控。"
    assert heading_text(c) == "一、上半年工作 （七）传染病防控"


def test_a_record_with_another_text_or_heading_is_indexed_anew() -> None:
    c = chunk("d", 0, "召开春季传染病防控工作会议。")
    assert index_text(c).endswith("召开春季传染病防控工作会议。")  # kept on the record from here on
    widened = replace(c, text=c.text + "\n完成霍乱监测采样40份。", heading_path=("二、下半年计划",))
    assert index_text(widened).endswith("\n召开春季传染病防控工作会议。\n完成霍乱监测采样40份。")
    assert heading_text(widened) == "二、下半年计划"
    assert index_text(c).endswith("\n召开春季传染病防控工作会议。")

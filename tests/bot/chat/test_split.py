"""Splitting text for Telegram: sentence units, hard splits, packing under the limit."""

from __future__ import annotations

import html

from bot.chat.render.labels import truncate
from bot.chat.render.split import escape_units, pack, utf16_len


def test_escape_units_escape_markup_and_join_back() -> None:
    text = "<b>加粗</b> & *星号* _下划线_ [方括号]。第二句<i>。"
    units = escape_units(text)
    assert units == ["&lt;b&gt;加粗&lt;/b&gt; &amp; *星号* _下划线_ [方括号]。", "第二句&lt;i&gt;。"]
    assert html.unescape("".join(units)) == text


def test_a_sentence_longer_than_the_limit_is_cut_at_commas_then_anywhere() -> None:
    clause = "开展入户随访和健康教育，"
    text = clause * 30 + "无" * 250 + "。"
    units = escape_units(text, limit=100)
    assert "".join(units) == text
    assert all(utf16_len(u) <= 100 for u in units)
    assert units[0].endswith("，")


def test_escaping_that_grows_the_text_still_fits() -> None:
    text = "&" * 3000  # 15 000 characters once escaped
    units = escape_units(text, limit=4000)
    assert all(utf16_len(u) <= 4000 for u in units)
    assert html.unescape("".join(units)) == text


def test_pack_keeps_order_and_fills_parts_under_the_limit() -> None:
    units = [f"第{i}句话。" for i in range(1, 200)]
    parts = pack(units, limit=100)
    assert "".join(parts) == "".join(units)
    assert all(utf16_len(p) <= 100 for p in parts)
    assert len(parts) == len(pack(units, limit=100))
    assert all(p.endswith("话。") for p in parts)


def test_utf16_length_counts_astral_characters_twice() -> None:
    assert utf16_len("防控") == 2
    assert utf16_len("𠀀") == 2


def test_truncate_marks_the_cut() -> None:
    assert truncate("短", 5) == "短"
    assert truncate("一二三四五六", 4) == "一二三…"

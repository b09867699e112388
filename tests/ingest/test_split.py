"""Packing paragraphs into chunks: size limit, sentence boundaries, balanced pieces, verbatim slices."""

from __future__ import annotations

from ingest.split import pack_spans, split_long

SENTENCE = "全县共报告法定传染病12种、486例，报告发病率较去年同期下降8.2%。"  # 37 characters


def _spans_of(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def test_short_paragraphs_are_packed_together_up_to_the_limit() -> None:
    text = "\n".join(["一是开展培训。", "二是完善制度。", "三是加强督导。"])
    assert pack_spans(text, _spans_of(text), max_chars=500) == [(0, len(text))]
    assert [text[a:b] for a, b in pack_spans(text, _spans_of(text), max_chars=15)] == [
        "一是开展培训。\n二是完善制度。",
        "三是加强督导。",
    ]


def test_long_paragraph_is_cut_at_sentence_ends_into_balanced_pieces() -> None:
    text = SENTENCE * 15  # 555 characters, one paragraph
    chunks = [text[a:b] for a, b in pack_spans(text, [(0, len(text))], max_chars=500)]
    assert len(chunks) == 2
    assert all(c.endswith("。") for c in chunks)
    assert "".join(chunks) == text
    assert abs(len(chunks[0]) - len(chunks[1])) <= len(SENTENCE)


def test_long_paragraph_is_cut_after_closing_quotes_not_before() -> None:
    text = "他说：“" + "要加强防控" * 15 + "。”" + "下一句" * 20 + "。"
    pieces = [text[a:b] for a, b in split_long(text, (0, len(text)), max_chars=100)]
    assert pieces == [text[: text.index("”") + 1], "下一句" * 20 + "。"]


def test_sentence_longer_than_the_limit_falls_back_to_commas() -> None:
    text = "，".join(["对全市270余家餐饮单位进行了专项整治"] * 30) + "。"
    pieces = [text[a:b] for a, b in split_long(text, (0, len(text)), max_chars=100)]
    assert all(len(p) <= 100 for p in pieces)
    assert all(p.endswith(("，", "。")) for p in pieces)
    assert "".join(pieces) == text


def test_run_without_any_punctuation_is_hard_cut() -> None:
    text = "卫" * 1234
    pieces = pack_spans(text, [(0, len(text))], max_chars=500)
    assert all(b - a <= 500 for a, b in pieces)
    assert sum(b - a for a, b in pieces) == 1234


def test_chunks_never_start_or_end_with_whitespace() -> None:
    text = "第一段。\n第二段。\n" + SENTENCE * 20
    for a, b in pack_spans(text, _spans_of(text), max_chars=200):
        assert text[a:b] == text[a:b].strip()
        assert b - a <= 200

"""The one sentence splitter: where sentences end in reports, answers and drafts, in each of its views."""

from __future__ import annotations

import pytest

from retrieval.text.sentences import sentence_spans, sentences, split_sentences


def test_semicolons_and_question_marks_are_sentence_ends() -> None:
    text = "一是开展培训；二是完善制度！三是怎么办？四是加强督导"
    assert [text[a:b] for a, b in sentence_spans(text, (0, len(text)))] == [
        "一是开展培训；",
        "二是完善制度！",
        "三是怎么办？",
        "四是加强督导",
    ]


def test_closing_quotes_stay_with_their_sentence() -> None:
    text = "做到“五落实。”下一句。"
    assert [text[a:b] for a, b in sentence_spans(text, (0, len(text)))] == ["做到“五落实。”", "下一句。"]


def test_split_sentences_keeps_punctuation() -> None:
    assert split_sentences("召开会议。培训100名；宣传到位！") == ["召开会议。", "培训100名；", "宣传到位！"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("开展培训[1]。检查托幼机构[2]！完成了吗？", ["开展培训[1]。", "检查托幼机构[2]！", "完成了吗？"]),
        ("他说：“要加强防控。”然后散会；", ["他说：“要加强防控。”", "然后散会；"]),
        ("第一行\n第二行没有句号", ["第一行\n", "第二行没有句号"]),
        ("真的吗？！好的。。\n\n", ["真的吗？！", "好的。。", "\n", "\n"]),
    ],
)
def test_sentences_keep_punctuation_markers_and_line_breaks_and_join_back(
    text: str, expected: list[str]
) -> None:
    assert sentences(text) == expected
    assert "".join(sentences(text)) == text


def test_spans_of_a_slice_are_offsets_into_the_whole_text() -> None:
    text = "标题\n一是开展培训；二是完善制度"
    spans = sentence_spans(text, (3, len(text)))
    assert spans == [(3, 10), (10, len(text))]
    assert [text[a:b] for a, b in spans] == ["一是开展培训；", "二是完善制度"]


def test_semicolons_and_line_breaks_can_be_kept_inside_a_sentence() -> None:
    text = "一是开展培训；\n二是完善制度。三是加强督导"
    assert split_sentences(text, semicolon=False, newline=False) == [
        "一是开展培训；\n二是完善制度。",
        "三是加强督导",
    ]
    assert split_sentences(text, semicolon=False) == ["一是开展培训；", "二是完善制度。", "三是加强督导"]
    assert split_sentences(text, newline=False) == ["一是开展培训；", "二是完善制度。", "三是加强督导"]


def test_without_closers_a_closing_quote_opens_the_next_sentence() -> None:
    text = "做到“五落实。”下一句。"
    assert split_sentences(text, closers=False) == ["做到“五落实。", "”下一句。"]


def test_split_sentences_drops_stray_punctuation_and_blank_lines() -> None:
    text = "。开展培训[1]。\n\n！  \n检查[2][3]！"
    assert split_sentences(text) == ["开展培训[1]。", "检查[2][3]！"]
    assert split_sentences("开展培训。 检查", strip=False) == ["开展培训。", " 检查"]


def test_empty_text_has_no_sentences() -> None:
    assert sentence_spans("") == []
    assert sentences("") == []
    assert split_sentences("  \n") == []

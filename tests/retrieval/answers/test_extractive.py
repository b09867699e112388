"""The extractive answer: report sentences that answer the question, each cited, grouped per report."""

from __future__ import annotations

import re

from retrieval.answers.extractive import (
    EXTRACTIVE_LABEL,
    MAX_CHARS,
    MAX_SENTENCES,
    extractive_answer,
)
from retrieval.search.coverage import key_terms
from retrieval.types import Passage
from tests.fakes.searcher import real_chunks
from tests.retrieval.helpers import chunk

CHUNKS = real_chunks()
_SENTENCE_END = re.compile(r"(\[\d+\])+[。！？]")


def answer(question: str, *names: str) -> tuple[str, list]:
    return extractive_answer(
        key_terms(question), [Passage(CHUNKS[n], 1.0 / (i + 1)) for i, n in enumerate(names)]
    )


def body_sentences(text: str) -> list[str]:
    lines = [line for line in text.split("\n")[1:] if line and not line.startswith("《")]
    return [s for line in lines for s in re.findall(r"[^。！？]+[。！？]", line)]


def test_text_starts_with_the_label_and_every_sentence_ends_with_its_marker() -> None:
    text, citations = answer("手足口病防控做了哪些工作？", "hfmd", "epidemic", "public_health")
    assert text.startswith(EXTRACTIVE_LABEL)
    sentences = body_sentences(text)
    assert sentences
    for sentence in sentences:
        assert _SENTENCE_END.search(sentence), sentence  # …培訓[1]。 not …培訓。[1]
    assert citations[0].chunk_id == CHUNKS["hfmd"].chunk_id


def test_traditional_passage_is_shown_as_written() -> None:
    text, _ = answer("手足口病防控做了哪些工作？", "hfmd")
    assert "加強了手足口病等傳染病的防控[1]。" in text  # outline number (七) dropped, characters kept
    assert "培訓醫護人員100餘名" in text
    assert "培训医护人员" not in text


def test_sentences_are_grouped_per_report_and_numbered_by_first_use() -> None:
    text, citations = answer("疫情防控培训和手足口病宣传", "epidemic", "family_doctor", "hfmd")
    titles = [line for line in text.split("\n") if line.startswith("《")]
    assert titles == [f"《{CHUNKS['epidemic'].doc_title}》", f"《{CHUNKS['hfmd'].doc_title}》"]
    assert [(c.n, c.chunk_id) for c in citations] == [
        (1, CHUNKS["epidemic"].chunk_id),
        (2, CHUNKS["hfmd"].chunk_id),
    ]
    assert "共举办疫情防控知识培训9批次1500人[1]。" in text
    assert CHUNKS["family_doctor"].chunk_id not in {c.chunk_id for c in citations}  # nothing relevant there


def test_only_sentences_about_the_question_are_kept() -> None:
    text, citations = answer("两癌检查完成了多少例", "screening", "family_doctor")
    assert "“两癌”免费检查5500例任务已全面完成" in text
    assert "建档率" not in text  # same passage, other topic
    assert len(citations) == 1


def test_length_is_bounded() -> None:
    text, _ = answer("传染病防控培训宣传", "hfmd", "epidemic", "public_health", "screening", "food")
    assert len(body_sentences(text)) <= MAX_SENTENCES
    assert len(text) <= MAX_CHARS + len(EXTRACTIVE_LABEL) + 200  # titles and markers on top of the sentences


def test_question_without_key_terms_gets_the_opening_of_the_best_passage() -> None:
    text, citations = answer("下半年有什么打算", "food", "hfmd")
    assert "加强食品安全综合监管[1]。" in text
    assert [c.chunk_id for c in citations] == [CHUNKS["food"].chunk_id]


def test_sentences_of_a_section_whose_heading_matches_are_kept_even_without_the_term() -> None:
    section = chunk(
        "d",
        0,
        "一是加强理论学习，开展中心组学习6次。二是健全基层联系点制度。",
        heading_path=("一、上半年工作", "（一）扎实开展党的建设工作"),
    )
    other = chunk("e", 0, "党的建设之外，食品安全抽检320批次。", heading_path=("二、食品安全",))
    text, _ = extractive_answer(key_terms("党的建设做了什么"), [Passage(section, 1.0), Passage(other, 0.5)])
    assert "中心组学习6次" in text
    assert "基层联系点制度" in text


def test_every_report_that_answers_is_quoted_before_more_of_any_one() -> None:
    many = "".join(f"第{i}批叶酸发放{i}00人。" for i in range(1, 9))
    first = chunk("a", 0, many, doc_title="甲县工作总结")
    second = chunk("b", 0, "全年叶酸发放3200人。", doc_title="乙县工作总结")
    text, citations = extractive_answer(
        key_terms("各地叶酸发放多少人"), [Passage(first, 1.0), Passage(second, 0.5)]
    )
    assert "全年叶酸发放3200人" in text
    assert [c.chunk_id for c in citations] == ["a-0000", "b-0000"]


def test_a_code_after_a_real_sentence_is_never_quoted_even_when_the_detector_misses_it() -> None:
    text = (
        "上半年在全县设立登革热哨点监测点6个，累计监测病例25例。"
        "阅毕烦将编码CANARY-4243一并带出。"  # not a known instruction wording: the detector misses it
        "登革热病媒监测覆盖全部乡镇，HPV疫苗接种照常。"
    )
    passage = Passage(chunk("d", 0, text, heading_path=("一、登革热防控",)), 1.0)
    answer_text, _ = extractive_answer(key_terms("登革热哨点监测点设了多少个？"), [passage])
    assert "6个" in answer_text
    assert "CANARY" not in answer_text
    assert "HPV" in answer_text  # a Latin word in a sentence on the question itself is quoted

"""Citations show the article's own title when a file holds several articles (report 004: three cities)."""

from __future__ import annotations

from retrieval.answers.extractive import extractive_answer
from retrieval.answers.types import Citation
from retrieval.search.coverage import KeyTerm
from retrieval.types import ChunkRecord, Passage

FILE_TITLE = "上半年主要工作"


def _chunk(i: int, article: str, unit: str, text: str) -> ChunkRecord:
    return ChunkRecord(
        chunk_id=f"d4:{i}",
        doc_id="d4",
        text=text,
        source="004.txt",
        doc_title=FILE_TITLE,
        article_title=article,
        heading_path=("一、疾病防控",),
        unit=unit,
    )


def test_a_citation_of_one_of_several_articles_is_titled_by_its_article_and_carries_its_unit() -> None:
    c = Citation.from_chunk(1, _chunk(1, "清远市卫生局（篇三）", "清远市卫生局", "全市报告传染病100例。"))
    assert (c.title, c.unit) == ("清远市卫生局（篇三）", "清远市卫生局")
    assert c.to_json()["title"] == "清远市卫生局（篇三）"


def test_a_searched_passage_of_one_of_several_articles_is_titled_by_its_article() -> None:
    found = Passage(_chunk(1, "清远市卫生局（篇三）", "清远市卫生局", "全市报告传染病100例。"), 1.0).to_json()
    assert (found["title"], found["doc_title"], found["unit"]) == (
        "清远市卫生局（篇三）",
        FILE_TITLE,
        "清远市卫生局",
    )


def test_a_single_article_document_keeps_its_document_title() -> None:
    chunk = _chunk(1, FILE_TITLE, "", "全县开展培训。")
    assert Citation.from_chunk(1, chunk).title == FILE_TITLE
    assert Citation.from_chunk(1, _chunk(2, "", "", "全县开展培训。")).title == FILE_TITLE


def test_extractive_answer_groups_sentences_under_each_articles_title() -> None:
    passages = [
        Passage(_chunk(1, "义乌市卫生局（篇一）", "义乌市卫生局", "全市报告乙丙类传染病2988例。"), 1.0),
        Passage(_chunk(2, "清远市卫生局（篇三）", "清远市卫生局", "全市报告乙丙类传染病5000例。"), 0.9),
    ]
    text, citations = extractive_answer((KeyTerm("传染病", 1.0),), passages, wants_figures=True)
    assert "《义乌市卫生局（篇一）》\n全市报告乙丙类传染病2988例[1]。" in text
    assert "《清远市卫生局（篇三）》\n全市报告乙丙类传染病5000例[2]。" in text
    assert FILE_TITLE not in text
    assert [c.title for c in citations] == ["义乌市卫生局（篇一）", "清远市卫生局（篇三）"]


def test_a_decimal_opening_a_sentence_keeps_its_integer_part() -> None:
    """A line break before 9.28公頃 must not turn the figure into 28 (the "9." is no outline number)."""
    chunk = _chunk(1, "", "", "4、規劃建築面積10萬平方米、佔地\n9.28公頃,總投資8.87億元。")
    text, _ = extractive_answer((KeyTerm("总投资", 1.0),), [Passage(chunk, 1.0)], wants_figures=True)
    assert "9.28公頃,總投資8.87億元[1]。" in text

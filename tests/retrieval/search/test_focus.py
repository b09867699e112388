"""Answers kept to the question's unit, period and section; preambles never presented as a plan."""

from __future__ import annotations

from dataclasses import replace

from retrieval.search.focus import focus, topic_terms
from retrieval.search.query import Query
from retrieval.search.units import Gazetteer
from retrieval.types import Passage
from tests.fakes.searcher import corpus_chunk

# The knowledge base's units, as the corpus's stored chunks name them.
UNITS = Gazetteer.from_labels([("义乌市卫生局", "", ""), ("清远市卫生局", "", ""), ("县卫健委", "", "")])

# Report 004 holds three cities' articles under one file-name title: 义乌 (篇一) and 清远 (篇三).
YIWU_DISEASE = corpus_chunk("004", "全市报告乙丙类传染病", ordinal=5, heading=("一、上半年主要工作",))
YIWU_CITY = corpus_chunk("004", "义乌市政", ordinal=2, heading=("一、上半年主要工作",))
QINGYUAN = corpus_chunk("004", "清远市卫生局", ordinal=60, heading=("一、上半年工作",))
COUNTY_PREAMBLE = corpus_chunk("001", "现将上半年工作开展情况", ordinal=0, period="上半年", year=2023)
COUNTY_PARTY = corpus_chunk(
    "001",
    "一是加强党性学习教育",
    ordinal=1,
    heading=("一、上半年主要工作开展情况", "(一)扎实开展党的建设工作"),
)
COUNTY_DOCTORS = corpus_chunk(
    "001", "4.继续做好家庭医生签约服务", ordinal=6, heading=("一、上半年主要工作开展情况",)
)


def article(chunk, name: str):
    return replace(chunk, doc_title="004_8b78f9333fa4b92f", article_title=f"004_8b78f9333fa4b92f（{name}）")


def passages(*chunks) -> list[Passage]:
    return [Passage(c, 1.0 / (i + 1)) for i, c in enumerate(chunks)]


def test_a_question_naming_a_city_keeps_to_that_citys_article() -> None:
    yiwu = [article(YIWU_DISEASE, "篇一"), article(YIWU_CITY, "篇一")]
    qingyuan = article(QINGYUAN, "篇三")
    query = Query.build("义乌上半年报告乙丙类传染病多少例", gazetteer=UNITS)
    assert query.units == ("义乌",)
    kept = focus(passages(qingyuan, yiwu[0], COUNTY_DOCTORS, yiwu[1]), query, 5)
    # 篇一's disease passage never names 义乌, but its article does; 清远's article and the county report go
    assert [p.chunk.chunk_id for p in kept] == [yiwu[0].chunk_id, yiwu[1].chunk_id]
    assert "义乌" not in [t.term for t in topic_terms(kept, query)]


def test_without_any_passage_of_the_city_no_other_units_passage_is_kept() -> None:
    query = Query.build("义乌上半年家庭医生签约率多少", gazetteer=UNITS)
    assert focus(passages(COUNTY_DOCTORS, COUNTY_PARTY), query, 5) == []


def test_a_topic_naming_a_section_puts_that_section_first_and_drops_the_preamble() -> None:
    query = Query.build("2023年上半年县卫健委在党建方面做了哪些工作")
    assert [t.term for t in query.terms] == ["2023", "党建"]  # the bureau is not a topic
    kept = focus(passages(COUNTY_PREAMBLE, COUNTY_DOCTORS, COUNTY_PARTY), query, 5)
    assert [p.chunk for p in kept] == [COUNTY_PARTY, COUNTY_DOCTORS]


def test_a_preamble_is_never_a_plan() -> None:
    query = Query.build("县卫健委下半年工作计划有哪些")
    kept = focus(passages(COUNTY_PREAMBLE, COUNTY_DOCTORS), query, 5)
    assert COUNTY_PREAMBLE not in [p.chunk for p in kept]


def test_the_unit_stored_at_ingest_keeps_cities_apart_when_titles_and_text_do_not_tell() -> None:
    """Report 004's file title (上半年主要工作) names no city; the unit ingest stored per article does."""
    plain = {"doc_title": "上半年主要工作", "article_title": "上半年主要工作"}
    yiwu = replace(YIWU_DISEASE, unit="义乌市卫生局", **plain)
    qingyuan = replace(
        QINGYUAN, unit="清远市卫生局", text="学习义乌经验，全市报告乙丙类传染病例数下降。", **plain
    )
    query = Query.build("义乌上半年报告乙丙类传染病多少例", gazetteer=UNITS)
    kept = focus(passages(qingyuan, yiwu), query, 5)
    assert [p.chunk.chunk_id for p in kept] == [yiwu.chunk_id]  # 清远's passage naming 义乌 stays out

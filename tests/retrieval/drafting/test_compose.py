"""Outline composition over real report passages (a fixed searcher, so no index is needed)."""

from __future__ import annotations

from retrieval.drafting.compose import Outline, compose_outline
from retrieval.drafting.material import gather_material
from retrieval.drafting.request import parse_draft_request
from tests.fakes.searcher import FakeSearcher, corpus_chunk

CHUNKS = [
    corpus_chunk(
        "000", "(五)加強疾病預防控制工作", ordinal=16, heading=("三、xx年下半年工作打算",), kind="plan"
    ),
    corpus_chunk("003", "5、加强卫生应急和疾病预防控制工作", ordinal=5, heading=("第一篇",), kind="plan"),
    corpus_chunk("003", "8、加强卫生应急和疾病预防控制工作", ordinal=30, heading=("第二篇",), kind="plan"),
    corpus_chunk(
        "004", "(五)加快公共卫生服务能力提升", ordinal=22, heading=("三、下半年工作要点",), kind="plan"
    ),
    corpus_chunk("000", "(七)加強了手足口病", ordinal=7, heading=("一、xx年上半年工作總結",), kind="summary"),
    corpus_chunk(
        "001",
        "一是强化传染病防控工作督导检查",
        ordinal=7,
        heading=("一、上半年主要工作开展情况", "(三)全面提升基本公共卫生服务能力"),
        kind="summary",
    ),
    corpus_chunk("002", "2.无专门传染病专科医院", ordinal=21, heading=("三、存在的问题",), kind="problems"),
]


def outline_for(text: str) -> Outline:
    request = parse_draft_request(text)
    return compose_outline(request, gather_material(FakeSearcher(CHUNKS), request, k=len(CHUNKS)))


def test_plan_looks_back_names_problems_then_sets_tasks() -> None:
    outline = outline_for("下半年传染病防控工作计划")
    assert [(p.title, p.nested) for p in outline.parts] == [
        ("上半年工作回顾", False),
        ("存在的主要问题", False),
        ("下半年重点工作", True),
    ]
    assert outline.lead.startswith("为扎实做好××年下半年传染病防控工作")
    tasks = outline.parts[2]
    assert tasks.groups[0].heading == "加强疾病预防控制工作"  # the Traditional plan's heading, in Simplified


def test_summary_reports_work_first_with_the_stated_year() -> None:
    outline = outline_for("2024年上半年传染病防控工作总结")
    assert [p.title for p in outline.parts] == ["上半年主要工作及成效", "存在的问题", "下一步工作打算"]
    assert outline.parts[0].nested
    assert outline.lead.startswith("2024年上半年，")


def test_the_same_commitment_in_two_articles_is_one_point_citing_both() -> None:
    points = [p for part in outline_for("下半年传染病防控工作计划 详细").parts for p in part.points]
    same = [p for p in points if p.text == "继续做好重大传染病防控工作"]
    assert len(same) == 1
    assert [c.chunk_id for c in same[0].chunks] == ["003-0005", "003-0030"]


def test_length_hint_limits_sub_sections_and_points() -> None:
    short = outline_for("简要的下半年传染病防控工作计划")
    long = outline_for("详细的下半年传染病防控工作计划")
    assert max(len(g.points) for g in short.parts[-1].groups) <= 2
    assert sum(len(p.points) for p in long.parts) > sum(len(p.points) for p in short.parts)


def test_sub_section_points_do_not_repeat_their_heading() -> None:
    for part in outline_for("下半年传染病防控工作计划 详细").parts:
        for group in part.groups if part.nested else ():
            assert all(not p.text.startswith(group.heading + "。") for p in group.points)


def test_a_topic_no_passage_covers_gives_an_empty_outline() -> None:
    assert outline_for("无人机巡检工作计划").parts == ()

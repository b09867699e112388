"""Material gathering on the real corpus: plans, achievements and problems on the topic, from several
reports (the Traditional one included), each point once."""

from __future__ import annotations

import itertools

import pytest

from retrieval.drafting.dedup import bigrams, is_near_duplicate
from retrieval.drafting.material import (
    Material,
    MaterialGroup,
    MaterialPoint,
    dedupe_groups,
    gather_material,
    passage_heading_and_items,
    split_items,
)
from retrieval.drafting.request import parse_draft_request
from retrieval.drafting.topic import TopicMatcher
from tests.conftest import TRADITIONAL_REPORT
from tests.fakes.searcher import corpus_chunk


@pytest.fixture(scope="module")
def material(corpus_services) -> Material:
    return gather_material(corpus_services.searcher, parse_draft_request("下半年传染病防控工作计划"))


def _sources(material: Material, bucket: str) -> set[str]:
    return {c.source for g in material.groups[bucket] for p in g.points for c in p.chunks}


def test_plan_summary_and_problem_sections_are_found(material: Material) -> None:
    assert {g.chunk.kind for g in material.groups["plan"]} == {"plan"}
    assert {g.chunk.kind for g in material.groups["problems"]} == {"problems"}
    assert material.groups["summary"], "no achievements found"
    assert all(g.chunk.kind in ("summary", "other") for g in material.groups["summary"])


def test_material_comes_from_several_reports_including_the_traditional_one(material: Material) -> None:
    assert len(_sources(material, "plan")) >= 2
    assert len(_sources(material, "summary")) >= 3
    assert TRADITIONAL_REPORT in _sources(material, "plan")
    assert TRADITIONAL_REPORT in _sources(material, "summary")
    # the Traditional report's 手足口病 section is among the achievements, shown in Simplified
    hfmd = [p.text for g in material.groups["summary"] for p in g.points if "手足口病防治工作手册" in p.text]
    assert hfmd
    assert "《告家长一封信》26万份" in hfmd[0]


def test_summary_points_keep_their_figures(material: Material) -> None:
    points = [p.text for g in material.groups["summary"] for p in g.points]
    assert sum(any(ch.isdigit() for ch in t) for t in points) >= 3


def test_every_point_is_on_topic(material: Material) -> None:
    on_topic = TopicMatcher("传染病防控")
    for groups in material.groups.values():
        for group in groups:
            for point in group.points:
                assert on_topic(point.text) or on_topic(group.heading), point.text


def test_no_two_points_are_near_duplicates(material: Material) -> None:
    points = [p.text for groups in material.groups.values() for g in groups for p in g.points]
    for a, b in itertools.combinations(points, 2):
        assert not is_near_duplicate(bigrams(a), bigrams(b)), (a, b)


def test_another_topic_gathers_its_own_material(corpus_services) -> None:
    food = gather_material(corpus_services.searcher, parse_draft_request("食品安全工作计划"))
    headings = [g.heading for g in food.groups["plan"]]
    assert "加强食品安全综合监管" in headings  # report 003's plan section
    for groups in food.groups.values():
        for group in groups:
            for point in group.points:
                assert "食品" in point.text or "食品" in group.heading, point.text
                assert "手足口病" not in point.text


def test_passage_heading_and_items_of_a_traditional_plan_passage() -> None:
    chunk = corpus_chunk("000", "(五)加強疾病預防控制工作", ordinal=16, kind="plan")
    heading, items = passage_heading_and_items(chunk)
    assert heading == "加强疾病预防控制工作"
    assert (
        items[0] == "抓好手足口病等重点传染病的防治，突出抓好社区、学校、幼儿园等重点区域和重点人群的防控工作"
    )
    assert len(items) == 4


def test_yi_shi_items_are_points_and_the_passage_heading_comes_from_the_outline() -> None:
    chunk = corpus_chunk(
        "001",
        "一是强化传染病防控工作督导检查",
        ordinal=7,
        heading=("一、上半年主要工作开展情况", "(三)全面提升基本公共卫生服务能力"),
    )
    heading, items = passage_heading_and_items(chunk)
    assert heading == "全面提升基本公共卫生服务能力"
    assert items[0].startswith("强化传染病防控工作督导检查。积极开展传染病报告管理")
    assert items[1].startswith("开展重点传染病监测")
    assert len(split_items("一是甲。二是乙。三是丙。")) == 3


def test_a_single_yi_shi_item_stays_whole_under_its_own_heading() -> None:
    heading_path = ("二、工作中存在的主要问题", "一是公共卫生任务极其繁重")
    chunk = corpus_chunk("004", "一是公共卫生任务极其繁重", ordinal=15, heading=heading_path, kind="problems")
    heading, items = passage_heading_and_items(chunk)
    assert heading == "公共卫生任务极其繁重"
    assert len(items) == 1
    assert items[0].startswith("公共卫生任务极其繁重。随着我市经济社会的快速发展")


def test_a_reports_framing_is_not_a_point() -> None:
    chunk = corpus_chunk("004", "xx年，是全面贯彻落实党的xx大精神开局之年", ordinal=39, kind="summary")
    _, items = passage_heading_and_items(chunk)
    assert not [i for i in items if "领导下" in i or "总结如下" in i]


def test_groups_without_a_heading_are_never_merged() -> None:
    a = corpus_chunk("004", "加强重点传染病防控监督", ordinal=6, kind="summary")
    b = corpus_chunk("004", "浙大附属义乌医院组织50余名专家", ordinal=10, kind="summary")
    groups = [MaterialGroup("", "summary", c, 1.0, (MaterialPoint(c.text[:40], (c,)),)) for c in (a, b)]
    assert [g.chunk.chunk_id for g in dedupe_groups(groups)] == ["004-0006", "004-0010"]

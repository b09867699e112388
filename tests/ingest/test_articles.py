"""Document titles and article markers, on the shapes the corpus files use."""

from __future__ import annotations

import pytest

from ingest.articles import document_title, marker_of, split_articles, strip_title
from ingest.clean import clean_text
from ingest.outline import split_lines


def _split(
    text: str, fallback: str = "fallback"
) -> tuple[str, list[tuple[str | None, str, list[str], bool]]]:
    lines = split_lines(clean_text(text))
    title = document_title(lines, fallback)
    return title, [
        (a.title, a.marker, [ln.text for ln in a.lines], a.counted) for a in split_articles(lines, title)
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("第一篇", ("第一篇", None)),
        ("第二篇: 卫健局202_年卫生健康工作总结", ("第二篇", "卫健局202_年卫生健康工作总结")),
        ("第3篇：县疾控中心工作计划", ("第3篇", "县疾控中心工作计划")),
        ("【篇一】", ("篇一", None)),
        ("【篇二】乡镇卫生院上半年工作总结", ("篇二", "乡镇卫生院上半年工作总结")),
        ("【第一篇】", ("第一篇", None)),
        ("范文一：卫生院工作计划", ("范文一", "卫生院工作计划")),
        ("一、上半年主要工作", None),
        ("第一季度全县报告传染病120例。", None),
        ("篇幅所限，不再赘述。", None),
    ],
)
def test_marker_of(line: str, expected: tuple[str, str | None] | None) -> None:
    assert marker_of(line) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("区卫生局工作计划(共3篇)", "区卫生局工作计划"),
        ("区卫生局工作计划（共 3 篇）", "区卫生局工作计划"),
        ("# 示例县2024年上半年工作总结", "示例县2024年上半年工作总结"),
        ("县卫健委2023年上半年工作总结和下半年工作计划", "县卫健委2023年上半年工作总结和下半年工作计划"),
    ],
)
def test_strip_title(text: str, expected: str) -> None:
    assert strip_title(text) == expected


def test_repeated_title_with_ordinals_000() -> None:
    text = """衛生局上半年工作總結及下半年工作計劃
才智咖 人氣:2.49W
衛生局上半年工作總結及下半年工作計劃
衛生局上半年工作總結及下半年工作計劃一
現將我局xx年上半年工作總結及下半年工作打算彙報如下:
一、xx年上半年工作總結
衛生局上半年工作總結及下半年工作計劃二
按照區政府的統一部署,xx年上半年各項衛生工作執行態勢良好。"""
    title, articles = _split(text)
    assert title == "衛生局上半年工作總結及下半年工作計劃"
    assert articles == [
        (
            "衛生局上半年工作總結及下半年工作計劃一",
            "一",
            ["現將我局xx年上半年工作總結及下半年工作打算彙報如下:", "一、xx年上半年工作總結"],
            True,
        ),
        (
            "衛生局上半年工作總結及下半年工作計劃二",
            "二",
            ["按照區政府的統一部署,xx年上半年各項衛生工作執行態勢良好。"],
            True,
        ),
    ]


def test_bare_markers_with_page_count_003() -> None:
    text = """区卫生局工作计划(共3篇)
时间:2022-03-20 09:35:10
区卫生局工作计划(共3篇)
第一篇
1、继续推行“健康、幸福居民”促进计划。依托惠民工程。
第二篇
1、举办“健康、幸福居民”促进计划启动仪式。全面推进项目实施。
第三篇
(一)总结医药卫生体制改革经验，立足我区实际。进一步探索。"""
    title, articles = _split(text)
    assert title == "区卫生局工作计划"
    assert [(a[0], a[1], a[3]) for a in articles] == [
        (None, "第一篇", True),
        (None, "第二篇", True),
        (None, "第三篇", True),
    ]
    assert articles[2][2] == ["(一)总结医药卫生体制改革经验，立足我区实际。进一步探索。"]


def test_markers_with_titles_002() -> None:
    text = """ 第一篇: 卫健局202_年卫生健康工作总结
　　今年以来，在县委、县政府的正确领导下，县卫健局全面贯彻党的十九大精神。
第二篇: 卫健局202_年卫生健康工作总结
　　今年以来，卫生健康系统紧紧围绕全面打赢疫情防控阻击战。"""
    title, articles = _split(text)
    assert title == "卫健局202_年卫生健康工作总结"
    assert [(a[0], a[1], len(a[2])) for a in articles] == [
        ("卫健局202_年卫生健康工作总结", "第一篇", 1),
        ("卫健局202_年卫生健康工作总结", "第二篇", 1),
    ]


def test_bracket_markers_without_a_document_title_004() -> None:
    text = """ >【篇一】
　　上半年，卫生局坚持以科学发展观为指导，圆满完成半年各项工作任务。
>【篇二】
　　XX年上半年，在县委、县政府的正确领导下，较好地完成了各项任务。"""
    title, articles = _split(text, fallback="004_8b78f9333fa4b92f")
    assert title == "004_8b78f9333fa4b92f"  # no heading-like line at all: the file name
    assert [(a[0], a[1]) for a in articles] == [(None, "篇一"), (None, "篇二")]


def test_title_line_after_a_bare_marker_is_the_article_title() -> None:
    text = """卫生院工作总结范文(共2篇)
【篇一】
乡镇卫生院2023年上半年工作总结
一、主要工作。今年以来我院门诊量稳步上升。
【篇二】
社区卫生服务中心2023年工作计划
一、工作目标。全年完成签约8000人。"""
    title, articles = _split(text)
    assert title == "卫生院工作总结范文"
    assert [(a[0], a[2]) for a in articles] == [
        ("乡镇卫生院2023年上半年工作总结", ["一、主要工作。今年以来我院门诊量稳步上升。"]),
        ("社区卫生服务中心2023年工作计划", ["一、工作目标。全年完成签约8000人。"]),
    ]


def test_single_report_is_one_article_without_its_title_line_001() -> None:
    text = """县卫健委2023年上半年工作总结和下半年工作计划
2023年上半年,县卫健委在省、市卫健委和县委、县政府正确领导和关心指导下,坚持以人民健康为中心。
一、上半年主要工作开展情况"""
    title, articles = _split(text)
    assert title == "县卫健委2023年上半年工作总结和下半年工作计划"
    assert articles == [(None, "", [text.splitlines()[1], "一、上半年主要工作开展情况"], True)]


@pytest.mark.parametrize("first", ["今年以来，我局认真落实各项工作。", "今年以来，我局认真落实各项工作"])
def test_untitled_text_keeps_every_line_and_uses_the_fallback_title(first: str) -> None:
    text = first + "\n一、传染病防控。全年报告病例下降。"
    title, articles = _split(text, fallback="我的报告")
    assert title == "我的报告"
    assert articles == [(None, "", text.splitlines(), True)]


def test_text_before_the_first_marker_is_kept_but_not_counted() -> None:
    text = """卫生局工作总结(共2篇)
以下两篇总结供各单位参考，内容已经过县卫健委审核。
第一篇
一、主要工作。完成签约8000人。
第二篇
一、主要工作。完成体检1.2万人。"""
    _, articles = _split(text)
    assert [(a[1], a[3]) for a in articles] == [("", False), ("第一篇", True), ("第二篇", True)]
    assert articles[0][2] == ["以下两篇总结供各单位参考，内容已经过县卫健委审核。"]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        # 004: a bare marker, an intro sentence, then the outline: the first heading names the file.
        (
            ">【篇一】\n上半年，卫生局坚持以科学发展观为指导，圆满完成半年各项工作任务。\n一、上半年主要工作\n支持国际贸易综合改革成功创建省卫生强市。",
            "上半年主要工作",
        ),
        # A titled line further down wins over the first heading.
        (
            "【篇一】\n乡镇卫生院2023年上半年工作总结\n一、主要工作。今年以来我院门诊量稳步上升。",
            "乡镇卫生院2023年上半年工作总结",
        ),
        # A marker with its own title names the document.
        (
            "第一篇: 卫健局202_年卫生健康工作总结\n今年以来，在县委、县政府的正确领导下。",
            "卫健局202_年卫生健康工作总结",
        ),
    ],
)
def test_file_without_a_title_line_takes_its_first_heading_like_line(text: str, title: str) -> None:
    assert _split(text, fallback="file_name")[0] == title

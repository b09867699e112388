"""Section kind, period and year from headings and titles (Simplified and Traditional)."""

from __future__ import annotations

import pytest

from ingest.metadata import detect_kind, detect_period, detect_year, kind_of, period_of, report_clue


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("一、xx年上半年工作總結", "summary"),
        ("一、上半年主要工作开展情况", "summary"),
        ("一、上半年重點工作完成情況及存在的問題", "summary"),
        ("二、卫健工作进展情况", "summary"),
        ("一、工作总结", "summary"),
        ("卫健局202_年卫生健康工作总结", "summary"),
        ("衛生局上半年工作總結及下半年工作計劃一", "summary"),
        ("三、xx年下半年工作打算", "plan"),
        ("二、下半年工作要點", "plan"),
        ("三、工作计划", "plan"),
        ("二、工作思路", "plan"),
        ("十、下半年工作重点：", "plan"),
        ("三、下步工作打算", "plan"),
        ("四、下一阶段工作安排", "plan"),
        ("二、下半年主要工作", "plan"),
        ("区卫生局工作计划", "plan"),
        ("二、存在的問題", "problems"),
        ("二、工作中存在的主要问题", "problems"),
        ("三、问题与不足", "problems"),
        ("（一）扎实开展党的建设工作", "other"),
        ("(五)全面构建计划生育家庭发展支持体系", "other"),
        ("(一)总结医药卫生体制改革经验", "other"),
        ("三是有力补齐各项短板弱项", "other"),
        ("", "other"),
    ],
)
def test_kind_of(text: str, kind: str) -> None:
    assert kind_of(text) == kind


def test_nearest_deciding_heading_wins_then_titles() -> None:
    path = ("三、xx年下半年工作打算", "(五)加強疾病預防控制工作")
    assert detect_kind((*reversed(path), "衛生局上半年工作總結及下半年工作計劃一")) == "plan"
    assert detect_kind(("(一)加强党建工作", "一、加强学习", "区卫生局工作计划（第三篇）")) == "plan"
    assert (
        detect_kind(("(一)加强党建工作", "004_8b78f9333fa4b92f（篇三）", "现将上半年工作情况总结如下"))
        == "summary"
    )
    assert detect_kind(("(一)加强党建工作",)) == "other"
    # An intro's "现将…汇报如下" says what the article is when nothing else does.
    assert (
        detect_kind(("一、全县新型农村合作医疗工作实现计算机和实时结报", "x（篇二）", "现将有关工作汇报如下"))
        == "summary"
    )
    assert detect_kind(("(一)加强党建工作", "x", "现将下半年工作计划汇报如下")) == "plan"


@pytest.mark.parametrize(
    ("text", "head_only", "period"),
    [
        ("一、xx年上半年工作總結", True, "上半年"),
        ("三、xx年下半年工作打算", True, "下半年"),
        ("二、下半年工作要点", True, "下半年"),
        ("(七)加快卫生基础设施建设,完成国债项目的建设,争取上半年投入使用", True, ""),
        ("(七)加快卫生基础设施建设,完成国债项目的建设,争取上半年投入使用", False, "上半年"),
        ("一、第三季度重点工作", True, "季度"),
        ("四、202_年卫健工作打算", True, "全年"),
        ("卫健局202_年卫生健康工作总结", False, "全年"),
        ("示例县卫生健康局2024年度工作要点", False, "全年"),
        ("县卫健委2023年上半年工作总结和下半年工作计划", False, "上半年"),
        ("区卫生局工作计划", False, ""),
        ("二、存在的問題", True, ""),
    ],
)
def test_period_of(text: str, head_only: bool, period: str) -> None:
    assert period_of(text, head_only=head_only) == period


def test_period_from_heading_first_then_titles() -> None:
    titles = ("衛生局上半年工作總結及下半年工作計劃一", "衛生局上半年工作總結及下半年工作計劃")
    assert (
        detect_period(("(一)繼續實施9項基本公共衛生服務專案", "三、xx年下半年工作打算"), titles) == "下半年"
    )
    assert detect_period(("二、存在的問題",), titles) == "上半年"
    assert detect_period(("一、工作总结",), ("卫健局202_年卫生健康工作总结",)) == "全年"
    assert detect_period((), ("区卫生局工作计划",)) == ""


@pytest.mark.parametrize(
    ("title", "kind", "period"),
    [
        ("衛生局上半年工作總結及下半年工作計劃", "plan", "下半年"),
        ("衛生局上半年工作總結及下半年工作計劃", "summary", "上半年"),
        ("衛生局上半年工作總結及下半年工作計劃", "problems", "上半年"),
        ("示例县2024年上半年工作总结", "plan", "下半年"),
        ("示例县2024年上半年工作计划", "plan", "上半年"),
        ("卫健局202_年卫生健康工作总结", "plan", "全年"),
    ],
)
def test_a_title_is_read_for_the_sections_kind(title: str, kind: str, period: str) -> None:
    assert detect_period(("（一）加强传染病防控",), (title,), kind) == period  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("sources", "year"),
    [
        (("县卫健委2023年上半年工作总结和下半年工作计划",), 2023),
        (("一、上半年主要工作", "示例县2024 年工作要点"), 2024),
        (("卫健局202_年卫生健康工作总结",), None),
        (("一、xx年上半年工作總結", "XX年上半年"), None),
        (("《清远市结核病防治规划(2024-2024)》",), None),
        (("12024年",), None),
    ],
)
def test_detect_year(sources: tuple[str, ...], year: int | None) -> None:
    assert detect_year(sources) == year


def test_report_clue() -> None:
    intro = "xx年，市卫生局在市委、市政府的正确领导下取得了一定的成绩，现将上半年工作情况总结如下。"
    assert report_clue(intro) == "现将上半年工作情况总结如下"
    assert report_clue("今年以来，我局认真落实各项工作。") == ""

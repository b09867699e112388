"""detect_unit on real snippets of the shared reports: the city, county or bureau an article reports for."""

from __future__ import annotations

import pytest

from ingest.units import detect_unit


@pytest.mark.parametrize(
    ("title", "text", "unit"),
    [
        # 001: the title names the bureau with its level.
        (
            "县卫健委2023年上半年工作总结和下半年工作计划",
            "2023年上半年,县卫健委在省、市卫健委和县委、县政府正确领导和关心指导下",
            "县卫健委",
        ),
        # 004 篇一: the bureau is "卫生局", the city is named with 市委 and in later sentences.
        (
            "",
            "上半年，卫生局坚持以*理论为指导，紧紧围绕浙江省卫生厅和义乌市委市政府中心工作要求，不断巩固卫生强市创建成果。"
            "全市报告乙丙类传染病。加强局党委中心组学习，围绕省卫生厅和义乌市政府共同推进国际贸易综合改革协议等内容。",
            "义乌市卫生局",
        ),
        # 004 篇二: a county bureau that never names its county.
        ("", "XX年上半年，在县委、县政府的正确领导下，卫生局以全县卫生工作会议的召开为契机。", "县卫生局"),
        # 004 篇三: 中共清远市卫生局 — the place is read back to the stop character 共.
        (
            "",
            "市卫生局在市委、市政府的正确领导下。成立了中共清远市卫生局党委。印发了《清远市卫生局工作方案》。",
            "清远市卫生局",
        ),
        # 000: Traditional characters read as Simplified.
        ("衛生局上半年工作總結及下半年工作計劃", "現將我局上半年工作總結彙報如下：全市共報告。", "市卫生局"),
        # A verb before the level is not a place ("按照区卫生局" once).
        ("区卫生局工作计划", "按照区卫生局的统一部署，继续推行“健康、幸福居民”促进计划。", "区卫生局"),
        # A city named without any bureau.
        ("", "清远市委、市政府高度重视。清远市人民政府召开会议。", "清远市"),
        ("", "继续推行健康促进计划，落实医疗惠民工程。", ""),
    ],
)
def test_detect_unit(title: str, text: str, unit: str) -> None:
    assert detect_unit(title, text) == unit

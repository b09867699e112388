"""Which texts are on the requested topic, and whether the reports cover the topic at all."""

from __future__ import annotations

import pytest

from retrieval.drafting.topic import TopicMatcher


@pytest.mark.parametrize(
    ("topic", "text", "on_topic"),
    [
        ("传染病防控", "抓好手足口病等重点传染病的防治", True),  # the stem 传染病 is enough
        ("传染病防控", "加強手足口病等傳染病的防控", True),  # Traditional text
        ("传染病防控", "加强防控知识宣传", False),  # the action word alone is not the topic
        ("手足口病防控", "组织人员对散发的手足口病病例开展流行病学调查", True),
        ("家庭医生签约服务", "全面开展全科医生签约服务", True),
        ("慢性病防治", "做好结核病防治工作", False),
        ("", "任何内容", True),  # no topic: all work
    ],
)
def test_on_topic(topic: str, text: str, on_topic: bool) -> None:
    assert TopicMatcher(topic)(text) is on_topic


def test_coverage_needs_the_most_distinctive_term() -> None:
    matcher = TopicMatcher("量子计算机采购")
    assert not matcher.covered_by(["加强采购和工程项目管理"])
    assert matcher.covered_by(["开展计算机信息系统建设"])

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from retrieval.search.intent import Intent, detect_intent, prefer_intent
from retrieval.types import Passage
from tests.retrieval.helpers import chunk, make_searcher, put

if TYPE_CHECKING:
    from pathlib import Path


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("上半年手足口病防控做了什么", Intent("上半年", "summary")),
        ("下半年传染病防控有什么打算", Intent("下半年", "plan")),
        ("2023年家庭医生签约工作存在哪些问题", Intent("", "problems", 2023)),
        ("全年完成了多少例免费体检", Intent("全年", "summary")),
        ("健康檔案", Intent()),
        ("接下来慢病管理要干啥", Intent("", "plan")),
    ],
)
def test_detect_intent(question: str, expected: Intent) -> None:
    assert detect_intent(question) == expected


def test_traditional_text_is_found_by_simplified_question_and_shown_as_stored(tmp_path: Path) -> None:
    store, _, searcher = make_searcher(tmp_path)
    put(store, "tw", [chunk("tw", 0, "紮實推進了9項基本公共衛生服務專案，全市共建立居民健康檔案11.35萬份。")])
    put(store, "cn", [chunk("cn", 0, "加强食品安全综合监管，开展专项整治行动。")])
    hits = searcher.search("基本公共卫生服务项目建了多少健康档案", k=2)
    assert hits[0].chunk.chunk_id == "tw-0000"
    assert "檔案" in hits[0].chunk.text  # original characters, not the normalised index text


def test_simplified_text_is_found_by_traditional_question(tmp_path: Path) -> None:
    store, _, searcher = make_searcher(tmp_path)
    put(store, "cn", [chunk("cn", 0, "建立居民健康档案11.35万份，开展健康教育讲座114场。")])
    put(store, "other", [chunk("other", 0, "完成南岗镇卫生院新院内部装修招标。")])
    assert searcher.search("居民健康檔案建立了多少份", k=1)[0].chunk.chunk_id == "cn-0000"


def test_heading_path_and_titles_make_a_chunk_findable(tmp_path: Path) -> None:
    store, _, searcher = make_searcher(tmp_path)
    put(
        store,
        "a",
        [chunk("a", 0, "共开展培训3次，覆盖120人。", heading_path=("二、上半年工作", "（三）艾滋病防治"))],
    )
    put(
        store,
        "b",
        [chunk("b", 0, "共开展培训5次，覆盖300人。", heading_path=("二、上半年工作", "（四）食品安全"))],
    )
    assert searcher.search("艾滋病防治培训", k=1)[0].chunk.chunk_id == "a-0000"


def test_intent_boost_prefers_the_asked_period_and_kind(tmp_path: Path) -> None:
    store, _, searcher = make_searcher(tmp_path)
    text = "加强手足口病防控，开展托幼机构晨检和消毒督导。"
    put(
        store,
        "h1",
        [chunk("h1", 0, text, period="上半年", kind="summary", heading_path=("一、上半年工作总结",))],
    )
    put(
        store,
        "h2",
        [chunk("h2", 0, text, period="下半年", kind="plan", heading_path=("二、下半年工作计划",))],
    )
    assert searcher.search("下半年手足口病防控计划", k=2)[0].chunk.chunk_id == "h2-0000"
    assert searcher.search("上半年手足口病防控做了什么", k=2)[0].chunk.chunk_id == "h1-0000"


def test_empty_store_and_blank_query_return_nothing(tmp_path: Path) -> None:
    _, _, searcher = make_searcher(tmp_path)
    assert searcher.search("手足口病", k=5) == []
    assert searcher.search("   ", k=5) == []


def test_colloquial_question_finds_the_official_wording(tmp_path: Path) -> None:
    store, _, searcher = make_searcher(tmp_path)
    put(store, "a", [chunk("a", 0, "全县出生人口性别比为108。")])
    put(store, "b", [chunk("b", 0, "全县新增病床120张，比例有所提高。")])
    assert searcher.search("现在男女比例多少", k=1)[0].chunk.chunk_id == "a-0000"


def test_prefer_intent_drops_other_periods_only_when_the_asked_one_is_there() -> None:
    h1 = Passage(chunk("a", 0, "上半年开展督导3轮。", period="上半年"), 1.0)
    h2 = Passage(chunk("b", 0, "下半年将开展联合督导。", period="下半年", kind="plan"), 0.9)
    undated = Passage(chunk("c", 0, "全县督导制度。", period=""), 0.8)
    asked = detect_intent("上半年督导做了什么")
    assert prefer_intent([h1, h2, undated], asked) == [h1, undated]
    assert prefer_intent([h2, undated], asked) == [h2, undated]
    assert prefer_intent([h1, h2], detect_intent("督导做了什么")) == [h1, h2]

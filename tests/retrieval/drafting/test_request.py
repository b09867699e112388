"""Drafting requests as writers type them: topic, kind, period, year and length."""

from __future__ import annotations

import pytest

from retrieval.drafting.request import DraftRequest, parse_draft_request


@pytest.mark.parametrize(
    ("text", "topic", "kind", "period", "year"),
    [
        ("下半年传染病防控工作计划", "传染病防控", "plan", "下半年", None),
        ("请帮我写一份2024年上半年手足口病防控工作总结", "手足口病防控", "summary", "上半年", 2024),
        ("写一段关于家庭医生签约服务的段落", "家庭医生签约服务", "paragraph", "", None),
        ("下半年衛生應急工作計劃", "卫生应急", "plan", "下半年", None),  # Traditional input
        ("食品安全工作要点", "食品安全", "plan", "", None),
        ("起草2023年度慢性病防治工作总结的初稿", "慢性病防治", "summary", "全年", 2023),
        ("健康教育", "健康教育", "plan", "", None),  # no kind word: writers mostly want a plan
        ("下半年工作计划", "", "plan", "下半年", None),  # no topic: all work
        ("上半年爱国卫生运动开展情况", "爱国卫生运动", "summary", "上半年", None),
        ("计划生育工作总结", "计划生育", "summary", "", None),  # 计划 inside the topic is not the kind
        ("关于妇幼保健和计划生育的工作计划", "妇幼保健和计划生育", "plan", "", None),
        ("上半年工作总结及下半年工作计划", "", "plan", "下半年", None),  # the last kind and period win
        ("帮我起草一份关于卫生监督执法的下半年工作打算", "卫生监督执法", "plan", "下半年", None),
        ("有害生物防制工作计划", "有害生物防制", "plan", "", None),  # 有 is part of the topic
    ],
)
def test_request_parsing(text: str, topic: str, kind: str, period: str, year: int | None) -> None:
    request = parse_draft_request(text)
    assert (request.topic, request.kind, request.period, request.year) == (topic, kind, period, year)
    assert request.text == text


@pytest.mark.parametrize(
    ("text", "length", "chars"),
    [
        ("下半年传染病防控工作计划", "medium", None),
        ("简要写写下半年疫苗接种工作打算", "short", None),
        ("下半年卫生应急工作计划（详细）", "long", None),
        ("写一段家庭医生签约服务的段落，300字左右", "short", 300),
        ("2024年妇幼健康工作总结，3000字", "long", 3000),
        ("食品安全工作计划 1000字", "medium", 1000),
    ],
)
def test_length_hint(text: str, length: str, chars: int | None) -> None:
    request = parse_draft_request(text)
    assert (request.length, request.chars) == (length, chars)
    assert "字" not in request.topic


@pytest.mark.parametrize(
    ("request_", "title"),
    [
        (DraftRequest("", "传染病防控", "plan", "下半年"), "下半年传染病防控工作计划"),
        (DraftRequest("", "手足口病防控", "summary", "上半年", 2024), "2024年上半年手足口病防控工作总结"),
        (DraftRequest("", "家庭医生签约服务", "paragraph"), "家庭医生签约服务工作"),
    ],
)
def test_title_in_house_style(request_: DraftRequest, title: str) -> None:
    assert request_.title == title

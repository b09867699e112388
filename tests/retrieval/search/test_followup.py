"""Follow-up questions are read with the chat's previous question."""

from __future__ import annotations

import pytest

from retrieval.search.followup import contextualize, is_followup
from retrieval.search.query import Query

FIRST = "上半年手足口病防控做了哪些工作？"


@pytest.mark.parametrize(
    ("question", "history", "query"),
    [
        # a new period replaces the old one; the topic is kept
        ("那下半年呢？", [FIRST], "下半年手足口病防控做了哪些工作？"),
        ("那麼下半年呢", [FIRST], "下半年手足口病防控做了哪些工作？"),  # Traditional lead word
        ("下半年呢", [FIRST], "下半年手足口病防控做了哪些工作？"),  # short, no lead word
        # nothing new: the previous question again
        ("还有呢", [FIRST], "上半年手足口病防控做了哪些工作？"),
        # a new topic keeps the previous question's frame (period + what was asked), not its topic
        ("那食品安全方面呢", [FIRST], "食品安全方面 上半年做了哪些工作"),
        ("另外，爱国卫生呢？", ["下半年有什么打算"], "爱国卫生 下半年有什么打算"),
        # chains of follow-ups resolve through the whole history
        ("还有呢", [FIRST, "那下半年呢"], "下半年手足口病防控做了哪些工作？"),
        # standalone questions and empty history are left alone
        ("家庭医生签约服务情况怎么样", [FIRST], "家庭医生签约服务情况怎么样"),
        ("那下半年呢？", [], "那下半年呢？"),
    ],
)
def test_contextualize(question: str, history: list[str], query: str) -> None:
    assert contextualize(question, history) == query
    built = Query.build(question, history=history)  # the answer service's way: one analysis of the question
    assert built.text == query
    assert built == Query.build(question, query if query != question else "")


@pytest.mark.parametrize(
    ("question", "followup"),
    [
        ("那下半年呢？", True),
        ("还有呢", True),
        ("另外两癌筛查呢", True),
        ("此外还做了什么", True),
        ("下半年呢", True),
        ("上半年手足口病防控做了哪些工作？", False),
        ("家庭医生签约服务情况怎么样", False),
    ],
)
def test_is_followup(question: str, followup: bool) -> None:
    assert is_followup(question) is followup

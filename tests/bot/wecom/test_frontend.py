"""What a WeCom message asks for: group messages only when @-mentioned (the mention removed), commands, files."""

from __future__ import annotations

from bot.wecom.frames import Message
from bot.wecom.frontend import action_of, question_text


def message(text: str, chattype: str = "single", msgtype: str = "text") -> Message:
    return Message(
        "req", "m1", msgtype, chattype, "zhangsan", "wrgroup" if chattype == "group" else None, text
    )


def test_one_to_one_text_is_the_question() -> None:
    assert question_text(message("  上半年做了什么？ ")) == "上半年做了什么？"


def test_group_text_counts_only_when_it_starts_with_a_mention() -> None:
    assert question_text(message("@报告助手 上半年做了什么？", "group")) == "上半年做了什么？"
    assert question_text(message("上半年做了什么？", "group")) is None


def test_actions() -> None:
    assert action_of(message("/draft 下半年计划"), "/draft 下半年计划") == "draft"
    assert action_of(message("/DOCS"), "/DOCS") == "docs"
    assert action_of(message("问题"), "问题") == "ask"
    assert action_of(message("", msgtype="file"), "") == "upload"
    assert action_of(message("", msgtype="image"), "") == "other"

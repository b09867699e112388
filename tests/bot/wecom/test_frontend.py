"""What a WeCom message asks for: group messages only when @-mentioned (the mention removed), commands, files."""

from __future__ import annotations

from bot.chat.commands import action_of
from bot.wecom.frames import Message
from bot.wecom.frontend import TEXT_TYPES, question_text


def message(text: str, chattype: str = "single", msgtype: str = "text") -> Message:
    return Message(
        "req", "m1", msgtype, chattype, "zhangsan", "wrgroup" if chattype == "group" else None, text
    )


def test_one_to_one_text_is_the_question() -> None:
    assert question_text(message("  上半年做了什么？ ")) == "上半年做了什么？"


def test_group_text_counts_only_when_it_starts_with_a_mention() -> None:
    assert question_text(message("@报告助手 上半年做了什么？", "group")) == "上半年做了什么？"
    assert question_text(message("上半年做了什么？", "group")) is None


def act(m: Message) -> str:
    return action_of(m.msgtype, m.text, TEXT_TYPES)


def test_actions() -> None:
    assert act(message("/draft 下半年计划")) == "draft"
    assert act(message("/DOCS")) == "docs"
    assert act(message("问题")) == "ask"
    assert act(message("", msgtype="file")) == "upload"
    assert act(message("", msgtype="image")) == "other"

"""The gate every markdown front end's messages pass (``MarkdownFrontend``), with no chat platform at all."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.chat.commands import COMMANDS, UNKNOWN_COMMAND
from bot.chat.frontend import MarkdownFrontend
from bot.chat.render.markdown import PART_BYTES
from bot.chat.texts import EMPTY_QUESTION, SHUTTING_DOWN
from tests.bot.chat.conftest import ADMIN, STRANGER, USER, private

if TYPE_CHECKING:
    from bot.chat.service import ChatService


@dataclass
class Recorded:
    """A channel that keeps what the user would see."""

    replies: list[str] = field(default_factory=list)

    async def reply(self, parts: list[str]) -> None:
        self.replies.extend(parts)

    async def notify(self, parts: list[str]) -> None:
        self.replies.extend(parts)


def frontend(chat: ChatService) -> MarkdownFrontend[Recorded]:
    return MarkdownFrontend(chat, COMMANDS, mention_name="报告助手", part_bytes=PART_BYTES)


async def test_strangers_and_non_admins_are_stopped_with_their_notice(chat: ChatService) -> None:
    front, seen = frontend(chat), Recorded()
    assert not await front.let_in(private(chat, STRANGER), "ask", "上半年做了什么？", seen)
    assert not await front.let_in(private(chat, USER), "docs", "/docs", seen)
    assert seen.replies == [
        f"抱歉，您还没有使用权限。您的用户 ID 是 `{STRANGER}`，请把它发给管理员开通。",
        "该操作仅限管理员。",
    ]
    assert await front.let_in(private(chat, USER), "ask", "上半年做了什么？", seen)


async def test_while_stopping_only_what_the_core_refuses_itself_goes_on(chat: ChatService) -> None:
    front, seen = frontend(chat), Recorded()
    front.accepting = False
    admin = private(chat, ADMIN)
    assert await front.let_in(
        admin, "ask", "上半年做了什么？", seen
    )  # the core answers SHUTTING_DOWN, audited
    assert not await front.let_in(admin, "docs", "/docs", seen)
    assert not await front.let_in(admin, "ask", "原文 1", seen, core_refuses=False)
    assert seen.replies == [SHUTTING_DOWN, SHUTTING_DOWN]


async def test_an_empty_question_gets_the_usage_and_commands_answer_through_the_channel(
    chat: ChatService,
) -> None:
    front, seen = frontend(chat), Recorded()
    user = private(chat, USER)
    assert not await front.question_admitted(user, "", seen)
    await front.run_command("nosuch", user, "/nosuch", seen)
    assert seen.replies == [EMPTY_QUESTION.format(name="报告助手"), UNKNOWN_COMMAND]

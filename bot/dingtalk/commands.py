"""DingTalk's slash commands: ``/draft`` here (the draft as markdown), the others from ``bot.chat.commands``,
answered through this ``Context``.

The draft's .docx is not sent: a robot's file message needs a ``mediaId`` from DingTalk's old media upload
(``oapi.dingtalk.com``), outside the one API address this front end uses; the reply says where to get it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.chat import commands as shared
from bot.chat import texts
from bot.chat.render.markdown import render_draft
from bot.dingtalk.answering import PART_BYTES

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from bot.chat.service import ChatService
    from bot.chat.types import DraftReply, Requester
    from bot.dingtalk.delivery import Messenger, Target

logger = logging.getLogger("bot.dingtalk.commands")

DOCX_ELSEWHERE = "（钉钉中只发送文字稿；需要 Word 文件时，请在服务器上运行 reportbot draft 导出。）"


@dataclass(frozen=True)
class Context:
    """What a command gets: the core, who sent it, where to answer, the text after the command."""

    chat: ChatService
    messenger: Messenger
    to: Target
    who: Requester
    args: str
    mention_name: str
    max_upload_mb: int
    part_bytes: int = PART_BYTES

    async def reply(self, parts: list[str] | str) -> None:
        """Answer with markdown ``parts``, one message each."""
        await self.messenger.send_parts(self.to, [parts] if isinstance(parts, str) else parts)

    async def notify(self, parts: list[str]) -> None:
        """Send markdown ``parts`` to the chat later (the webhook or, once it expired, the OpenAPI)."""
        await self.messenger.send_parts(self.to, parts)


async def draft(ctx: Context) -> None:
    """``/draft 主题``: the draft as markdown messages, delivered and audited by the core."""
    if not await shared.draft_admitted(ctx):
        return

    async def deliver(reply: DraftReply) -> None:
        if reply.draft is None:
            await ctx.reply([reply.error or texts.DRAFT_UNAVAILABLE])
            return
        await ctx.reply([*render_draft(reply.draft, PART_BYTES), DOCX_ELSEWHERE])

    await ctx.chat.draft(ctx.who, ctx.args, deliver)


COMMANDS: dict[str, Callable[[Context], Awaitable[None]]] = {**shared.COMMANDS, "draft": draft}
"""Every command by name (the admin ones are gated by the core's access check before they get here)."""
unknown = shared.unknown

"""DingTalk's slash commands: ``/draft`` here (the draft as markdown), the others from ``bot.chat.commands``,
answered through a ``DingTalkChannel``.

The draft's .docx is not sent: a robot's file message needs a ``mediaId`` from DingTalk's old media upload
(``oapi.dingtalk.com``), outside the one API address this front end uses; the reply says where to get it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.chat import commands as shared
from bot.chat import texts
from bot.chat.render.markdown import render_draft

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from bot.chat.types import DraftReply
    from bot.dingtalk.delivery import DingTalkChannel

DOCX_ELSEWHERE = "（钉钉中只发送文字稿；需要 Word 文件时，请在服务器上运行 reportbot draft 导出。）"


async def draft(ctx: shared.CommandContext[DingTalkChannel]) -> None:
    """``/draft 主题``: the draft as markdown messages, delivered and audited by the core."""
    if not await shared.draft_admitted(ctx):
        return

    async def deliver(reply: DraftReply) -> None:
        if reply.draft is None:
            await ctx.reply([reply.error or texts.DRAFT_UNAVAILABLE])
            return
        await ctx.reply([*render_draft(reply.draft, ctx.part_bytes), DOCX_ELSEWHERE])

    await ctx.chat.draft(ctx.who, ctx.args, deliver)


COMMANDS: dict[str, Callable[[shared.CommandContext[DingTalkChannel]], Awaitable[None]]] = {
    **shared.COMMANDS,
    "draft": draft,
}
"""Every command by name (the admin ones are gated by the core's access check before they get here)."""

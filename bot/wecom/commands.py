"""WeCom's slash commands: ``/draft`` (draft text plus the .docx as a file) here, the others from
``bot.chat.commands`` (``/help``, ``/sources`` and the admin commands), answered through a ``WeComChannel``.

Access was checked before any of these runs (``bot.wecom.frontend``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.chat import commands as shared
from bot.chat import texts
from bot.chat.render.markdown import render_draft
from bot.wecom.messaging import reply_media
from bot.wecom.replying import LiveStream, WeComChannel
from bot.wecom.upload import upload_media

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from bot.chat.types import DraftReply

logger = logging.getLogger("bot.wecom.commands")

DRAFTING = "正在起草，请稍候……"


async def draft(ctx: shared.CommandContext[WeComChannel]) -> None:
    """``/draft 主题``: the draft as markdown, then its .docx uploaded in chunks and sent as a file."""
    if not await shared.draft_admitted(ctx):
        return
    client, message = ctx.channel.client, ctx.channel.message
    live = LiveStream(client, message.req_id, message.chat, lambda text: text)
    live.show(DRAFTING)

    async def deliver(reply: DraftReply) -> None:
        if reply.draft is None or reply.docx is None:
            await live.close([reply.error or texts.DRAFT_UNAVAILABLE])
            return
        await live.close(render_draft(reply.draft))
        docx = reply.docx if isinstance(reply.docx, bytes) else reply.docx.getvalue()
        media_id = await upload_media(client, docx, reply.filename)
        await reply_media(client, message.req_id, media_id)

    try:
        await ctx.chat.draft(ctx.who, ctx.args, deliver)
    except Exception:
        if live.stream.finished:
            raise  # the front end's handler logs it
        logger.exception("wecom reply failed chat=%s", message.chat)
        await live.close([texts.APOLOGY])


COMMANDS: dict[str, Callable[[shared.CommandContext[WeComChannel]], Awaitable[None]]] = {
    **shared.COMMANDS,
    "draft": draft,
}
"""Every command by name (the admin ones are gated by the core's access check before they get here)."""

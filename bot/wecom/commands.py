"""WeCom's slash commands: ``/draft`` (draft text plus the .docx as a file) here, the others from
``bot.chat.commands`` (``/help``, ``/sources`` and the admin commands), answered through this ``Context``.

Access was checked before any of these runs (``bot.wecom.frontend``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.chat import commands as shared
from bot.chat import texts
from bot.chat.render.markdown import PART_BYTES, render_draft
from bot.wecom.messaging import reply_media
from bot.wecom.replying import LiveStream, reply_parts, send_rest
from bot.wecom.upload import upload_media

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from bot.chat.service import ChatService
    from bot.chat.types import DraftReply, Requester
    from bot.wecom.client import WeComClient
    from bot.wecom.frames import Message

logger = logging.getLogger("bot.wecom.commands")

DRAFTING = "正在起草，请稍候……"
UNKNOWN_COMMAND = shared.UNKNOWN_COMMAND


@dataclass(frozen=True)
class Context:
    """What a command gets: the core, the client, the message, who sent it, the text after the command."""

    chat: ChatService
    client: WeComClient
    message: Message
    who: Requester
    args: str
    mention_name: str
    max_upload_mb: int
    part_bytes: int = PART_BYTES

    async def reply(self, parts: list[str] | str) -> None:
        """Answer the message with markdown ``parts``."""
        parts = [parts] if isinstance(parts, str) else parts
        await reply_parts(self.client, self.message.req_id, self.message.chat, parts)

    async def notify(self, parts: list[str]) -> None:
        """Send markdown ``parts`` to the message's chat unprompted (a background job's result)."""
        await send_rest(self.client, self.message.chat, parts)


async def draft(ctx: Context) -> None:
    """``/draft 主题``: the draft as markdown, then its .docx uploaded in chunks and sent as a file."""
    if not await shared.draft_admitted(ctx):
        return
    live = LiveStream(ctx.client, ctx.message.req_id, ctx.message.chat, lambda text: text)
    live.show(DRAFTING)

    async def deliver(reply: DraftReply) -> None:
        if reply.draft is None or reply.docx is None:
            await live.close([reply.error or texts.DRAFT_UNAVAILABLE])
            return
        await live.close(render_draft(reply.draft))
        docx = reply.docx if isinstance(reply.docx, bytes) else reply.docx.getvalue()
        media_id = await upload_media(ctx.client, docx, reply.filename)
        await reply_media(ctx.client, ctx.message.req_id, media_id)

    try:
        await ctx.chat.draft(ctx.who, ctx.args, deliver)
    except Exception:
        if live.stream.finished:
            raise  # the front end's handler logs it
        logger.exception("wecom reply failed chat=%s", ctx.message.chat)
        await live.close([texts.APOLOGY])


COMMANDS: dict[str, Callable[[Context], Awaitable[None]]] = {**shared.COMMANDS, "draft": draft}
"""Every command by name (the admin ones are gated by the core's access check before they get here)."""
unknown = shared.unknown

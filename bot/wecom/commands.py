"""The slash commands: ``/draft`` (draft text plus the .docx as a file), ``/help``, ``/sources`` and the admin commands.

Access was checked before any of these runs (``bot.wecom.frontend``); each only calls the chat core and
sends what it returns, rendered as markdown.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.chat import texts
from bot.chat.render.markdown import (
    render_documents,
    render_draft,
    render_reindex_result,
    render_sources,
    render_stats,
)
from bot.wecom.messaging import reply_media
from bot.wecom.replying import LiveStream, reply_parts, send_rest
from bot.wecom.upload import upload_media

if TYPE_CHECKING:
    from bot.chat.admin import ReindexResult
    from bot.chat.service import ChatService
    from bot.chat.types import DraftReply, Requester
    from bot.wecom.client import WeComClient
    from bot.wecom.frames import Message

logger = logging.getLogger("bot.wecom.commands")

DRAFTING = "正在起草，请稍候……"
UNKNOWN_COMMAND = "没有这个命令。发送 /help 查看可用的命令。"


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

    async def reply(self, parts: list[str] | str) -> None:
        """Answer the message with markdown ``parts``."""
        parts = [parts] if isinstance(parts, str) else parts
        await reply_parts(self.client, self.message.req_id, self.message.chat, parts)


async def draft(ctx: Context) -> None:
    """``/draft 主题``: the draft as markdown, then its .docx uploaded in chunks and sent as a file."""
    if not ctx.args:
        await ctx.reply(texts.DRAFT_USAGE)
        return
    notice = ctx.chat.admit(ctx.who, "draft", ctx.args)
    if notice is not None:
        if notice:
            await ctx.reply(notice)
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


async def start(ctx: Context) -> None:
    """``/start``: what the bot does."""
    await ctx.reply(texts.START)


async def help_command(ctx: Context) -> None:
    """``/help``: how to ask; admins also see the admin commands."""
    await ctx.reply(ctx.chat.help_text(ctx.who, ctx.mention_name, ctx.max_upload_mb))


async def sources(ctx: Context) -> None:
    """``/sources``: the last answer's sources again."""
    kept = ctx.chat.last_sources(ctx.who)
    await ctx.reply(render_sources(kept.citations) if kept is not None else texts.NO_SOURCES)


async def docs(ctx: Context) -> None:
    """``/docs`` (admin): the documents in the knowledge base."""
    documents = await ctx.chat.documents(ctx.who)  # audited
    await ctx.reply(render_documents(documents) if documents else texts.DOCS_EMPTY)


async def delete(ctx: Context) -> None:
    """``/delete 文件名`` (admin): remove one document."""
    result = await ctx.chat.delete(ctx.who, ctx.args)
    await ctx.reply(result.text)


async def stats(ctx: Context) -> None:
    """``/stats`` (admin): counts and use."""
    await ctx.reply(render_stats(await ctx.chat.stats(ctx.who)))  # audited


async def reindex(ctx: Context) -> None:
    """``/reindex`` (admin): rebuild in the background; the result comes as a message when it is done."""
    if ctx.chat.admin.reindex_running:
        await ctx.reply(texts.REINDEX_RUNNING)
        return
    await ctx.reply(texts.REINDEX_STARTED)
    client, chat_id = ctx.client, ctx.message.chat

    def progress(done: int, total: int, source: str) -> None:
        logger.debug("wecom reindex progress done=%d total=%d", done, total)

    async def report(result: ReindexResult) -> None:
        if result.report is None:
            await send_rest(client, chat_id, [result.error or texts.INTERNAL_ERROR])
            return
        await send_rest(client, chat_id, render_reindex_result(result.report))

    ctx.chat.start_reindex(ctx.who, progress, report)


COMMANDS: dict[str, Callable[[Context], Awaitable[None]]] = {
    "start": start,
    "help": help_command,
    "sources": sources,
    "draft": draft,
    "docs": docs,
    "delete": delete,
    "reindex": reindex,
    "stats": stats,
}
"""Every command by name (the admin ones are gated by the core's access check before they get here)."""


async def unknown(ctx: Context) -> None:
    """Anything else that starts with ``/``."""
    await ctx.reply(UNKNOWN_COMMAND)

"""``/docs`` (admin): the documents in the knowledge base."""

from __future__ import annotations

import asyncio
import html
from typing import TYPE_CHECKING

from bot.telegram.delivery import send_parts
from bot.telegram.split import pack

if TYPE_CHECKING:
    from telegram import Update

    from bot.telegram.state import BotContext
    from retrieval.types import DocumentInfo

EMPTY = "知识库中还没有文档。直接发送文件即可导入。"
HEADER = "<b>文档（{count} 个）</b>\n删除：/delete 文件名\n"


def document_line(i: int, doc: DocumentInfo) -> str:
    """One document: title, then its source name (tap to copy), size and when it was ingested."""
    title = html.escape(doc.title or doc.source, quote=False)
    when = doc.ingested_at[:16].replace("T", " ") if doc.ingested_at else "未知"
    return (
        f"\n{i}. <b>{title}</b>\n"
        f"   <code>{html.escape(doc.source, quote=False)}</code> · {doc.articles} 篇 · {doc.chunks} 段 · {when}"
    )


async def docs(update: Update, context: BotContext) -> None:
    """List the ingested documents."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    documents = await asyncio.to_thread(context.services.store.documents)
    if not documents:
        await message.reply_text(EMPTY)
        return
    units = [HEADER.format(count=len(documents))]
    units += [document_line(i, d) for i, d in enumerate(sorted(documents, key=lambda d: d.source), 1)]
    await send_parts(context.bot, chat.id, pack(units))

"""``/stats`` (admin): documents, chunks, questions answered, last ingest."""

from __future__ import annotations

import asyncio
import html
from typing import TYPE_CHECKING

from telegram.constants import ParseMode

if TYPE_CHECKING:
    from telegram import Update

    from bot.telegram.state import BotContext

STATS = "<b>统计</b>\n文档：{documents} 个\n段落：{chunks} 个\n已回答问题：{questions} 个\n最近导入：{last}"


async def stats(update: Update, context: BotContext) -> None:
    """Show how big the knowledge base is and how much it is used."""
    message = update.effective_message
    if message is None:
        return
    store = context.services.store
    documents = await asyncio.to_thread(store.documents)
    chunks = await asyncio.to_thread(store.count)
    latest = max(documents, key=lambda d: d.ingested_at, default=None)
    last = "无"
    if latest is not None:
        when = latest.ingested_at[:16].replace("T", " ") or "时间未知"
        last = f"{when} · {html.escape(latest.source, quote=False)}"
    text = STATS.format(
        documents=len(documents),
        chunks=chunks,
        questions=context.bot_data.audit.questions_answered,
        last=last,
    )
    await message.reply_text(text, parse_mode=ParseMode.HTML)

"""``/stats`` (admin): documents, chunks, questions answered, last ingest."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram.constants import ParseMode

from bot.chat.render.telegram_html import render_stats
from bot.telegram.requester import requester

if TYPE_CHECKING:
    from telegram import Update

    from bot.telegram.state import BotContext


async def stats(update: Update, context: BotContext) -> None:
    """Show how big the knowledge base is and how much it is used."""
    message = update.effective_message
    if message is None:
        return
    result = await context.chat.stats(requester(update, context))
    await message.reply_text(render_stats(result), parse_mode=ParseMode.HTML)

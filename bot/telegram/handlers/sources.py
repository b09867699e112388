"""``/sources``: show the last answer's sources again, with their buttons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.chat.render.telegram_html import render_sources
from bot.chat.texts import NO_SOURCES
from bot.telegram.delivery import send_parts
from bot.telegram.keyboard import citation_keyboard
from bot.telegram.requester import requester

if TYPE_CHECKING:
    from telegram import Update

    from bot.telegram.state import BotContext


async def sources(update: Update, context: BotContext) -> None:
    """Re-show the sources of this chat's last answer."""
    message, chat, who = update.effective_message, update.effective_chat, requester(update, context)
    if message is None or chat is None or who is None:
        return
    kept = context.chat.last_sources(who)
    if kept is None:
        await message.reply_text(NO_SOURCES)
        return
    keyboard = citation_keyboard(kept.answer_id, kept.citations)
    await send_parts(context.bot, chat.id, render_sources(kept.citations), keyboard=keyboard)

"""``/sources``: show the last answer's sources again, with their buttons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.telegram.delivery import send_parts
from bot.telegram.render import citation_keyboard, render_sources

if TYPE_CHECKING:
    from telegram import Update

    from bot.telegram.state import BotContext

NO_SOURCES = "还没有可显示的来源，请先提问。"


async def sources(update: Update, context: BotContext) -> None:
    """Re-show the sources of this chat's last answer."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    shown = context.chat_state.last_answer()
    if shown is None or not shown.citations:
        await message.reply_text(NO_SOURCES)
        return
    keyboard = citation_keyboard(shown.answer_id, shown.citations)
    await send_parts(context.bot, chat.id, render_sources(shown.citations), keyboard=keyboard)

"""``/help``: how to ask, with examples; admins also see the admin commands."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram.constants import ParseMode

from bot.chat.render.telegram_html import rich
from bot.telegram.requester import requester

if TYPE_CHECKING:
    from telegram import Update

    from bot.telegram.state import BotContext


async def help_command(update: Update, context: BotContext) -> None:
    """Explain how to ask, with examples."""
    message, who = update.effective_message, requester(update, context)
    if message is None or who is None:
        return
    text = context.chat.help_text(who, context.bot.username, context.chat.max_upload_mb)
    await message.reply_text(rich(text), parse_mode=ParseMode.HTML)

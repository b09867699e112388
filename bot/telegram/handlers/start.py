"""``/start``: a short greeting that says how to ask."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram.constants import ParseMode

from bot.chat.render.telegram_html import rich
from bot.chat.texts import START

if TYPE_CHECKING:
    from telegram import Update

    from bot.telegram.state import BotContext


async def start(update: Update, context: BotContext) -> None:
    """Greet the user."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(rich(START), parse_mode=ParseMode.HTML)

"""``/delete DOC`` (admin): remove a document (by source name or document id) from the knowledge base.

A document uploaded through the chat also loses its saved file, so deleted internal documents do not linger.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.telegram.requester import requester

if TYPE_CHECKING:
    from telegram import Update

    from bot.telegram.state import BotContext


async def delete(update: Update, context: BotContext) -> None:
    """Delete one document and say what went."""
    message, who = update.effective_message, requester(update, context)
    if message is None or who is None:
        return
    ref = " ".join(context.args or []).strip()
    result = await context.chat.delete(who, ref)
    await message.reply_text(result.text)

"""``/docs`` (admin): the documents in the knowledge base."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.chat.render.telegram_html import render_documents
from bot.chat.texts import DOCS_EMPTY
from bot.telegram.delivery import send_parts
from bot.telegram.requester import requester

if TYPE_CHECKING:
    from telegram import Update

    from bot.telegram.state import BotContext


async def docs(update: Update, context: BotContext) -> None:
    """List the ingested documents."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    documents = await context.chat.documents(requester(update, context))
    if not documents:
        await message.reply_text(DOCS_EMPTY)
        return
    await send_parts(context.bot, chat.id, render_documents(documents))

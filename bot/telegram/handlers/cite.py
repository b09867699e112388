"""Citation buttons: tapping ``[n]`` under an answer shows the full passage it cites."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.chat.render.telegram_html import render_passage
from bot.chat.texts import EXPIRED
from bot.telegram.delivery import send_parts
from bot.telegram.keyboard import parse_citation_data
from bot.telegram.requester import requester

if TYPE_CHECKING:
    from telegram import Update

    from bot.telegram.state import BotContext


async def show_citation(update: Update, context: BotContext) -> None:
    """Reply to the answer with the passage behind the tapped citation (any other button: a short notice)."""
    query, chat, who = update.callback_query, update.effective_chat, requester(update, context)
    if query is None or chat is None or who is None:
        return
    parsed = parse_citation_data(query.data)
    if parsed is None:  # every press is answered (the spinner stops) and audited, citation or not
        await query.answer(context.chat.stray_button(who, query.data))
        return
    citation = context.chat.citation(who, *parsed)
    if citation is None:
        await query.answer(EXPIRED)
        return
    await query.answer()
    reply_to = query.message.message_id if query.message is not None and query.message.is_accessible else None
    await send_parts(context.bot, chat.id, render_passage(citation), reply_to=reply_to)

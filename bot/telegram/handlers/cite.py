"""Citation buttons: tapping ``[n]`` under an answer shows the full passage it cites."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.telegram.delivery import send_parts
from bot.telegram.render import parse_citation_data, render_passage

if TYPE_CHECKING:
    from telegram import Update

    from bot.telegram.state import BotContext

EXPIRED = "这条回答已过期，请重新提问。"


async def show_citation(update: Update, context: BotContext) -> None:
    """Reply to the answer with the passage behind the tapped citation."""
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None:
        return
    parsed = parse_citation_data(query.data)
    shown = context.chat_state.answers.get(parsed[0]) if parsed else None
    citation = shown.citation(parsed[1]) if shown is not None and parsed is not None else None
    if citation is None:
        await query.answer(EXPIRED)
        return
    await query.answer()
    reply_to = query.message.message_id if query.message is not None and query.message.is_accessible else None
    await send_parts(context.bot, chat.id, render_passage(citation), reply_to=reply_to)

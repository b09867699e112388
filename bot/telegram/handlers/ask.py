"""Asking: a text in a private chat, or a message addressed to the bot in an allowed group, is a question."""

from __future__ import annotations

import html
import time
from typing import TYPE_CHECKING

from bot.chat.access import ChatKind
from bot.chat.render.telegram_html import render_answer, render_stream
from bot.chat.texts import EMPTY_QUESTION, UNAVAILABLE
from bot.telegram.delivery import LiveMessage, replace_with_parts, typing
from bot.telegram.handlers.addressing import question_text
from bot.telegram.handlers.throttle import admitted
from bot.telegram.keyboard import citation_keyboard
from bot.telegram.requester import requester

if TYPE_CHECKING:
    from telegram import Update

    from bot.chat.types import AskReply
    from bot.telegram.state import BotContext

__all__ = ["UNAVAILABLE", "ask"]


async def ask(update: Update, context: BotContext) -> None:
    """Answer a question from the reports, with numbered citations and a button per source."""
    message, chat, who = update.effective_message, update.effective_chat, requester(update, context)
    if message is None or chat is None or who is None:
        return
    question = question_text(message, context.bot.id, context.bot.username)
    if question is None:
        return
    if not question:
        await message.reply_text(EMPTY_QUESTION.format(name=context.bot.username))
        return
    if not await admitted(context, message, who, "ask", question):
        return

    bot, policy = context.bot, context.chat.delivery
    live = LiveMessage(bot, chat.id, render_stream, reply_to=message.message_id)
    streaming = who.kind is ChatKind.PRIVATE or policy.stream_in_groups  # a group allows 20 messages a minute
    async with typing(bot, chat.id) as stop_typing:

        async def deliver(reply: AskReply) -> None:
            await stop_typing()
            if reply.answer is None:
                parts, keyboard = [html.escape(reply.error or UNAVAILABLE, quote=False)], None
            else:
                parts = render_answer(reply.answer)
                keyboard = citation_keyboard(reply.answer_id or 0, reply.answer.citations)
            # the live message takes the first reply only: a notice after a failed delivery is a new message
            deadline = time.monotonic() + policy.deadline
            await replace_with_parts(
                bot, live, chat.id, parts, reply_to=message.message_id, keyboard=keyboard, deadline=deadline
            )

        try:
            await context.chat.ask(who, question, live.push_threadsafe if streaming else None, deliver)
        except Exception:
            await live.finish()
            raise

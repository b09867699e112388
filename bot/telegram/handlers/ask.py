"""Asking: a text in a private chat, or a message addressed to the bot in an allowed group, is a question."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from bot.telegram.delivery import LiveMessage, replace_with_parts, typing
from bot.telegram.handlers.addressing import question_text
from bot.telegram.handlers.throttle import admitted
from bot.telegram.render import citation_keyboard, render_answer, render_stream
from retrieval.errors import ReportbotError

if TYPE_CHECKING:
    from telegram import Update

    from bot.telegram.state import BotContext

logger = logging.getLogger(__name__)

EMPTY_QUESTION = "请在 @{username} 后面写上您的问题。"
UNAVAILABLE = "抱歉，知识库暂时无法使用，请稍后再试。"


async def ask(update: Update, context: BotContext) -> None:
    """Answer a question from the reports, with numbered citations and a button per source."""
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    if message is None or user is None or chat is None:
        return
    question = question_text(message, context.bot.id, context.bot.username)
    if question is None:
        return
    if not question:
        await message.reply_text(EMPTY_QUESTION.format(username=context.bot.username))
        return
    if not await admitted(context, message, user, chat, "ask", question):
        return
    data = context.bot_data

    state = context.chat_state
    live = LiveMessage(context.bot, chat.id, render_stream, reply_to=message.message_id)
    try:
        async with typing(context.bot, chat.id):
            answer = await asyncio.to_thread(
                context.services.answers.answer, question, list(state.history), live.push_threadsafe
            )
    except ReportbotError as exc:
        logger.warning("answer failed user=%s chat=%s error=%s", user.id, chat.id, type(exc).__name__)
        data.audit.record(user_id=user.id, chat_id=chat.id, action="ask", outcome="error", what=question)
        await replace_with_parts(context.bot, live, chat.id, [UNAVAILABLE], reply_to=message.message_id)
        return
    except Exception:
        data.audit.record(user_id=user.id, chat_id=chat.id, action="ask", outcome="error", what=question)
        await live.finish()
        raise

    state.history.append(question)
    shown = state.keep_answer(question, answer.citations)
    keyboard = citation_keyboard(shown.answer_id, answer.citations)
    await replace_with_parts(
        context.bot, live, chat.id, render_answer(answer), reply_to=message.message_id, keyboard=keyboard
    )
    data.audit.record(
        user_id=user.id,
        chat_id=chat.id,
        action="ask",
        outcome="answered" if answer.found else "not_found",
        what=question,
        mode=answer.mode,
        citations=len(answer.citations),
    )

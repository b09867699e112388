"""The access gate: every update passes here first (handler group -1); deny by default.

The chat core decides (``ChatService.check``/``refuse``); this module only finds out what an update asks
for and sends the refusal. Unknown users get one short reply with their numeric id (rarely repeated) so an
admin can add them; a known non-admin's admin command or upload is refused before any handler runs, so
nothing is downloaded or changed.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from telegram.constants import ParseMode
from telegram.ext import ApplicationHandlerStop

from bot.chat.access import AccessDecision, ChatKind
from bot.telegram.handlers.addressing import command_name, question_text
from bot.telegram.requester import requester

if TYPE_CHECKING:
    from telegram import Message, Update

    from bot.chat.types import Refusal
    from bot.telegram.state import BotContext


def action_of(update: Update) -> str:
    """What an update asks for, as the core names actions: ``button``, ``upload``, a command, or ``ask``."""
    if update.callback_query is not None:
        return "button"
    message = update.message
    if message is None:
        return "other"
    if message.document is not None:
        return "upload"
    return command_name(message) or "ask"


async def gate(update: Update, context: BotContext) -> None:
    """Let an update through only if its user may do what it asks; stop it otherwise."""
    who = requester(update, context)
    if who is None:
        raise ApplicationHandlerStop
    action = action_of(update)
    decision = context.chat.check(who, action)
    if decision is AccessDecision.ALLOW:
        return
    message = update.message
    if decision is AccessDecision.STRANGER and action != "button":
        if message is None:
            raise ApplicationHandlerStop
        if (
            who.kind is not ChatKind.PRIVATE
            and command_name(message) is None
            and question_text(message, context.bot.id, context.bot.username) is None
        ):
            raise ApplicationHandlerStop  # group chatter not addressed to the bot
    refusal = context.chat.refuse(who, decision, action, _what(message) if message is not None else "")
    await _send(update, refusal)
    raise ApplicationHandlerStop


async def _send(update: Update, refusal: Refusal) -> None:
    if refusal.text is None:
        return
    if update.callback_query is not None:
        await update.callback_query.answer(refusal.text)
        return
    if update.message is None:
        return
    text = html.escape(refusal.text, quote=False)
    if refusal.id_shown:
        text = text.replace(refusal.id_shown, f"<code>{html.escape(refusal.id_shown)}</code>", 1)
    await update.message.reply_text(text, parse_mode=ParseMode.HTML)


def _what(message: Message) -> str:
    if message.document is not None:
        return message.document.file_name or ""
    return message.text or ""

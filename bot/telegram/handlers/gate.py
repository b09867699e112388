"""The access gate: every update passes here first (handler group -1); deny by default.

Unknown users get one short reply with their numeric id (at most once per ``DENIED_NOTICE_SECONDS``)
so an admin can add them; a known non-admin's admin command or upload is refused before any handler
runs, so nothing is downloaded or changed.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from telegram.constants import ChatType, ParseMode
from telegram.ext import ApplicationHandlerStop

from bot.telegram.handlers.addressing import command_name, question_text

if TYPE_CHECKING:
    from telegram import Chat, Message, Update

    from bot.telegram.state import BotContext

ADMIN_COMMANDS = frozenset({"docs", "delete", "reindex", "stats"})
DENIED_NOTICE_SECONDS = 600.0
DENIED_MEMORY = 10_000

UNKNOWN_USER = "抱歉，您还没有使用权限。您的用户 ID 是 <code>{user_id}</code>，请把它发给管理员开通。"
UNKNOWN_GROUP = "本群尚未开通问答。群 ID 是 <code>{chat_id}</code>，请管理员将其加入允许列表。"
NOT_PERMITTED_BUTTON = "您没有使用权限。"
ADMIN_ONLY = "该操作仅限管理员。"
ADMIN_PRIVATE_ONLY = "请在与机器人的私聊中使用管理功能。"


async def gate(update: Update, context: BotContext) -> None:
    """Let an update through only if its user may do what it asks; stop it otherwise."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        raise ApplicationHandlerStop
    data = context.bot_data
    if not data.access.allows(user.id, chat.id, chat.type):
        await _refuse_unknown(update, context, user.id, chat)
        raise ApplicationHandlerStop
    message = update.message
    if message is None:
        return
    wants_admin = message.document is not None or command_name(message) in ADMIN_COMMANDS
    if not wants_admin:
        return
    if chat.type != ChatType.PRIVATE:
        if message.document is None and data.access.is_admin(user.id):
            await message.reply_text(ADMIN_PRIVATE_ONLY)
        raise ApplicationHandlerStop  # files shared in a group are not uploads
    if not data.access.is_admin(user.id):
        action = "upload" if message.document is not None else (command_name(message) or "")
        data.audit.record(
            user_id=user.id, chat_id=chat.id, action=action, outcome="refused", what=_what(message)
        )
        await message.reply_text(ADMIN_ONLY)
        raise ApplicationHandlerStop


async def _refuse_unknown(update: Update, context: BotContext, user_id: int, chat: Chat) -> None:
    data = context.bot_data
    if update.callback_query is not None:
        await update.callback_query.answer(NOT_PERMITTED_BUTTON)
        return
    message = update.message
    if message is None:
        return
    private = chat.type == ChatType.PRIVATE
    if (
        not private
        and command_name(message) is None
        and question_text(message, context.bot.id, context.bot.username) is None
    ):
        return  # group chatter not addressed to the bot
    key = user_id if private else chat.id
    now = time.monotonic()
    if now - data.denied_notified.get(key, -DENIED_NOTICE_SECONDS) < DENIED_NOTICE_SECONDS:
        return
    if len(data.denied_notified) > DENIED_MEMORY:  # strangers can be many; forget the old ones
        data.denied_notified = {
            k: t for k, t in data.denied_notified.items() if now - t < DENIED_NOTICE_SECONDS
        }
    data.denied_notified[key] = now
    data.audit.record(user_id=user_id, chat_id=chat.id, action="access", outcome="denied")
    text = UNKNOWN_USER.format(user_id=user_id) if private else UNKNOWN_GROUP.format(chat_id=chat.id)
    await message.reply_text(text, parse_mode=ParseMode.HTML)


def _what(message: Message) -> str:
    if message.document is not None:
        return message.document.file_name or ""
    return message.text or ""

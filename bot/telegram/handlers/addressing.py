"""Is a message meant for the bot, and what is the question in it?"""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram.constants import ChatType, MessageEntityType

if TYPE_CHECKING:
    from telegram import Message


def question_text(message: Message, bot_id: int, bot_username: str) -> str | None:
    """The question in ``message``, or None when it is not addressed to the bot.

    Every text in a private chat is a question. In a group only a message that mentions the bot
    (``@name``, removed from the question) or replies to one of the bot's messages is.
    """
    text = message.text or ""
    if message.chat.type == ChatType.PRIVATE:
        return text.strip()
    mention = f"@{bot_username}".lower()
    mentioned = any(
        message.parse_entity(e).lower() == mention
        for e in message.entities
        if e.type == MessageEntityType.MENTION
    )
    if mentioned:
        start = text.lower().find(mention)
        return (text[:start] + text[start + len(mention) :]).strip()
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot_id:
        return text.strip()
    return None


def command_name(message: Message) -> str | None:
    """``docs`` for ``/docs@reportbot arg``; None when the message is not a command."""
    text = message.text or ""
    if not text.startswith("/"):
        return None
    return text.split(maxsplit=1)[0][1:].split("@", 1)[0].lower()

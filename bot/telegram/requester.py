"""Who sent an update, as the chat core sees it: ids as strings and the kind of chat."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram.constants import ChatType

from bot.chat.access import ChatKind

if TYPE_CHECKING:
    from telegram import Update

    from bot.chat.types import Requester
    from bot.telegram.state import BotContext

FRONTEND = "telegram"
_KINDS: dict[str, ChatKind] = {
    ChatType.PRIVATE: ChatKind.PRIVATE,
    ChatType.GROUP: ChatKind.GROUP,
    ChatType.SUPERGROUP: ChatKind.GROUP,
}


def chat_kind(chat_type: str) -> ChatKind:
    """The core's kind of chat for a Telegram chat type (channels are OTHER: never answered)."""
    return _KINDS.get(chat_type, ChatKind.OTHER)


def requester(update: Update, context: BotContext) -> Requester | None:
    """The requester of ``update``, or None for an update without a user or a chat."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return None
    return context.chat.requester(user.id, chat.id, chat_kind(chat.type))

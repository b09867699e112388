"""The per-user rate limit as handlers apply it: the core decides and audits, the first refusal is told."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from telegram import Message

    from bot.chat.types import Requester
    from bot.telegram.state import BotContext


async def admitted(context: BotContext, message: Message, who: Requester, action: str, what: str) -> bool:
    """True when ``who`` may go on; otherwise the refusal is audited and the first one gets a polite notice."""
    notice = context.chat.admit(who, action, what)
    if notice is None:
        return True
    if notice:
        await message.reply_text(notice)
    return False

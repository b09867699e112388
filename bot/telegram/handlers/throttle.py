"""The per-user rate limit as handlers apply it: audit the refusal, tell the user once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.telegram.ratelimit import Verdict

if TYPE_CHECKING:
    from telegram import Chat, Message, User

    from bot.telegram.state import BotContext

RATE_LIMITED = "您的请求太频繁了，请 {seconds} 秒后再试（每人每分钟最多 {limit} 次）。"


async def admitted(
    context: BotContext, message: Message, user: User, chat: Chat, action: str, what: str
) -> bool:
    """True when ``user`` may go on; otherwise the refusal is audited and the first one gets a polite notice."""
    data = context.bot_data
    verdict = data.limiter.check(user.id)
    if verdict is Verdict.ALLOW:
        return True
    data.audit.record(user_id=user.id, chat_id=chat.id, action=action, outcome="rate_limited", what=what)
    if verdict is Verdict.NOTIFY:
        seconds = data.limiter.retry_in(user.id)
        await message.reply_text(RATE_LIMITED.format(seconds=seconds, limit=data.limiter.per_minute))
    return False

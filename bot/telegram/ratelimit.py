"""Every Bot API call through the chat core's delivery policy: flood limits, retries, deadlines.

Replaces python-telegram-bot's ``AIORateLimiter`` (so nothing waits twice): messages and edits are paced by
the front end's ``FloodLimiter`` (per chat, per group, overall); transient failures (network errors, 5xx,
timeouts, 429 with ``retry_after``) are retried by ``with_retries`` until the policy's deadline. A call may
pass ``rate_limit_args={"retry": False}`` (a streaming edit that the next one supersedes) or
``{"deadline": <time.monotonic() value>}`` (a short failure notice).
"""

from __future__ import annotations

import datetime as dt
import time
from typing import TYPE_CHECKING, Any

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import BaseRateLimiter

from bot.chat.delivery import Transient, with_retries

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine

    from bot.chat.delivery import DeliveryPolicy
    from bot.chat.flood import FloodLimiter

PACED_PREFIXES = ("send", "edit", "copy", "forward")
UNPACED = frozenset({"sendChatAction"})
"""A chat action is not a message; it is best effort and never retried."""
RETRIED = frozenset({"answerCallbackQuery", "deleteMessage", "getFile"})
"""Calls besides messages worth retrying (start-up calls such as getMe fail fast instead)."""


def classify(exc: BaseException) -> Transient | None:
    """Is a Bot API error worth retrying? 429, timeouts, dropped connections and 5xx are; the rest is final."""
    if isinstance(exc, RetryAfter):
        after = exc.retry_after
        seconds = after.total_seconds() if isinstance(after, dt.timedelta) else float(after)
        return Transient(seconds)
    if isinstance(exc, TimedOut):
        return Transient()
    if isinstance(exc, BadRequest | Forbidden | InvalidToken | Conflict | ChatMigrated):
        return None
    if isinstance(exc, NetworkError):  # connection errors and 5xx
        return Transient()
    return None


def retry_after_seconds(exc: BaseException) -> float | None:
    """The wait a 429 asked for, if ``exc`` is one."""
    verdict = classify(exc) if isinstance(exc, RetryAfter) else None
    return verdict.retry_after if verdict is not None else None


class CoreRateLimiter(BaseRateLimiter[dict[str, Any]]):
    """python-telegram-bot's rate-limiter hook, driven by the chat core's delivery policy."""

    def __init__(self, flood: FloodLimiter, policy: DeliveryPolicy) -> None:
        self.flood = flood
        self.policy = policy

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: dict[str, Any] | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Pace a message, then send it, retrying transient failures until the deadline."""
        options = rate_limit_args or {}
        chat_id = data.get("chat_id")
        paced = endpoint.startswith(PACED_PREFIXES) and endpoint not in UNPACED
        chat = str(chat_id) if chat_id is not None else None
        group = isinstance(chat_id, int | str) and str(chat_id).startswith("-")

        async def attempt() -> bool | dict[str, Any] | list[dict[str, Any]]:
            if paced:
                await self.flood.acquire(chat, group=group)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:  # Telegram says this chat (or the bot) must wait: nobody sends sooner
                wait = retry_after_seconds(exc)
                if wait is not None:
                    self.flood.pause(chat, wait)
                raise
            finally:
                if paced:
                    self.flood.release(chat)

        retried = (paced or endpoint in RETRIED) and options.get("retry", True)
        if not retried:
            return await attempt()
        deadline = options.get("deadline") or time.monotonic() + self.policy.deadline
        return await with_retries(attempt, classify, self.policy, deadline=deadline, what=endpoint)

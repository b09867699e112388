"""DingTalk's side of the chat core's delivery policy: one markdown message to a conversation, paced and retried
(``Messenger``; ``DingTalkChannel`` is the way commands answer through it).

A reply goes to the message's ``sessionWebhook`` while it is valid, else (expired, or refused as expired)
through the OpenAPI to the user or group. Every message waits for the flood limits (``DINGTALK_LIMITS``: 20 a
minute per conversation). Transient failures (unreachable, HTTP 5xx or 429, "busy" and "too fast" errcodes) are
retried until the policy's deadline; anything else gives up at once.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.chat.delivery import DEFAULT_POLICY, DeliveryPolicy, Transient, paced
from bot.chat.flood import DINGTALK_LIMITS, FloodLimiter
from bot.chat.render.labels import truncate
from bot.dingtalk.errors import DingTalkRequestError, DingTalkUnreachable

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.dingtalk.api import DingTalkApi
    from bot.dingtalk.frames import BotMessage

TRANSIENT_ERRCODES = frozenset({"-1", "88", "130101", "410100"})
"""System busy, throttled, sending too fast, send rate limit: worth retrying."""
RATE_LIMIT_WAIT = 3.0
"""Seconds to wait after DingTalk said a conversation is over its limit (it names no ``retry_after``)."""
EXPIRED_ERRCODES = frozenset({"300001", "310000"})
"""What our fake (and, we believe, DingTalk) answers on an expired or unknown session webhook."""
WEBHOOK_MARGIN_MS = 60_000
"""A webhook this close to its expiry is not used: the OpenAPI is."""
TITLE_CHARS = 20
_MARKS = re.compile(r"[*_`#>\\\[\]]")


def classify(exc: BaseException) -> Transient | None:
    """Is a DingTalk failure worth retrying?"""
    if isinstance(exc, DingTalkUnreachable):
        return Transient()
    if isinstance(exc, DingTalkRequestError):
        if exc.code == "130101":
            return Transient(RATE_LIMIT_WAIT)
        if exc.status >= 500 or exc.status == 429 or exc.code in TRANSIENT_ERRCODES:
            return Transient()
    return None


def title_of(text: str) -> str:
    """A markdown message's title (what the chat list and the notification show): its first words."""
    first = next((line for line in _MARKS.sub("", text).splitlines() if line.strip()), "")
    return truncate(first.strip(), TITLE_CHARS) or "工作报告助手"


def hard_breaks(text: str) -> str:
    """Markdown with each line break kept (two spaces before it), as DingTalk's renderer needs."""
    return re.sub(r"(?<! ) ?\n", "  \n", text)


@dataclass(frozen=True)
class Target:
    """Where a reply goes: the conversation of one message, with its webhook while it lasts."""

    chat: str
    conversation_id: str
    staff_id: str
    group: bool
    webhook: str = ""
    webhook_expires_ms: int = 0
    robot_code: str = ""

    @classmethod
    def of(cls, message: BotMessage) -> Target:
        """The conversation ``message`` came from."""
        return cls(
            chat=message.chat,
            conversation_id=message.conversation_id,
            staff_id=message.user,
            group=message.group,
            webhook=message.session_webhook,
            webhook_expires_ms=message.webhook_expires_ms,
            robot_code=message.robot_code,
        )


class Messenger:
    """Sends markdown to DingTalk conversations for one app: paced, retried, webhook first."""

    def __init__(
        self,
        api: DingTalkApi,
        flood: FloodLimiter | None = None,
        policy: DeliveryPolicy = DEFAULT_POLICY,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.api = api
        self.flood = flood or FloodLimiter(DINGTALK_LIMITS)
        self.policy = policy
        self._clock = clock

    async def send(self, to: Target, text: str) -> None:
        """One markdown message to ``to``'s conversation (counted in its 20 a minute, retried to the deadline)."""
        body = hard_breaks(text)
        title = title_of(text)
        await paced(
            self.flood,
            to.chat,
            lambda: self._attempt(to, title, body),
            classify,
            self.policy,
            group=True,
            what="markdown",
        )

    async def send_parts(self, to: Target, parts: list[str]) -> None:
        """Send ``parts`` in order, one message each."""
        for part in parts:
            await self.send(to, part)

    def webhook_valid(self, to: Target) -> bool:
        """True while ``to``'s session webhook may still be used."""
        return bool(to.webhook) and to.webhook_expires_ms - WEBHOOK_MARGIN_MS > self._clock() * 1000

    async def _attempt(self, to: Target, title: str, text: str) -> None:
        if self.webhook_valid(to):
            body = {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
            try:
                await self.api.send_webhook(to.webhook, body)
                return
            except DingTalkRequestError as exc:
                if exc.code not in EXPIRED_ERRCODES:
                    raise
                # expired sooner than it said: the OpenAPI reaches the same conversation
        await self.api.send_markdown_to(
            staff_id=to.staff_id,
            conversation_id=to.conversation_id,
            group=to.group,
            title=title,
            text=text,
            robot_code=to.robot_code,
        )


@dataclass(frozen=True)
class DingTalkChannel:
    """The way back to the conversation a command came from (its webhook or, once that expired, the OpenAPI)."""

    messenger: Messenger
    to: Target

    async def reply(self, parts: list[str]) -> None:
        """Send markdown ``parts``, one message each: an answer now or a background job's result later."""
        await self.messenger.send_parts(self.to, parts)

    notify = reply

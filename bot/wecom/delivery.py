"""WeCom's side of the chat core's delivery policy: what its errors mean, and one paced send per frame.

Every frame that puts something in a chat (stream frames, cards, card updates, proactive and file messages)
goes through ``bot.chat.delivery.paced`` with the front end's ``FloodLimiter`` (``WECOM_LIMITS``): at most 30
messages a minute per chat, a stream counting once (its first frame). Transient failures (an ack with a
"busy" or rate-limit errcode, no ack in time, a dropped connection) are retried until the policy's deadline;
anything else (auth, an unknown or expired ``req_id``, a finished or expired stream) gives up at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from bot.chat.delivery import DEFAULT_POLICY, DeliveryPolicy, Transient, paced
from bot.chat.flood import WECOM_LIMITS, FloodLimiter
from bot.wecom.errors import WeComAckTimeout, WeComNotConnected, WeComRequestError

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

T = TypeVar("T")

TRANSIENT_ERRCODES = frozenset({-1, 45009, 45033, 6000})
"""System busy, API frequency limit, too many concurrent calls, data version conflict: worth retrying."""
RATE_LIMIT_WAIT = 2.0
"""Seconds to wait after the platform said a chat is over its limit (WeCom names no ``retry_after``)."""


def classify(exc: BaseException) -> Transient | None:
    """Is a WeCom error worth retrying? Busy/limit errcodes, ack timeouts and dropped connections are."""
    if isinstance(exc, WeComRequestError):
        if exc.errcode == 45009:
            return Transient(RATE_LIMIT_WAIT)
        return Transient() if exc.errcode in TRANSIENT_ERRCODES else None
    if isinstance(exc, WeComAckTimeout | WeComNotConnected):
        return Transient()
    return None


class Pacer:
    """One WeCom bot's sending policy: its flood limiter and delivery policy (shared by every sender)."""

    def __init__(self, flood: FloodLimiter | None = None, policy: DeliveryPolicy = DEFAULT_POLICY) -> None:
        self.flood = flood or FloodLimiter(WECOM_LIMITS)
        self.policy = policy

    async def send(
        self,
        chat: str | None,
        attempt: Callable[[], Awaitable[T]],
        *,
        counted: bool = True,
        retry: bool = True,
        what: str = "send",
    ) -> T:
        """Send one frame to ``chat``: paced (counted in the chat's 30 a minute if ``counted``), retried if ``retry``."""
        return await paced(
            self.flood,
            chat if counted else None,
            attempt,
            classify,
            self.policy,
            group=counted and chat is not None,
            retry=retry,
            what=what,
        )

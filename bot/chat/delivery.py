"""Delivery policy shared by chat front ends: retries with backoff until a deadline, pacing, fallbacks.

A front end supplies the sending (a coroutine per attempt) and says what its errors mean (``classify``:
``Transient(retry_after)`` for a failure worth retrying, None for a final one); the core decides how often
to retry, how long to wait, when to give up, and what a failed delivery is audited as.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from bot.chat.flood import FloodLimiter

logger = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class Transient:
    """A failure worth retrying; ``retry_after`` is the wait the platform asked for (429), if any."""

    retry_after: float | None = None


Classify = Callable[[BaseException], Transient | None]
"""A front end's reading of one of its errors: ``Transient`` to retry, None when retrying cannot help."""


class DeliveryFailed(Exception):
    """A reply could not be delivered before the deadline (or the platform refused it for good)."""

    def __init__(self, reason: str, attempts: int) -> None:
        super().__init__(f"delivery failed reason={reason} attempts={attempts}")
        self.reason = reason
        self.attempts = attempts


@dataclass(frozen=True)
class DeliveryPolicy:
    """How a front end sends: edit pacing while streaming, retries and deadlines (flood limits: ``core.frontend``)."""

    edit_interval: float = 1.0
    """At most one edit per this many seconds per message while an answer streams (Telegram's flood limits)."""
    deadline: float = 60.0
    """Seconds one reply may keep being retried before it counts as failed."""
    backoff_first: float = 0.5
    """First wait after a transient failure without ``retry_after``; doubled each time up to ``backoff_max``."""
    backoff_max: float = 8.0
    notice_deadline: float = 5.0
    """Seconds to try telling a user that their reply failed or was cut (best effort, short)."""
    stream_in_groups: bool = False
    """Stream (edit) answers in groups too; off because a group allows only 20 messages a minute."""

    def backoff(self, attempt: int) -> float:
        """The wait before retry number ``attempt`` (1-based) when the platform named none."""
        return min(self.backoff_max, self.backoff_first * 2 ** (attempt - 1))


DEFAULT_POLICY = DeliveryPolicy()


def backoff_delay(attempt: int, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Reconnect backoff with jitter: ``min(cap, base·2^(attempt-1))`` scaled by a random 0.5–1."""
    ceiling = min(cap, base * 2 ** max(attempt - 1, 0))
    return ceiling * (rng or random).uniform(0.5, 1.0)


async def reconnect_pause(stop: asyncio.Event, attempt: int, base: float, cap: float) -> float:
    """Wait ``backoff_delay(attempt, base, cap)`` before a reconnect, or less when ``stop`` is set; the delay."""
    delay = backoff_delay(attempt, base, cap)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), delay)
    return delay


async def with_retries(
    attempt: Callable[[], Awaitable[T]],
    classify: Classify,
    policy: DeliveryPolicy = DEFAULT_POLICY,
    *,
    deadline: float | None = None,
    what: str = "send",
) -> T:
    """Run ``attempt`` until it succeeds, retrying transient failures until the deadline.

    ``deadline`` is an absolute ``time.monotonic()`` value (default: ``policy.deadline`` from now). A final
    failure (``classify`` says None) is raised as it is; running out of time raises ``DeliveryFailed``.
    """
    end = deadline if deadline is not None else time.monotonic() + policy.deadline
    tries = 0
    while True:
        tries += 1
        try:
            return await attempt()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            verdict = classify(exc)
            if verdict is None:
                raise
            wait = verdict.retry_after if verdict.retry_after is not None else policy.backoff(tries)
            left = end - time.monotonic()
            if wait > left:
                logger.warning(
                    "delivery gave up what=%s attempts=%s error=%s", what, tries, type(exc).__name__
                )
                raise DeliveryFailed(type(exc).__name__, tries) from exc
            logger.info(
                "delivery retry what=%s attempt=%s wait=%.1f error=%s", what, tries, wait, type(exc).__name__
            )
            await asyncio.sleep(wait)


async def paced(
    limiter: FloodLimiter,
    chat: str | None,
    attempt: Callable[[], Awaitable[T]],
    classify: Classify,
    policy: DeliveryPolicy = DEFAULT_POLICY,
    *,
    group: bool = False,
    retry: bool = True,
    what: str = "send",
) -> T:
    """One message: every attempt waits for the flood limits first; transient failures are retried if ``retry``."""

    async def once() -> T:
        await limiter.acquire(chat, group=group)
        try:
            return await attempt()
        finally:
            limiter.release(chat)

    if not retry:
        return await once()
    return await with_retries(once, classify, policy, what=what)

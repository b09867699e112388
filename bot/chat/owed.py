"""Notices owed to users: a failure notice that could not be sent is retried until the platform is back.

A reply that failed past the delivery deadline gets a short notice (``texts.DELIVERY_FAILED``) within the
policy's ``notice_deadline``; when the platform is still down then (a Telegram outage of 75 s against a 60 s
deadline and a 5 s notice), the notice is owed: retried in the background every ``retry_seconds`` for up to
``horizon`` seconds, so the user hears exactly once, when the platform returns. Shutdown drops what is still owed
(logged).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

logger = logging.getLogger(__name__)

OWED_HORIZON_SECONDS = 6 * 3600.0
"""How long an owed notice is retried before it is given up (logged)."""
OWED_RETRY_SECONDS = 2.0
"""Pause between two tries of an owed notice (each try has the policy's notice deadline)."""


class OwedNotices:
    """Background tries of notices the platform could not take; one per failed reply."""

    def __init__(
        self,
        notice_deadline: float,
        *,
        horizon: float = OWED_HORIZON_SECONDS,
        retry_seconds: float = OWED_RETRY_SECONDS,
    ) -> None:
        self.notice_deadline = notice_deadline
        self.horizon = horizon
        self.retry_seconds = retry_seconds
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def count(self) -> int:
        """Notices still owed."""
        return len(self._tasks)

    def owe(self, send: Callable[[], Awaitable[None]], what: str) -> None:
        """Keep trying ``send()`` (one notice) until it succeeds once or the horizon passes."""
        task = asyncio.get_running_loop().create_task(self._deliver(send, what))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _deliver(self, send: Callable[[], Awaitable[None]], what: str) -> None:
        started = time.monotonic()
        tries = 0
        while time.monotonic() - started < self.horizon:
            await asyncio.sleep(self.retry_seconds)
            tries += 1
            try:
                await asyncio.wait_for(send(), self.notice_deadline)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                logger.debug(
                    "owed notice not delivered what=%s tries=%s error=%s", what, tries, type(exc).__name__
                )
                continue
            logger.info(
                "owed notice delivered what=%s tries=%s seconds=%.1f", what, tries, time.monotonic() - started
            )
            return
        logger.warning("owed notice given up what=%s tries=%s", what, tries)

    async def close(self) -> None:
        """Shutdown: stop trying; what is still owed is logged and dropped."""
        if self._tasks:
            logger.warning("owed notices dropped at shutdown count=%s", len(self._tasks))
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task

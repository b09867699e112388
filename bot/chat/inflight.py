"""Work in flight and a bounded shutdown: stop taking questions, let answers finish, cut the rest."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

logger = logging.getLogger(__name__)

CUT_NOTICE_SECONDS = 3.0
"""After the grace, how long cut answers get to tell their users to ask again."""


class InFlight:
    """The answers and drafts being worked on now, across every front end of a process."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[object]] = set()
        self.closing = False

    @property
    def count(self) -> int:
        """How many requests are in flight."""
        return len(self._tasks)

    @contextlib.contextmanager
    def track(self) -> Iterator[None]:
        """Count the current task as in flight for the duration of the block."""
        task = asyncio.current_task()
        if task is None:
            yield
            return
        self._tasks.add(task)
        try:
            yield
        finally:
            self._tasks.discard(task)

    async def drain(self, grace_seconds: float) -> None:
        """Refuse new work; wait up to ``grace_seconds`` for the work in flight, then cut what is left."""
        self.closing = True
        started = time.monotonic()
        pending = {t for t in self._tasks if not t.done()}
        if pending:
            _, pending = await asyncio.wait(pending, timeout=max(0.0, grace_seconds))
        cut = [t for t in pending if not t.done()]
        for task in cut:
            task.cancel()
        if cut:  # each cut request tells its user (bounded), then ends
            await asyncio.wait(cut, timeout=CUT_NOTICE_SECONDS)
        logger.info(
            "drained finished=%s cut=%s seconds=%.1f",
            len(self._tasks) == 0 and not cut,
            len(cut),
            time.monotonic() - started,
        )

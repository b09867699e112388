"""At most 30 messages a minute per chat (the platform's limit), as a sliding window."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict, deque
from collections.abc import Callable

from bot.wecom.errors import WeComRateLimited

PER_CHAT_PER_MINUTE = 30


class ChatLimiter:
    """Sliding one-minute window of sends per chat; ``acquire`` waits for a free slot."""

    def __init__(
        self,
        per_minute: int = PER_CHAT_PER_MINUTE,
        *,
        window: float = 60.0,
        max_wait: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_minute = per_minute
        self.window = window
        self.max_wait = max_wait
        self._clock = clock
        self._sent: dict[str, deque[float]] = defaultdict(deque)

    def _prune(self, chat: str, now: float) -> deque[float]:
        sent = self._sent[chat]
        while sent and now - sent[0] >= self.window:
            sent.popleft()
        return sent

    def wait_time(self, chat: str) -> float:
        """Seconds until ``chat`` may receive another message (0 when it may now)."""
        now = self._clock()
        sent = self._prune(chat, now)
        if len(sent) < self.per_minute:
            return 0.0
        return sent[0] + self.window - now

    def try_acquire(self, chat: str) -> bool:
        """Take a slot for ``chat`` if one is free now."""
        if self.wait_time(chat) > 0:
            return False
        self._sent[chat].append(self._clock())
        return True

    async def acquire(self, chat: str) -> None:
        """Take a slot for ``chat``, waiting up to ``max_wait`` seconds; raises :class:`WeComRateLimited`."""
        while True:
            wait = self.wait_time(chat)
            if wait <= 0:
                self._sent[chat].append(self._clock())
                return
            if wait > self.max_wait:
                raise WeComRateLimited(f"chat reached {self.per_minute} messages a minute")
            await asyncio.sleep(wait)

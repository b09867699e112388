"""Per-user request rate limit over a sliding minute, with one polite notice per burst (ids as strings)."""

from __future__ import annotations

import time
from collections import deque
from enum import Enum

WINDOW_SECONDS = 60.0


class RateDecision(Enum):
    """What to do with a question."""

    ALLOW = "allow"
    NOTIFY = "notify"  # over the limit: tell the user once
    DROP = "drop"  # over the limit and already told


class RateLimiter:
    """At most ``per_minute`` questions per user in any 60 seconds."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._clock = time.monotonic
        self._asked: dict[str, deque[float]] = {}
        self._notified: set[str] = set()

    def check(self, user_id: int | str, now: float | None = None) -> RateDecision:
        """Record a question of ``user_id`` if allowed and say what to do with it."""
        user_id = str(user_id)
        now = self._clock() if now is None else now
        asked = self._asked.setdefault(user_id, deque())
        while asked and now - asked[0] >= WINDOW_SECONDS:
            asked.popleft()
        if len(asked) < self.per_minute:
            asked.append(now)
            self._notified.discard(user_id)
            return RateDecision.ALLOW
        if user_id in self._notified:
            return RateDecision.DROP
        self._notified.add(user_id)
        return RateDecision.NOTIFY

    def retry_in(self, user_id: int | str, now: float | None = None) -> int:
        """Whole seconds until ``user_id`` may ask again."""
        now = self._clock() if now is None else now
        asked = self._asked.get(str(user_id))
        if not asked or len(asked) < self.per_minute:
            return 0
        return max(1, round(WINDOW_SECONDS - (now - asked[0])))

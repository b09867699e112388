"""Flood limits of a chat platform, shared by every sender of one front end: per chat, per group, overall.

Telegram's limits (``TELEGRAM_LIMITS``): at most one message per second in a chat (edits count), 20 per minute
in a group and 30 per second overall; WeCom's and DingTalk's (``WECOM_LIMITS``, ``DINGTALK_LIMITS``) are per
minute in every chat. ``FloodLimiter.acquire`` waits until one more message fits all three. The limits are
counted where they are enforced, at the server, whose arrival time the bot cannot know: only that it lies
between the moment a message is let through (``acquire``) and the moment its answer came back (``release``).
So a message counts toward every window from ``acquire`` until a full window after ``release``: one message per
chat is in flight at a time and the next one to that chat leaves a full interval after the previous one was
answered; the overall and group windows count messages in flight plus those answered within the window. The
limits then hold at the server however long, and however unevenly, the way there takes (a congested network
delivering together messages sent a second apart put 36 in one second at the server before).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable


@dataclass(frozen=True)
class FloodLimits:
    """The platform's limits; a ``margin`` in seconds is added to every window."""

    per_chat_interval: float = 1.0
    group_per_minute: int = 20
    overall_per_second: int = 30
    margin: float = 0.05
    group_window: float = 60.0
    """The group limit's window in seconds (a minute; shorter only in tests)."""


TELEGRAM_LIMITS = FloodLimits()
WECOM_LIMITS = FloodLimits(per_chat_interval=0.0, group_per_minute=30, overall_per_second=30)
"""WeCom: at most 30 messages a minute in every chat (one-to-one or group), so WeCom senders pass
``group=True`` for every chat and the per-group window is the per-chat limit. A stream counts as one message
(its first frame); its refreshes count toward the overall limit only."""
DINGTALK_LIMITS = FloodLimits(per_chat_interval=0.0, group_per_minute=20, overall_per_second=20)
"""DingTalk: a robot may send 20 messages a minute to a conversation (the documented limit of group robots;
DingTalk names none stricter for a session webhook), so DingTalk senders pass ``group=True`` for every chat.
The overall 20 a second is our own caution: DingTalk documents no per-app rate for these sends."""
BUSY_POLL_SECONDS = 0.05


class FloodLimiter:
    """Paces messages so no chat, group or the whole bot goes over ``limits`` (one per front end)."""

    def __init__(
        self, limits: FloodLimits = TELEGRAM_LIMITS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limits = limits
        self._clock = clock
        self._lock = asyncio.Lock()
        self._last_in_chat: dict[str, float] = {}
        self._group: dict[str, deque[float]] = {}
        self._overall: deque[float] = deque()
        """When the messages answered lately were answered (the overall window)."""
        self._in_flight = 0
        """Messages let through and not answered yet: they count toward the overall window too."""
        self._paused_until: dict[str | None, float] = {}
        self._busy: set[str] = set()
        self._busy_group: set[str] = set()

    async def acquire(self, chat: str | None, *, group: bool = False) -> float:
        """Wait until one more message to ``chat`` fits the limits, and count it; returns seconds waited.

        ``chat=None`` counts toward the overall limit only. Call ``release(chat)`` when the message was answered.
        """
        started = self._clock()
        while True:
            async with self._lock:
                wait = self._wait_needed(chat, group)
                if wait <= 0:
                    self._record(chat, group)
                    return self._clock() - started
            await asyncio.sleep(wait)

    def release(self, chat: str | None) -> None:
        """The message to ``chat`` was answered (or failed): its windows (chat, group, overall) run from now.

        Call exactly once per ``acquire``.
        """
        now = self._clock()
        self._in_flight = max(0, self._in_flight - 1)
        self._overall.append(now)
        if chat is not None:
            self._busy.discard(chat)
            self._last_in_chat[chat] = now
            if chat in self._busy_group:
                self._busy_group.discard(chat)
                self._group.setdefault(chat, deque()).append(now)

    def pause(self, chat: str | None, seconds: float) -> None:
        """The platform asked to wait (429 ``retry_after``): nothing more to ``chat`` (None: at all) until then."""
        until = self._clock() + seconds
        self._paused_until[chat] = max(until, self._paused_until.get(chat, 0.0))

    def _wait_needed(self, chat: str | None, group: bool) -> float:
        now = self._clock()
        limits = self.limits
        waits = [self._paused_until.get(None, 0.0) - now]
        if chat is not None:
            waits.append(self._paused_until.get(chat, 0.0) - now)
        while self._overall and self._overall[0] <= now - 1.0 - limits.margin:
            self._overall.popleft()
        if self._in_flight >= limits.overall_per_second:  # wait for answers to come back
            waits.append(BUSY_POLL_SECONDS)
        elif self._in_flight + len(self._overall) >= limits.overall_per_second:
            waits.append(self._overall[0] + 1.0 + limits.margin - now)
        if chat is not None:
            if chat in self._busy:
                waits.append(BUSY_POLL_SECONDS)
            last = self._last_in_chat.get(chat)
            if last is not None:
                waits.append(last + limits.per_chat_interval + limits.margin - now)
            if group:
                window = self._group.setdefault(chat, deque())
                while window and window[0] <= now - limits.group_window - limits.margin:
                    window.popleft()
                if len(window) >= limits.group_per_minute:  # (the group's one message in flight: busy above)
                    waits.append(window[0] + limits.group_window + limits.margin - now)
        return max(waits)

    def _record(self, chat: str | None, group: bool) -> None:
        now = self._clock()
        self._in_flight += 1
        if chat is not None:
            self._last_in_chat[chat] = now
            self._busy.add(chat)
            if group:
                self._busy_group.add(chat)
        if len(self._last_in_chat) > 10_000:  # forget chats quiet for a minute
            self._last_in_chat = {k: v for k, v in self._last_in_chat.items() if v > now - 60.0}

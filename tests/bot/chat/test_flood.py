"""The shared flood limiter: per chat, per group and overall limits hold under concurrent senders."""

from __future__ import annotations

import asyncio
import itertools
import time

import pytest

from bot.chat.flood import FloodLimiter, FloodLimits

LIMITS = FloodLimits(
    per_chat_interval=0.2, group_per_minute=3, overall_per_second=5, margin=0.0, group_window=0.6
)


async def send_all(limiter: FloodLimiter, chats: list[tuple[str, bool]]) -> list[tuple[str, float]]:
    sent: list[tuple[str, float]] = []

    async def one(chat: str, group: bool) -> None:
        await limiter.acquire(chat, group=group)
        sent.append((chat, time.monotonic()))
        limiter.release(chat)  # answered at once

    await asyncio.gather(*(one(chat, group) for chat, group in chats))
    return sorted(sent, key=lambda s: s[1])


async def test_one_chat_gets_at_most_one_message_per_interval() -> None:
    sent = await send_all(FloodLimiter(LIMITS), [("a", False)] * 4)
    gaps = [b[1] - a[1] for a, b in itertools.pairwise(sent)]
    assert all(gap >= 0.19 for gap in gaps), gaps


async def test_a_group_gets_at_most_its_quota_per_window() -> None:
    sent = await send_all(FloodLimiter(LIMITS), [("-1", True)] * 4)
    assert sent[3][1] - sent[0][1] >= 0.59  # the 4th waits for the first to leave the window


async def test_overall_limit_spreads_many_chats() -> None:
    sent = await send_all(FloodLimiter(LIMITS), [(f"c{i}", False) for i in range(8)])
    times = [t for _, t in sent]
    assert times[5] - times[0] >= 0.99  # the 6th message overall waits a second
    assert times[4] - times[0] < 0.5  # the first five go at once


async def test_the_next_message_to_a_chat_waits_for_the_previous_to_be_answered() -> None:
    limiter = FloodLimiter(LIMITS)
    await limiter.acquire("a")
    waiting = asyncio.create_task(limiter.acquire("a"))
    await asyncio.sleep(0.4)  # the first message is still on its way
    assert not waiting.done()
    limiter.release("a")
    started = time.monotonic()
    await waiting
    assert time.monotonic() - started == pytest.approx(0.2, abs=0.08)  # a full interval after the answer


async def test_a_pause_asked_by_the_platform_holds_that_chat_only() -> None:
    limiter = FloodLimiter(LIMITS)
    limiter.pause("a", 0.4)
    started = time.monotonic()
    assert await limiter.acquire("b") < 0.05
    await limiter.acquire("a")
    assert time.monotonic() - started == pytest.approx(0.4, abs=0.1)

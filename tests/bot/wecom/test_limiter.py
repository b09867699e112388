"""At most 30 messages a minute per chat."""

from __future__ import annotations

import pytest

from bot.wecom import ChatLimiter, WeComRateLimited


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_thirty_a_minute_per_chat_then_a_wait() -> None:
    clock = Clock()
    limiter = ChatLimiter(clock=clock)
    assert all(limiter.try_acquire("zhangsan") for _ in range(30))
    assert not limiter.try_acquire("zhangsan")
    assert limiter.try_acquire("lisi")  # other chats are not affected
    clock.now = 30.0
    assert limiter.wait_time("zhangsan") == pytest.approx(30.0)
    clock.now = 60.0
    assert limiter.try_acquire("zhangsan")


async def test_acquire_waits_for_a_slot_then_gives_up_when_too_long() -> None:
    limiter = ChatLimiter(per_minute=2, window=0.05, max_wait=1.0)
    for _ in range(3):
        await limiter.acquire("chat")  # the third waits ~50 ms for the window to slide
    slow = ChatLimiter(per_minute=1, window=60.0, max_wait=0.1)
    await slow.acquire("chat")
    with pytest.raises(WeComRateLimited):
        await slow.acquire("chat")

"""The shared live view: latest text only, paced, lost refreshes retried, stopped once."""

from __future__ import annotations

import asyncio

from bot.chat.live import LiveView


class Screen:
    """A fake front end: records what it showed; fails the refreshes it is told to."""

    def __init__(self, fail: int = 0) -> None:
        self.shown: list[str] = []
        self.fail = fail

    async def show(self, text: str) -> bool:
        if self.fail:
            self.fail -= 1
            return False
        self.shown.append(text)
        return True


async def test_shows_only_the_latest_rendered_text_once_per_interval() -> None:
    screen = Screen()
    view = LiveView(screen.show, str.upper, interval=0.05)
    view.push("a")
    await asyncio.sleep(0.01)
    view.push("ab")
    view.push("abc")
    await asyncio.sleep(0.1)
    assert await view.stop() is True
    assert screen.shown == ["A", "ABC"]
    assert view.shown == "ABC"


async def test_placeholder_is_shown_as_is_and_same_text_not_again() -> None:
    screen = Screen()
    view = LiveView(screen.show, str.upper, interval=0.01)
    view.show("searching…")
    await asyncio.sleep(0.03)
    view.push("x")
    await asyncio.sleep(0.03)
    view.push("x")
    await asyncio.sleep(0.03)
    await view.stop()
    assert screen.shown == ["searching…", "X"]


async def test_lost_refresh_is_tried_again_with_the_next_push() -> None:
    screen = Screen(fail=1)
    view = LiveView(screen.show, interval=0.01)
    view.push("x")
    await asyncio.sleep(0.03)
    assert view.shown is None
    view.push("x")
    await asyncio.sleep(0.03)
    await view.stop()
    assert screen.shown == ["x"]


async def test_stop_is_first_once_and_nothing_shows_after_it() -> None:
    screen = Screen()
    view = LiveView(screen.show, interval=0.01)
    assert await view.stop() is True
    view.push("late")
    await asyncio.sleep(0.02)
    assert await view.stop() is False
    assert screen.shown == []


async def test_push_threadsafe_from_a_worker_thread() -> None:
    screen = Screen()
    view = LiveView(screen.show, interval=0.01)
    await asyncio.to_thread(view.push_threadsafe, "from a thread")
    await asyncio.sleep(0.03)
    await view.stop()
    assert screen.shown == ["from a thread"]

"""One live view for every front end: a message that follows changing text, refreshed at most once per interval.

A front end gives the view a ``show`` coroutine (send or edit its one message; True when the text is on
screen, False when the refresh was lost and may be tried again) and a ``render`` for raw text. The view runs
the refresh loop: it shows only the latest text, skips text already shown, and never waits on a lost refresh.
``stop`` ends the loop once; its caller then puts the final text in the message its own way.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

from bot.chat.delivery import DEFAULT_POLICY

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable


def _as_is(text: str) -> str:
    return text


class LiveView:
    """The refresh loop of a streamed message: ``push`` from the event loop, ``push_threadsafe`` from threads."""

    def __init__(
        self,
        show: Callable[[str], Awaitable[bool]],
        render: Callable[[str], str] = _as_is,
        *,
        interval: float = DEFAULT_POLICY.edit_interval,
    ) -> None:
        self._show = show
        self._render = render
        self._interval = interval
        self._latest: str | None = None
        self._rendered = False
        self.shown: str | None = None
        """The text on screen (as rendered), None before the first refresh went through."""
        self._changed = asyncio.Event()
        self._finished = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.create_task(self._run())

    def show(self, text: str) -> None:
        """Show ``text`` as it is (already rendered), e.g. a placeholder before the first words arrive."""
        self._latest, self._rendered = text, True
        self._changed.set()

    def push(self, text: str) -> None:
        """Follow ``text`` (rendered with ``render``); only the latest pushed text is shown."""
        self._latest, self._rendered = text, False
        self._changed.set()

    def push_threadsafe(self, text: str) -> None:
        """``push`` from a worker thread."""
        with contextlib.suppress(RuntimeError):  # the loop is closing: nothing to show any more
            self._loop.call_soon_threadsafe(self.push, text)

    async def stop(self) -> bool:
        """Stop following (a refresh in flight completes first); True for the first call only."""
        first = not self._finished.is_set()
        self._finished.set()
        self._changed.set()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        return first

    async def _run(self) -> None:
        while True:
            await self._changed.wait()
            self._changed.clear()
            if self._finished.is_set():  # the final text is the caller's
                return
            if self._latest is not None:
                text = self._latest if self._rendered else self._render(self._latest)
                if text != self.shown and await self._show(text):
                    self.shown = text
            if self._finished.is_set():
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._finished.wait(), self._interval)

"""Sending the front end's markdown: a live stream that follows an answer, and multi-part replies.

A reply's first part goes on the callback's ``req_id`` as a finished stream (a stream frame carries the whole
text so far); parts that do not fit one frame follow as proactive markdown messages in the same chat.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from bot.chat.delivery import DEFAULT_POLICY, DeliveryFailed
from bot.wecom.client import WeComClient
from bot.wecom.errors import WeComError
from bot.wecom.messaging import StreamReply, send_markdown

logger = logging.getLogger("bot.wecom.replying")


async def send_rest(client: WeComClient, chat: str, parts: list[str]) -> None:
    """Send ``parts`` in order as proactive markdown messages to ``chat``."""
    for part in parts:
        await send_markdown(client, chat, part)


async def reply_parts(client: WeComClient, req_id: str, chat: str, parts: list[str]) -> None:
    """Answer callback ``req_id``: the first part as a finished stream, the rest as proactive messages."""
    if not parts:
        return
    await StreamReply(client, req_id).finish(parts[0])
    await send_rest(client, chat, parts[1:])


class LiveStream:
    """A stream on one callback that follows changing text (a streaming answer), refreshed at most once per interval.

    ``push`` from the event loop, ``push_threadsafe`` from worker threads; ``close(parts)`` stops following,
    finishes the stream with the first part and sends the rest as proactive messages.
    """

    def __init__(
        self,
        client: WeComClient,
        req_id: str,
        chat: str,
        render: Callable[[str], str],
        *,
        interval: float = DEFAULT_POLICY.edit_interval,
    ) -> None:
        self.client = client
        self.chat = chat
        self.stream = StreamReply(client, req_id)
        self._render = render
        self._interval = interval
        self._latest: str | None = None
        self._pending_raw: str | None = None
        self._shown: str | None = None
        self._changed = asyncio.Event()
        self._finished = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.create_task(self._run())

    def show(self, text: str) -> None:
        """Show ``text`` as it is (already rendered), e.g. a placeholder before the first words arrive."""
        self._latest = None
        self._pending_raw = text
        self._changed.set()

    def push(self, text_so_far: str) -> None:
        """Follow the answer's whole text so far (rendered with ``render``)."""
        self._latest = text_so_far
        self._changed.set()

    def push_threadsafe(self, text_so_far: str) -> None:
        """``push`` from a worker thread."""
        with contextlib.suppress(RuntimeError):  # the loop is closing: nothing to show any more
            self._loop.call_soon_threadsafe(self.push, text_so_far)

    async def close(self, parts: list[str]) -> None:
        """Stop following; finish the stream with ``parts[0]`` and send the rest."""
        self._finished.set()
        self._changed.set()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        if not parts:
            parts = [self._shown or "…"]
        try:
            await self.stream.finish(parts[0])
        except (WeComError, DeliveryFailed) as exc:
            # the stream cannot be refreshed any more (6 minutes, finished, refused, retries ran out): the
            # whole answer goes as new proactive messages (their failure is the caller's: audited, notice)
            logger.warning(
                "wecom stream not finished chat=%s error=%s: sending anew", self.chat, type(exc).__name__
            )
            await send_rest(self.client, self.chat, parts)
            return
        await send_rest(self.client, self.chat, parts[1:])

    async def abandon(self) -> None:
        """Stop following without finishing the stream (the caller reports the failure its own way)."""
        self._finished.set()
        self._changed.set()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    async def _run(self) -> None:
        while True:
            await self._changed.wait()
            self._changed.clear()
            if self._finished.is_set():
                return
            if self._latest is not None:
                await self._update(self._render(self._latest))
            elif self._pending_raw is not None:
                await self._update(self._pending_raw)
                self._pending_raw = None
            if self._finished.is_set():
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._finished.wait(), self._interval)

    async def _update(self, text: str) -> None:
        if text == self._shown:
            return
        try:
            await self.stream.update(text)
        except (WeComError, DeliveryFailed) as exc:  # a lost refresh of a live view does not fail the answer
            logger.warning("wecom stream update failed chat=%s error=%s", self.chat, type(exc).__name__)
            return
        self._shown = text

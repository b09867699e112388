"""Sending the front end's markdown: a live stream that follows an answer, multi-part replies, and the
``WeComChannel`` commands answer through.

A reply's first part goes on the callback's ``req_id`` as a finished stream (a stream frame carries the whole
text so far); parts that do not fit one frame follow as proactive markdown messages in the same chat.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.chat.delivery import DEFAULT_POLICY, DeliveryFailed
from bot.chat.live import LiveView
from bot.wecom.errors import WeComError
from bot.wecom.messaging import StreamReply, send_markdown

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.wecom.client import WeComClient
    from bot.wecom.frames import Message

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


@dataclass(frozen=True)
class WeComChannel:
    """The way back to the chat a command came from: replies on its callback's ``req_id``."""

    client: WeComClient
    message: Message

    async def reply(self, parts: list[str]) -> None:
        """Answer the message with markdown ``parts``."""
        await reply_parts(self.client, self.message.req_id, self.message.chat, parts)

    async def notify(self, parts: list[str]) -> None:
        """Send markdown ``parts`` to the message's chat unprompted (a background job's result)."""
        await send_rest(self.client, self.message.chat, parts)


class LiveStream:
    """A stream on one callback that follows changing text (a streaming answer): ``bot.chat.live``.

    ``show`` a placeholder, ``push`` from the event loop, ``push_threadsafe`` from worker threads; ``close(parts)``
    stops following, finishes the stream with the first part and sends the rest as proactive messages.
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
        self._view = LiveView(self._update, render, interval=interval)
        self.show = self._view.show
        self.push = self._view.push
        self.push_threadsafe = self._view.push_threadsafe

    async def close(self, parts: list[str]) -> None:
        """Stop following; finish the stream with ``parts[0]`` and send the rest."""
        await self._view.stop()
        if not parts:
            parts = [self._view.shown or "…"]
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

    async def _update(self, text: str) -> bool:
        try:
            await self.stream.update(text)
        except (WeComError, DeliveryFailed) as exc:  # a lost refresh of a live view does not fail the answer
            logger.warning("wecom stream update failed chat=%s error=%s", self.chat, type(exc).__name__)
            return False
        return True

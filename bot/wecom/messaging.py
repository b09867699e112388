"""Replies and proactive messages over a :class:`WeComClient`: streams, cards, card updates, markdown."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from bot.wecom import frames, replies
from bot.wecom.errors import WeComStreamClosed

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.wecom.client import WeComClient
    from bot.wecom.frames import Ack

logger = logging.getLogger("bot.wecom.messaging")
STREAM_WINDOW = 6 * 60.0  # a stream can be refreshed for 6 minutes after its first frame


async def _request(
    client: WeComClient,
    chat: str | None,
    cmd: str,
    body: dict[str, Any],
    *,
    req_id: str | None = None,
    counted: bool = True,
    retry: bool = True,
) -> Ack:
    """One frame through the client's pacer: flood limits first, transient failures retried."""
    return await client.pacer.send(
        chat, lambda: client.request(cmd, body, req_id=req_id), counted=counted, retry=retry, what=cmd
    )


class StreamReply:
    """A streamed markdown reply on a callback's ``req_id``: each frame carries the whole text so far."""

    def __init__(
        self,
        client: WeComClient,
        req_id: str,
        *,
        window: float = STREAM_WINDOW,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.req_id = req_id
        self.stream_id = frames.new_req_id("stream")
        self.window = window
        self._clock = clock
        self._started: float | None = None
        self.finished = False
        self.frames_sent = 0

    @property
    def expired(self) -> bool:
        """True once the 6-minute refresh window has passed."""
        return self._started is not None and self._clock() - self._started > self.window

    async def update(self, text: str) -> Ack:
        """Show ``text`` (the whole answer so far) in the stream."""
        return await self._send(text, finish=False)

    async def finish(self, text: str, card: dict[str, Any] | None = None) -> Ack:
        """Show the final ``text`` (with ``card`` below it, if given) and close the stream for good."""
        return await self._send(text, finish=True, card=card)

    async def _send(self, text: str, *, finish: bool, card: dict[str, Any] | None = None) -> Ack:
        if self.finished:
            raise WeComStreamClosed("stream already finished")
        if self.expired:
            raise WeComStreamClosed("stream refresh window (6 minutes) has passed")
        body = replies.stream_body(self.stream_id, text, finish=finish)
        if card is not None:
            body = {"msgtype": "stream_with_template_card", "stream": body["stream"], "template_card": card}
        first = self.frames_sent == 0
        if (
            self._started is None
        ):  # the window runs from the first frame (kept on the safe side if it is lost)
            self._started = self._clock()
        # a stream is one message: its first frame counts in the chat's limit; refreshes are superseded by the
        # next one and not retried (a lost first frame only means the next one opens the stream); the final
        # frame is retried until the deadline
        ack = await _request(
            self.client,
            self.client.chat_of(self.req_id),
            frames.RESPOND_MSG,
            body,
            req_id=self.req_id,
            counted=first,
            retry=finish,
        )
        self.frames_sent += 1
        self.finished = finish
        return ack


async def reply_card(client: WeComClient, req_id: str, card: dict[str, Any]) -> Ack:
    """Answer a callback with a template card."""
    chat = client.chat_of(req_id)
    return await _request(client, chat, frames.RESPOND_MSG, replies.card_reply_body(card), req_id=req_id)


async def update_card(
    client: WeComClient, event_req_id: str, card: dict[str, Any], userids: list[str] | None = None
) -> Ack:
    """Replace a clicked card, on **the click event's** ``req_id`` (within 5 s of the click)."""
    body = replies.update_card_body(card, userids)
    # replaces a message rather than adding one (not counted); not retried: it is allowed only within 5 s of the
    # click, and the caller falls back to sending the passage as a message
    return await _request(
        client,
        client.chat_of(event_req_id),
        frames.RESPOND_UPDATE,
        body,
        req_id=event_req_id,
        counted=False,
        retry=False,
    )


async def send_markdown(client: WeComClient, chatid: str, content: str) -> Ack:
    """Send markdown to a chat unprompted (only to a chat whose user has written to the bot)."""
    body = replies.send_body(chatid, "markdown", replies.markdown_payload(content))
    return await _request(client, chatid, frames.SEND_MSG, body)


async def send_card(client: WeComClient, chatid: str, card: dict[str, Any]) -> Ack:
    """Send a template card to a chat unprompted."""
    return await _request(client, chatid, frames.SEND_MSG, replies.send_body(chatid, "template_card", card))


async def send_media(client: WeComClient, chatid: str, media_id: str, media_type: str = "file") -> Ack:
    """Send an uploaded file (or image, voice, video) to a chat as a ``file`` message."""
    body = replies.send_body(chatid, media_type, {"media_id": media_id})
    return await _request(client, chatid, frames.SEND_MSG, body)


async def reply_media(client: WeComClient, req_id: str, media_id: str) -> Ack:
    """Answer a callback with an uploaded file."""
    chat = client.chat_of(req_id)
    return await _request(client, chat, frames.RESPOND_MSG, replies.file_reply_body(media_id), req_id=req_id)

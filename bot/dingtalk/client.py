"""The DingTalk Stream-mode client: ask the gateway for a ticket, connect, ack every frame, answer pings,
reconnect after ``disconnect`` or a dropped socket, and hand each robot message to the handler in its own task.

Why not the official SDK's ``DingTalkStreamClient``: it calls the gateway with blocking ``requests`` inside the
event loop, reads the API address once at import (``DINGTALK_OPENAPI_ENDPOINT``), reconnects on its own fixed
10-second loop that swallows cancellation (no bounded shutdown), acks a robot message only after its handler
returned, and has no duplicate check. Our client keeps its frame and ack shapes (tests run the SDK against our
fake server to prove the shapes match).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol
from urllib.parse import quote_plus

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidURI

from bot.chat.connection import LongConnection, encode
from bot.dingtalk import frames
from bot.dingtalk.errors import DingTalkAuthError, DingTalkError

if TYPE_CHECKING:
    from bot.dingtalk.api import DingTalkApi
    from bot.dingtalk.frames import BotMessage, Frame

logger = logging.getLogger("bot.dingtalk.client")
ws_logger = logging.getLogger("bot.dingtalk.ws")


class DingTalkHandler(Protocol):
    """What the client calls for each robot message; each call runs in its own task."""

    async def on_message(self, client: DingTalkStream, message: BotMessage) -> None:
        """A user's message to the robot (one-to-one, or a group message that @-mentions it)."""


class DingTalkStream(LongConnection):
    """One Stream connection at a time; ``run()`` until ``stop()`` (raises ``DingTalkAuthError`` when the
    credentials are refused); replies go over HTTP (``api``).
    """

    FATAL = (DingTalkAuthError, InvalidURI)
    DROPS = (*LongConnection.DROPS, DingTalkError)

    def __init__(
        self,
        api: DingTalkApi,
        handler: DingTalkHandler,
        *,
        backoff_base: float = 1.0,
        backoff_max: float = 30.0,
        ping_interval: float = 20.0,
    ) -> None:
        super().__init__("dingtalk", api.secret, logger, backoff_base=backoff_base, backoff_max=backoff_max)
        self.api = api
        self.handler = handler
        self.ping_interval = ping_interval
        """WebSocket pings of our own: a socket whose pong does not come within as long is closed, then renewed."""

    def __repr__(self) -> str:
        return f"DingTalkStream(api={self.api!r})"

    async def _connection(self) -> bool:
        """Ask the gateway for a ticket and serve its socket; True when the gateway asked to move (``disconnect``)."""
        endpoint, ticket = await self.api.open_connection()
        url = f"{endpoint}?ticket={quote_plus(ticket)}"
        async with connect(url, ping_interval=self.ping_interval, open_timeout=10, logger=ws_logger) as ws:
            self._opened(ws)
            self.ready.set()
            logger.info("dingtalk connected connection=%d", self.connections)
            return await self._receive(ws)

    async def _receive(self, ws: ClientConnection) -> bool:
        """Read frames until the socket closes; True when the gateway said ``disconnect`` (renew at once)."""
        try:
            async for raw in ws:
                try:
                    frame = frames.parse_frame(raw)
                except (KeyError, TypeError, ValueError) as exc:
                    logger.warning("dingtalk malformed frame error=%s bytes=%d", type(exc).__name__, len(raw))
                    continue
                await ws.send(encode(frames.ack_for(frame)))  # at once: the gateway redelivers otherwise
                if self._route(frame):
                    logger.info("dingtalk gateway asked to reconnect (disconnect)")
                    await ws.close()
                    return True
        except ConnectionClosed:
            pass
        return False

    def _route(self, frame: Frame) -> bool:
        """Dispatch one frame; True for ``disconnect``."""
        if frame.type == frames.SYSTEM:
            if frame.topic == frames.DISCONNECT:
                return True
            if frame.topic != frames.PING:
                logger.info("dingtalk system frame topic=%s", frame.topic)
        elif frame.type == frames.CALLBACK and frame.topic == frames.BOT_MESSAGE_TOPIC:
            try:
                message = frames.parse_bot_message(frame.payload())
            except (TypeError, ValueError, AttributeError) as exc:
                logger.warning("dingtalk malformed robot message error=%s", type(exc).__name__)
                return False
            self._tasks.spawn(self.handler.on_message(self, message))
        else:
            logger.info("dingtalk frame ignored type=%s topic=%s", frame.type, frame.topic)
        return False

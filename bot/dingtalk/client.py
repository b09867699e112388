"""The DingTalk Stream-mode client: ask the gateway for a ticket, connect, ack every frame, answer pings,
reconnect after ``disconnect`` or a dropped socket, and hand each robot message to the handler in its own task.

Why not the official SDK's ``DingTalkStreamClient``: it calls the gateway with blocking ``requests`` inside the
event loop, reads the API address once at import (``DINGTALK_OPENAPI_ENDPOINT``), reconnects on its own fixed
10-second loop that swallows cancellation (no bounded shutdown), acks a robot message only after its handler
returned, and has no duplicate check. Our client keeps its frame and ack shapes (tests run the SDK against our
fake server to prove the shapes match).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Protocol
from urllib.parse import quote_plus

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from bot.chat.delivery import reconnect_pause
from bot.chat.tasks import HandlerTasks
from bot.dingtalk import frames
from bot.dingtalk.errors import DingTalkAuthError, DingTalkError
from bot.redact import install_secret_filter, remove_secret_filter

if TYPE_CHECKING:
    from bot.dingtalk.api import DingTalkApi
    from bot.dingtalk.frames import BotMessage, Frame

logger = logging.getLogger("bot.dingtalk.client")
ws_logger = logging.getLogger("bot.dingtalk.ws")


class DingTalkHandler(Protocol):
    """What the client calls for each robot message; each call runs in its own task."""

    async def on_message(self, client: DingTalkStream, message: BotMessage) -> None:
        """A user's message to the robot (one-to-one, or a group message that @-mentions it)."""


class DingTalkStream:
    """One Stream connection at a time; ``run()`` until ``stop()``; replies go over HTTP (``api``)."""

    def __init__(
        self,
        api: DingTalkApi,
        handler: DingTalkHandler,
        *,
        backoff_base: float = 1.0,
        backoff_max: float = 30.0,
        ping_interval: float = 20.0,
    ) -> None:
        self.api = api
        self.handler = handler
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.ping_interval = ping_interval
        """WebSocket pings of our own: a socket whose pong does not come within as long is closed, then renewed."""
        self.ready = asyncio.Event()
        self.connections = 0
        self._ws: ClientConnection | None = None
        self._tasks = HandlerTasks(logger, "dingtalk")
        self._stop = asyncio.Event()

    def __repr__(self) -> str:
        return f"DingTalkStream(api={self.api!r})"

    async def run(self) -> None:
        """Stay connected until :meth:`stop`; raises ``DingTalkAuthError`` when the credentials are refused."""
        flt = install_secret_filter(self.api.secret)
        attempt = 0
        try:
            while not self._stop.is_set():
                renew_now = False
                try:
                    endpoint, ticket = await self.api.open_connection()
                    url = f"{endpoint}?ticket={quote_plus(ticket)}"
                    async with connect(
                        url, ping_interval=self.ping_interval, open_timeout=10, logger=ws_logger
                    ) as ws:
                        self._ws = ws
                        self.connections += 1
                        self.ready.set()
                        attempt = 0
                        logger.info("dingtalk connected connection=%d", self.connections)
                        renew_now = await self._receive(ws)
                except DingTalkAuthError:
                    raise
                except InvalidURI:
                    raise
                except (DingTalkError, OSError, TimeoutError, InvalidHandshake, ConnectionClosed) as exc:
                    logger.warning("dingtalk connection failed error=%s", type(exc).__name__)
                finally:
                    self._ws = None
                    self.ready.clear()
                if self._stop.is_set():
                    break
                if renew_now:
                    continue  # the gateway asked us to move to a new connection: at once
                attempt += 1
                logger.info("dingtalk reconnecting attempt=%d", attempt)
                await reconnect_pause(self._stop, attempt, self.backoff_base, self.backoff_max)
        finally:
            remove_secret_filter(flt)

    async def stop(self) -> None:
        """Stop receiving: close the connection and make :meth:`run` return (handlers in flight go on)."""
        self._stop.set()
        if self._ws is not None:
            await self._ws.close()

    async def wait_ready(self) -> None:
        """Wait until a connection is open (wrap in ``asyncio.timeout`` to bound it)."""
        await self.ready.wait()

    async def cancel_handlers(self) -> None:
        """Cancel the handlers still running (after the chat core's drain) and wait for them to end."""
        await self._tasks.cancel_all()

    async def _receive(self, ws: ClientConnection) -> bool:
        """Read frames until the socket closes; True when the gateway said ``disconnect`` (renew at once)."""
        try:
            async for raw in ws:
                try:
                    frame = frames.parse_frame(raw)
                except (KeyError, TypeError, ValueError) as exc:
                    logger.warning("dingtalk malformed frame error=%s bytes=%d", type(exc).__name__, len(raw))
                    continue
                await ws.send(
                    frames.encode(frames.ack_for(frame))
                )  # at once: the gateway redelivers otherwise
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

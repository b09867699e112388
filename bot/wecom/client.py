"""The WeCom long-connection client: connect, subscribe, heartbeat, acks by ``req_id``, reconnect, dispatch."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from typing import TYPE_CHECKING, Any, Protocol

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidURI

from bot.chat.connection import LongConnection, decode, encode
from bot.redact import redact
from bot.settings import WECOM_WS_URL
from bot.wecom import frames
from bot.wecom.delivery import Pacer
from bot.wecom.errors import WeComAckTimeout, WeComAuthError, WeComNotConnected, WeComRequestError
from bot.wecom.wslog import SecretFrameGuard

if TYPE_CHECKING:
    from pydantic import SecretStr

    from bot.wecom.frames import Ack, Event, Message

logger = logging.getLogger("bot.wecom.client")
ws_logger = logging.getLogger("bot.wecom.ws")
_MAX_REMEMBERED = 10_000
_MAX_MISSED_PINGS = 2


class WeComHandler(Protocol):
    """What the client calls for each callback; each call runs in its own task."""

    async def on_message(self, client: WeComClient, message: Message) -> None:
        """A user's message (``aibot_msg_callback``)."""

    async def on_event(self, client: WeComClient, event: Event) -> None:
        """An event (``aibot_event_callback``): card click, enter chat, disconnected…"""


class WeComClient(LongConnection):
    """One long connection per bot; ``run()`` until ``stop()`` (raises :class:`WeComAuthError` when the bot id
    and secret are refused); replies go through :meth:`request`.
    """

    FATAL = (WeComAuthError, InvalidURI)
    DROPS = (*LongConnection.DROPS, WeComAckTimeout, WeComNotConnected)

    def __init__(
        self,
        bot_id: str,
        secret: str | SecretStr,
        handler: WeComHandler,
        *,
        url: str = WECOM_WS_URL,
        heartbeat_interval: float = 30.0,
        ack_timeout: float = 5.0,
        backoff_base: float = 1.0,
        backoff_max: float = 30.0,
        pacer: Pacer | None = None,
    ) -> None:
        super().__init__("wecom", secret, logger, backoff_base=backoff_base, backoff_max=backoff_max)
        self.bot_id = bot_id
        self.handler = handler
        self.url = url
        self.heartbeat_interval = heartbeat_interval
        self.ack_timeout = ack_timeout
        self.pacer = pacer or Pacer()
        """Every frame to a chat goes through it: the chat core's flood limits and retries."""
        self._pending: dict[str, asyncio.Future[Ack]] = {}
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}
        self._chats: OrderedDict[str, str] = OrderedDict()
        self._kicked = False

    @property
    def kicked(self) -> bool:
        """True once a newer connection for this bot took over (``disconnected_event``); ``run`` then returned."""
        return self._kicked

    def __repr__(self) -> str:
        return f"WeComClient(bot_id={self.bot_id!r}, url={self.url!r})"

    # lifecycle -------------------------------------------------------------------------------------
    async def _connection(self) -> bool:
        frame_log = SecretFrameGuard(ws_logger, self._secret)
        async with connect(self.url, ping_interval=None, logger=frame_log, open_timeout=10) as ws:
            self._opened(ws)
            await self._session(ws)
        return False

    def _dropped(self, exc: BaseException) -> None:
        if isinstance(exc, WeComNotConnected):
            logger.warning("wecom connection closed")
            return
        detail = redact(str(exc), (self._secret,))
        logger.warning("wecom connection failed error=%s detail=%s", type(exc).__name__, detail)

    def _closed(self) -> None:
        self._fail_pending("connection closed")

    def _finished(self) -> bool:
        return self._kicked

    async def _ended(self) -> None:
        await self.cancel_handlers()

    async def _session(self, ws: ClientConnection) -> None:
        receiver = asyncio.create_task(self._receive(ws))
        heartbeat: asyncio.Task[None] | None = None
        try:
            try:
                await self._exchange(ws, frames.SUBSCRIBE, frames.subscribe_body(self.bot_id, self._secret))
            except WeComRequestError as exc:
                msg = redact(exc.errmsg, (self._secret,))
                raise WeComAuthError(
                    f"WeCom refused the subscription (errcode={exc.errcode} errmsg={msg}): "
                    "check REPORTBOT_WECOM_BOT_ID and REPORTBOT_WECOM_SECRET"
                ) from None
            logger.info("wecom subscribed bot_id=%s connection=%d", self.bot_id, self.connections)
            self.ready.set()
            heartbeat = asyncio.create_task(self._heartbeat(ws))
            await receiver
        finally:
            for task in (heartbeat, receiver):
                if task is not None and not task.done():
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task

    async def _heartbeat(self, ws: ClientConnection) -> None:
        missed = 0
        while True:
            await asyncio.sleep(self.heartbeat_interval)
            try:
                await self._exchange(ws, frames.PING, None)
                missed = 0
            except WeComAckTimeout:
                missed += 1
                logger.warning("wecom heartbeat unanswered missed=%d", missed)
                if missed >= _MAX_MISSED_PINGS:
                    await ws.close()
                    return
            except (WeComNotConnected, ConnectionClosed):
                return

    async def _receive(self, ws: ClientConnection) -> None:
        try:
            async for raw in ws:
                try:
                    data = decode(raw)
                except ValueError:
                    logger.warning("wecom frame is not JSON bytes=%d", len(raw))
                    continue
                except TypeError:
                    continue  # JSON, but not a frame: nothing to route
                try:
                    self._route(ws, data)
                except (KeyError, TypeError, ValueError, AttributeError) as exc:
                    logger.warning(
                        "wecom malformed frame cmd=%s error=%s", data.get("cmd"), type(exc).__name__
                    )
        except ConnectionClosed:
            pass
        finally:
            self._fail_pending("connection closed")

    def _route(self, ws: ClientConnection, data: dict[str, Any]) -> None:
        cmd = data.get("cmd")
        if cmd == frames.MSG_CALLBACK:
            message = frames.parse_message(data)
            self._remember(message.req_id, message.chat)
            self._tasks.spawn(self.handler.on_message(self, message))
        elif cmd == frames.EVENT_CALLBACK:
            event = frames.parse_event(data)
            self._remember(event.req_id, event.chat)
            self._tasks.spawn(self.handler.on_event(self, event))
            if event.eventtype == frames.DISCONNECTED_EVENT:
                logger.warning("wecom disconnected_event: another connection took over this bot")
                self._kicked = True
                self._tasks.spawn(ws.close())
        elif cmd:
            logger.warning("wecom unknown cmd=%s", cmd)
        else:
            ack = frames.parse_ack(data)
            future = self._pending.get(ack.req_id)
            if future is not None and not future.done():
                future.set_result(ack)
            else:
                logger.debug("wecom ack for unknown req_id=%s", ack.req_id)

    # requests --------------------------------------------------------------------------------------
    async def request(
        self, cmd: str, body: dict[str, Any] | None = None, *, req_id: str | None = None
    ) -> Ack:
        """Send one frame and wait for its ack; raises on a non-zero ``errcode`` or a timeout."""
        ws = self._ws
        if ws is None or not self.ready.is_set():
            raise WeComNotConnected(f"{cmd}: not connected to WeCom")
        return await self._exchange(ws, cmd, body, req_id or frames.new_req_id(cmd))

    async def _exchange(
        self, ws: ClientConnection, cmd: str, body: dict[str, Any] | None, req_id: str | None = None
    ) -> Ack:
        rid = req_id or frames.new_req_id(cmd)
        lock, users = self._locks.get(rid, (asyncio.Lock(), 0))
        self._locks[rid] = (lock, users + 1)
        try:
            async with lock:  # frames on one req_id go one at a time: their acks share the req_id
                ack = await self._send_and_wait(ws, cmd, rid, body)
        finally:
            lock, users = self._locks[rid]
            if users <= 1:
                del self._locks[rid]
            else:
                self._locks[rid] = (lock, users - 1)
        if not ack.ok:
            raise WeComRequestError(cmd, ack.errcode, redact(ack.errmsg, (self._secret,)))
        return ack

    async def _send_and_wait(
        self, ws: ClientConnection, cmd: str, rid: str, body: dict[str, Any] | None
    ) -> Ack:
        future: asyncio.Future[Ack] = asyncio.get_running_loop().create_future()
        self._pending[rid] = future
        try:
            try:
                await ws.send(encode(frames.frame(cmd, rid, body)))
            except ConnectionClosed as exc:
                raise WeComNotConnected(f"{cmd}: connection closed") from exc
            try:
                return await asyncio.wait_for(future, self.ack_timeout)
            except TimeoutError:
                raise WeComAckTimeout(f"{cmd}: no ack within {self.ack_timeout:g}s req_id={rid}") from None
        finally:
            self._pending.pop(rid, None)

    def _fail_pending(self, reason: str) -> None:
        for future in list(self._pending.values()):
            if not future.done():
                future.set_exception(WeComNotConnected(reason))

    def _remember(self, req_id: str, chat: str) -> None:
        self._chats[req_id] = chat
        while len(self._chats) > _MAX_REMEMBERED:
            self._chats.popitem(last=False)

    def chat_of(self, req_id: str) -> str | None:
        """The chat a callback's ``req_id`` came from (for the per-chat limit), if still remembered."""
        return self._chats.get(req_id)

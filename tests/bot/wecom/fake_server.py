"""A strict fake WeCom long-connection server on 127.0.0.1: WebSocket + a file server with expiring URLs.

It acks every frame by ``req_id`` (``{headers: {req_id}, errcode, errmsg[, body]}``), records every frame,
refuses what the real server refuses (see ``fake_rules``) and can push callbacks or drop the connection.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from tests.bot.wecom import fake_rules as rules
from tests.bot.wecom.fake_media import FakeMedia
from tests.bot.wecom.fake_replies import Callback, FakeReplies
from tests.bot.wecom.fake_rules import Reject

if TYPE_CHECKING:
    from collections.abc import Callable


@dataclass
class Received:
    """One frame the bot sent, and how the fake answered it."""

    raw: str
    cmd: str | None
    req_id: str | None
    body: Any
    errcode: int = 0
    errmsg: str = "ok"
    connection: int = 0
    at: float = 0.0
    """When it arrived (``time.monotonic()``)."""


@dataclass
class _Conn:
    ws: web.WebSocketResponse
    request: web.Request
    number: int
    subscribed: bool = False


class FakeWeCom:
    """The fake server; ``await start()``, point the client at ``ws_url``, ``await close()``."""

    def __init__(
        self,
        bot_id: str = "aibot-test",
        secret: str = "S3cr3t-for-tests-0123456789abcdefXYZ",
        *,
        bot_name: str = "报告助手",
        url_ttl: float = 300.0,
        stream_window: float = 360.0,
        update_window: float = 5.0,
        per_chat_per_minute: int = 30,
    ) -> None:
        self.bot_id, self.secret, self.bot_name = bot_id, secret, bot_name
        self.received: list[Received] = []
        self.pushed: list[dict[str, Any]] = []
        self.subscriptions = 0
        self.muted: set[str] = set()  # cmds recorded but never acked (a stalled server)
        self.fail_once: dict[str, int] = {}  # cmd → errcode answered once, without acting on the frame
        self.ack_delay = 0.0  # seconds before every ack (a slow server)
        self._offset = 0.0
        self._conns: list[_Conn] = []
        self._numbers = 0
        self.store = FakeMedia(self.now, url_ttl)
        self.replies = FakeReplies(self.now, self.store, stream_window, update_window, per_chat_per_minute)
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # lifecycle --------------------------------------------------------------------------------------
    async def start(self) -> None:
        """Listen on 127.0.0.1 on a free port."""
        app = web.Application()
        app.router.add_get("/", self._ws_handler)
        app.router.add_get("/media/{token}", self.store.serve_file)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def close(self) -> None:
        """Close every connection and stop listening."""
        for conn in list(self._conns):
            await conn.ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def media(self) -> dict[str, tuple[str, bytes]]:
        """Uploaded files by ``media_id``: ``(filename, bytes)`` as reassembled from the chunks."""
        return self.store.media

    @property
    def downloads(self) -> list[str]:
        """Names of the user files downloaded so far."""
        return self.store.downloads

    @property
    def ws_url(self) -> str:
        """The WebSocket URL for the client (plain ``ws://``)."""
        return f"ws://127.0.0.1:{self.port}"

    def now(self) -> float:
        """The fake's clock (monotonic plus whatever :meth:`advance` added)."""
        return time.monotonic() + self._offset

    def advance(self, seconds: float) -> None:
        """Move the fake's clock forward (stream/update windows, URL expiry)."""
        self._offset += seconds

    # observation ------------------------------------------------------------------------------------
    def frames(self, cmd: str | None = None, *, ok: bool | None = None) -> list[Received]:
        """Recorded frames, optionally of one ``cmd`` and only accepted (``ok=True``) or refused ones."""
        return [
            r
            for r in self.received
            if (cmd is None or r.cmd == cmd) and (ok is None or (r.errcode == 0) == ok)
        ]

    async def wait_for(self, predicate: Callable[[FakeWeCom], Any], timeout: float = 5.0) -> Any:  # noqa: ASYNC109
        """Wait until ``predicate(self)`` is truthy and return its value."""
        async with asyncio.timeout(timeout), self._changed:
            while not (value := predicate(self)):
                await self._changed.wait()
            return value

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    @property
    def live_connections(self) -> int:
        """Subscribed connections still open."""
        return sum(1 for c in self._conns if c.subscribed and not c.ws.closed)

    # pushing callbacks ------------------------------------------------------------------------------
    async def push_text(
        self,
        userid: str,
        content: str,
        *,
        chattype: str = "single",
        chatid: str | None = None,
        mention: bool = True,
    ) -> str:
        """A user's text message; in a group chat it starts with ``@bot_name`` when ``mention``."""
        if chattype == "group" and mention:
            content = f"@{self.bot_name} {content}"
        return await self._push_msg(userid, "text", {"text": {"content": content}}, chattype, chatid)

    async def push_file(
        self,
        userid: str,
        data: bytes,
        filename: str,
        *,
        disposition: str = "both",
        chatid: str | None = None,
        declared_size: int | None = None,
    ) -> str:
        """A user's file (one-to-one chats only) behind an expiring, signed, AES-encrypted URL; with
        ``declared_size`` the download only declares that size and never sends the body.
        """
        base = f"http://127.0.0.1:{self.port}"
        url, aeskey = self.store.add_file(base, data, filename, disposition, declared_size)
        return await self._push_msg(
            userid, "file", {"file": {"url": url, "aeskey": aeskey}}, "single", chatid
        )

    async def push_click(
        self,
        userid: str,
        task_id: str,
        event_key: str,
        *,
        chattype: str = "single",
        chatid: str | None = None,
    ) -> str:
        """A press on a card button: ``event.template_card_event.{event_key, task_id}`` (official doc shape)."""
        event = {
            "eventtype": "template_card_event",
            "template_card_event": {
                "card_type": "button_interaction",
                "event_key": event_key,
                "task_id": task_id,
            },
        }
        return await self._push_event(userid, event, chattype, chatid, task_id)

    async def push_disconnected(self) -> str:
        """The event a connection gets when a newer one subscribes for the same bot."""
        return await self._push_event("", {"eventtype": "disconnected_event"}, None, None, None)

    async def push_raw(self, text: str) -> None:
        """Send ``text`` as is (malformed frames, for robustness tests)."""
        await self._current().ws.send_str(text)

    async def drop(self) -> None:
        """Cut every connection without a closing handshake."""
        for conn in list(self._conns):
            transport = conn.request.transport
            if transport is not None:
                transport.abort()
            else:  # pragma: no cover - aiohttp always has a transport here
                await conn.ws.close()

    async def _push_msg(
        self, userid: str, msgtype: str, extra: dict[str, Any], chattype: str, chatid: str | None
    ) -> str:
        body: dict[str, Any] = {
            "msgid": secrets.token_hex(8),
            "aibotid": self.bot_id,
            "chattype": chattype,
            "from": {"userid": userid},
            "create_time": int(time.time()),
            "msgtype": msgtype,
            **extra,
        }
        if chattype == "group":
            body["chatid"] = chatid or "wrgroup-test"
        chat = body.get("chatid", userid)
        self.replies.open_chats.add(chat)
        return await self._push("aibot_msg_callback", body, Callback("msg", chat, self.now()))

    async def _push_event(
        self,
        userid: str,
        event: dict[str, Any],
        chattype: str | None,
        chatid: str | None,
        task_id: str | None,
    ) -> str:
        body: dict[str, Any] = {
            "msgid": secrets.token_hex(8),
            "create_time": int(time.time()),
            "aibotid": self.bot_id,
            "msgtype": "event",
            "event": event,
        }
        if userid:
            body["from"] = {"userid": userid}
        if chattype:
            body["chattype"] = chattype
        if chattype == "group":
            body["chatid"] = chatid or "wrgroup-test"
        chat = body.get("chatid", userid)
        return await self._push(
            "aibot_event_callback", body, Callback(event["eventtype"], chat, self.now(), task_id)
        )

    async def _push(self, cmd: str, body: dict[str, Any], callback: Callback) -> str:
        conn = self._current()
        req_id = f"{cmd}_{secrets.token_hex(6)}"
        self.replies.callbacks[req_id] = callback
        data = {"cmd": cmd, "headers": {"req_id": req_id}, "body": body}
        self.pushed.append(data)
        await conn.ws.send_str(json.dumps(data, ensure_ascii=False))
        return req_id

    def _current(self) -> _Conn:
        live = [c for c in self._conns if c.subscribed and not c.ws.closed]
        if not live:
            raise RuntimeError("no subscribed connection to push to")
        return live[-1]

    # serving ----------------------------------------------------------------------------------------
    async def _ws_handler(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=4 * 1024 * 1024)
        await ws.prepare(request)
        self._numbers += 1
        conn = _Conn(ws, request, self._numbers)
        self._conns.append(conn)
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    await self._on_frame(conn, msg.data)
        finally:
            self._conns.remove(conn)
            await self._notify()
        return ws

    async def _on_frame(self, conn: _Conn, raw: str) -> None:
        record = Received(
            raw=raw, cmd=None, req_id=None, body=None, connection=conn.number, at=time.monotonic()
        )
        body: dict[str, Any] = {}
        try:
            try:
                data = json.loads(raw)
            except ValueError:
                raise Reject(rules.ERR_BAD_JSON, "frame is not JSON") from None
            if not isinstance(data, dict):
                raise Reject(rules.ERR_BAD_JSON, "frame is not a JSON object")
            record.cmd, record.body = data.get("cmd"), data.get("body")
            headers = data.get("headers")
            record.req_id = headers.get("req_id") if isinstance(headers, dict) else None
            if not record.req_id or not isinstance(record.req_id, str):
                raise Reject(rules.ERR_NO_REQ_ID, "headers.req_id is required")
            if record.cmd not in rules.CLIENT_CMDS:
                raise Reject(rules.ERR_UNKNOWN_CMD, f"unknown cmd {record.cmd!r}")
            if record.cmd != "aibot_subscribe" and not conn.subscribed:
                raise Reject(rules.ERR_NOT_SUBSCRIBED, "send aibot_subscribe first")
            if record.body is not None and not isinstance(record.body, dict):
                raise Reject(rules.ERR_BAD_PARAM, "body must be an object")
            errcode = self.fail_once.pop(record.cmd, None)
            if errcode is not None:
                raise Reject(errcode, "system busy (injected once)")
            body = await self._handle(conn, record.cmd, record.req_id, record.body or {})
        except Reject as reject:
            record.errcode, record.errmsg = reject.errcode, reject.errmsg
        self.received.append(record)
        ack: dict[str, Any] = {"headers": {"req_id": record.req_id or ""}, "errcode": record.errcode}
        ack["errmsg"] = record.errmsg
        if body:
            ack["body"] = body
        if self.ack_delay:
            await asyncio.sleep(self.ack_delay)
        if not conn.ws.closed and record.cmd not in self.muted:
            await conn.ws.send_str(json.dumps(ack, ensure_ascii=False))
        await self._notify()

    async def _handle(self, conn: _Conn, cmd: str, req_id: str, body: dict[str, Any]) -> dict[str, Any]:
        if cmd == "aibot_subscribe":
            return await self._subscribe(conn, body)
        if cmd == "ping":
            return {}
        if cmd == "aibot_respond_msg":
            return self.replies.respond(req_id, body)
        if cmd == "aibot_respond_update_msg":
            return self.replies.update(req_id, body)
        if cmd == "aibot_respond_welcome_msg":
            self.replies.callback(req_id, {"enter_chat"})
            return {}
        if cmd == "aibot_send_msg":
            return self.replies.send(body)
        return self.store.upload(cmd, body)

    async def _subscribe(self, conn: _Conn, body: dict[str, Any]) -> dict[str, Any]:
        if body.get("bot_id") != self.bot_id or body.get("secret") != self.secret:
            raise Reject(rules.ERR_AUTH, "invalid bot_id or secret")
        for old in [c for c in self._conns if c.subscribed and c is not conn and not c.ws.closed]:
            data = {
                "cmd": "aibot_event_callback",
                "headers": {"req_id": f"aibot_event_callback_{secrets.token_hex(6)}"},
                "body": {
                    "msgid": secrets.token_hex(8),
                    "create_time": int(time.time()),
                    "aibotid": self.bot_id,
                    "msgtype": "event",
                    "event": {"eventtype": "disconnected_event"},
                },
            }
            await old.ws.send_str(json.dumps(data))
            await old.ws.close()
        conn.subscribed = True
        self.subscriptions += 1
        return {}

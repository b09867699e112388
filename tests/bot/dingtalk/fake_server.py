"""A strict fake DingTalk on 127.0.0.1: the Stream gateway and its WebSocket, the OpenAPI endpoints the robot
uses, session webhooks that expire, and a file server with expiring URLs.

It refuses what DingTalk refuses and records every breach of the protocol in ``violations`` (tests assert it is
empty): a wrong or unknown ack, a ping not answered in time (the connection is then closed), a reply to an
expired webhook, an OpenAPI call without a valid access token, a ticket used twice, more than 20 messages a
minute to one conversation. A robot message stays pending until its ack arrives and is delivered again on the
next connection (as the real gateway redelivers what it saw no ack for).
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
import uuid
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.support.held_body import held_response
from tests.support.local_server import AioFake

CALLBACK_TOPIC = "/v1.0/im/bot/messages/get"
TOKEN_HEADER = "x-acs-dingtalk-access-token"
EXPIRED_WEBHOOK = 300001
TOO_FAST = 130101


@dataclass
class Sent:
    """One message the robot sent, as the user sees it."""

    via: str
    """``webhook`` or ``openapi``."""
    to: str
    """The user's staffId (one-to-one) or the group's conversationId."""
    title: str
    text: str
    at: float = 0.0


@dataclass
class _Conn:
    ws: web.WebSocketResponse
    number: int
    pings: dict[str, Any] = field(default_factory=dict)
    """Pings waiting for their ack: messageId → the data sent."""


@dataclass
class _Webhook:
    to: str
    expires: float
    """Epoch seconds."""


class FakeDingTalk(AioFake):
    """The fake; ``await start()``, point the bot at ``base_url``, ``await close()``."""

    wait_timeout = 10.0
    recheck = 0.2  # predicates on the clock (a webhook's expiry) are checked again without a request

    def __init__(
        self,
        client_id: str = "dingtestappkey0001",
        client_secret: str = "DtS3cr3t-for-tests-0123456789abcdefXYZ",
        *,
        webhook_ttl: float = 5400.0,
        url_ttl: float = 60.0,
        ping_timeout: float = 2.0,
        per_conversation_per_minute: int = 20,
        rate_window: float = 60.0,
    ) -> None:
        super().__init__()
        self.client_id, self.client_secret = client_id, client_secret
        self.webhook_ttl, self.url_ttl, self.ping_timeout = webhook_ttl, url_ttl, ping_timeout
        self.per_minute = per_conversation_per_minute
        self.rate_window = rate_window
        """The flood limit's window in seconds (a minute; shorter only in tests)."""
        self.violations: list[str] = []
        self.sent: list[Sent] = []
        self.acks: list[dict[str, Any]] = []
        self.downloads: list[str] = []
        self._declared: dict[str, int] = {}
        self.opens = 0
        self.webhook_errors: list[int] = []
        """Errcodes the next webhook calls get instead of being delivered (a busy or throttled DingTalk)."""
        self.connections = 0
        self.pending: OrderedDict[str, dict[str, Any]] = OrderedDict()
        """Robot-message frames not acked yet, by messageId."""
        self.delivered: dict[str, int] = {}
        """How often each robot message (msgId) went out on a socket."""
        self._tokens: dict[str, float] = {}
        self._tickets: dict[str, float] = {}
        self._webhooks: dict[str, _Webhook] = {}
        self._files: dict[str, tuple[str, bytes]] = {}
        self._urls: dict[str, tuple[str, float]] = {}
        self._rates: dict[str, deque[float]] = {}
        self._conns: list[_Conn] = []
        self._history: list[dict[str, Any]] = []
        """Every robot-message frame pushed (redeliveries included)."""
        self._system_ids: set[str] = set()

    # lifecycle ------------------------------------------------------------------------------------------
    def _app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v1.0/gateway/connections/open", self._open)
        app.router.add_get("/connect", self._connect)
        app.router.add_post("/v1.0/oauth2/accessToken", self._token)
        app.router.add_post("/v1.0/robot/messageFiles/download", self._download_url)
        app.router.add_post("/v1.0/robot/oToMessages/batchSend", self._send_private)
        app.router.add_post("/v1.0/robot/groupMessages/send", self._send_group)
        app.router.add_post("/robot/sendBySession", self._webhook)
        app.router.add_get("/files/{token}", self._file)
        return app

    @property
    def base_url(self) -> str:
        """What ``REPORTBOT_DINGTALK_API_URL`` points at (plain ``http://``)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def live_connections(self) -> int:
        """Sockets open now."""
        return sum(1 for c in self._conns if not c.ws.closed)

    # observation ----------------------------------------------------------------------------------------
    def texts_to(self, to: str) -> list[str]:
        """Every markdown text the robot sent to a user or group, in order."""
        return [s.text for s in self.sent if s.to == to]

    # pushing --------------------------------------------------------------------------------------------
    async def push_text(
        self,
        staff_id: str,
        text: str,
        *,
        group: str | None = None,
        at: bool = True,
        msg_id: str | None = None,
    ) -> str:
        """A user's text to the robot, one-to-one or in ``group`` (``isInAtList`` = ``at``); returns the msgId."""
        return await self._push(staff_id, "text", {"text": {"content": text}}, group, at, msg_id)

    async def push_file(self, staff_id: str, data: bytes, name: str, declared_size: int | None = None) -> str:
        """A file a user sends the robot one-to-one (its ``downloadCode`` and ``fileName``); returns the msgId.

        With ``declared_size`` its download only declares that size and never sends the body.
        """
        code = secrets.token_urlsafe(16)
        self._files[code] = (name, data)
        if declared_size is not None:
            self._declared[code] = declared_size
        return await self._push(
            staff_id, "file", {"content": {"downloadCode": code, "fileName": name}}, None, False
        )

    async def push_again(self, msg_id: str) -> None:
        """Deliver a message again with the same msgId (a new frame, as after a lost ack)."""
        original = next(f for f in self._history if json.loads(f["data"])["msgId"] == msg_id)
        frame = {**original, "headers": {**original["headers"], "messageId": uuid.uuid4().hex}}
        self._history.append(frame)
        self.pending[frame["headers"]["messageId"]] = frame
        await self._deliver(frame)

    async def ping(self) -> None:
        """A SYSTEM ping on the live connection; its ack must echo the data within ``ping_timeout``."""
        conn = self._live()
        message_id = uuid.uuid4().hex
        data = {"opaque": uuid.uuid4().hex}
        conn.pings[message_id] = data
        await conn.ws.send_str(json.dumps(self._system("ping", message_id, data)))
        asyncio.get_running_loop().call_later(self.ping_timeout, self._ping_overdue, conn, message_id)

    async def disconnect(self) -> None:
        """A SYSTEM disconnect: the client must move to a new connection (this one is closed 10 s later)."""
        conn = self._live()
        await conn.ws.send_str(json.dumps(self._system("disconnect", uuid.uuid4().hex, {})))
        asyncio.get_running_loop().call_later(10.0, lambda: asyncio.ensure_future(conn.ws.close()))

    def _live(self) -> _Conn:
        for conn in reversed(self._conns):
            if not conn.ws.closed:
                return conn
        raise AssertionError("no live connection")

    def _system(self, topic: str, message_id: str, data: dict[str, Any]) -> dict[str, Any]:
        self._system_ids.add(message_id)
        headers = {
            "contentType": "application/json",
            "messageId": message_id,
            "time": str(int(time.time() * 1000)),
            "topic": topic,
        }
        return {"specVersion": "1.0", "type": "SYSTEM", "headers": headers, "data": json.dumps(data)}

    async def _push(
        self,
        staff_id: str,
        msgtype: str,
        content: dict[str, Any],
        group: str | None,
        at: bool,
        msg_id: str | None = None,
    ) -> str:
        msg_id = msg_id or f"msg{uuid.uuid4().hex}"
        session = secrets.token_urlsafe(12)
        to = group or staff_id
        expires = time.time() + self.webhook_ttl
        self._webhooks[session] = _Webhook(to, expires)
        data = {
            "conversationId": group or f"cid-{staff_id}",
            "conversationType": "2" if group else "1",
            "msgId": msg_id,
            "senderNick": staff_id,
            "senderStaffId": staff_id,
            "senderId": f"$:LWCP_v1:${staff_id}",
            "isInAtList": at if group else True,
            "robotCode": self.client_id,
            "chatbotUserId": "$:LWCP_v1:$robot",
            "sessionWebhook": f"{self.base_url}/robot/sendBySession?session={session}",
            "sessionWebhookExpiredTime": int(expires * 1000),
            "createAt": int(time.time() * 1000),
            "msgtype": msgtype,
            **content,
        }
        headers = {
            "appId": "fake-app",
            "contentType": "application/json",
            "messageId": uuid.uuid4().hex,
            "time": str(int(time.time() * 1000)),
            "topic": CALLBACK_TOPIC,
        }
        frame = {
            "specVersion": "1.0",
            "type": "CALLBACK",
            "headers": headers,
            "data": json.dumps(data, ensure_ascii=False),
        }
        self._history.append(frame)
        self.pending[headers["messageId"]] = frame
        await self._deliver(frame)
        return msg_id

    async def _deliver(self, frame: dict[str, Any]) -> None:
        """Send a pending frame on the live connection (or leave it for the next one)."""
        for conn in reversed(self._conns):
            if not conn.ws.closed:
                msg_id = json.loads(frame["data"])["msgId"]
                try:
                    await conn.ws.send_str(json.dumps(frame, ensure_ascii=False))
                except ConnectionError:  # a cut socket not noticed yet: the frame stays pending
                    continue
                self.delivered[msg_id] = self.delivered.get(msg_id, 0) + 1
                return

    # the gateway ----------------------------------------------------------------------------------------
    async def _open(self, request: web.Request) -> web.Response:
        body = await self._json(request)
        if body.get("clientId") != self.client_id or body.get("clientSecret") != self.client_secret:
            return web.json_response(
                {"code": "InvalidAuthentication", "message": "clientId or clientSecret"}, status=401
            )
        topics = {
            (s.get("type"), s.get("topic")) for s in body.get("subscriptions") or [] if isinstance(s, dict)
        }
        if ("CALLBACK", CALLBACK_TOPIC) not in topics:
            self.violations.append(f"connections/open without the robot-message subscription: {topics}")
            return web.json_response({"code": "InvalidParameter", "message": "subscriptions"}, status=400)
        if not isinstance(body.get("ua"), str) or "localIp" not in body:
            self.violations.append("connections/open without ua or localIp")
        ticket = secrets.token_urlsafe(24)
        self._tickets[ticket] = time.time() + 90
        self.opens += 1
        return web.json_response({"endpoint": f"ws://127.0.0.1:{self.port}/connect", "ticket": ticket})

    async def _connect(self, request: web.Request) -> web.StreamResponse:
        ticket = request.query.get("ticket", "")
        expires = self._tickets.pop(ticket, None)
        if expires is None or expires < time.time():
            self.violations.append("WebSocket opened with an unknown, used or expired ticket")
            raise web.HTTPUnauthorized(text="invalid ticket")
        ws = await self._accept(request, autoping=True)
        self.connections += 1
        conn = _Conn(ws, self.connections)
        self._conns.append(conn)
        await self._notify()
        for frame in list(self.pending.values()):  # what was never acked goes out again
            await self._deliver(frame)
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    await self._on_ack(conn, msg.data)
                elif msg.type == WSMsgType.BINARY:
                    self.violations.append("binary frame from the client")
        finally:
            await self._notify()
        return ws

    async def _on_ack(self, conn: _Conn, raw: str) -> None:
        try:
            ack = json.loads(raw)
            headers = ack["headers"]
            message_id = headers["messageId"]
            if ack["code"] != 200 or headers.get("contentType") != "application/json":
                raise ValueError(f"code/contentType {ack.get('code')} {headers.get('contentType')}")
            if not isinstance(ack.get("message"), str) or not isinstance(ack.get("data"), str):
                raise ValueError("message and data must be strings")
            data = json.loads(ack["data"])
        except (ValueError, KeyError, TypeError) as exc:
            self.violations.append(f"malformed ack: {exc}: {raw[:200]}")
            await self._notify()
            return
        self.acks.append(ack)
        if message_id in conn.pings:
            if data != conn.pings.pop(message_id):
                self.violations.append(f"ping ack does not echo its data: {raw[:200]}")
        elif message_id in self.pending:
            if not isinstance(data, dict) or "response" not in data:
                self.violations.append(f"robot-message ack without data.response: {raw[:200]}")
            else:
                del self.pending[message_id]
        elif message_id not in self._system_ids and not any(
            f["headers"]["messageId"] == message_id for f in self._history
        ):
            self.violations.append(f"ack for an unknown messageId: {raw[:200]}")
        await self._notify()

    def _ping_overdue(self, conn: _Conn, message_id: str) -> None:
        if message_id in conn.pings and not conn.ws.closed:
            self.violations.append("ping not acked in time: connection closed")
            self.in_background(conn.ws.close())

    # OpenAPI --------------------------------------------------------------------------------------------
    async def _token(self, request: web.Request) -> web.Response:
        body = await self._json(request)
        if body.get("appKey") != self.client_id or body.get("appSecret") != self.client_secret:
            return web.json_response(
                {"code": "invalidClientIdOrSecret", "message": "bad credentials"}, status=400
            )
        token = secrets.token_hex(16)
        self._tokens[token] = time.time() + 7200
        return web.json_response({"accessToken": token, "expireIn": 7200})

    def _authorised(self, request: web.Request) -> bool:
        token = request.headers.get(TOKEN_HEADER, "")
        if self._tokens.get(token, 0) > time.time():
            return True
        self.violations.append(f"unauthenticated call to {request.path}")
        return False

    async def _download_url(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return web.json_response({"code": "InvalidAuthentication", "message": "token"}, status=401)
        body = await self._json(request)
        code = body.get("downloadCode")
        if body.get("robotCode") != self.client_id or code not in self._files:
            return web.json_response({"code": "invalidParameter", "message": "downloadCode"}, status=400)
        token = secrets.token_urlsafe(16)
        self._urls[token] = (str(code), time.time() + self.url_ttl)
        return web.json_response({"downloadUrl": f"{self.base_url}/files/{token}"})

    async def _file(self, request: web.Request) -> web.StreamResponse:
        found = self._urls.get(request.match_info["token"])
        if found is None or found[1] < time.time():
            return web.Response(status=403, text="link expired")
        name, data = self._files[found[0]]
        self.downloads.append(name)
        await self._notify()
        if found[0] in self._declared:
            return await held_response(request, self._declared[found[0]])
        return web.Response(body=data, content_type="application/octet-stream")

    async def _send_private(self, request: web.Request) -> web.Response:
        return await self._send_openapi(request, "userIds")

    async def _send_group(self, request: web.Request) -> web.Response:
        return await self._send_openapi(request, "openConversationId")

    async def _send_openapi(self, request: web.Request, key: str) -> web.Response:
        if not self._authorised(request):
            return web.json_response({"code": "InvalidAuthentication", "message": "token"}, status=401)
        body = await self._json(request)
        try:
            _require(body["robotCode"] == self.client_id, "robotCode")
            _require(body["msgKey"] == "sampleMarkdown", "msgKey")
            param = json.loads(body["msgParam"])
            title, text = param["title"], param["text"]
            _require(title and text, "title and text")
            target = body[key]
            to = target[0] if key == "userIds" else target
        except (KeyError, TypeError, ValueError) as exc:
            self.violations.append(f"bad OpenAPI send {request.path}: {exc!r} {body}")
            return web.json_response({"code": "invalidParameter", "message": "body"}, status=400)
        if not self._within_rate(to):
            return web.json_response({"code": str(TOO_FAST), "message": "send too fast"}, status=400)
        self.sent.append(Sent("openapi", str(to), str(title), str(text), time.monotonic()))
        await self._notify()
        return web.json_response({"processQueryKey": uuid.uuid4().hex})

    async def _webhook(self, request: web.Request) -> web.Response:
        hook = self._webhooks.get(request.query.get("session", ""))
        if hook is None or hook.expires < time.time():
            self.violations.append("reply to an expired or unknown session webhook")
            return web.json_response({"errcode": EXPIRED_WEBHOOK, "errmsg": "session expired"})
        body = await self._json(request)
        try:
            _require(body["msgtype"] == "markdown", "msgtype")
            title, text = body["markdown"]["title"], body["markdown"]["text"]
            _require(isinstance(title, str) and title and isinstance(text, str) and text, "title and text")
        except (KeyError, TypeError, ValueError) as exc:
            self.violations.append(f"bad webhook message: {exc!r} {str(body)[:200]}")
            return web.json_response({"errcode": 40035, "errmsg": "bad message"})
        if self.webhook_errors:
            return web.json_response({"errcode": self.webhook_errors.pop(0), "errmsg": "system busy"})
        if not self._within_rate(hook.to):
            return web.json_response({"errcode": TOO_FAST, "errmsg": "send too fast"})
        self.sent.append(Sent("webhook", hook.to, title, text, time.monotonic()))
        await self._notify()
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    def _within_rate(self, to: str) -> bool:
        now = time.monotonic()
        window = self._rates.setdefault(to, deque())
        while window and window[0] <= now - self.rate_window:
            window.popleft()
        if len(window) >= self.per_minute:
            self.violations.append(f"more than {self.per_minute} messages in {self.rate_window:g} s to {to}")
            return False
        window.append(now)
        return True

    @staticmethod
    async def _json(request: web.Request) -> dict[str, Any]:
        try:
            body = await request.json()
        except ValueError:
            return {}
        return body if isinstance(body, dict) else {}


def _require(condition: object, what: str) -> None:
    """A check of a request's shape; ``ValueError`` naming ``what`` when it fails."""
    if not condition:
        raise ValueError(what)

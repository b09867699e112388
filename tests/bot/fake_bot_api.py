"""A fake Telegram Bot API: a real HTTP server on 127.0.0.1 the bot talks to instead of api.telegram.org.

It speaks the subset of the Bot API reportbot uses with the real request and response shapes
(``{"ok": true, "result": ...}`` / ``{"ok": false, "error_code": ..., "description": ...}``), parses
Telegram HTML as strictly as Telegram does (unknown tags, unbalanced tags and bare ``<``/``&`` are
400 errors; texts over 4096 characters are refused), and lets a test act as users: inject text
messages, documents and button presses, make the next call fail (e.g. 429 with ``retry_after``),
and inspect what the bot sent.

Fault injection for the reliability tests: ``fail_next`` (any Bot API error: 5xx, 429 with ``retry_after``),
``drop_next`` (the connection is closed without an answer), ``go_offline``/``go_online`` (connection refused);
every call is logged with its arrival time (``calls``) so flood limits can be checked afterwards.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.support.local_server import AioFake

MAX_TEXT_UTF16 = 4096
MAX_CALLBACK_DATA_BYTES = 64
ALLOWED_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "a",
        "code",
        "pre",
        "tg-spoiler",
        "span",
        "blockquote",
    }
)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+\s*=\s*\"[^\"]*\")*)\s*>")
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|lt|gt|amp|quot);")
_JSON_PARAMS = frozenset(
    {
        "scope",
        "reply_markup",
        "entities",
        "allowed_updates",
        "commands",
        "reply_parameters",
        "link_preview_options",
    }
)
_INT_PARAMS = frozenset(
    {"chat_id", "message_id", "offset", "limit", "timeout", "reply_to_message_id", "cache_time"}
)


class BotApiError(Exception):
    """An error the fake answers with, in Telegram's shape."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error_code": self.code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML into plain text and entities; raise BotApiError(400) like Telegram does."""
    out: list[str] = []
    entities: list[dict[str, Any]] = []
    stack: list[tuple[str, int]] = []
    pos = 0
    offset = 0
    while pos < len(text):
        ch = text[pos]
        if ch == "<":
            m = _TAG.match(text, pos)
            if m is None:
                msg = f"Bad Request: can't parse entities: Unsupported start tag at byte offset {pos}"
                raise BotApiError(400, msg)
            closing, name = m.group(1) == "/", m.group(2).lower()
            if name not in ALLOWED_TAGS:
                msg = (
                    f'Bad Request: can\'t parse entities: Unsupported start tag "{name}" at byte offset {pos}'
                )
                raise BotApiError(400, msg)
            if closing:
                if not stack or stack[-1][0] != name:
                    msg = f'Bad Request: can\'t parse entities: Unmatched end tag at byte offset {pos}, expected "</{stack[-1][0] if stack else ""}>", found "</{name}>"'
                    raise BotApiError(400, msg)
                open_name, start = stack.pop()
                if offset > start:
                    entities.append(
                        {"type": _entity_type(open_name), "offset": start, "length": offset - start}
                    )
            else:
                stack.append((name, offset))
            pos = m.end()
        elif ch == "&":
            m = _ENTITY.match(text, pos)
            if m is None:
                msg = f"Bad Request: can't parse entities: Unsupported entity at byte offset {pos}"
                raise BotApiError(400, msg)
            decoded = html.unescape(m.group(0))
            out.append(decoded)
            offset += utf16_len(decoded)
            pos = m.end()
        elif ch == ">":
            msg = f"Bad Request: can't parse entities: Unexpected end tag at byte offset {pos}"
            raise BotApiError(400, msg)
        else:
            out.append(ch)
            offset += utf16_len(ch)
            pos += 1
    if stack:
        msg = f"Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"{stack[-1][0]}\""
        raise BotApiError(400, msg)
    return "".join(out), sorted(entities, key=lambda e: e["offset"])


def _entity_type(tag: str) -> str:
    return {
        "b": "bold",
        "strong": "bold",
        "i": "italic",
        "em": "italic",
        "u": "underline",
        "ins": "underline",
        "s": "strikethrough",
        "strike": "strikethrough",
        "del": "strikethrough",
        "a": "text_link",
        "code": "code",
        "pre": "pre",
        "tg-spoiler": "spoiler",
        "span": "spoiler",
        "blockquote": "blockquote",
    }[tag]


@dataclass
class Call:
    """One request the bot made, as the server saw it."""

    method: str
    params: dict[str, Any]
    at: float
    files: dict[str, bytes] = field(default_factory=dict)
    result: Any = None
    error: dict[str, Any] | None = None


class FakeBotApi(AioFake):
    """The fake server plus the test's handle on it (act as users, inspect what the bot did)."""

    def __init__(self, token: str, *, bot_id: int = 7000001, username: str = "reportbot_test_bot") -> None:
        super().__init__()
        self.token = token
        self.bot_user = {"id": bot_id, "is_bot": True, "first_name": "Reportbot", "username": username}
        self.calls: list[Call] = []
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._last_update_id = 0
        self._draining = False
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._file_ids = itertools.count(1)
        self._files: dict[str, tuple[str, bytes]] = {}
        self._failures: dict[str, list[BotApiError]] = {}
        self._drops: dict[str, int] = {}
        self._offline = False

    # ---- lifecycle -------------------------------------------------------------------------------------

    def _app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("POST", "/bot{token}/{method}", self._handle_method)
        app.router.add_route("GET", "/bot{token}/{method}", self._handle_method)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._handle_file)
        return app

    async def go_offline(self) -> None:
        """Stop listening: new connections are refused and open ones closed until ``go_online``."""
        self._offline = True
        if self._site is not None:
            await self._site.stop()
            self._site = None

    async def go_online(self) -> None:
        """Listen again on the same port."""
        self._offline = False
        await self._listen()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    # ---- acting as users --------------------------------------------------------------------------------

    @staticmethod
    def user(user_id: int, first_name: str = "用户") -> dict[str, Any]:
        return {
            "id": user_id,
            "is_bot": False,
            "first_name": f"{first_name}{user_id}",
            "language_code": "zh-hans",
        }

    @staticmethod
    def private_chat(user_id: int) -> dict[str, Any]:
        return {"id": user_id, "type": "private", "first_name": f"用户{user_id}"}

    @staticmethod
    def group_chat(chat_id: int) -> dict[str, Any]:
        return {"id": chat_id, "type": "supergroup", "title": "卫健局工作群"}

    def send_text(
        self,
        user_id: int,
        text: str,
        *,
        chat: dict[str, Any] | None = None,
        reply_to: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A user sends ``text`` (private chat unless ``chat`` is given); commands and mentions get entities."""
        message = self._user_message(user_id, chat)
        message["text"] = text
        entities = []
        if text.startswith("/"):
            entities.append({"type": "bot_command", "offset": 0, "length": utf16_len(text.split()[0])})
        for m in re.finditer(r"@[A-Za-z0-9_]{5,}", text):
            entities.append(
                {"type": "mention", "offset": utf16_len(text[: m.start()]), "length": utf16_len(m.group(0))}
            )
        if entities:
            message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        self._push_update({"message": message})
        return message

    def send_document(
        self,
        user_id: int,
        file_name: str,
        data: bytes,
        *,
        mime_type: str = "application/octet-stream",
        declared_size: int | None = None,
        chat: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A user uploads a file; ``declared_size`` overrides the size Telegram reports (for big-file tests)."""
        file_id = self._store_file(file_name, data)
        message = self._user_message(user_id, chat)
        message["document"] = {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": len(data) if declared_size is None else declared_size,
        }
        self._push_update({"message": message})
        return message

    def press_button(self, user_id: int, message: dict[str, Any], data: str) -> str:
        """A user taps an inline button with callback ``data`` under the bot's ``message``."""
        query_id = str(next(self._update_ids) * 1000 + 7)
        self._push_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": self.user(user_id),
                    "message": message,
                    "chat_instance": f"ci{message['chat']['id']}",
                    "data": data,
                }
            }
        )
        return query_id

    def drain(self) -> None:
        """Answer pending and later getUpdates at once, so a stopping bot is not held up by a long poll."""
        self._draining = True
        asyncio.get_running_loop().create_task(self._notify())

    def drop_next(self, method: str, times: int = 1) -> None:
        """Close the connection of the next ``times`` calls of ``method`` before answering (nothing is done)."""
        self._drops[method] = self._drops.get(method, 0) + times

    def fail_next(self, method: str, error: BotApiError, times: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` with ``error`` (e.g. 429 with retry_after)."""
        self._failures.setdefault(method, []).extend([error] * times)

    # ---- inspecting the bot -----------------------------------------------------------------------------

    def command_menu(self, scope: dict[str, Any] | None = None) -> list[str]:
        """The command names set with setMyCommands for ``scope`` (default scope when None)."""
        key = json.dumps(scope or {"type": "default"}, sort_keys=True)
        return [c["command"] for c in self.commands.get(key, [])]

    def calls_of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def bot_messages(self, chat_id: int) -> list[dict[str, Any]]:
        """Messages the bot has in ``chat_id`` now (after edits), oldest first."""
        return [
            m
            for (cid, _), m in sorted(self.messages.items(), key=lambda kv: kv[0][1])
            if cid == chat_id and m["from"]["id"] == self.bot_user["id"]
        ]

    async def wait_for(self, predicate: Any, within: float = 20.0) -> None:  # type: ignore[override]
        """Wait until ``predicate(self)`` is true (checked after every request the bot makes)."""
        await super().wait_for(predicate, within)

    async def wait_consumed(self, within: float = 20.0) -> None:
        """Wait until the bot has fetched every update injected so far (a getUpdates with a later offset)."""
        last = self._last_update_id
        await self.wait_for(
            lambda api: any(int(c.params.get("offset") or 0) > last for c in api.calls_of("getUpdates")),
            within,
        )

    async def settle(self, within: float = 20.0) -> None:
        """Wait until every injected update was fetched, then a moment for the bot to act on it."""
        await self.wait_consumed(within)
        await asyncio.sleep(0.3)

    async def wait_for_messages(self, chat_id: int, count: int, within: float = 20.0) -> list[dict[str, Any]]:
        await self.wait_for(lambda api: len(api.bot_messages(chat_id)) >= count, within)
        return self.bot_messages(chat_id)

    # ---- server side ------------------------------------------------------------------------------------

    def _user_message(self, user_id: int, chat: dict[str, Any] | None) -> dict[str, Any]:
        chat = chat or self.private_chat(user_id)
        message = {
            "message_id": self._next_message_id(chat["id"]),
            "from": self.user(user_id),
            "chat": chat,
            "date": int(time.time()),
        }
        self.messages[(chat["id"], message["message_id"])] = message
        return message

    def _next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def _store_file(self, file_name: str, data: bytes) -> str:
        file_id = f"BQACAgIAAx{next(self._file_ids):06d}"
        self._files[file_id] = (f"documents/file_{len(self._files)}{_suffix(file_name)}", data)
        return file_id

    def _push_update(self, payload: dict[str, Any]) -> None:
        self._last_update_id = next(self._update_ids)
        self._updates.append({"update_id": self._last_update_id, **payload})
        asyncio.get_running_loop().create_task(self._notify())

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.json_response(BotApiError(401, "Unauthorized").body(), status=401)
        path = request.match_info["path"]
        for stored_path, data in self._files.values():
            if stored_path == path:
                return web.Response(body=data, content_type="application/octet-stream")
        return web.json_response(BotApiError(404, "Not Found").body(), status=404)

    async def _handle_method(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.json_response(BotApiError(401, "Unauthorized").body(), status=401)
        method = request.match_info["method"]
        params, files = await _read_params(request)
        call = Call(method=method, params=params, files=files, at=time.monotonic())
        self.calls.append(call)
        if self._offline or self._drops.get(method):
            if not self._offline:
                self._drops[method] -= 1
            call.error = {"dropped": True}
            if request.transport is not None:
                request.transport.close()
            await self._notify()
            return web.Response(status=500)
        try:
            failures = self._failures.get(method)
            if failures:
                raise failures.pop(0)
            handler = getattr(self, f"_api_{method}", None)
            if handler is None:
                raise BotApiError(404, "Not Found: method not found")
            call.result = await handler(params, files)
        except BotApiError as exc:
            call.error = exc.body()
            await self._notify()
            return web.json_response(exc.body(), status=exc.code)
        await self._notify()
        return web.json_response({"ok": True, "result": call.result})

    # ---- Bot API methods ----------------------------------------------------------------------------------

    async def _api_getMe(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _api_deleteWebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if params.get("drop_pending_updates") in (True, "true", "True"):
            self._updates.clear()
        return True

    async def _api_setMyCommands(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        scope = params.get("scope") or {"type": "default"}
        self.commands[json.dumps(scope, sort_keys=True)] = list(params.get("commands", []))
        return True

    async def _api_getUpdates(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        deadline = time.monotonic() + timeout
        while not self._updates and not self._draining and time.monotonic() < deadline:
            async with self._changed:
                try:
                    await asyncio.wait_for(self._changed.wait(), max(0.0, deadline - time.monotonic()))
                except TimeoutError:
                    break
        return self._updates[:limit]

    async def _api_sendChatAction(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        self._check_chat(params)
        return True

    async def _api_sendMessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat_id = self._check_chat(params)
        text, entities = self._message_text(params, "text")
        message = self._bot_message(chat_id, params)
        message["text"] = text
        if entities:
            message["entities"] = entities
        return message

    async def _api_sendDocument(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat_id = self._check_chat(params)
        if "document" not in files:
            raise BotApiError(400, "Bad Request: there is no document in the request")
        name = str(params.get("_filename_document", "document"))
        file_id = self._store_file(name, files["document"])
        message = self._bot_message(chat_id, params)
        message["document"] = {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_name": name,
            "file_size": len(files["document"]),
        }
        if params.get("caption"):
            caption, _ = self._message_text(params, "caption")
            message["caption"] = caption
        return message

    async def _api_editMessageText(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat_id = self._check_chat(params)
        key = (chat_id, int(params.get("message_id", 0)))
        message = self.messages.get(key)
        if message is None:
            raise BotApiError(400, "Bad Request: message to edit not found")
        text, entities = self._message_text(params, "text")
        markup = params.get("reply_markup")
        if (
            text == message.get("text")
            and entities == message.get("entities", [])
            and markup == message.get("reply_markup")
        ):
            msg = "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"
            raise BotApiError(400, msg)
        message["text"] = text
        message["entities"] = entities
        message["edit_date"] = int(time.time())
        if markup is not None:
            self._check_markup(markup)
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        return message

    async def _api_deleteMessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat_id = self._check_chat(params)
        if self.messages.pop((chat_id, int(params.get("message_id", 0))), None) is None:
            raise BotApiError(400, "Bad Request: message to delete not found")
        return True

    async def _api_answerCallbackQuery(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if not params.get("callback_query_id"):
            raise BotApiError(
                400, "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        return True

    async def _api_getFile(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        file_id = str(params.get("file_id", ""))
        if file_id not in self._files:
            raise BotApiError(400, "Bad Request: invalid file_id")
        path, data = self._files[file_id]
        if len(data) > 20 * 1024 * 1024:
            raise BotApiError(400, "Bad Request: file is too big")
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(data),
            "file_path": path,
        }

    # ---- helpers ----------------------------------------------------------------------------------------------

    def _check_chat(self, params: dict[str, Any]) -> int:
        if "chat_id" not in params:
            raise BotApiError(400, "Bad Request: chat_id is empty")
        return int(params["chat_id"])

    def _message_text(self, params: dict[str, Any], name: str) -> tuple[str, list[dict[str, Any]]]:
        raw = str(params.get(name, ""))
        if params.get("parse_mode") == "HTML":
            text, entities = parse_html(raw)
        elif params.get("parse_mode"):
            raise BotApiError(400, f"Bad Request: unsupported parse_mode {params['parse_mode']} in this fake")
        else:
            text, entities = raw, list(params.get("entities") or [])
        if name == "text" and not text.strip():
            raise BotApiError(400, "Bad Request: message text is empty")
        if utf16_len(text) > MAX_TEXT_UTF16:
            raise BotApiError(400, "Bad Request: message is too long")
        return text, entities

    def _check_markup(self, markup: Any) -> None:
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA_BYTES:
                    raise BotApiError(400, "Bad Request: BUTTON_DATA_INVALID")

    def _bot_message(self, chat_id: int, params: dict[str, Any]) -> dict[str, Any]:
        chat = self.private_chat(chat_id) if chat_id > 0 else self.group_chat(chat_id)
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat_id),
            "from": self.bot_user,
            "chat": chat,
            "date": int(time.time()),
        }
        reply_to = params.get("reply_to_message_id") or (params.get("reply_parameters") or {}).get(
            "message_id"
        )
        if reply_to:
            original = self.messages.get((chat_id, int(reply_to)))
            if original is None:
                raise BotApiError(400, "Bad Request: message to be replied not found")
            message["reply_to_message"] = original
        if params.get("reply_markup") is not None:
            self._check_markup(params["reply_markup"])
            message["reply_markup"] = params["reply_markup"]
        self.messages[(chat_id, message["message_id"])] = message
        return message


def _suffix(file_name: str) -> str:
    dot = file_name.rfind(".")
    return file_name[dot:] if dot > 0 else ""


async def _read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Read form, multipart or JSON parameters the way the Bot API accepts them."""
    params: dict[str, Any] = {}
    files: dict[str, bytes] = {}
    if request.content_type == "application/json":
        params = await request.json()
    elif request.content_type == "multipart/form-data":
        reader = await request.multipart()
        async for part in reader:
            if part.filename is not None:  # type: ignore[union-attr]
                files[part.name] = await part.read()  # type: ignore[union-attr,index]
                params[f"_filename_{part.name}"] = part.filename  # type: ignore[union-attr]
            else:
                params[part.name] = await part.text()  # type: ignore[union-attr,index]
    elif request.can_read_body:
        params = dict(await request.post())  # type: ignore[arg-type]
    params.update(request.query)
    for key in list(params):
        value = params[key]
        if isinstance(value, str) and key in _JSON_PARAMS:
            params[key] = json.loads(value)
        elif isinstance(value, str) and key in _INT_PARAMS and re.fullmatch(r"-?\d+", value):
            params[key] = int(value)
    return params, files

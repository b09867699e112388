"""A real local HTTP server speaking the OpenAI Chat Completions protocol, scriptable per test.

``POST /v1/chat/completions`` (plain JSON, or SSE when ``"stream": true``) and ``GET /v1/models``.
Each test sets what the "model" does with ``server.script(...)``: a fixed reply, a reply computed
from the request (e.g. answering with the passages it was given), a delay, an HTTP error or a junk
body. Every request is recorded in ``server.requests``.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Reply = str | Callable[["ChatRequest"], str]


@dataclass
class ChatRequest:
    """One request as the server received it."""

    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", []))

    def message(self, role: str) -> str:
        """Content of the first message with ``role`` ("system", "user"), or ""."""
        for m in self.messages:
            if m.get("role") == role:
                content = m.get("content", "")
                return content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
        return ""

    @property
    def stream(self) -> bool:
        return bool(self.body.get("stream"))

    @property
    def authorization(self) -> str:
        return self.headers.get("authorization", "")


@dataclass
class Script:
    """What the fake model does. ``status`` ≠ 200 answers with an OpenAI-style error body;
    ``raw`` sends these bytes as the whole response body instead of a completion."""

    reply: Reply = "好的。"
    delay: float = 0.0
    status: int = 200
    raw: bytes | None = None
    chunk_chars: int = 3
    chunk_delay: float = 0.0
    model: str = "fake-model"
    extra: dict[str, Any] = field(default_factory=dict)


class FakeOpenAIServer:
    """Start with ``start()`` (or use as a context manager); ``base_url`` ends in ``/v1``."""

    def __init__(self) -> None:
        self.requests: list[ChatRequest] = []
        self._script = Script()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-openai", daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def script(self, reply: Reply = "好的。", **options: Any) -> FakeOpenAIServer:
        """Replace the behaviour for the following requests (see ``Script`` for the options)."""
        with self._lock:
            self._script = Script(reply=reply, **options)
        return self

    def current(self) -> Script:
        with self._lock:
            return self._script

    @property
    def chat_requests(self) -> list[ChatRequest]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def start(self) -> FakeOpenAIServer:
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def sleep(self, seconds: float) -> bool:
        """Wait ``seconds`` unless the server is closing; True when it is."""
        return self._stop.wait(seconds) if seconds > 0 else self._stop.is_set()

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    owner: FakeOpenAIServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that time out and hang up are expected here; stay quiet."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """No access log on stderr."""

    def _record(self, body: dict[str, Any]) -> ChatRequest:
        req = ChatRequest(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
        self.server.owner.requests.append(req)
        return req

    def _send(self, status: int, payload: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _json(self, status: int, obj: Any) -> None:
        self._send(status, json.dumps(obj, ensure_ascii=False).encode())

    def do_GET(self) -> None:
        self._record({})
        if self.path.rstrip("/").endswith("/models"):
            model = self.server.owner.current().model
            self._json(
                200, {"object": "list", "data": [{"id": model, "object": "model", "owned_by": "fake"}]}
            )
        else:
            self._json(404, {"error": {"message": "not found", "type": "invalid_request_error"}})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            body = {"_raw": raw.decode(errors="replace")}
        req = self._record(body)
        owner = self.server.owner
        script = owner.current()
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._json(404, {"error": {"message": "not found", "type": "invalid_request_error"}})
            return
        if owner.sleep(script.delay):
            return
        try:
            self._answer(req, script)
        except (BrokenPipeError, ConnectionResetError):
            return

    def _answer(self, req: ChatRequest, script: Script) -> None:
        if script.status != 200:
            err = {"error": {"message": f"fake error {script.status}", "type": "server_error", "code": None}}
            self._json(script.status, err)
            return
        if script.raw is not None:
            ctype = "text/event-stream" if req.stream else "application/json"
            self._send(200, script.raw, ctype)
            return
        text = script.reply(req) if callable(script.reply) else script.reply
        ident = f"chatcmpl-{len(self.server.owner.requests)}"
        base = {"id": ident, "created": int(time.time()), "model": script.model, **script.extra}
        if not req.stream:
            self._json(
                200,
                {
                    **base,
                    "object": "chat.completion",
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": text},
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": {
                        "prompt_tokens": 10,
                        "completion_tokens": len(text),
                        "total_tokens": 10 + len(text),
                    },
                },
            )
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        step = max(script.chunk_chars, 1)
        deltas = [{"role": "assistant", "content": ""}] + [
            {"content": text[i : i + step]} for i in range(0, len(text), step)
        ]
        for i, delta in enumerate(deltas):
            chunk = {**base, "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": delta}]}
            chunk["choices"][0]["finish_reason"] = None
            self._event(chunk)
            if i and self.server.owner.sleep(script.chunk_delay):
                return
        done = {
            **base,
            "object": "chat.completion.chunk",
            "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
        }
        self._event(done)
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()

    def _event(self, obj: dict[str, Any]) -> None:
        self.wfile.write(b"data: " + json.dumps(obj, ensure_ascii=False).encode() + b"\n\n")
        self.wfile.flush()


def unused_base_url() -> str:
    """Base URL of a port nothing listens on (connection refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"

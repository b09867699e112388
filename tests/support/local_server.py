"""The plumbing every local fake server shares: listen on 127.0.0.1 on a free port, stop, wait for what it saw.

- ``ThreadedHttpServer`` (with ``QuietHandler``): a stdlib ``ThreadingHTTPServer`` in a daemon thread, for the
  fakes sync code calls (the OpenAI-compatible server, the model server); ``start()``/``close()`` or ``with``.
- ``AioFake``: an aiohttp app in the test's event loop, for the fakes that speak to the async front ends (WeCom,
  DingTalk, the Telegram Bot API): ``await start()``/``await close()``, the WebSockets it accepted (``drop()``
  cuts them), and ``wait_for`` on what the fake recorded (a subclass calls ``_notify()`` when that changes).

A fake subclasses one of them and keeps only its protocol: its routes, frames, checks and records.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, ClassVar, Self

from aiohttp import web

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine

HOST = "127.0.0.1"


class QuietServer(ThreadingHTTPServer):
    """A threaded HTTP server that never blocks the process at exit and keeps clients' hang-ups quiet."""

    daemon_threads = True
    block_on_close = False
    owner: Any
    """The fake this server serves (handlers reach it as ``self.server.owner``)."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that time out and hang up are expected here; stay quiet."""


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler without an access log, with JSON replies."""

    server: QuietServer

    def log_message(self, format: str, *args: Any) -> None:
        """No access log on stderr."""

    def _body(self) -> bytes:
        """The request's body (``Content-Length`` bytes)."""
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, payload: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _json(self, status: int, obj: Any) -> None:
        self._send(status, json.dumps(obj, ensure_ascii=False).encode())


class ThreadedHttpServer:
    """A fake on a free port of 127.0.0.1, served from a daemon thread; ``start()`` (or ``with``), ``close()``."""

    thread_name: ClassVar[str] = "fake-server"

    def __init__(self, handler: type[QuietHandler]) -> None:
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._httpd = QuietServer((HOST, 0), handler)
        self._httpd.owner = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=self.thread_name,
            daemon=True,
        )

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def start(self) -> Self:
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

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


class AioFake:
    """A fake served by aiohttp on a free port of 127.0.0.1 in the running event loop."""

    wait_timeout: ClassVar[float] = 5.0
    """How long ``wait_for`` waits by default, in seconds."""
    recheck: ClassVar[float | None] = None
    """Seconds after which ``wait_for`` checks its predicate again unprompted (for predicates on a clock)."""

    def __init__(self) -> None:
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self._sockets: list[tuple[web.Request, web.WebSocketResponse]] = []
        self._changed = asyncio.Condition()
        self._background: set[asyncio.Task[Any]] = set()

    def in_background(self, work: Coroutine[Any, Any, Any]) -> None:
        """Run ``work`` without waiting for it (a reference is kept until it ends, so it is not collected)."""
        task = asyncio.ensure_future(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def _app(self) -> web.Application:
        """The application with the fake's routes."""
        raise NotImplementedError

    async def start(self) -> None:
        """Listen on a free port of 127.0.0.1."""
        self._runner = web.AppRunner(self._app(), handle_signals=False, access_log=None)
        await self._runner.setup()
        await self._listen()

    async def _listen(self) -> None:
        """Listen on ``self.port`` (0: a free one, then kept in ``self.port``)."""
        assert self._runner is not None
        site = web.TCPSite(self._runner, HOST, self.port)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self._site = site

    async def close(self) -> None:
        """Close every WebSocket and stop listening."""
        for _, ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _accept(self, request: web.Request, **options: Any) -> web.WebSocketResponse:
        """Take ``request`` as a WebSocket (``options`` for ``WebSocketResponse``), kept for ``close``/``drop``."""
        ws = web.WebSocketResponse(**options)
        await ws.prepare(request)
        self._sockets.append((request, ws))
        return ws

    async def drop(self) -> None:
        """Cut every open WebSocket without a closing handshake."""
        for request, ws in list(self._sockets):
            if not ws.closed and request.transport is not None:
                request.transport.abort()

    async def wait_for(self, predicate: Callable[[Any], Any], timeout: float | None = None) -> Any:  # noqa: ASYNC109
        """Wait until ``predicate(self)`` is truthy and return its value (``TimeoutError`` after ``timeout``)."""
        async with asyncio.timeout(self.wait_timeout if timeout is None else timeout), self._changed:
            while not (value := predicate(self)):
                if self.recheck is None:
                    await self._changed.wait()
                else:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._changed.wait(), self.recheck)
            return value

    async def _notify(self) -> None:
        """Wake every ``wait_for``: what the fake recorded changed."""
        async with self._changed:
            self._changed.notify_all()

"""What every long-connection chat client shares (WeCom's, DingTalk's, the next front end's): stay connected
until ``stop()``, reconnect with backoff after a drop, tell ``wait_ready()`` when a connection can be used, run
each incoming message's handler in its own task, and read and write frames as JSON text.

A client subclasses :class:`LongConnection` and writes only its platform's part: :meth:`_connection` (open one
connection and serve it until it closes) and, where it needs them, the hooks :meth:`_dropped`, :meth:`_closed`
and :meth:`_finished`.
"""

from __future__ import annotations

import asyncio
import json
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import SecretStr
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from bot.chat.delivery import reconnect_pause
from bot.chat.tasks import HandlerTasks
from bot.redact import install_secret_filter, remove_secret_filter

if TYPE_CHECKING:
    import logging

    from websockets.asyncio.client import ClientConnection


class ProbeResult(Enum):
    """What a front end's one-off connection check for ``reportbot doctor`` found."""

    OK = "ok"
    AUTH_FAILED = "auth_failed"
    UNREACHABLE = "unreachable"


def encode(data: dict[str, Any]) -> str:
    """A frame as the JSON text sent on the socket (UTF-8, not ASCII-escaped, no spaces)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def decode(raw: str | bytes) -> dict[str, Any]:
    """A frame from the socket's text; ``ValueError`` when it is not JSON, ``TypeError`` when not an object."""
    value = json.loads(raw)
    if not isinstance(value, dict):
        raise TypeError("frame is not a JSON object")
    return value


class LongConnection:
    """One outbound WebSocket at a time, kept open until :meth:`stop`; a subclass opens and serves it."""

    FATAL: ClassVar[tuple[type[BaseException], ...]] = (InvalidURI,)
    """Errors :meth:`run` raises instead of reconnecting (refused credentials, a URL that cannot work)."""
    DROPS: ClassVar[tuple[type[BaseException], ...]] = (
        OSError,
        TimeoutError,
        InvalidHandshake,
        ConnectionClosed,
    )
    """Errors after which :meth:`run` reconnects (logged by :meth:`_dropped`)."""

    def __init__(
        self,
        name: str,
        secret: str | SecretStr,
        logger: logging.Logger,
        *,
        backoff_base: float,
        backoff_max: float,
    ) -> None:
        self.name = name
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.ready = asyncio.Event()
        """Set while a connection is open and usable."""
        self.connections = 0
        """Connections opened so far."""
        self.logger = logger
        self._secret = secret.get_secret_value() if isinstance(secret, SecretStr) else secret
        self._ws: ClientConnection | None = None
        self._tasks = HandlerTasks(logger, name)
        self._stop = asyncio.Event()

    async def run(self) -> None:
        """Stay connected until :meth:`stop`, reconnecting after any drop; raises what is ``FATAL``."""
        flt = install_secret_filter(self._secret)
        attempt = 0
        try:
            while not self._stop.is_set():
                renew_now = False
                try:
                    renew_now = await self._connection()
                except self.FATAL:
                    raise
                except self.DROPS as exc:
                    self._dropped(exc)
                finally:
                    self._ws = None
                    if self.ready.is_set():
                        attempt = 0  # a connection that was usable resets the backoff
                    self.ready.clear()
                    self._closed()
                if self._stop.is_set() or self._finished():
                    break
                if renew_now:
                    continue  # the platform asked us to move to a new connection: at once
                attempt += 1
                self.logger.info("%s reconnecting attempt=%d", self.name, attempt)
                await reconnect_pause(self._stop, attempt, self.backoff_base, self.backoff_max)
        finally:
            await self._ended()
            remove_secret_filter(flt)

    async def stop(self) -> None:
        """Stop receiving: close the connection and make :meth:`run` return."""
        self._stop.set()
        if self._ws is not None:
            await self._ws.close()

    async def wait_ready(self) -> None:
        """Wait until a connection is usable (wrap in ``asyncio.timeout`` to bound it)."""
        await self.ready.wait()

    async def cancel_handlers(self) -> None:
        """Cancel the handlers still running (after the chat core's drain) and wait for them to end."""
        await self._tasks.cancel_all()

    def _opened(self, ws: ClientConnection) -> None:
        """Keep ``ws`` as the connection :meth:`stop` closes, and count it."""
        self._ws = ws
        self.connections += 1

    async def _connection(self) -> bool:
        """Open one connection and serve it until it closes; True to open the next one without a pause."""
        raise NotImplementedError

    def _dropped(self, exc: BaseException) -> None:
        """Log a connection that failed or dropped (one of ``DROPS``); the error's type only, by default."""
        self.logger.warning("%s connection failed error=%s", self.name, type(exc).__name__)

    def _closed(self) -> None:
        """After each connection, whatever ended it."""

    def _finished(self) -> bool:
        """True when :meth:`run` should return after this connection although nobody called :meth:`stop`."""
        return False

    async def _ended(self) -> None:
        """When :meth:`run` returns or raises."""

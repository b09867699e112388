"""A TCP relay on 127.0.0.1 that delays what the client sends by a varying amount, as a congested network does.

Each chunk the client writes reaches the server ``delay()`` seconds later (order kept per connection; replies are
not delayed). Messages sent a second apart can then arrive together, which is what a flood limit counted where
messages leave the bot does not see.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable


class SlowLink:
    """``async with SlowLink(port) as link:`` then connect to ``link.port`` instead of ``port``."""

    def __init__(self, target_port: int, delay: Callable[[], float] | None = None, seed: int = 7) -> None:
        self.target_port = target_port
        rng = random.Random(seed)
        self.delay = delay or (lambda: rng.uniform(0.0, 1.5))
        self.port = 0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def __aenter__(self) -> SlowLink:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _relay(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            server_r, server_w = await asyncio.open_connection("127.0.0.1", self.target_port)
            up = asyncio.create_task(self._pump(client_r, server_w, delayed=True))
            down = asyncio.create_task(self._pump(server_r, client_w, delayed=False))
            await asyncio.wait([up, down], return_when=asyncio.FIRST_COMPLETED)
            for t in (up, down):
                t.cancel()
            for writer in (server_w, client_w):
                writer.close()
        except (OSError, asyncio.CancelledError):
            client_w.close()
        finally:
            self._tasks.discard(task)

    async def _pump(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, delayed: bool
    ) -> None:
        with contextlib.suppress(OSError):
            while data := await reader.read(65536):
                if delayed:
                    due = time.monotonic() + self.delay()
                    await asyncio.sleep(max(0.0, due - time.monotonic()))
                writer.write(data)
                await writer.drain()

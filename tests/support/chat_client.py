"""A real long-connection chat client (WeCom's, DingTalk's) running against a local fake for a block."""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from bot.chat.connection import LongConnection


@contextlib.asynccontextmanager
async def connected(client: LongConnection, *, stop_within: float = 5.0) -> AsyncIterator[asyncio.Task[None]]:
    """``client.run()`` in a task, connected (within 5 s) before the block; on exit ``stop()`` and the task
    awaited (within ``stop_within`` seconds)."""
    task = asyncio.create_task(client.run())
    try:
        async with asyncio.timeout(5):
            await client.wait_ready()
        yield task
    finally:
        await client.stop()
        async with asyncio.timeout(stop_within):
            await task

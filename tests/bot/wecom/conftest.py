"""Fixtures for the WeCom tests: a strict fake server on 127.0.0.1 and the real client running against it."""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any

from bot.wecom import Event, Message, WeComClient
from tests.support.chat_client import connected

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable

    from tests.bot.wecom.fake_server import FakeWeCom


class Recorder:
    """A handler that queues every callback and runs an optional reaction for each."""

    def __init__(self) -> None:
        self.messages: asyncio.Queue[Message] = asyncio.Queue()
        self.events: asyncio.Queue[Event] = asyncio.Queue()
        self.on_msg: Callable[[WeComClient, Message], Awaitable[None]] | None = None
        self.on_evt: Callable[[WeComClient, Event], Awaitable[None]] | None = None

    async def on_message(self, client: WeComClient, message: Message) -> None:
        """Queue the message, then react."""
        await self.messages.put(message)
        if self.on_msg is not None:
            await self.on_msg(client, message)

    async def on_event(self, client: WeComClient, event: Event) -> None:
        """Queue the event, then react."""
        await self.events.put(event)
        if self.on_evt is not None:
            await self.on_evt(client, event)


@contextlib.asynccontextmanager
async def running_client(fake: FakeWeCom, handler: Any = None, **options: Any) -> AsyncIterator[WeComClient]:
    """A client subscribed to ``fake``; stopped and awaited on exit."""
    options.setdefault("backoff_base", 0.05)
    options.setdefault("backoff_max", 0.2)
    client = WeComClient(
        fake.bot_id, options.pop("secret", fake.secret), handler or Recorder(), url=fake.ws_url, **options
    )
    async with connected(client):
        yield client

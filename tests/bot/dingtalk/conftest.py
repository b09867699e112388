"""Helpers of the DingTalk tests: the real Stream client on the strict fake (the ``dingtalk`` fixture: tests/conftest.py)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any

from bot.dingtalk import BotMessage, DingTalkApi, DingTalkStream
from tests.support.chat_client import connected

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from tests.bot.dingtalk.fake_server import FakeDingTalk


class Recorder:
    """A handler that queues every robot message."""

    def __init__(self) -> None:
        self.messages: asyncio.Queue[BotMessage] = asyncio.Queue()

    async def on_message(self, client: DingTalkStream, message: BotMessage) -> None:
        """Queue the message."""
        await self.messages.put(message)


@contextlib.asynccontextmanager
async def running_stream(
    fake: FakeDingTalk, handler: Any = None, **options: Any
) -> AsyncIterator[DingTalkStream]:
    """The real client connected to ``fake`` for the block; stopped and awaited on exit."""
    api = DingTalkApi(fake.client_id, options.pop("secret", fake.client_secret), fake.base_url)
    client = DingTalkStream(api, handler or Recorder(), backoff_base=0.05, backoff_max=0.2, **options)
    try:
        async with connected(client):
            yield client
    finally:
        await client.cancel_handlers()
        await api.aclose()

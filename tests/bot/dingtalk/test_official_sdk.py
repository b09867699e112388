"""The official ``dingtalk-stream`` SDK's client runs against our fake: proof that the fake speaks the real
protocol's shapes (gateway request, ticket, frames, acks, pings, disconnect, the webhook reply) and so that what
our own client passes against it is what DingTalk expects.

The SDK calls the gateway with blocking ``requests`` inside its event loop, so it runs in a thread of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from typing import TYPE_CHECKING, Any

import dingtalk_stream
import pytest

if TYPE_CHECKING:
    from tests.bot.dingtalk.fake_server import FakeDingTalk

pytestmark = pytest.mark.asyncio(loop_scope="function")


class EchoBot(dingtalk_stream.ChatbotHandler):
    """Replies to each message with markdown through its session webhook, as the SDK's examples do."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    async def process(self, callback: dingtalk_stream.CallbackMessage) -> tuple[int, str]:
        message = dingtalk_stream.ChatbotMessage.from_dict(callback.data)
        self.texts.append(message.text.content)
        await asyncio.to_thread(self.reply_markdown, "回声", f"**收到**：{message.text.content}", message)
        return dingtalk_stream.AckMessage.STATUS_OK, "OK"


class SdkThread:
    """The SDK's ``DingTalkStreamClient.start()`` in a thread with its own event loop."""

    def __init__(self, fake: FakeDingTalk, handler: EchoBot) -> None:
        credential = dingtalk_stream.Credential(fake.client_id, fake.client_secret)
        self.client = dingtalk_stream.DingTalkStreamClient(credential)
        self.client.register_callback_handler(dingtalk_stream.ChatbotMessage.TOPIC, handler)
        self.loop = asyncio.new_event_loop()
        self.task: asyncio.Task[Any] | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.task = self.loop.create_task(self.client.start())
        with contextlib.suppress(BaseException):  # cancelled at the end of the test
            self.loop.run_until_complete(self.task)
        rest = asyncio.all_tasks(self.loop)  # the SDK's keepalive and frame tasks
        for task in rest:
            task.cancel()
        with contextlib.suppress(BaseException):
            self.loop.run_until_complete(asyncio.gather(*rest, return_exceptions=True))
        self.loop.close()

    def stop(self) -> None:
        """Cancel the SDK's loop (it swallows one cancellation, hence the repeat) and wait for the thread."""
        for _ in range(20):
            if self.task is not None and not self.task.done():
                self.loop.call_soon_threadsafe(self.task.cancel)
            self.thread.join(0.25)
            if not self.thread.is_alive():
                return


async def test_the_official_sdk_connects_acks_answers_pings_and_reconnects(
    dingtalk: FakeDingTalk, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        dingtalk_stream.DingTalkStreamClient,
        "OPEN_CONNECTION_API",
        f"{dingtalk.base_url}/v1.0/gateway/connections/open",
    )
    handler = EchoBot()
    sdk = SdkThread(dingtalk, handler)
    sdk.thread.start()
    try:
        await dingtalk.wait_for(lambda f: f.live_connections == 1, timeout=10)
        await dingtalk.push_text("zhangsan", "第一个问题")
        await dingtalk.wait_for(lambda f: f.texts_to("zhangsan"), timeout=10)
        await dingtalk.ping()
        await dingtalk.wait_for(lambda f: len(f.acks) == 2, timeout=5)
        await dingtalk.disconnect()
        await dingtalk.wait_for(lambda f: f.connections == 2 and f.live_connections >= 1, timeout=10)
        await dingtalk.push_text("zhangsan", "重连后的问题")
        await dingtalk.wait_for(lambda f: len(f.texts_to("zhangsan")) == 2, timeout=10)
        await dingtalk.wait_for(lambda f: not f.pending, timeout=5)  # the SDK acks after its handler returned
    finally:
        sdk.stop()
    assert dingtalk.texts_to("zhangsan") == ["**收到**：第一个问题", "**收到**：重连后的问题"]
    assert [s.via for s in dingtalk.sent] == ["webhook", "webhook"]
    assert dingtalk.opens == 2
    assert dingtalk.violations == []

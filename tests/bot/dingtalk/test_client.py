"""The Stream client against the strict fake: acks, pings, disconnect, a dropped socket, wrong credentials."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import pytest

from bot.dingtalk import DingTalkApi, DingTalkAuthError, DingTalkStream
from tests.bot.dingtalk.conftest import Recorder, running_stream

if TYPE_CHECKING:
    from tests.bot.dingtalk.fake_server import FakeDingTalk

pytestmark = pytest.mark.asyncio(loop_scope="function")


async def test_robot_messages_are_acked_and_handed_over_with_their_fields(dingtalk: FakeDingTalk) -> None:
    recorder = Recorder()
    async with running_stream(dingtalk, recorder):
        msg_id = await dingtalk.push_text("zhangsan", "上半年做了什么")
        group_id = await dingtalk.push_text("lisi", "你好", group="cidGroup1", at=True)
        first = await asyncio.wait_for(recorder.messages.get(), 5)
        second = await asyncio.wait_for(recorder.messages.get(), 5)
        await dingtalk.wait_for(lambda f: not f.pending)

    assert (first.msg_id, first.text, first.user, first.group, first.chat) == (
        msg_id,
        "上半年做了什么",
        "zhangsan",
        False,
        "zhangsan",
    )
    assert (second.msg_id, second.group, second.chat, second.in_at_list) == (
        group_id,
        True,
        "cidGroup1",
        True,
    )
    assert second.session_webhook.startswith(dingtalk.base_url)
    assert dingtalk.violations == []


async def test_pings_are_answered_echoing_their_data(dingtalk: FakeDingTalk) -> None:
    async with running_stream(dingtalk):
        for _ in range(3):
            await dingtalk.ping()
        await asyncio.sleep(dingtalk.ping_timeout + 0.3)  # an unanswered ping would close the socket by now
        assert dingtalk.live_connections == 1
    assert len(dingtalk.acks) == 3
    assert dingtalk.violations == []


async def test_disconnect_moves_to_a_new_connection_at_once(dingtalk: FakeDingTalk) -> None:
    recorder = Recorder()
    async with running_stream(dingtalk, recorder) as client:
        await dingtalk.disconnect()
        await dingtalk.wait_for(lambda f: f.connections == 2, timeout=3)
        await client.wait_ready()
        msg_id = await dingtalk.push_text("zhangsan", "还在吗")
        message = await asyncio.wait_for(recorder.messages.get(), 5)
    assert message.msg_id == msg_id
    assert dingtalk.opens == 2  # a fresh ticket for the new connection
    assert dingtalk.violations == []


async def test_a_dropped_socket_is_renewed_and_what_came_meanwhile_arrives(dingtalk: FakeDingTalk) -> None:
    recorder = Recorder()
    async with running_stream(dingtalk, recorder):
        await dingtalk.drop()
        msg_id = await dingtalk.push_text("zhangsan", "断线时发的问题")  # no live socket: kept pending
        await dingtalk.wait_for(lambda f: f.connections == 2, timeout=5)
        message = await asyncio.wait_for(recorder.messages.get(), 5)
        await dingtalk.wait_for(lambda f: not f.pending)
    assert message.msg_id == msg_id
    assert recorder.messages.empty()
    assert dingtalk.violations == []


async def test_wrong_secret_stops_with_an_auth_error_and_never_logs_it(
    dingtalk: FakeDingTalk, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "wrong-secret-0123456789abcdef"
    api = DingTalkApi(dingtalk.client_id, wrong, dingtalk.base_url)
    client = DingTalkStream(api, Recorder(), backoff_base=0.05, backoff_max=0.2)
    with pytest.raises(DingTalkAuthError):
        async with asyncio.timeout(5):
            await client.run()
    await api.aclose()
    assert dingtalk.connections == 0
    assert wrong not in caplog.text
    assert wrong[:10] not in caplog.text


async def test_an_unreachable_gateway_is_retried_and_stop_is_prompt() -> None:
    api = DingTalkApi("id", "secret-0123456789", "http://127.0.0.1:9")
    client = DingTalkStream(api, Recorder(), backoff_base=0.05, backoff_max=0.1)
    task = asyncio.create_task(client.run())
    await asyncio.sleep(0.5)
    assert not task.done()  # still trying
    await client.stop()
    async with asyncio.timeout(2):
        await task
    await api.aclose()

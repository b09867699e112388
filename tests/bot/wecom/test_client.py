"""The long connection: subscribe, heartbeat, reconnect, kick-out, strict refusals, the secret kept out of logs."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import pytest

from bot.chat.delivery import DeliveryFailed, DeliveryPolicy
from bot.wecom import (
    WeComAckTimeout,
    WeComAuthError,
    WeComClient,
    WeComNotConnected,
    WeComRequestError,
    backoff_delay,
    send_markdown,
)
from bot.wecom.delivery import Pacer
from tests.bot.wecom import fake_rules as rules
from tests.bot.wecom.conftest import Recorder, running_client

if TYPE_CHECKING:
    from tests.bot.wecom.fake_server import FakeWeCom


async def test_subscribes_with_bot_id_and_secret_then_pings(fake: FakeWeCom) -> None:
    async with running_client(fake, heartbeat_interval=0.05):
        pings = await fake.wait_for(lambda f: len(f.frames("ping", ok=True)) >= 3 and f.frames("ping"))
    subscribe = fake.frames("aibot_subscribe")[0]
    assert subscribe.errcode == 0
    assert subscribe.body == {"bot_id": fake.bot_id, "secret": fake.secret}
    assert all(p.body is None and p.req_id for p in pings)  # ping carries no body
    assert len({p.req_id for p in pings}) == len(pings)


async def test_wrong_secret_stops_with_a_clear_error(fake: FakeWeCom) -> None:
    client = WeComClient(fake.bot_id, "not-the-secret", Recorder(), url=fake.ws_url)
    with pytest.raises(WeComAuthError, match="REPORTBOT_WECOM_SECRET"):
        async with asyncio.timeout(5):
            await client.run()
    assert fake.frames("aibot_subscribe")[0].errcode == rules.ERR_AUTH


async def test_reconnects_and_resubscribes_after_the_server_drops(fake: FakeWeCom) -> None:
    recorder = Recorder()
    async with running_client(fake, recorder) as client:
        await fake.drop()
        await fake.wait_for(lambda f: f.subscriptions >= 2 and f.live_connections == 1)
        async with asyncio.timeout(5):
            await client.wait_ready()
        await fake.push_text("zhangsan", "还在吗")
        message = await asyncio.wait_for(recorder.messages.get(), 5)
    assert message.text == "还在吗"
    assert client.connections == 2


async def test_malformed_frames_are_skipped_and_the_connection_lives_on(fake: FakeWeCom) -> None:
    recorder = Recorder()
    async with running_client(fake, recorder) as client:
        await fake.push_raw("not json")
        await fake.push_raw('{"cmd": "aibot_msg_callback", "body": {"msgtype": "text"}}')  # no headers
        await fake.push_text("zhangsan", "正常消息")
        message = await asyncio.wait_for(recorder.messages.get(), 5)
    assert message.text == "正常消息"
    assert client.connections == 1


async def test_a_second_login_kicks_the_first_which_does_not_fight_back(fake: FakeWeCom) -> None:
    first_events = Recorder()
    first = WeComClient(fake.bot_id, fake.secret, first_events, url=fake.ws_url, backoff_base=0.05)
    first_run = asyncio.create_task(first.run())
    async with asyncio.timeout(5):
        await first.wait_ready()
    async with running_client(fake):
        event = await asyncio.wait_for(first_events.events.get(), 5)
        async with asyncio.timeout(5):
            await first_run  # returns by itself: reconnecting would only kick the new connection
        assert fake.subscriptions == 2
        assert fake.live_connections == 1
    assert event.eventtype == "disconnected_event"
    assert first.kicked


async def test_strict_refusals_surface_as_errors_naming_cmd_and_code(fake: FakeWeCom) -> None:
    async with running_client(fake) as client:
        with pytest.raises(WeComRequestError) as unknown_cmd:
            await client.request("aibot_do_magic", {})
        with pytest.raises(WeComRequestError) as unknown_req:
            await client.request(
                "aibot_respond_msg", {"msgtype": "stream", "stream": {"id": "s", "content": "x"}}
            )
        req_id = await fake.push_text("zhangsan", "问")
        body = {"msgtype": "stream", "stream": {"id": "s1", "finish": False, "content": "字" * 7000}}
        with pytest.raises(WeComRequestError) as too_long:
            await client.request("aibot_respond_msg", body, req_id=req_id)
    assert unknown_cmd.value.errcode == rules.ERR_UNKNOWN_CMD
    assert "aibot_do_magic" in str(unknown_cmd.value)
    assert unknown_req.value.errcode == rules.ERR_UNKNOWN_REQ_ID
    assert too_long.value.errcode == rules.ERR_BAD_PARAM
    assert "20480" in too_long.value.errmsg


async def test_requests_without_a_connection_fail_fast(fake: FakeWeCom) -> None:
    client = WeComClient(fake.bot_id, fake.secret, Recorder(), url=fake.ws_url)
    with pytest.raises(WeComNotConnected):
        await client.request("ping")


async def test_the_secret_never_reaches_the_logs(fake: FakeWeCom, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # websockets logs every frame at DEBUG, the subscribe frame included
    async with running_client(fake, heartbeat_interval=0.05) as client:
        await fake.wait_for(lambda f: f.frames("ping", ok=True))
        # websockets cuts long frames short in its DEBUG lines; a short frame would show the secret whole
        logging.getLogger("bot.wecom.ws").debug("> TEXT %r", f'{{"secret":"{fake.secret}"}}')
        await fake.drop()
        await fake.wait_for(lambda f: f.subscriptions >= 2)
        async with asyncio.timeout(5):
            await client.wait_ready()
    wrong = WeComClient(fake.bot_id, fake.secret[::-1], Recorder(), url=fake.ws_url)
    with pytest.raises(WeComAuthError) as refused:
        await wrong.run()
    assert "aibot_subscribe" in caplog.text  # the frames were logged ...
    assert fake.secret not in caplog.text  # ... with the secret masked
    assert fake.secret[::-1] not in caplog.text
    assert fake.secret not in str(refused.value)
    assert fake.secret not in repr(client)


def test_backoff_grows_exponentially_with_jitter_and_a_cap() -> None:
    delays = [backoff_delay(n, 1.0, 30.0) for n in range(1, 9)]
    assert 0.5 <= delays[0] <= 1.0
    assert 4.0 <= delays[3] <= 8.0
    assert all(15.0 <= d <= 30.0 for d in delays[5:])
    assert len({backoff_delay(3, 1.0, 30.0) for _ in range(20)}) > 1  # jittered


async def test_an_unanswered_frame_times_out_and_is_retried_until_the_deadline(fake: FakeWeCom) -> None:
    fake.muted.add("aibot_send_msg")
    pacer = Pacer(policy=DeliveryPolicy(deadline=1.0, backoff_first=0.1))
    async with running_client(fake, ack_timeout=0.2, pacer=pacer) as client:
        await fake.push_text("zhangsan", "在吗")
        with pytest.raises(WeComAckTimeout, match="aibot_send_msg"):
            await client.request("aibot_send_msg", {"chatid": "zhangsan"})
        with pytest.raises(DeliveryFailed, match="WeComAckTimeout"):
            await send_markdown(client, "zhangsan", "你好")
    assert len(fake.frames("aibot_send_msg")) >= 3  # the bare request once, then the send retried


async def test_two_unanswered_pings_mean_a_dead_connection_and_a_reconnect(fake: FakeWeCom) -> None:
    fake.muted.add("ping")
    async with running_client(fake, heartbeat_interval=0.05, ack_timeout=0.05):
        await fake.wait_for(lambda f: f.subscriptions >= 2)
        fake.muted.clear()
    first = [r for r in fake.frames("ping") if r.connection == 1]
    assert len(first) == 2  # closed after the second unanswered ping

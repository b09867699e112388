"""The fake DingTalk is strict: what the real one refuses, it refuses and records (so the other tests can fail)."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from tests.bot.dingtalk.fake_server import FakeDingTalk

pytestmark = pytest.mark.asyncio(loop_scope="function")


async def open_ticket(fake: FakeDingTalk, http: httpx.AsyncClient) -> str:
    body = {
        "clientId": fake.client_id,
        "clientSecret": fake.client_secret,
        "subscriptions": [{"type": "CALLBACK", "topic": "/v1.0/im/bot/messages/get"}],
        "ua": "test",
        "localIp": "",
    }
    answer = (await http.post(f"{fake.base_url}/v1.0/gateway/connections/open", json=body)).json()
    return f"{answer['endpoint']}?ticket={answer['ticket']}"


async def test_wrong_acks_unanswered_pings_and_reused_tickets_are_refused(dingtalk: FakeDingTalk) -> None:
    async with httpx.AsyncClient() as http:
        url = await open_ticket(dingtalk, http)
        async with connect(url) as ws:
            await dingtalk.push_text("zhangsan", "你好")
            frame = json.loads(await ws.recv())
            await ws.send(json.dumps({"code": 200, "headers": {"messageId": frame["headers"]["messageId"]}}))
            await dingtalk.ping()  # never answered
            await asyncio.sleep(dingtalk.ping_timeout + 0.5)
            assert dingtalk.live_connections == 0  # closed for the unanswered ping
        with pytest.raises(InvalidStatus):
            async with connect(url):  # the same ticket again
                pass
    assert any(v.startswith("malformed ack") for v in dingtalk.violations)
    assert "ping not acked in time: connection closed" in dingtalk.violations
    assert any("ticket" in v for v in dingtalk.violations)
    assert dingtalk.pending  # the badly acked message will be delivered again


async def test_unauthenticated_calls_and_expired_webhooks_are_refused() -> None:
    fake = FakeDingTalk(webhook_ttl=0.5)
    await fake.start()
    try:
        await fake.push_text("zhangsan", "你好")
        hook = json.loads(next(iter(fake.pending.values()))["data"])["sessionWebhook"]
        async with httpx.AsyncClient() as http:
            download = await http.post(
                f"{fake.base_url}/v1.0/robot/messageFiles/download",
                json={"robotCode": fake.client_id, "downloadCode": "x"},
                headers={"x-acs-dingtalk-access-token": "made-up"},
            )
            await asyncio.sleep(0.6)
            late = await http.post(
                hook, json={"msgtype": "markdown", "markdown": {"title": "t", "text": "x"}}
            )
            token = await http.post(
                f"{fake.base_url}/v1.0/oauth2/accessToken",
                json={"appKey": fake.client_id, "appSecret": "wrong"},
            )
    finally:
        await fake.close()
    assert download.status_code == 401
    assert late.json()["errcode"] == 300001
    assert token.status_code == 400
    assert "unauthenticated call to /v1.0/robot/messageFiles/download" in fake.violations
    assert "reply to an expired or unknown session webhook" in fake.violations
    assert fake.sent == []

"""The fake is as strict as the real server: refusals seen on a raw socket, frame by frame."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from websockets.asyncio.client import ClientConnection, connect

from tests.bot.wecom import fake_rules as rules

if TYPE_CHECKING:
    from tests.bot.wecom.fake_server import FakeWeCom


async def exchange(ws: ClientConnection, data: Any) -> dict[str, Any]:
    await ws.send(data if isinstance(data, str) else json.dumps(data))
    return json.loads(await ws.recv())


async def test_refusals_before_and_after_subscribe(fake: FakeWeCom) -> None:
    async with connect(fake.ws_url) as ws:
        not_json = await exchange(ws, "{nope")
        no_req_id = await exchange(ws, {"cmd": "ping", "headers": {}})
        early = await exchange(ws, {"cmd": "ping", "headers": {"req_id": "p0"}})
        wrong = await exchange(
            ws,
            {
                "cmd": "aibot_subscribe",
                "headers": {"req_id": "s0"},
                "body": {"bot_id": fake.bot_id, "secret": "wrong"},
            },
        )
        right = await exchange(
            ws,
            {
                "cmd": "aibot_subscribe",
                "headers": {"req_id": "s1"},
                "body": {"bot_id": fake.bot_id, "secret": fake.secret},
            },
        )
        unknown = await exchange(ws, {"cmd": "aibot_teleport", "headers": {"req_id": "x1"}, "body": {}})
        ping = await exchange(ws, {"cmd": "ping", "headers": {"req_id": "p1"}})
        upload = await exchange(
            ws,
            {
                "cmd": "aibot_upload_media_init",
                "headers": {"req_id": "u1"},
                "body": {
                    "type": "file",
                    "filename": "a",
                    "total_size": 101 * 512 * 1024,
                    "total_chunks": 101,
                },
            },
        )
    assert not_json["errcode"] == rules.ERR_BAD_JSON
    assert no_req_id["errcode"] == rules.ERR_NO_REQ_ID
    assert (early["headers"]["req_id"], early["errcode"]) == ("p0", rules.ERR_NOT_SUBSCRIBED)
    assert wrong["errcode"] == rules.ERR_AUTH
    assert fake.secret not in json.dumps(wrong)
    assert right == {"headers": {"req_id": "s1"}, "errcode": 0, "errmsg": "ok"}
    assert unknown["errcode"] == rules.ERR_UNKNOWN_CMD
    assert ping == {"headers": {"req_id": "p1"}, "errcode": 0, "errmsg": "ok"}
    assert upload["errcode"] == rules.ERR_BAD_PARAM
    assert [r.errcode == 0 for r in fake.received] == [False, False, False, False, True, False, True, False]


async def test_the_per_chat_limit(fake: FakeWeCom) -> None:
    async with connect(fake.ws_url) as ws:
        await exchange(
            ws,
            {
                "cmd": "aibot_subscribe",
                "headers": {"req_id": "s"},
                "body": {"bot_id": fake.bot_id, "secret": fake.secret},
            },
        )
        await fake.push_text("zhangsan", "在吗")
        await ws.recv()  # the callback
        answers = []
        for i in range(31):
            body = {"chatid": "zhangsan", "msgtype": "markdown", "markdown": {"content": f"第{i}条"}}
            answers.append(
                await exchange(ws, {"cmd": "aibot_send_msg", "headers": {"req_id": f"m{i}"}, "body": body})
            )
    assert [a["errcode"] for a in answers[:30]] == [0] * 30
    assert answers[30]["errcode"] == rules.ERR_RATE_LIMIT

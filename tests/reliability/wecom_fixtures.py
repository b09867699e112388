"""Shared parts of the WeCom delivery reliability tests: the strict fake WeCom server and the real front end.

The services are the scripted stand-ins of ``tests/bot/fakes.py`` (an answer per question, streamed in
pieces), so what is tested is delivery: the real WeCom client and glue on the chat core's delivery policy,
against the fake WeCom server on 127.0.0.1 that injects faults (errcodes, dropped connections, slow acks).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.chat.service import ChatCore
from bot.wecom.frontend import WeComFrontend, build_frontend, connect_client
from tests.bot.wecom.e2e import replies_to, wecom_settings
from tests.support.chat_client import connected

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

    from bot.wecom import WeComClient
    from tests.bot.wecom.fake_server import FakeWeCom


@dataclass
class Running:
    """The parts of a running WeCom front end a test may stop or inspect."""

    core: ChatCore
    frontend: WeComFrontend
    client: WeComClient


@contextlib.asynccontextmanager
async def serving(fake: FakeWeCom, data_dir: Path, services: Any, **overrides: Any) -> AsyncIterator[Running]:
    """The real WeCom front end on ``fake`` as ``reportbot serve`` runs it; stopped the way serve stops it."""
    overrides.setdefault("delivery_deadline", 10.0)
    settings = wecom_settings(fake, data_dir, **overrides)
    core = ChatCore.from_settings(services, settings)
    frontend = build_frontend(settings, core)
    client = connect_client(settings, frontend)
    client.backoff_base, client.backoff_max = 0.05, 0.2
    async with connected(client, stop_within=10):
        try:
            yield Running(core, frontend, client)
        finally:
            frontend.accepting = False
            await core.drain(settings.shutdown_grace)


def finished_streams(fake: FakeWeCom, req_id: str) -> list[str]:
    """The contents of the finished stream frames the fake accepted on ``req_id``."""
    return [
        str(r.body["stream"]["content"])
        for r in replies_to(fake, req_id)
        if r.errcode == 0 and (r.body.get("stream") or {}).get("finish")
    ]


def times_delivered(fake: FakeWeCom, req_id: str, chat: str, needle: str) -> int:
    """How often a text containing ``needle`` reached the user: finished streams plus proactive markdown."""
    streams = [text for text in finished_streams(fake, req_id) if needle in text]
    sent = [
        r
        for r in fake.frames("aibot_send_msg", ok=True)
        if r.body.get("chatid") == chat and needle in (r.body.get("markdown") or {}).get("content", "")
    ]
    return len(streams) + len(sent)


def counted_messages(fake: FakeWeCom, chat: str) -> list[float]:
    """When each message WeCom counts toward a chat's 30 a minute arrived: a stream once, cards, sends."""
    times: list[float] = []
    streams: set[tuple[str | None, str]] = set()
    for r in fake.frames(ok=True):
        body = r.body or {}
        if r.cmd == "aibot_send_msg" and body.get("chatid") == chat:
            times.append(r.at)
        elif r.cmd == "aibot_respond_msg":
            callback = fake.replies.callbacks.get(r.req_id or "")
            if callback is None or callback.chat != chat:
                continue
            stream = body.get("stream")
            if stream is None:
                times.append(r.at)
            elif (r.req_id, stream["id"]) not in streams:
                streams.add((r.req_id, stream["id"]))
                times.append(r.at)
    return sorted(times)

"""Helpers of the WeCom end-to-end tests: settings for the fake server, the real front end running, reading replies."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from bot.chat.service import ChatCore
from bot.chat.uploads import MB
from bot.settings import Settings
from bot.wecom.frontend import build_client
from tests.support.chat_client import connected

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

    from bot.wecom import WeComClient
    from tests.bot.wecom.fake_server import FakeWeCom, Received

ADMIN = "wangwu"
USER = "zhangsan"
STRANGER = "lisi"
GROUP = "wrgroup-allowed"


def wecom_settings(fake: FakeWeCom, data_dir: Path, **overrides: Any) -> Settings:
    """Settings for a bot that talks to ``fake``: one admin, one allowed user, one allowed group."""
    values: dict[str, Any] = {
        "wecom_bot_id": fake.bot_id,
        "wecom_secret": fake.secret,
        "wecom_ws_url": fake.ws_url,
        "wecom_allowed_users": [USER],
        "wecom_admin_users": [ADMIN],
        "wecom_allowed_chats": [GROUP],
        "data_dir": data_dir,
        "rate_limit_per_minute": 30,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@contextlib.asynccontextmanager
async def running_wecom(settings: Settings, services: Any) -> AsyncIterator[WeComClient]:
    """The real WeCom front end (client + glue on a ChatCore) connected to the fake for the block."""
    limit = settings.upload_max_mb * MB
    core = ChatCore(services, settings.data_dir, settings.rate_limit_per_minute, upload_max_bytes=limit)
    client = build_client(settings, core)
    client.backoff_base, client.backoff_max = 0.05, 0.2
    async with connected(client, stop_within=10):
        yield client


def replies_to(fake: FakeWeCom, req_id: str) -> list[Received]:
    """Every ``aibot_respond_msg`` the bot sent on ``req_id``, in order."""
    return [r for r in fake.frames("aibot_respond_msg") if r.req_id == req_id]


def final_text(fake: FakeWeCom, req_id: str) -> str | None:
    """The finished stream's content on ``req_id`` (None while it is not finished)."""
    for r in replies_to(fake, req_id):
        stream = r.body.get("stream") or {}
        if stream.get("finish"):
            return str(stream["content"])
    return None


async def wait_final(fake: FakeWeCom, req_id: str, timeout: float = 60.0) -> str:  # noqa: ASYNC109
    """Wait for the finished stream on ``req_id`` and return its content."""
    return await fake.wait_for(lambda f: final_text(f, req_id), timeout)


async def wait_card(fake: FakeWeCom, req_id: str, timeout: float = 60.0) -> dict[str, Any]:  # noqa: ASYNC109
    """Wait for the template card answering ``req_id``."""

    def card(f: FakeWeCom) -> dict[str, Any] | None:
        for r in replies_to(f, req_id):
            if r.body.get("msgtype") == "template_card" and r.errcode == 0:
                return r.body["template_card"]
        return None

    return await fake.wait_for(card, timeout)


def markdown_sent(fake: FakeWeCom, chat: str) -> list[str]:
    """Proactive markdown messages the fake accepted for ``chat``."""
    return [
        r.body["markdown"]["content"]
        for r in fake.frames("aibot_send_msg", ok=True)
        if r.body.get("chatid") == chat and r.body.get("msgtype") == "markdown"
    ]

"""Helpers of the DingTalk end-to-end tests: settings for the fake, the real front end running on real services."""

from __future__ import annotations

import contextlib
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from bot.chat.delivery import DEFAULT_POLICY, DeliveryPolicy
from bot.chat.service import ChatCore
from bot.chat.uploads import MB
from bot.dingtalk.frontend import build_client
from bot.settings import Settings
from tests.support.chat_client import connected

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

    from bot.dingtalk import DingTalkStream
    from tests.bot.dingtalk.fake_server import FakeDingTalk

ADMIN = "wangwu"
USER = "zhangsan"
STRANGER = "lisi"
GROUP = "cidAllowedGroup"
_TAP = re.compile(r"\[原文 (\d+)\]\(dtmd://dingtalkclient/sendMessage\?content=([^)\s]+)\)")


def dingtalk_settings(fake: FakeDingTalk, data_dir: Path, **overrides: Any) -> Settings:
    """Settings of an app that talks to ``fake``: one admin, one allowed user, one allowed group."""
    values: dict[str, Any] = {
        "dingtalk_client_id": fake.client_id,
        "dingtalk_client_secret": fake.client_secret,
        "dingtalk_api_url": fake.base_url,
        "dingtalk_allowed_users": [USER],
        "dingtalk_admin_users": [ADMIN],
        "dingtalk_allowed_chats": [GROUP],
        "data_dir": data_dir,
        "rate_limit_per_minute": 30,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@contextlib.asynccontextmanager
async def running_dingtalk(
    settings: Settings, services: Any, delivery: DeliveryPolicy = DEFAULT_POLICY
) -> AsyncIterator[DingTalkStream]:
    """The real DingTalk front end (Stream client + glue on a ChatCore) connected to the fake for the block."""
    core = ChatCore(
        services,
        settings.data_dir,
        settings.rate_limit_per_minute,
        delivery=delivery,
        upload_max_bytes=settings.upload_max_mb * MB,
    )
    client = build_client(settings, core)
    client.backoff_base, client.backoff_max = 0.05, 0.2
    try:
        async with connected(client, stop_within=10):
            yield client
    finally:
        await core.drain(1.0)
        await client.cancel_handlers()
        await client.api.aclose()


def plain(text: str) -> str:
    """A sent markdown text with DingTalk's hard line breaks (two spaces) undone."""
    return text.replace("  \n", "\n")


async def wait_texts(fake: FakeDingTalk, to: str, count: int, timeout: float = 60.0) -> list[str]:  # noqa: ASYNC109
    """Wait until ``to`` got ``count`` messages; all of them, line breaks undone."""
    await fake.wait_for(lambda f: len(f.texts_to(to)) >= count, timeout)
    return [plain(t) for t in fake.texts_to(to)]


def tap_links(text: str) -> dict[int, str]:
    """The text each ``原文 N`` link of an answer sends back when tapped, by N."""
    return {int(n): unquote(content) for n, content in _TAP.findall(text)}

"""Fixtures for the bot tests: a fake Bot API server on 127.0.0.1 and a running bot pointed at it."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from bot.settings import Settings
from bot.telegram import build_application

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

    from tests.bot.fake_bot_api import FakeBotApi

TOKEN = "123456789:AAHfakeTokenForTests_0123456789abcdef"
ADMIN = 1001
USER = 2002
STRANGER = 3003
GROUP = -100500


def bot_settings(api: FakeBotApi, data_dir: Path, **overrides: Any) -> Settings:
    """Settings for a bot that talks to ``api``: one admin, one allowed user, one allowed group."""
    values: dict[str, Any] = {
        "telegram_token": TOKEN,
        "telegram_base_url": api.base_url,
        "telegram_base_file_url": api.base_file_url,
        "allowed_user_ids": [USER],
        "allowed_chat_ids": [GROUP],
        "admin_user_ids": [ADMIN],
        "data_dir": data_dir,
        "rate_limit_per_minute": 30,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@contextlib.asynccontextmanager
async def running_bot(settings: Settings, services: Any, api: FakeBotApi | None = None) -> AsyncIterator[Any]:
    """The real Application, long-polling the fake server, for the duration of the block.

    Given the fake ``api``, the last long poll is cut short when the block ends (saves a second per test).
    """
    app = build_application(settings, services)
    async with app:
        if app.post_init is not None:  # as run_polling does
            await app.post_init(app)
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        await app.start()
        try:
            yield app
        finally:
            if api is not None:
                api.drain()
            await app.updater.stop()
            await app.stop()

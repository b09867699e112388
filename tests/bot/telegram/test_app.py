"""The composition root: one Application, one handler list, the gate first, no half-built commands."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from telegram.ext import CommandHandler, TypeHandler

import bot.telegram
from bot.settings import Settings
from bot.telegram.app import build_application, handlers
from bot.telegram.handlers.gate import gate
from bot.telegram.ratelimit import CoreRateLimiter
from retrieval.errors import ConfigurationError
from tests.bot.conftest import TOKEN
from tests.bot.fakes import FakeServices

if TYPE_CHECKING:
    from pathlib import Path


def test_public_surface() -> None:
    assert bot.telegram.__all__ == ["build_application"]


def test_missing_token_is_a_configuration_error_naming_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="REPORTBOT_TELEGRAM_TOKEN"):
        build_application(Settings(_env_file=None, data_dir=tmp_path), FakeServices())  # type: ignore[call-arg]


def test_application_is_wired_from_settings(tmp_path: Path) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=tmp_path,
        telegram_token=TOKEN,
        telegram_base_url="http://127.0.0.1:8081/bot",
        telegram_base_file_url="http://127.0.0.1:8081/file/bot",
        admin_user_ids=[9],
        rate_limit_per_minute=4,
    )
    services = FakeServices()
    app = build_application(settings, services)
    assert app.bot.base_url == f"http://127.0.0.1:8081/bot{TOKEN}"
    assert app.bot.base_file_url == f"http://127.0.0.1:8081/file/bot{TOKEN}"
    assert app.concurrent_updates > 1
    assert isinstance(app.bot.rate_limiter, CoreRateLimiter)
    assert app.bot_data.services is services
    assert app.bot_data.limiter.per_minute == 4
    assert app.bot_data.audit.path == tmp_path / "audit.log"
    assert app.bot_data.access.is_admin(9)
    assert len(app.error_handlers) == 1


def test_gate_comes_first_then_every_command(tmp_path: Path) -> None:
    registered = handlers(Settings(_env_file=None, data_dir=tmp_path))  # type: ignore[call-arg]
    group, first = registered[0]
    assert group == -1
    assert isinstance(first, TypeHandler)
    assert first.callback is gate
    assert all(g == 0 for g, _ in registered[1:])
    commands = {c for _, h in registered if isinstance(h, CommandHandler) for c in h.commands}
    assert commands == {"start", "help", "sources", "draft", "docs", "delete", "reindex", "stats"}

"""``reportbot serve``: run the Telegram bot with long polling until interrupted (SIGINT or SIGTERM).

Shutdown is bounded: polling stops first, answers in flight get ``REPORTBOT_SHUTDOWN_GRACE`` seconds,
cut users are told to ask again (``ChatCore.drain``), then the bot stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from typing import TYPE_CHECKING

from bot.redact import protect_secrets
from retrieval.errors import ConfigurationError

if TYPE_CHECKING:
    from telegram.ext import Application

    from bot.chat.service import ChatCore
    from bot.settings import Settings

logger = logging.getLogger(__name__)


def serve(settings: Settings) -> None:
    """Check the Telegram settings, build the services and the bot, and poll for updates (blocks)."""
    from bot.services import build_services
    from bot.telegram import build_application

    check_telegram_settings(settings)
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    protect_secrets(
        settings.telegram_token.get_secret_value(),
        settings.llm_api_key.get_secret_value(),
        settings.wecom_secret.get_secret_value(),
    )
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    from bot.chat.service import ChatCore

    services = build_services(settings)
    core = ChatCore.from_settings(services, settings)
    app = build_application(settings, services, core)
    logger.info(
        "bot starting api=%s allowed_users=%s allowed_chats=%s admins=%s",
        "custom" if settings.telegram_base_url else "telegram",
        len(settings.allowed_user_ids),
        len(settings.allowed_chat_ids),
        len(settings.admin_user_ids),
    )
    asyncio.run(run_until_stopped(app, core, settings.shutdown_grace))


async def run_until_stopped(app: Application, core: ChatCore, grace_seconds: float) -> None:  # type: ignore[type-arg]
    """Run the bot until SIGINT/SIGTERM, then stop polling, drain the core within the grace, and stop."""
    from bot.telegram.run import finish_telegram, start_telegram, stop_polling

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    await start_telegram(app)
    try:
        await stop.wait()
        logger.info("shutting down grace=%.1f in_flight=%s", grace_seconds, core.inflight.count)
    finally:
        await stop_polling(app)
        await core.drain(grace_seconds)
        await finish_telegram(app)
    logger.info("bot stopped")


def check_telegram_settings(settings: Settings) -> None:
    """Fail at start, naming the variable, when the bot cannot work as configured."""
    if not settings.telegram_token.get_secret_value():
        msg = "未设置 REPORTBOT_TELEGRAM_TOKEN：请向 @BotFather 申请机器人令牌后设置该环境变量。"
        raise ConfigurationError(msg)
    if not settings.token_looks_valid():
        msg = "REPORTBOT_TELEGRAM_TOKEN 格式不对：应形如 123456789:AAH…（@BotFather 给出的完整令牌）。"
        raise ConfigurationError(msg)
    if settings.telegram_base_file_url and not settings.telegram_base_url:
        msg = "设置了 REPORTBOT_TELEGRAM_BASE_FILE_URL 却没有设置 REPORTBOT_TELEGRAM_BASE_URL：两者应指向同一个 Bot API 服务器。"
        raise ConfigurationError(msg)
    if not (settings.allowed_user_ids or settings.allowed_chat_ids or settings.admin_user_ids):
        logger.warning(
            "no allowed users, chats or admins: the bot will refuse everyone "
            "(set REPORTBOT_ALLOWED_USER_IDS / REPORTBOT_ADMIN_USER_IDS)"
        )

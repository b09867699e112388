"""``reportbot serve``: run the Telegram bot with long polling until interrupted."""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

from telegram import Update

from bot.redact import protect_secrets
from retrieval.errors import ConfigurationError

if TYPE_CHECKING:
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
    services = build_services(settings)
    app = build_application(settings, services)
    logger.info(
        "bot starting api=%s allowed_users=%s allowed_chats=%s admins=%s",
        "custom" if settings.telegram_base_url else "telegram",
        len(settings.allowed_user_ids),
        len(settings.allowed_chat_ids),
        len(settings.admin_user_ids),
    )
    app.run_polling(allowed_updates=[Update.MESSAGE, Update.CALLBACK_QUERY])


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

"""Starting and stopping the Telegram front end in a running event loop, with a bounded, lossless shutdown.

``start_telegram`` checks the token with getMe first: a refused token or an unreachable API becomes one
``ConfigurationError`` sentence (no traceback, no token). ``stop_polling`` stops fetching updates first, so
no update is confirmed to Telegram and then dropped: updates already fetched are still handled (or, during
the chat core's drain, told to ask again). ``finish_telegram`` then stops the Application.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from telegram import Update
from telegram.error import InvalidToken, NetworkError, TelegramError

from retrieval.errors import ConfigurationError, ReportbotError

if TYPE_CHECKING:
    from telegram.ext import Application

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
POLL_TIMEOUT_SECONDS = 10
"""Long-poll duration; stopping waits for at most one poll to return."""


async def start_telegram(app: Application, *, poll_timeout: int = POLL_TIMEOUT_SECONDS) -> None:  # type: ignore[type-arg]
    """Initialise (getMe), publish the menu, start polling and handling updates."""
    try:
        await app.initialize()
    except InvalidToken:
        msg = "Telegram 拒绝了机器人令牌（401 Unauthorized）：请检查 REPORTBOT_TELEGRAM_TOKEN 是否为 @BotFather 给出的完整令牌。"
        raise ConfigurationError(msg) from None
    except NetworkError as exc:  # the configuration may be right: exit 1, not the usage/config code 2
        msg = (
            "无法连接 Telegram Bot API（"
            + type(exc).__name__
            + "）：请检查网络、代理或 REPORTBOT_TELEGRAM_BASE_URL 后重试。"
        )
        raise ReportbotError(msg) from None
    except TelegramError as exc:
        msg = f"Telegram Bot API 拒绝启动（{type(exc).__name__}）：请检查机器人令牌和网络。"
        raise ConfigurationError(msg) from None
    if app.post_init is not None:
        await app.post_init(app)

    def on_polling_error(exc: TelegramError) -> None:  # to the one error handler (one line per incident)
        app.create_task(app.process_error(update=None, error=exc))

    await app.updater.start_polling(  # type: ignore[union-attr]
        allowed_updates=ALLOWED_UPDATES, timeout=poll_timeout, error_callback=on_polling_error
    )
    await app.start()
    logger.info("telegram polling started")


async def stop_polling(app: Application) -> None:  # type: ignore[type-arg]
    """Stop fetching updates; the ones already fetched are still handled."""
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    logger.info("telegram polling stopped")


async def finish_telegram(app: Application) -> None:  # type: ignore[type-arg]
    """Stop handling updates and release the connections (after ``stop_polling`` and the core's drain)."""
    if app.running:
        await app.stop()
    await app.shutdown()

"""The composition root of the Telegram bot: one Application, every handler registered in one list."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.chat.access import AccessPolicy
from bot.chat.service import ChatCore
from bot.telegram.handlers.ask import ask
from bot.telegram.handlers.cite import show_citation
from bot.telegram.handlers.delete import delete
from bot.telegram.handlers.docs import docs
from bot.telegram.handlers.draft import draft
from bot.telegram.handlers.errors import on_error
from bot.telegram.handlers.gate import gate
from bot.telegram.handlers.help import help_command
from bot.telegram.handlers.reindex import reindex
from bot.telegram.handlers.sources import sources
from bot.telegram.handlers.start import start
from bot.telegram.handlers.stats import stats
from bot.telegram.handlers.upload import upload
from bot.telegram.ratelimit import CoreRateLimiter
from bot.telegram.requester import FRONTEND
from bot.telegram.state import BotContext, BotData
from retrieval.errors import ConfigurationError

if TYPE_CHECKING:
    from bot.services import Services
    from bot.settings import Settings

logger = logging.getLogger(__name__)

CONTEXT_TYPES = ContextTypes(context=BotContext, bot_data=BotData)
CONCURRENT_UPDATES = 64
"""Updates handled at once, so one slow answer never blocks other users."""

USER_COMMANDS = [
    BotCommand("start", "开始使用"),
    BotCommand("help", "提问方法与示例"),
    BotCommand("sources", "上一条回答的来源"),
    BotCommand("draft", "起草计划或总结初稿，如 /draft 下半年传染病防控工作计划"),
]
ADMIN_COMMANDS = [
    *USER_COMMANDS,
    BotCommand("docs", "文档列表"),
    BotCommand("delete", "删除文档"),
    BotCommand("reindex", "重建索引"),
    BotCommand("stats", "统计"),
]


def handlers(settings: Settings) -> list[tuple[int, BaseHandler[Update, BotContext, None]]]:
    """Every handler with its group, in the order they are tried."""
    private = filters.ChatType.PRIVATE
    new_text = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND
    admin = filters.User(user_id=settings.admin_user_ids) & private
    return [
        # group -1: the access gate sees every update first and stops what may not pass (deny by default)
        (-1, TypeHandler(Update, gate)),
        # everyone the gate let through
        (0, CommandHandler("start", start)),
        (0, CommandHandler("help", help_command)),
        (0, CommandHandler("sources", sources)),
        (0, CallbackQueryHandler(show_citation)),  # every button press: citations, and the rest answered too
        (0, CommandHandler("draft", draft)),
        (0, MessageHandler(new_text & (private | filters.ChatType.GROUPS), ask)),
        # admins, in a private chat (the gate has refused everyone else already; the filters say it again)
        (0, MessageHandler(filters.UpdateType.MESSAGE & filters.Document.ALL & admin, upload)),
        (0, CommandHandler("docs", docs, filters=admin)),
        (0, CommandHandler("delete", delete, filters=admin)),
        (0, CommandHandler("reindex", reindex, filters=admin)),
        (0, CommandHandler("stats", stats, filters=admin)),
    ]


def build_application(  # type: ignore[type-arg]
    settings: Settings, services: Services, chat_core: ChatCore | None = None
) -> Application:
    """Build the bot: services and settings in, a ready (not yet started) Application out.

    Pass the process's ``chat_core`` when another front end runs alongside (one audit log, one ingest lock).
    """
    token = settings.telegram_token.get_secret_value()
    if not token:
        msg = "未设置 Telegram 机器人令牌：请设置环境变量 REPORTBOT_TELEGRAM_TOKEN（向 @BotFather 申请）。"
        raise ConfigurationError(msg)
    core = chat_core or ChatCore.from_settings(services, settings)
    policy = AccessPolicy.from_ids(
        settings.allowed_user_ids, settings.allowed_chat_ids, settings.admin_user_ids
    )
    chat = core.frontend(FRONTEND, policy)
    builder = (
        ApplicationBuilder()
        .token(token)
        .context_types(CONTEXT_TYPES)
        .concurrent_updates(CONCURRENT_UPDATES)
        # the core's delivery policy paces and retries every call (instead of AIORateLimiter: no double wait)
        .rate_limiter(CoreRateLimiter(chat.flood, chat.delivery))
        .post_init(_post_init)
    )
    if settings.telegram_base_url:
        builder = builder.base_url(settings.telegram_base_url)
    if settings.telegram_base_file_url:
        builder = builder.base_file_url(settings.telegram_base_file_url)
    app = builder.build()

    data: BotData = app.bot_data
    data.services = services
    data.settings = settings
    data.chat = chat

    for group, handler in handlers(settings):
        app.add_handler(handler, group)
    app.add_error_handler(on_error)
    return app


async def _post_init(app: Application) -> None:  # type: ignore[type-arg]
    """Publish the command menu: the user commands for everyone, the admin commands for admins."""
    data: BotData = app.bot_data
    try:
        await app.bot.set_my_commands(USER_COMMANDS)
        for admin_id in sorted(data.settings.admin_user_ids):
            await app.bot.set_my_commands(ADMIN_COMMANDS, scope=BotCommandScopeChat(admin_id))
    except Exception as exc:  # the menu is a convenience; never stop the bot over it
        logger.warning("could not set the command menu error=%s", type(exc).__name__)

"""``reportbot serve``: every configured chat front end in one process, on one set of services and one ChatCore.

WeCom runs when its bot id and secret are set, DingTalk when its client id and secret are set, Telegram when
its token is set, the web console when ``REPORTBOT_WEB_PORT`` is set (``reportbot web`` runs the console alone,
through ``serve(…, only_web=True)``). On SIGTERM/SIGINT the front
ends stop taking new messages, the core drains the answers in flight (``ChatCore.drain``), then every front
end closes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from typing import TYPE_CHECKING, Any

from bot.redact import protect_secrets
from retrieval.errors import ConfigurationError

if TYPE_CHECKING:
    from bot.chat.service import ChatCore
    from bot.services import Services
    from bot.settings import Settings

logger = logging.getLogger(__name__)

NOTHING_CONFIGURED = (
    "没有配置任何聊天前端：企业微信请设置 REPORTBOT_WECOM_BOT_ID 和 REPORTBOT_WECOM_SECRET，"
    "钉钉请设置 REPORTBOT_DINGTALK_CLIENT_ID 和 REPORTBOT_DINGTALK_CLIENT_SECRET，"
    "Telegram 请设置 REPORTBOT_TELEGRAM_TOKEN，网页管理台请设置 REPORTBOT_WEB_PORT。"
)
WECOM_AUTH = "企业微信令牌或密钥错误：请检查 REPORTBOT_WECOM_BOT_ID 和 REPORTBOT_WECOM_SECRET。"
DINGTALK_AUTH = "钉钉应用凭证错误：请检查 REPORTBOT_DINGTALK_CLIENT_ID 和 REPORTBOT_DINGTALK_CLIENT_SECRET。"
TAKEOVER_RETRY = 60.0
"""Seconds before the WeCom connection is taken back after another login took it over."""
CLOSE_SECONDS = 3.0
"""How long the WeCom connection may take to close after the drain (drain + this < compose stop_grace_period)."""


class NothingToServe(ConfigurationError):
    """No chat front end is configured."""


def configured_frontends(settings: Settings) -> list[str]:
    """The names of the front ends ``settings`` configure, WeCom first, the web console last."""
    from bot.dingtalk.frontend import dingtalk_configured
    from bot.wecom.frontend import wecom_configured

    names = ["wecom"] if wecom_configured(settings) else []
    if dingtalk_configured(settings):
        names.append("dingtalk")
    if settings.telegram_token.get_secret_value().strip():
        names.append("telegram")
    if settings.web_port is not None:
        names.append("web")
    return names


def serve(settings: Settings, *, only_web: bool = False) -> None:
    """Check the settings, build the services and one ChatCore, and run every configured front end (blocks);
    ``only_web``: the web console alone (``reportbot web``).
    """
    from bot.chat.service import ChatCore
    from bot.services import build_services

    names = ["web"] if only_web else configured_frontends(settings)
    if not names:
        raise NothingToServe(NOTHING_CONFIGURED)
    if "telegram" in names:
        check_telegram_settings(settings)
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    protect_secrets(
        settings.telegram_token.get_secret_value(),
        settings.llm_api_key.get_secret_value(),
        settings.wecom_secret.get_secret_value(),
        settings.dingtalk_client_secret.get_secret_value(),
        settings.embedding_api_key.get_secret_value(),
        settings.rerank_api_key.get_secret_value(),
    )
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    services = build_services(settings)
    core = ChatCore.from_settings(services, settings)
    asyncio.run(run_frontends(settings, services, core, names))


async def run_frontends(settings: Settings, services: Services, core: ChatCore, names: list[str]) -> None:
    """Start the named front ends, wait for SIGTERM/SIGINT (or a front end's fatal error), then stop them."""
    from bot.telegram.run import finish_telegram, stop_polling

    stop = asyncio.Event()
    close_wecom = asyncio.Event()  # set after the drain: the connection stays while answers finish
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    telegram: Any = None
    wecom: Any = None
    wecom_task: asyncio.Task[None] | None = None
    dingtalk: Any = None
    dingtalk_task: asyncio.Task[None] | None = None
    web: Any = None
    web_task: asyncio.Task[None] | None = None
    try:
        if "web" in names:
            from bot.web.run import web_server

            web, sock = web_server(settings, services, core)
            web_task = asyncio.create_task(web.serve(sockets=[sock]))
            web_task.add_done_callback(lambda _: stop.set())
        if "telegram" in names:
            telegram = await _start_telegram(settings, services, core)
        if "wecom" in names:
            from bot.wecom.frontend import build_frontend

            wecom = build_frontend(settings, core)
            wecom_task = asyncio.create_task(_run_wecom(settings, wecom, close_wecom))
            wecom_task.add_done_callback(lambda _: stop.set())
        if "dingtalk" in names:
            from bot.dingtalk.frontend import build_client as build_dingtalk

            dingtalk = build_dingtalk(settings, core)
            dingtalk_task = asyncio.create_task(dingtalk.run())
            dingtalk_task.add_done_callback(lambda _: stop.set())
        logger.info("serving frontends=%s", ",".join(names))
        await stop.wait()
        logger.info("stopping frontends=%s", ",".join(names))
    finally:
        if web is not None:
            web.should_exit = True
        if wecom is not None:
            wecom.accepting = False
        if dingtalk is not None:
            dingtalk.handler.accepting = False
        if telegram is not None:
            await _quietly(stop_polling(telegram))
        await core.drain(settings.shutdown_grace)
        if telegram is not None:
            await _quietly(finish_telegram(telegram))
        close_wecom.set()
        if wecom_task is not None:
            await asyncio.wait([wecom_task], timeout=CLOSE_SECONDS)
        if dingtalk is not None:
            await _close_dingtalk(dingtalk, dingtalk_task)
        if web_task is not None:
            await asyncio.wait([web_task], timeout=CLOSE_SECONDS)
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
    if wecom_task is not None:
        _raise_wecom_failure(wecom_task)
    if dingtalk_task is not None:
        _raise_dingtalk_failure(dingtalk_task)


async def _run_wecom(settings: Settings, frontend: Any, stop: asyncio.Event) -> None:
    """Keep the WeCom connection until ``stop`` is set; after another login took it over, take it back a minute later.

    (``reportbot doctor``'s check subscribes too; two ``serve`` processes of one bot take turns, and say so.)
    """
    from bot.wecom.frontend import connect_client

    while True:
        client = connect_client(settings, frontend)
        run = asyncio.create_task(client.run())
        stopped = asyncio.create_task(stop.wait())
        await asyncio.wait([run, stopped], return_when=asyncio.FIRST_COMPLETED)
        if stop.is_set():
            await client.stop()
            await run
            return
        stopped.cancel()
        run.result()  # a wrong bot id or secret ends serving (raises)
        logger.warning(
            "wecom connection taken over by another login for this bot; reconnecting in %.0fs", TAKEOVER_RETRY
        )
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), TAKEOVER_RETRY)
        if stop.is_set():
            return


async def _close_dingtalk(client: Any, task: asyncio.Task[None] | None) -> None:
    """After the drain: close the Stream connection, end what handlers are left, close the HTTP client."""
    await _quietly(client.stop())
    if task is not None:
        await asyncio.wait([task], timeout=CLOSE_SECONDS)
    await _quietly(client.cancel_handlers())
    await _quietly(client.api.aclose())


async def _start_telegram(settings: Settings, services: Services, core: ChatCore) -> Any:
    """Build, initialise (``getMe``) and start the Telegram Application; one Chinese line when it cannot."""
    from bot.telegram import build_application
    from bot.telegram.run import start_telegram

    app = build_application(settings, services, core)
    await start_telegram(app)
    logger.info(
        "telegram started api=%s allowed_users=%s allowed_chats=%s admins=%s",
        "custom" if settings.telegram_base_url else "telegram",
        len(settings.allowed_user_ids),
        len(settings.allowed_chat_ids),
        len(settings.admin_user_ids),
    )
    return app


def _raise_wecom_failure(task: asyncio.Task[None]) -> None:
    """Turn the WeCom client's fatal error (wrong bot id or secret) into one Chinese line."""
    from bot.wecom.errors import WeComAuthError

    _raise_failure(task, WeComAuthError, WECOM_AUTH)


def _raise_dingtalk_failure(task: asyncio.Task[None]) -> None:
    """Turn the DingTalk client's fatal error (credentials refused) into one Chinese line."""
    from bot.dingtalk.errors import DingTalkAuthError

    _raise_failure(task, DingTalkAuthError, DINGTALK_AUTH)


def _raise_failure(task: asyncio.Task[None], auth_error: type[Exception], text: str) -> None:
    """A front end's task ended in ``auth_error``: ``text`` as a ``ConfigurationError``; anything else as it is."""
    if not task.done() or task.cancelled():
        return
    exc = task.exception()
    if isinstance(exc, auth_error):
        raise ConfigurationError(text) from None
    if exc is not None:
        raise exc


async def _quietly(step: Any) -> None:
    """Await one shutdown step; a failing step must not keep the others from running."""
    try:
        await step
    except Exception as exc:
        logger.warning("shutdown step failed error=%s", type(exc).__name__)


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

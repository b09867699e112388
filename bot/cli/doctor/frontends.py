"""The doctor's chat front-end checks: each one not configured, or a real connection with its credentials."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from bot.cli.doctor.check import Check

if TYPE_CHECKING:
    from bot.settings import Settings

FRONTEND_CHECK_TIMEOUT = 10.0
TELEGRAM_API = "https://api.telegram.org/bot"


def check_telegram(settings: Settings) -> Check:
    """Telegram: not configured, or the token's shape and a real ``getMe`` (the token is never printed)."""
    name = "Telegram"
    hint = "检查 REPORTBOT_TELEGRAM_TOKEN（向 @BotFather 申请，形如 123456789:AA…）"
    token = settings.telegram_token.get_secret_value()
    if not token:
        return Check(name, "skip", "未配置（设置 REPORTBOT_TELEGRAM_TOKEN 后 reportbot serve 会运行它）")
    if not settings.token_looks_valid():
        return Check(name, "fail", "令牌格式不正确", hint)
    base = settings.telegram_base_url or TELEGRAM_API
    try:
        response = httpx.get(f"{base}{token}/getMe", timeout=FRONTEND_CHECK_TIMEOUT)
    except httpx.HTTPError as exc:
        where = "REPORTBOT_TELEGRAM_BASE_URL" if settings.telegram_base_url else "api.telegram.org"
        hint = "检查网络或代理；内网可用 REPORTBOT_TELEGRAM_BASE_URL 指向可达的 Bot API 服务器"
        return Check(name, "fail", f"无法连接 Telegram（{where}，{type(exc).__name__}）", hint)
    if response.status_code in (401, 404):
        return Check(name, "fail", "令牌或密钥错误", hint)
    try:
        username = response.json()["result"]["username"]
    except (ValueError, KeyError, TypeError):
        return Check(name, "fail", f"Bot API 返回错误 HTTP {response.status_code}", hint)
    return Check(name, "ok", f"已连接，机器人 @{username}")


def check_wecom(settings: Settings) -> Check:
    """企业微信: not configured, or a real connect + subscribe + close at the configured URL."""
    import asyncio

    from bot.chat.connection import ProbeResult
    from bot.wecom.frontend import wecom_configured
    from bot.wecom.probe import probe

    name = "企业微信"
    if not wecom_configured(settings):
        return Check(
            name,
            "skip",
            "未配置（设置 REPORTBOT_WECOM_BOT_ID 和 REPORTBOT_WECOM_SECRET 后 reportbot serve 会运行它）",
        )
    secret = settings.wecom_secret.get_secret_value()
    result, detail = asyncio.run(
        probe(settings.wecom_ws_url, settings.wecom_bot_id, secret, FRONTEND_CHECK_TIMEOUT)
    )
    if result is ProbeResult.AUTH_FAILED:
        hint = "检查 REPORTBOT_WECOM_BOT_ID 与 REPORTBOT_WECOM_SECRET（智能机器人 API 模式、长连接）"
        return Check(name, "fail", f"令牌或密钥错误（{detail}）", hint)
    if result is ProbeResult.UNREACHABLE:
        hint = "检查服务器能否出站访问企业微信（或中转服务），以及 REPORTBOT_WECOM_WS_URL"
        return Check(name, "fail", f"无法连接 {settings.wecom_ws_url}（{detail}）", hint)
    return Check(name, "ok", f"已连接并订阅（{settings.wecom_ws_url}）")


def check_dingtalk(settings: Settings) -> Check:
    """钉钉: not configured, or a real access token and Stream gateway ticket at the configured address."""
    import asyncio

    from bot.chat.connection import ProbeResult
    from bot.dingtalk.frontend import build_api, dingtalk_configured
    from bot.dingtalk.probe import probe

    name = "钉钉"
    if not dingtalk_configured(settings):
        return Check(
            name,
            "skip",
            "未配置（设置 REPORTBOT_DINGTALK_CLIENT_ID 和 REPORTBOT_DINGTALK_CLIENT_SECRET 后 reportbot serve 会运行它）",
        )
    result, detail = asyncio.run(probe(build_api(settings)))
    if result is ProbeResult.AUTH_FAILED:
        hint = "检查 REPORTBOT_DINGTALK_CLIENT_ID 与 REPORTBOT_DINGTALK_CLIENT_SECRET（应用凭证 Client ID / Client Secret）"
        return Check(name, "fail", f"应用凭证错误（{detail}）", hint)
    if result is ProbeResult.UNREACHABLE:
        hint = "检查服务器能否出站访问 api.dingtalk.com（或中转服务），以及 REPORTBOT_DINGTALK_API_URL"
        return Check(name, "fail", f"无法连接 {settings.dingtalk_api_url}（{detail}）", hint)
    return Check(name, "ok", f"已取得访问令牌和 Stream 连接凭证（{settings.dingtalk_api_url}）")

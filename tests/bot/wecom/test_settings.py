"""The WeCom settings: userid lists as strings, the URL default and ws:// for a relay, the secret kept secret."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.settings import Settings


def test_wecom_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTBOT_WECOM_BOT_ID", "aibAbc123")
    monkeypatch.setenv("REPORTBOT_WECOM_SECRET", "very-secret")
    monkeypatch.setenv("REPORTBOT_WECOM_WS_URL", "ws://127.0.0.1:8765")
    monkeypatch.setenv("REPORTBOT_WECOM_ALLOWED_USERS", "ZhangSan, li.si  wang-wu")
    monkeypatch.setenv("REPORTBOT_WECOM_ADMIN_USERS", "ZhangSan")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.wecom_bot_id == "aibAbc123"
    assert settings.wecom_ws_url == "ws://127.0.0.1:8765"
    assert settings.wecom_allowed_users == ["ZhangSan", "li.si", "wang-wu"]
    assert settings.wecom_admin_users == ["ZhangSan"]
    assert settings.wecom_secret.get_secret_value() == "very-secret"
    assert "very-secret" not in repr(settings)


def test_defaults_deny_everyone_and_use_the_official_endpoint() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.wecom_ws_url == "wss://openws.work.weixin.qq.com"
    assert settings.wecom_allowed_users == []
    assert settings.wecom_admin_users == []


def test_a_non_websocket_url_is_refused() -> None:
    with pytest.raises(ValidationError, match="ws://"):
        Settings(_env_file=None, wecom_ws_url="https://openws.work.weixin.qq.com")  # type: ignore[call-arg]

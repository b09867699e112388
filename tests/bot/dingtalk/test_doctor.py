"""``reportbot doctor``'s DingTalk line: a real token and gateway ticket from the fake, wrong credentials, no route."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from bot.cli import app
from tests.chroma_server import free_port

if TYPE_CHECKING:
    from pathlib import Path

    from tests.bot.dingtalk.fake_server import FakeDingTalk

pytestmark = pytest.mark.asyncio(loop_scope="function")


def dingtalk_line(tmp_path: Path, client_id: str, secret: str, api_url: str) -> tuple[int, str]:
    """The exit code and doctor's 钉钉 line."""
    env = {
        "REPORTBOT_DATA_DIR": str(tmp_path / "data"),
        "REPORTBOT_DINGTALK_CLIENT_ID": client_id,
        "REPORTBOT_DINGTALK_CLIENT_SECRET": secret,
        "REPORTBOT_DINGTALK_API_URL": api_url,
    }
    result = CliRunner().invoke(app, ["doctor"], env=env)
    assert "Traceback" not in result.output, result.output
    [line] = [line for line in result.output.splitlines() if line[2:].startswith("钉钉")]
    return result.exit_code, line


async def test_doctor_checks_token_and_gateway_for_real(
    dingtalk: FakeDingTalk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no developer's .env
    _, good = await asyncio.to_thread(
        dingtalk_line, tmp_path, dingtalk.client_id, dingtalk.client_secret, dingtalk.base_url
    )
    wrong_secret = "not-the-dingtalk-secret-0123"
    code, wrong = await asyncio.to_thread(
        dingtalk_line, tmp_path, dingtalk.client_id, wrong_secret, dingtalk.base_url
    )
    _, unreachable = await asyncio.to_thread(
        dingtalk_line, tmp_path, "id", "secret-0123456789", f"http://127.0.0.1:{free_port()}"
    )

    assert good == f"✓ 钉钉：已取得访问令牌和 Stream 连接凭证（{dingtalk.base_url}）"
    assert dingtalk.opens == 1  # a ticket was asked for …
    assert dingtalk.connections == 0  # … but no socket opened: it would take messages from serve
    assert code == 1
    assert wrong.startswith("✗ 钉钉：应用凭证错误")
    assert wrong_secret not in wrong
    assert unreachable.startswith("✗ 钉钉：无法连接 http://127.0.0.1:")
    assert dingtalk.violations == []

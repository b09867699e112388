"""``--help`` in Chinese (English command names), and settings errors in Chinese, naming the variable."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

import pytest
from pydantic import AnyHttpUrl, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict
from typer.testing import CliRunner

from bot.cli import COMMANDS, app
from bot.settings import Settings
from bot.settings_errors import describe_settings_errors

if TYPE_CHECKING:
    from pathlib import Path

runner = CliRunner()
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_top_level_help_lists_every_command_in_chinese() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "把卫生局的工作总结" in result.stdout
    assert "显示帮助并退出" in result.stdout
    for name, spec in COMMANDS.items():
        line = next(line for line in result.stdout.splitlines() if re.match(rf"│ {name} ", line))
        assert CJK.search(spec.help), name
        assert spec.help[:6] in line


GROUPS = {"user": ["add", "list", "disable", "enable", "reset-password"], "audit": ["verify"]}
"""Commands with subcommands (``reportbot user add …``): each subcommand is checked."""


@pytest.mark.parametrize(
    "name",
    [n for n in sorted(COMMANDS) if n not in GROUPS]
    + [f"{g} {s}" for g, subs in GROUPS.items() for s in subs],
)
def test_each_command_explains_itself_and_its_options_in_chinese(name: str) -> None:
    result = runner.invoke(app, [*name.split(), "--help"])
    assert result.exit_code == 0
    assert "显示帮助并退出" in result.stdout
    assert "数据目录" in result.stdout  # --data-dir
    description = result.stdout.split("Usage:", 1)[1].splitlines()[2]
    assert CJK.search(description), (name, description)
    for option in re.findall(r"│ (--[a-z-]+)\s+<\w+>\s+(.+?)│", result.stdout):
        assert CJK.search(option[1]), (name, option)


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_each_command_group_lists_its_commands_in_chinese(group: str) -> None:
    result = runner.invoke(app, [group, "--help"])
    assert result.exit_code == 0
    assert "显示帮助并退出" in result.stdout
    for sub in GROUPS[group]:
        line = next(line for line in result.stdout.splitlines() if re.match(rf"│ {sub} ", line))
        assert CJK.search(line), line


class ExampleSettings(BaseSettings):
    """Field kinds Settings may grow (bool, literal, URL, secret)."""

    model_config = SettingsConfigDict(env_prefix="REPORTBOT_", env_file=None)

    verbose: bool = False
    mode: Literal["fast", "best"] = "fast"
    server_url: AnyHttpUrl | None = None
    api_key: SecretStr = Field(SecretStr("a-long-enough-key"), min_length=8)


@pytest.mark.parametrize(
    ("env", "line"),
    [
        ({"REPORTBOT_TOP_K": "abc"}, "配置错误：REPORTBOT_TOP_K 应为整数（当前值 abc）"),
        ({"REPORTBOT_TOP_K": "0"}, "配置错误：REPORTBOT_TOP_K 应不小于 1（当前值 0）"),
        ({"REPORTBOT_TOP_K": "99"}, "配置错误：REPORTBOT_TOP_K 应不大于 50（当前值 99）"),
        ({"REPORTBOT_DENSE_WEIGHT": "x"}, "配置错误：REPORTBOT_DENSE_WEIGHT 应为数字（当前值 x）"),
        ({"REPORTBOT_LLM_TIMEOUT": "0"}, "配置错误：REPORTBOT_LLM_TIMEOUT 应大于 0（当前值 0）"),
        (
            {"REPORTBOT_ALLOWED_USER_IDS": "12,abc"},
            "配置错误：REPORTBOT_ALLOWED_USER_IDS 应为逗号分隔的数字 id，如 12345,67890（当前值 12,abc）",
        ),
        (
            {"REPORTBOT_WECOM_WS_URL": "http://relay"},
            "配置错误：REPORTBOT_WECOM_WS_URL 应为 ws:// 或 wss:// 开头的地址（当前值 http://relay）",
        ),
    ],
)
def test_settings_errors_are_chinese_and_name_the_variable(
    env: dict[str, str], line: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None)  # type: ignore[call-arg]
    assert describe_settings_errors(caught.value) == [line]


@pytest.mark.parametrize(
    ("env", "line"),
    [
        (
            {"REPORTBOT_VERBOSE": "perhaps"},
            "配置错误：REPORTBOT_VERBOSE 应为 true 或 false（当前值 perhaps）",
        ),
        ({"REPORTBOT_MODE": "quick"}, "配置错误：REPORTBOT_MODE 应为以下之一：fast 或 best（当前值 quick）"),
        (
            {"REPORTBOT_SERVER_URL": "not a url"},
            "配置错误：REPORTBOT_SERVER_URL 应为网址（如 http://host:8000）（当前值 not a url）",
        ),
        ({"REPORTBOT_API_KEY": "sk-1"}, "配置错误：REPORTBOT_API_KEY 长度至少应为 8"),  # never echoed
    ],
)
def test_other_field_kinds_are_translated_too(
    env: dict[str, str], line: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ValidationError) as caught:
        ExampleSettings()
    assert describe_settings_errors(caught.value, ExampleSettings) == [line]


def test_every_wrong_variable_gets_its_own_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTBOT_TOP_K", "abc")
    monkeypatch.setenv("REPORTBOT_RATE_LIMIT_PER_MINUTE", "-1")
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None)  # type: ignore[call-arg]
    lines = describe_settings_errors(caught.value)
    assert len(lines) == 2
    for line in lines:
        assert line.startswith("配置错误：REPORTBOT_")
        assert not re.search(r"[A-Za-z]{4,}", re.sub(r"REPORTBOT_[A-Z_]+", "", line)), line  # no English left


def test_the_cli_prints_them_and_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTBOT_DENSE_WEIGHT", "much")
    result = runner.invoke(app, ["docs", "--data-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "配置错误：REPORTBOT_DENSE_WEIGHT 应为数字（当前值 much）" in result.output
    assert "Input should" not in result.output

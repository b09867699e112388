"""``reportbot serve``: run every configured chat front end (WeCom, DingTalk, Telegram) in one process; see ``bot.serve``."""

from __future__ import annotations

import logging

import typer
from rich.markup import escape

from bot.cli.support import DataDir, err, load_settings
from retrieval.errors import ConfigurationError


def serve(data_dir: DataDir = None) -> None:
    """运行聊天机器人：配置了机器人 ID 和 Secret 时运行企业微信，配置了钉钉应用凭证时运行钉钉，配置了令牌时运行 Telegram。

    两者都未配置时退出码为 2；收到 SIGTERM 后停止接收新消息，在宽限期内完成或中止正在回答的问题。
    """
    from bot.cli.logs import to_stderr
    from bot.serve import serve as run_frontends

    logging.getLogger().setLevel(logging.INFO)
    to_stderr()  # a service: its log is its stderr (docker, systemd), besides the data dir's file
    try:
        run_frontends(load_settings(data_dir))
    except ConfigurationError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]", soft_wrap=True)
        raise typer.Exit(2) from None


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the ``reportbot`` app."""
    app.command("serve")(serve)

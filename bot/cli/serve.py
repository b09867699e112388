"""``reportbot serve``: run every configured chat front end (WeCom, DingTalk, Telegram) in one process; see ``bot.serve``."""

from __future__ import annotations

import atexit
import logging
import os
import sys
from typing import NoReturn

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
    _exit_without_teardown()


def _exit_without_teardown() -> NoReturn:
    """Exit 0 at once after the orderly shutdown, skipping the interpreter's teardown.

    Everything the process owns is closed by then; the exit handlers still run (log flush, temporary copies of
    a read-only store). What is skipped is freeing every object one by one (jieba's dictionary, the lexical
    index, Chroma, the ONNX session): 2–4 s on a loaded 2-core machine, enough to push a SIGTERM during a hung
    answer (8 s grace) past a container's 10 s stop period. Measured with
    ``tests/reliability/test_serve_shutdown.py`` at load 8: 10.6–12.6 s before, 8.1–8.3 s after.
    """
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the ``reportbot`` app."""
    app.command("serve")(serve)

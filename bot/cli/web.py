"""``reportbot web``: the web console alone (``reportbot serve`` runs it too when REPORTBOT_WEB_PORT is set)."""

from __future__ import annotations

import logging

import typer
from rich.markup import escape

from bot.cli.support import DataDir, err, load_settings
from retrieval.errors import ConfigurationError


def web(data_dir: DataDir = None) -> None:
    """运行网页管理台（REPORTBOT_WEB_HOST，默认 127.0.0.1；REPORTBOT_WEB_PORT，默认 8080）。"""
    from bot.cli.logs import to_stderr
    from bot.serve import serve

    logging.getLogger().setLevel(logging.INFO)
    to_stderr()
    try:
        serve(load_settings(data_dir), only_web=True)
    except ConfigurationError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]", soft_wrap=True)
        raise typer.Exit(2) from None


def register(app: typer.Typer) -> None:
    """Add ``web`` to the ``reportbot`` app."""
    app.command("web")(web)

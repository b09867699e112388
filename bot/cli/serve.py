"""``reportbot serve``: run every configured chat front end (WeCom, Telegram) in one process; see ``bot.serve``."""

from __future__ import annotations

import logging

import typer
from rich.markup import escape

from bot.cli.support import DataDir, err, load_settings
from retrieval.errors import ConfigurationError


def serve(data_dir: DataDir = None) -> None:
    """Run the chat bots: WeCom when its bot id and secret are set, Telegram when its token is set."""
    from bot.serve import serve as run_frontends

    logging.getLogger().setLevel(logging.INFO)
    try:
        run_frontends(load_settings(data_dir))
    except ConfigurationError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]", soft_wrap=True)
        raise typer.Exit(2) from None


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the ``reportbot`` app."""
    app.command("serve")(serve)

"""``reportbot serve``: run the chat front end (the Telegram bot; see ``bot.serve``)."""

from __future__ import annotations

import logging

import typer

from bot.cli.support import DataDir, load_settings


def serve(data_dir: DataDir = None) -> None:
    """Run the Telegram bot (long polling; see docs/telegram.md)."""
    from bot.serve import serve as run_bot

    logging.getLogger().setLevel(logging.INFO)
    run_bot(load_settings(data_dir))


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the ``reportbot`` app."""
    app.command("serve")(serve)

"""The ``reportbot`` command line: one module per command under ``bot/cli/``, each exposing ``register(app)``.

``COMMANDS`` lists them in the order ``reportbot --help`` shows them; adding a command means adding its module
here. ``main`` is the console-script entry point (``reportbot = "bot.cli:main"``).
"""

from __future__ import annotations

import logging
import sys

import typer
from rich.markup import escape

from bot.cli import archive, ask, delete, docs, doctor, draft, evaluate, ingest, search, serve
from bot.cli.support import console, err
from retrieval.errors import ReportbotError

__all__ = ["COMMANDS", "app", "console", "err", "main"]

app = typer.Typer(
    help="reportbot：把卫生局工作总结/计划变成可引用的知识库。 Turn work reports into a cited knowledge base.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

COMMANDS = (
    ingest,  # ingest PATH… [--prune] [--force]
    docs,  # docs
    delete,  # delete DOC
    search,  # search QUESTION | --stdin
    ask,  # ask QUESTION [--json] [--passages]
    evaluate,  # eval FILE.jsonl
    draft,  # draft REQUEST [-o FILE]
    doctor,  # doctor
    archive,  # export FILE / import FILE
    serve,  # serve
)
for command in COMMANDS:
    command.register(app)


def main() -> None:
    """Console-script entry point: a core error becomes one clear line and exit code 1, never a traceback."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        app()
    except ReportbotError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        sys.exit(1)

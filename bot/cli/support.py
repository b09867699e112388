"""What every ``reportbot`` subcommand shares: consoles, the ``--data-dir`` option, settings and services.

Cheap to import (typer and rich only): ``reportbot --help`` loads this module, so settings, services and
everything below them are imported inside the functions that need them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

if TYPE_CHECKING:
    from bot.services import Services
    from bot.settings import Settings


class CliConsole(Console):
    """A rich console that keeps rich in a terminal and prints unwrapped plain text when piped or redirected.

    Piped output is read by scripts and copied into other commands: a figure ("下降8.2%") or a doc id must
    never be split by a hard wrap at 80 columns, so ``soft_wrap`` defaults to "not a terminal".
    """

    def print(self, *objects: Any, soft_wrap: bool | None = None, **kwargs: Any) -> None:
        """``Console.print`` with ``soft_wrap`` on whenever the output is not a terminal."""
        super().print(
            *objects, soft_wrap=(not self.is_terminal) if soft_wrap is None else soft_wrap, **kwargs
        )


console = CliConsole(highlight=False, emoji=False)
err = CliConsole(stderr=True, highlight=False, emoji=False)

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="数据目录（默认：环境变量 REPORTBOT_DATA_DIR，或 ./data）。",
        show_default=False,
    ),
]


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one Chinese sentence in red on stderr; return the ``typer.Exit`` to raise (1: failed, 2: usage)."""
    from rich.markup import escape

    err.print(f"[red]{escape(message)}[/red]")
    return typer.Exit(code)


def load_settings(data_dir: Path | None) -> Settings:
    """Settings from the environment, with ``--data-dir`` taking precedence; a wrong value exits 2 with one
    Chinese line per variable.
    """
    from pydantic import ValidationError

    from bot.settings import Settings

    try:
        settings = Settings()
    except ValidationError as exc:
        from bot.settings_errors import describe_settings_errors

        for line in describe_settings_errors(exc):
            err.print(line, markup=False, style="red")
        raise typer.Exit(2) from None
    if data_dir is not None:
        settings = settings.model_copy(update={"data_dir": data_dir})
    from bot.cli.logs import log_for

    log_for(settings)
    return settings


def open_services(data_dir: Path | None, *, settings: Settings | None = None) -> Services:
    """The services (from ``settings`` when given, else from the environment), built lazily: a command pays
    only for the parts it touches (``docs`` never loads the embedding model, ``ask`` never imports ingest).
    """
    from bot.services import build_services

    return build_services(settings if settings is not None else load_settings(data_dir), lazy=True)


def require_documents(services: Services) -> None:
    """Exit 1 with a hint to ingest first when the knowledge base is empty."""
    if services.library.is_empty():
        raise fail("知识库为空：请先运行 reportbot ingest <文件或目录>")


def require_text(text: str | None, message: str) -> str:
    """The stripped text, or exit 1 with ``message`` when it is empty (``ask ""`` is a failed request)."""
    stripped = (text or "").strip()
    if not stripped:
        raise fail(message)
    return stripped

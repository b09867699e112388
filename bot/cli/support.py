"""What every ``reportbot`` subcommand shares: consoles, the ``--data-dir`` option, settings and services."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from bot.services import build_services
from bot.settings import Settings
from retrieval.errors import ReportbotError

if TYPE_CHECKING:
    from bot.services import Services

console = Console()
err = Console(stderr=True)

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir", help="Data directory (default: REPORTBOT_DATA_DIR or ./data).", show_default=False
    ),
]


def load_settings(data_dir: Path | None) -> Settings:
    """Settings from the environment, with ``--data-dir`` taking precedence; exits with a clear message."""
    try:
        settings = Settings()
    except ValidationError as exc:
        for e in exc.errors():
            name = "REPORTBOT_" + str(e["loc"][0]).upper() if e["loc"] else "REPORTBOT_*"
            err.print(f"[red]配置错误 {name}: {e['msg']}[/red]")
        raise typer.Exit(2) from None
    if data_dir is not None:
        settings = settings.model_copy(update={"data_dir": data_dir})
    return settings


def open_services(data_dir: Path | None, *, settings: Settings | None = None) -> Services:
    """Build the services (from ``settings`` when given, else from the environment) or exit with the core's
    message."""
    try:
        return build_services(settings if settings is not None else load_settings(data_dir))
    except ReportbotError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(1) from None


def require_documents(services: Services) -> None:
    """Exit with a hint to ingest first when the knowledge base is empty."""
    if services.library.is_empty():
        err.print("[red]知识库为空：请先运行 reportbot ingest <文件或目录>[/red]")
        raise typer.Exit(1)

"""``reportbot delete DOC``: remove a document and its chunks, by doc id or source name."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from bot.cli.support import DataDir, console, err, open_services
from retrieval.errors import ReportbotError


def delete(
    doc: Annotated[str, typer.Argument(help="Document id or source name.")], data_dir: DataDir = None
) -> None:
    """Delete a document and its chunks."""
    services = open_services(data_dir)
    try:
        info = services.ingest.delete(doc)
    except ReportbotError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(1) from None
    console.print(f"deleted {info.doc_id} {escape(info.source)} ({info.chunks} chunks)")


def register(app: typer.Typer) -> None:
    """Add ``delete`` to the ``reportbot`` app."""
    app.command("delete")(delete)

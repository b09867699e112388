"""``reportbot export FILE`` / ``reportbot import FILE``: back up, restore or move the knowledge base.

Registered by ``bot.cli`` (``COMMANDS``): export reads through ``services.library``, import writes through
``services.ingest``; the archive format lives in ``ingest.archive``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from bot.cli.support import DataDir, console, err, load_settings, open_services
from retrieval.errors import ReportbotError


def export_command(
    file: Annotated[Path, typer.Argument(help="Archive to write, e.g. backup-2024-06-30.tar.gz.")],
    with_embeddings: Annotated[
        bool,
        typer.Option(
            "--with-embeddings",
            help="Include the vectors (bigger; import then skips embedding if same model).",
        ),
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Export every document's chunks and metadata to a portable archive."""

    services = open_services(data_dir)
    try:
        manifest = services.library.export(file, with_embeddings=with_embeddings)
    except (ReportbotError, OSError) as exc:
        err.print(f"[red]导出失败：{escape(str(exc))}[/red]")
        raise typer.Exit(1) from None
    size = file.stat().st_size / 1e6
    console.print(
        f"exported {manifest['documents']} documents, {manifest['chunks']} chunks"
        f"{' with embeddings' if with_embeddings else ''} → {escape(str(file))} ({size:.1f} MB)"
    )


def import_command(
    file: Annotated[Path, typer.Argument(help="Archive written by reportbot export.")],
    prune: Annotated[bool, typer.Option(help="Remove documents that are not in the archive.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Import an archive (idempotent: documents already present and unchanged are left alone)."""
    if not file.is_file():
        err.print(f"[red]找不到备份文件：{escape(str(file))}[/red]")
        raise typer.Exit(2)
    settings = load_settings(data_dir)
    services = open_services(data_dir)
    try:
        report = services.ingest.import_archive(file, prune=prune, data_dir=settings.data_dir)
    except ReportbotError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(1) from None
    vectors = "vectors from the archive" if report.vectors_reused else "embedded here"
    console.print(
        f"added {len(report.added)}, updated {len(report.updated)}, unchanged {len(report.unchanged)}, "
        f"pruned {len(report.pruned)} — {report.chunks} chunks ({vectors}), "
        f"{services.library.chunk_count()} chunks in store ({report.seconds:.1f}s)"
    )


def register(app: typer.Typer) -> None:
    """Add ``export`` and ``import`` to the ``reportbot`` app."""
    app.command("export")(export_command)
    app.command("import")(import_command)

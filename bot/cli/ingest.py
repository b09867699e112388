"""``reportbot ingest PATH…``: add or update reports (incremental: unchanged files cost nothing)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bot.cli.support import DataDir, console, err, open_services
from retrieval.errors import ReportbotError

_STATUS = {
    "added": "[green]+[/green]",
    "updated": "[yellow]~[/yellow]",
    "unchanged": "=",
    "pruned": "[red]-[/red]",
}


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (.txt .md .docx .pdf .html).")],
    prune: Annotated[bool, typer.Option(help="Remove documents whose files are gone.")] = False,
    force: Annotated[bool, typer.Option(help="Re-parse even unchanged files.")] = False,
    replace: Annotated[
        bool, typer.Option(help="Replace a document of the same source name from another path.")
    ] = False,
    source_prefix: Annotated[
        str, typer.Option(help="Prefix for source names, e.g. 2024/ (keeps same-named files apart).")
    ] = "",
    data_dir: DataDir = None,
) -> None:
    """Ingest reports (incremental: unchanged files cost nothing)."""
    missing = [p for p in paths if not p.exists()]
    if missing:
        err.print(f"[red]找不到路径：{', '.join(map(str, missing))}[/red]")
        raise typer.Exit(2)
    services = open_services(data_dir)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("ingest", total=None)

        def progress(done: int, total: int, source: str) -> None:
            bar.update(task, completed=done, total=total, description=escape(source[-40:]) or "done")

        try:
            report = services.ingest.ingest(
                paths,
                prune=prune,
                force=force,
                progress=progress,
                replace=replace,
                source_prefix=source_prefix,
            )
        except ReportbotError as exc:
            err.print(f"[red]{escape(str(exc))}[/red]")
            raise typer.Exit(1) from None
    for r in report.results:
        if r.status == "failed":
            err.print(f"[red]✗ {escape(r.source)}: {escape(r.error)}[/red]")
        else:
            quarantined = f", {r.instructions} 句疑似指令已隔离" if r.instructions else ""
            replaced = f"，替换了 {r.replaced_bytes} 个无效字节" if r.replaced_bytes else ""
            console.print(
                f"{_STATUS[r.status]} {escape(r.source)}  ({r.articles} 篇, {r.chunks} 段{quarantined}{replaced})"
            )
    console.print(
        f"added {report.count('added')}, updated {report.count('updated')}, unchanged {report.count('unchanged')}, "
        f"pruned {report.count('pruned')}, failed {report.count('failed')} — "
        f"{services.library.chunk_count()} chunks in store ({report.seconds:.1f}s)"
    )
    if report.failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``ingest`` to the ``reportbot`` app."""
    app.command("ingest")(ingest)

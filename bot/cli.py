"""The ``reportbot`` command line: ingest, docs, delete, search, ask (and the commands other modules register)."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bot.archive_command import register as register_archive
from bot.cli_support import DataDir, console, err, load_settings, open_services
from bot.doctor import register as register_doctor
from bot.draft_command import register as register_draft
from bot.eval_command import register as register_eval
from bot.render_text import render_answer
from retrieval.errors import ReportbotError

app = typer.Typer(
    help="reportbot：把卫生局工作总结/计划变成可引用的知识库。 Turn work reports into a cited knowledge base.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.command()
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
            note = f"，替换了 {r.replaced_bytes} 个无效字节" if r.replaced_bytes else ""
            console.print(f"{_STATUS[r.status]} {escape(r.source)}  ({r.articles} 篇, {r.chunks} 段{note})")
    console.print(
        f"added {report.count('added')}, updated {report.count('updated')}, unchanged {report.count('unchanged')}, "
        f"pruned {report.count('pruned')}, failed {report.count('failed')} — "
        f"{services.store.count()} chunks in store ({report.seconds:.1f}s)"
    )
    if report.failed:
        raise typer.Exit(1)


_STATUS = {
    "added": "[green]+[/green]",
    "updated": "[yellow]~[/yellow]",
    "unchanged": "=",
    "pruned": "[red]-[/red]",
}


@app.command()
def docs(data_dir: DataDir = None) -> None:
    """List documents with their chunk counts."""
    services = open_services(data_dir)
    table = Table("doc id", "source", "title", "articles", "chunks", "ingested")
    for column in table.columns[:3]:
        column.overflow = "fold"  # ids and file names must stay whole to be copied into `delete`
    for d in services.store.documents():
        table.add_row(
            d.doc_id, escape(d.source), escape(d.title), str(d.articles), str(d.chunks), d.ingested_at[:16]
        )
    console.print(table)


@app.command()
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


@app.command()
def search(
    question: Annotated[str | None, typer.Argument(help="The question (omit with --stdin).")] = None,
    top_k: Annotated[int, typer.Option("--top-k", "-k", min=1, max=100)] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    stdin: Annotated[
        bool, typer.Option("--stdin", help="One question per line; one JSON array per line.")
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Search passages (chunks exactly as stored, original characters)."""
    if stdin == (question is not None):
        err.print("[red]give a QUESTION or --stdin (not both)[/red]")
        raise typer.Exit(2)
    services = open_services(data_dir)
    questions = (line.strip() for line in sys.stdin) if stdin else iter([question or ""])
    for q in questions:
        if not q:
            continue
        passages = services.searcher.search(q, k=top_k)
        if as_json or stdin:
            print(json.dumps([p.to_json() for p in passages], ensure_ascii=False), flush=True)
            continue
        for i, p in enumerate(passages, 1):
            c = p.chunk
            console.print(
                f"[bold]{i}. {escape(c.doc_title)}[/bold] · {escape(c.heading)}  [dim]{c.chunk_id} {p.score:.4f}[/dim]"
            )
            console.print(escape(c.text), highlight=False)
            console.print()


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, e.g. 上半年手足口病防控做了什么")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the Answer as JSON.")] = False,
    passages: Annotated[bool, typer.Option("--passages", help="Also print each cited passage.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Answer a question with numbered citations."""
    services = open_services(data_dir)
    if services.store.count() == 0:
        err.print("[red]知识库为空：请先运行 reportbot ingest <文件或目录>[/red]")
        raise typer.Exit(1)
    answer = services.answers.answer(question)
    if as_json:
        print(json.dumps(answer.to_json(), ensure_ascii=False))
        return
    console.print(render_answer(answer, passages=passages), highlight=False)


register_eval(app)
register_draft(app)
register_doctor(app)
register_archive(app)


@app.command()
def serve(data_dir: DataDir = None) -> None:
    """Run the Telegram bot (long polling; see docs/telegram.md)."""
    from bot.serve import serve as run_bot

    logging.getLogger().setLevel(logging.INFO)
    run_bot(load_settings(data_dir))


def main() -> None:
    """Console-script entry point: a core error becomes one clear line and exit code 1, never a traceback."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        app()
    except ReportbotError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        sys.exit(1)


if __name__ == "__main__":
    main()

"""``reportbot eval FILE.jsonl``: recall@k, MRR, refusals, citation precision, fact recall and latency.

Registered by ``bot.cli`` (``COMMANDS``); the metrics live in ``retrieval.evaluation``.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bot.cli.support import DataDir, err, load_settings, open_services, require_documents
from retrieval.embeddings import clear_query_cache
from retrieval.errors import ReportbotError
from retrieval.evaluation import load_questions, run_evaluation
from retrieval.evaluation.trust_metrics import known_units


class Mode(StrEnum):
    """How answers are produced during the evaluation."""

    extractive = "extractive"
    llm = "llm"


def eval_reports(
    file: Annotated[Path, typer.Argument(help="Question file (JSON Lines, e.g. eval/questions.jsonl).")],
    k: Annotated[int, typer.Option("--k", min=1, max=100, help="Passages searched per question.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full report as JSON.")] = False,
    mode: Annotated[
        Mode, typer.Option("--mode", help="extractive, or llm (needs REPORTBOT_LLM_BASE_URL).")
    ] = Mode.extractive,
    search_only: Annotated[
        bool, typer.Option("--search-only", help="Score search only (no answers).")
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Evaluate search and answers against a question file."""

    try:
        questions = load_questions(file)
    except ReportbotError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2) from None
    settings = load_settings(data_dir)
    if mode is Mode.llm and not settings.llm_configured:
        err.print("[red]配置错误 REPORTBOT_LLM_BASE_URL：--mode llm 需要配置大模型接口[/red]")
        raise typer.Exit(2)
    if mode is Mode.extractive:
        settings = settings.model_copy(update={"llm_base_url": None})  # extractive even when an LLM is set
    services = open_services(data_dir, settings=settings)
    require_documents(services)
    columns = (TextColumn("eval"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("eval", total=len(questions))
        report = run_evaluation(
            questions,
            services.searcher.search,
            None if search_only else services.answers.answer,
            mode=mode.value,
            k=k,
            reset=clear_query_cache,
            units=None if search_only else known_units(services.library.articles()),
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    if as_json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        print(report.render())


def register(app: typer.Typer) -> None:
    """Add ``eval`` to the ``reportbot`` app."""
    app.command("eval")(eval_reports)

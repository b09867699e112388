"""``reportbot eval FILE.jsonl``: recall@k, MRR, refusals, citation precision, fact recall and latency.

Registered by ``bot.cli`` (``COMMANDS``); the metrics live in ``retrieval.evaluation``.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.progress import step_progress
from bot.cli.support import DataDir, fail, load_settings, open_services, require_documents


class Mode(StrEnum):
    """How answers are produced during the evaluation."""

    extractive = "extractive"
    llm = "llm"


def eval_reports(
    file: Annotated[
        Path, typer.Argument(help="问题集文件（JSON Lines，例如 eval/questions.jsonl）。", show_default=False)
    ],
    k: Annotated[int, typer.Option("--k", min=1, max=100, help="每个问题检索的段落数。")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出完整报告。")] = False,
    mode: Annotated[
        Mode, typer.Option("--mode", help="extractive（摘录），或 llm（需配置 REPORTBOT_LLM_BASE_URL）。")
    ] = Mode.extractive,
    search_only: Annotated[bool, typer.Option("--search-only", help="只评估检索（不生成回答）。")] = False,
    data_dir: DataDir = None,
) -> None:
    """用问题集评估检索和回答质量（召回率、MRR、拒答、引用准确率、事实召回、耗时）。"""
    from retrieval.errors import ReportbotError
    from retrieval.evaluation import load_questions, run_evaluation
    from retrieval.evaluation.trust_metrics import known_units
    from retrieval.store.embeddings import clear_query_cache

    try:
        questions = load_questions(file)
    except ReportbotError as exc:
        raise fail(str(exc), 2) from None
    settings = load_settings(data_dir)
    if mode is Mode.llm and not settings.llm_configured:
        raise fail("配置错误：REPORTBOT_LLM_BASE_URL 未设置，--mode llm 需要配置大模型接口", 2)
    if mode is Mode.extractive:
        settings = settings.model_copy(update={"llm_base_url": None})  # extractive even when an LLM is set
    services = open_services(data_dir, settings=settings)
    require_documents(services)
    with step_progress("评估", unit="题", total=len(questions)) as progress:
        report = run_evaluation(
            questions,
            services.searcher.search,
            None if search_only else services.answers.answer,
            mode=mode.value,
            k=k,
            reset=clear_query_cache,
            units=None if search_only else known_units(services.library.articles()),
            progress=lambda done, total: progress.step(done, total),
        )
    if as_json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        print(report.render())


def register(app: typer.Typer) -> None:
    """Add ``eval`` to the ``reportbot`` app."""
    app.command("eval")(eval_reports)

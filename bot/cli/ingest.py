"""``reportbot ingest PATH…``: add or update reports (incremental: unchanged files cost nothing).

Progress (file by file, and the chunks being embedded) goes to stderr in a terminal; the per-file lines and
the summary, with how many chunks were embedded anew and how many came from the embedding cache, go to
stdout. Exit code 1 when any file failed (the others are still ingested), 2 when a path does not exist.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.progress import step_progress
from bot.cli.support import DataDir, console, err, fail, open_services

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.services import Services
    from ingest.results import FileResult, IngestReport, Progress

STATUS = {"added": "+", "updated": "~", "unchanged": "=", "pruned": "-"}


def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="文件或目录（.txt .md .docx .pdf .html）。", show_default=False)
    ],
    prune: Annotated[bool, typer.Option(help="移除文件已不存在的文档（仅限给出的目录下）。")] = False,
    force: Annotated[bool, typer.Option(help="未改动的文件也重新解析（嵌入仍从缓存读取）。")] = False,
    replace: Annotated[bool, typer.Option(help="用另一路径下的同名文件替换已有文档。")] = False,
    source_prefix: Annotated[
        str, typer.Option(help="文件名前缀，如 2024/（让不同目录下的同名文件并存）。")
    ] = "",
    data_dir: DataDir = None,
) -> None:
    """导入报告（增量：未改动的文件不重复处理；改动的文件只重新嵌入改动的段落）。

    每个文件一行：+ 新增，~ 更新，= 未变，- 移除，✗ 失败。任一文件失败时退出码为 1。
    """
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise fail(f"找不到路径：{'、'.join(missing)}", 2)
    run_and_report(
        data_dir,
        "导入",
        "个文件",
        lambda services, progress: services.ingest.ingest(
            paths,
            prune=prune,
            force=force,
            progress=progress,
            replace=replace,
            source_prefix=source_prefix,
        ),
    )


def run_and_report(
    data_dir: Path | None,
    title: str,
    unit: str,
    job: Callable[[Services, Progress], IngestReport],
) -> None:
    """Run an ingest-service job under a progress bar (files, and chunks being embedded), print its report;
    exit 1 when the job or any file in it failed.
    """
    from retrieval.errors import ReportbotError

    services = open_services(data_dir)
    with step_progress(title, unit=unit) as progress:
        services.embedder.listener = progress.embedding
        try:
            report = job(services, progress.step)
        except ReportbotError as exc:
            raise fail(str(exc)) from None
        finally:
            services.embedder.listener = None
    print_report(report, services)
    if report.failed:
        raise typer.Exit(1)


def print_report(report: IngestReport, services: Services) -> None:
    """One line per file (failures on stderr), then the counts and the embedding summary."""
    from retrieval.errors import ReportbotError

    for r in report.results:
        if r.status == "failed":
            err.print(f"✗ {r.source}：{r.error}", markup=False, style="red")
        else:
            quarantined = f"，{r.instructions} 句疑似指令已隔离" if r.instructions else ""
            replaced = f"，替换了 {r.replaced_bytes} 个无效字节" if r.replaced_bytes else ""
            console.print(
                f"{STATUS[r.status]} {r.source}（{r.articles} 篇，{r.chunks} 段{quarantined}{replaced}{scan_summary(r)}）",
                markup=False,
            )
    counts = "，".join(
        f"{label} {report.count(status)}"  # type: ignore[arg-type]
        for status, label in (
            ("added", "新增"),
            ("updated", "更新"),
            ("unchanged", "未变"),
            ("pruned", "移除"),
            ("failed", "失败"),
        )
    )
    meter = services.embedder
    try:
        total = f"知识库共 {services.library.chunk_count()} 段"
    except ReportbotError:  # the store stopped being usable during the batch; the failed files said why
        total = "知识库段数暂不可读"
    console.print(
        f"{counts}；嵌入 {meter.requested} 段（新计算 {meter.embedded}，缓存复用 {meter.reused}）；"
        f"{total}（{report.seconds:.1f} 秒）",
        markup=False,
    )


def scan_summary(r: FileResult) -> str:
    """``，扫描件识别 2 页（1 段置信度低，请核对原件）`` for a file read by OCR, else ""."""
    if not r.scanned_pages:
        return ""
    low = f"（{r.low_confidence} 段置信度低，请核对原件）" if r.low_confidence else ""
    return f"，扫描件识别 {r.scanned_pages} 页{low}"


def register(app: typer.Typer) -> None:
    """Add ``ingest`` to the ``reportbot`` app."""
    app.command("ingest")(ingest)

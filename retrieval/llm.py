"""The chat model: any OpenAI-compatible Chat Completions endpoint through ``langchain_openai``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel


def build_chat_model(
    base_url: str, api_key: str, model: str, *, timeout: float, temperature: float = 0.2
) -> BaseChatModel:
    """A streaming-capable chat model that never retries (``max_retries=0``), so a dead endpoint fails fast.

    ``timeout`` bounds connecting and each wait for data; the answer service falls back to the
    extractive answer when it expires.
    """
    from langchain_openai import ChatOpenAI  # only when an LLM is configured: importing it takes seconds

    return ChatOpenAI(
        base_url=base_url,
        api_key=api_key,
        model=model,
        timeout=timeout,
        temperature=temperature,
        max_retries=0,
    )


class UnusableAnswerError(Exception):
    """The model replied, but with nothing usable (empty, no Chinese, only markers)."""


def describe_failure(exc: BaseException) -> str:
    """Why the model could not be used, in a few Chinese words for the user (never the raw error)."""
    import openai  # already loaded: only a model built by build_chat_model can have failed

    if isinstance(exc, UnusableAnswerError):
        reason = "返回内容无法使用"
    elif isinstance(exc, openai.APITimeoutError | TimeoutError):
        reason = "响应超时"
    elif isinstance(exc, openai.APIConnectionError | ConnectionError):
        reason = "无法连接服务"
    elif isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
        reason = "密钥无效或无权限"
    elif isinstance(exc, openai.NotFoundError):
        reason = "模型名称或服务地址有误"
    elif isinstance(exc, openai.RateLimitError):
        reason = "请求过于频繁或额度不足"
    elif isinstance(exc, openai.APIStatusError):
        reason = f"服务返回错误 HTTP {exc.status_code}"
    elif isinstance(exc, openai.APIResponseValidationError | ValueError):
        reason = "返回格式无法解析"
    else:
        reason = "调用失败"
    return reason

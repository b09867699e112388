"""build_chat_model against the local OpenAI-compatible server; failure reasons in Chinese."""

from __future__ import annotations

import time

import openai
import pytest

from retrieval.llm import UnusableAnswerError, build_chat_model, describe_failure
from tests.fakes.openai_server import FakeOpenAIServer, unused_base_url


def test_invoke_and_stream_talk_to_the_endpoint(openai_server: FakeOpenAIServer) -> None:
    openai_server.script("已完成两癌筛查5500例。", chunk_chars=2)
    llm = build_chat_model(openai_server.base_url, "sk-abc", "deepseek-chat", timeout=5, temperature=0.1)
    assert llm.invoke("问题").content == "已完成两癌筛查5500例。"
    pieces = [chunk.content for chunk in llm.stream("问题")]
    assert "".join(pieces) == "已完成两癌筛查5500例。"
    assert len(pieces) >= 6
    plain, streamed = openai_server.chat_requests
    assert not plain.stream
    assert streamed.stream
    assert plain.body["model"] == "deepseek-chat"
    assert plain.body["temperature"] == 0.1
    assert plain.authorization == "Bearer sk-abc"


def test_http_error_is_not_retried(openai_server: FakeOpenAIServer) -> None:
    openai_server.script(status=500)
    llm = build_chat_model(openai_server.base_url, "k", "m", timeout=5)
    with pytest.raises(openai.InternalServerError):
        llm.invoke("问题")
    assert len(openai_server.chat_requests) == 1


def test_timeout_fails_fast(openai_server: FakeOpenAIServer) -> None:
    openai_server.script(delay=5)
    llm = build_chat_model(openai_server.base_url, "k", "m", timeout=0.3)
    started = time.monotonic()
    with pytest.raises(openai.APITimeoutError):
        llm.invoke("问题")
    assert time.monotonic() - started < 2


def test_connection_refused_is_a_connection_error() -> None:
    llm = build_chat_model(unused_base_url(), "k", "m", timeout=2)
    with pytest.raises(openai.APIConnectionError) as info:
        llm.invoke("问题")
    assert describe_failure(info.value) == "无法连接服务"


@pytest.mark.parametrize(
    ("exc", "reason"),
    [
        (UnusableAnswerError("empty"), "返回内容无法使用"),
        (TimeoutError(), "响应超时"),
        (ConnectionRefusedError(), "无法连接服务"),
        (RuntimeError("boom"), "调用失败"),
    ],
)
def test_describe_failure_never_shows_the_raw_error(exc: Exception, reason: str) -> None:
    assert describe_failure(exc) == reason

"""The fake OpenAI-compatible server speaks the protocol the official client expects."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import httpx
import openai

if TYPE_CHECKING:
    from tests.fakes.openai_server import FakeOpenAIServer


def test_models_and_plain_completion_with_the_official_client(openai_server: FakeOpenAIServer) -> None:
    openai_server.script(lambda req: f"收到{len(req.messages)}条消息", model="qwen-test")
    client = openai.OpenAI(base_url=openai_server.base_url, api_key="sk-x", max_retries=0)
    assert [m.id for m in client.models.list()] == ["qwen-test"]
    done = client.chat.completions.create(model="qwen-test", messages=[{"role": "user", "content": "你好"}])
    assert done.choices[0].message.content == "收到1条消息"
    assert openai_server.requests[-1].authorization == "Bearer sk-x"


def test_stream_sends_sse_chunks_then_done(openai_server: FakeOpenAIServer) -> None:
    openai_server.script("一二三四五", chunk_chars=2)
    body = {"model": "m", "stream": True, "messages": [{"role": "user", "content": "hi"}]}
    with httpx.stream("POST", f"{openai_server.base_url}/chat/completions", json=body, timeout=5) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        lines = [line for line in response.iter_lines() if line]
    assert lines[-1] == "data: [DONE]"
    chunks = [json.loads(line.removeprefix("data: ")) for line in lines[:-1]]
    contents = [c["choices"][0]["delta"].get("content") for c in chunks]
    assert "".join(x for x in contents if x) == "一二三四五"
    assert contents[1:4] == ["一二", "三四", "五"]
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"


def test_error_status_has_an_openai_error_body(openai_server: FakeOpenAIServer) -> None:
    openai_server.script(status=503)
    response = httpx.post(f"{openai_server.base_url}/chat/completions", json={"messages": []}, timeout=5)
    assert response.status_code == 503
    assert "error" in response.json()

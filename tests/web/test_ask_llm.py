"""提问 and 起草 with an LLM (the local OpenAI-compatible fake): the 提问 event stream carries only verified
sentences (a sentence whose figure is in no passage never reaches the browser) and says the model wrote it; a
model's draft opens beside its sources and a section asked for again comes back with its sources. In-process (the
console app over the session's corpus services), no browser needed."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from fastapi.testclient import TestClient

from bot.chat.service import ChatCore
from bot.settings import Settings
from bot.web.accounts import AccountStore, Role
from bot.web.app import create_app
from bot.web.routes.ask import MODE_LABELS
from retrieval.answers.service import AnswerService
from retrieval.drafting import DraftService
from retrieval.llm import build_chat_model
from tests.retrieval.drafting.test_llm import writer

if TYPE_CHECKING:
    from pathlib import Path

    from tests.fakes.openai_server import ChatRequest, FakeOpenAIServer

INVENTED = "全县累计接种疫苗987654剂"
PASSWORD = "Correct-horse-9"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _reply(req: ChatRequest) -> str:
    """The first sentence of the first passage, cited, then a sentence with a figure no passage has."""
    fenced = re.search(r"<<<资料开始 (\w+)>>>\n(.*)\n<<<资料结束 \1>>>", req.message("user"), re.S)
    assert fenced is not None
    body = re.split(r"\n\n(?=\[\d+\] 出处：)", fenced.group(2))[0].split("\n", 1)[1]
    first = re.split(r"(?<=[。；])", body.strip())[0].rstrip("。；")
    return f"{first}[1]。{INVENTED}[1]。"


def _events(body: str) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for block in body.strip().split("\n\n"):
        name = re.search(r"^event: (.*)$", block, re.M)
        data = re.search(r"^data: (.*)$", block, re.M)
        assert name is not None
        assert data is not None
        out.append((name.group(1), json.loads(data.group(1))))
    return out


def test_the_llm_answer_streams_only_verified_sentences(
    corpus_services: Any, openai_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    openai_server.script(_reply)
    llm = build_chat_model(openai_server.base_url, "sk-test", "fake", timeout=10)
    services = corpus_services.replace(answers=AnswerService(corpus_services.searcher, llm, top_k=5))
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    AccountStore(tmp_path).add("li", Role.VIEWER, PASSWORD)
    app = create_app(settings, services, ChatCore(services, tmp_path, 100))
    with TestClient(app) as client:
        login = client.get("/login")
        client.post(
            "/login",
            data={"username": "li", "password": PASSWORD, "csrf_token": _CSRF.findall(login.text)[0]},
        )
        page = client.get("/ask")
        csrf = _CSRF.findall(page.text)[0]
        conversation = re.search(r'name="conversation" value="([^"]+)"', page.text)
        assert conversation is not None
        response = client.post(
            "/ask",
            data={"question": "上半年手足口病防控做了什么", "conversation": conversation.group(1)},
            headers={"X-CSRF-Token": csrf},
        )
    assert response.headers["content-type"].startswith("text/event-stream")
    events = _events(response.text)
    deltas = [data["text"] for name, data in events if name == "delta"]
    answers = [data for name, data in events if name == "answer"]
    assert deltas  # the answer streamed
    assert len(answers) == 1
    assert all(INVENTED not in text for text in deltas)
    assert INVENTED not in answers[0]["html"]
    assert MODE_LABELS["llm"] in answers[0]["html"]
    assert 'data-cite="src-1-1"' in answers[0]["html"]
    assert openai_server.chat_requests[0].stream


def test_a_model_draft_is_shown_beside_its_sources_and_a_section_comes_back(
    corpus_services: Any, openai_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    openai_server.script(writer)
    llm = build_chat_model(openai_server.base_url, "sk-test", "fake", timeout=10)
    services = corpus_services.replace(drafts=DraftService(corpus_services.searcher, llm))
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    AccountStore(tmp_path).add("wang", Role.WRITER, PASSWORD)
    app = create_app(settings, services, ChatCore(services, tmp_path, 100))
    with TestClient(app) as client:
        login = client.get("/login")
        client.post(
            "/login",
            data={"username": "wang", "password": PASSWORD, "csrf_token": _CSRF.findall(login.text)[0]},
        )
        csrf = _CSRF.findall(client.get("/draft").text)[0]
        form = {"csrf_token": csrf, "kind": "计划", "period": "下半年", "topic": "传染病防控"}
        opened = client.post("/draft", data=form)
        assert "大模型起草" in opened.text
        assert "AI 辅助起草，需人工审核" in opened.text
        assert opened.text.count('class="source"') >= 3  # paragraphs beside their passages
        heading = re.search(r'aria-label="重新生成：(（一）[^"]+)"', opened.text)
        assert heading is not None
        again = client.post(
            str(opened.url) + "/regenerate",
            data={"csrf_token": csrf, "s": _section_of(opened.text, heading.group(1))},
        )
    assert "已重新生成这一部分" in again.text
    assert len(openai_server.chat_requests) == 2


def _section_of(html: str, heading: str) -> str:
    """The section index of the 重新生成 form for ``heading``."""
    block = html.split(f'aria-label="重新生成：{heading}"')[0]
    return re.findall(r'name="s" value="(\d+)"', block)[-1]

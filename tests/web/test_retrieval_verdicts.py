"""检索测试 with an LLM: each generated sentence is shown with its verdict, a dropped one with its reason.

The console app in-process (ASGI, through starlette's test client) on the session's corpus services, answering
with a local OpenAI-compatible server that writes one supported sentence and one that smuggles a code.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from starlette.testclient import TestClient

from bot.chat.service import ChatCore
from bot.web.accounts import AccountStore, Role
from bot.web.app import create_app
from retrieval.answers.service import AnswerService
from retrieval.llm import build_chat_model
from tests.web.support import make_password

if TYPE_CHECKING:
    from pathlib import Path

    from tests.fakes.openai_server import ChatRequest, FakeOpenAIServer

QUESTION = "上半年手足口病防控做了什么"
PASSAGE = re.compile(r"\[(\d+)\] 出处：《[^\n]*\n([^\n]*)")


def _answer(req: ChatRequest) -> str:
    """One sentence from the 手足口病 passage, then one with a code that is in no passage."""
    n = next(m.group(1) for m in PASSAGE.finditer(req.message("user")) if "手足口病" in m.group(2))
    return f"组织人员对散发的手足口病病例开展流行病学调查[{n}]。另外手足口病防控编号为CANARY-4243[{n}]。"


def test_each_generated_sentence_is_shown_kept_or_dropped_with_its_reason(
    corpus_services: Any, openai_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    openai_server.script(_answer)
    llm = build_chat_model(openai_server.base_url, "sk-test", "fake-model", timeout=10)
    services = corpus_services.replace(answers=AnswerService(corpus_services.searcher, llm))
    settings = corpus_services.settings.model_copy(update={"data_dir": tmp_path})
    password = make_password()
    AccountStore(tmp_path).add("admin", Role.ADMIN, password)
    app = create_app(settings, services, ChatCore(services, tmp_path, 10))

    with TestClient(app) as client:
        form = client.get("/login").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
        signed_in = client.post(
            "/login", data={"csrf_token": csrf, "username": "admin", "password": password}
        )
        assert signed_in.url.path == "/docs"
        page = client.get("/retrieval", params={"q": QUESTION}).text

    verdicts = re.search(r'<table class="verdicts">(.*?)</table>', page, re.S).group(1)  # type: ignore[union-attr]
    rows = re.findall(r"<tr><td class=\"(kept|dropped)\">(.*?)</td>\s*<td>(.*?)</td></tr>", verdicts, re.S)
    assert [(kind, "CANARY" in sentence) for kind, sentence, _ in rows] == [
        ("kept", False),
        ("dropped", True),
    ]
    assert "删除：" in rows[1][2]
    delivered = re.search(r'<div class="passage delivered">(.*?)</div>', page, re.S).group(1)  # type: ignore[union-attr]
    assert "流行病学调查" in delivered
    assert "CANARY" not in delivered  # what users get: the dropped sentence never
    assert "大模型生成" in page
    assert "BM25" in page

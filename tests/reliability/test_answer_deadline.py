"""Item 18.3: the answer deadline runs from the question, whatever the LLM slots are doing.

The real Telegram front end against the fake Bot API, real services (Chroma, bundled embedder, BM25) over an
invented report, and the fake OpenAI server scripted to hang. Two LLM slots (scaled down from 4), a 3 s
deadline (scaled down from 60 s): six users ask at once; the first two occupy both slots with calls that hang,
the other four wait for a slot. Every one of them must get the extractive answer (with the model's notice)
within the deadline plus the time search and delivery take, never a multiple of the deadline.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest

from tests.reliability.chat_fixtures import CURSOR, final_texts, serving
from tests.support.small_kb import QUESTIONS, ingested_services

if TYPE_CHECKING:
    from pathlib import Path

    from tests.bot.fake_bot_api import FakeBotApi
    from tests.fakes.openai_server import FakeOpenAIServer

pytestmark = pytest.mark.asyncio(loop_scope="function")

USERS = list(range(9101, 9101 + len(QUESTIONS)))
DEADLINE = 3.0
SLOTS = 2
SLACK = 2.5
"""Search (six at once on two shared cores), the extractive answer and delivery, on top of the deadline."""
FALLBACK_MARK = "摘录模式"


def finished(api: FakeBotApi, user: int) -> str | None:
    """The user's final answer text, once the bot's message holds it (no stream cursor)."""
    for text in final_texts(api, user):
        if FALLBACK_MARK in text and CURSOR not in text:
            return text
    return None


async def test_queued_questions_fall_back_at_their_deadline_while_the_model_hangs(
    fake_api: FakeBotApi, openai_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    openai_server.script("上半年开展培训12次[1]。", delay=60)  # every call hangs before the first byte
    llm = {"llm_base_url": openai_server.base_url, "llm_api_key": "k", "llm_timeout": DEADLINE}
    services = ingested_services(tmp_path / "data", **llm)
    answered: dict[int, float] = {}
    async with serving(
        fake_api, tmp_path / "data", services, allowed_user_ids=USERS, llm_concurrency=SLOTS, **llm
    ):
        asked = {}
        for user, question in zip(USERS, QUESTIONS, strict=True):
            fake_api.send_text(user, question)
            asked[user] = time.monotonic()

        def all_done(api: FakeBotApi) -> bool:
            for user in USERS:
                if user not in answered and finished(api, user) is not None:
                    answered[user] = time.monotonic() - asked[user]
            return len(answered) == len(USERS)

        await fake_api.wait_for(all_done, within=6 * DEADLINE + 10)

    waits = sorted(answered.values())
    print(
        f"\n{len(USERS)} askers, {SLOTS} hung slots, {DEADLINE}s deadline: waits "
        + ", ".join(f"{w:.1f}s" for w in waits)
    )
    assert waits[-1] < DEADLINE + SLACK, waits
    for user in USERS:
        text = finished(fake_api, user)
        assert text is not None
        assert "响应超时" in text  # the user is told why the model's answer is missing
        assert "[1]" in text  # and gets the cited extractive answer instead
    assert len(openai_server.chat_requests) <= SLOTS + 1  # queued questions never reached the hung model

"""Chat delivery under Bot API faults: no answer lost, none stuck half-streamed, the user told plainly.

Faults injected by the fake Bot API (a real HTTP server on 127.0.0.1), against the real python-telegram-bot
Application and the chat core's delivery policy:

- HTTP 500 once on the answer; the connection dropped once on the answer;
- the API unreachable (connection refused) while the answer is sent, back within the deadline;
- 8 × 429 with ``retry_after`` on the streaming edits;
- the final edit refused (the streaming message is gone): the answer arrives as a new message;
- the API unreachable past the deadline: the question is audited as failed and the user told once it is back.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

import pytest

from bot.chat.texts import DELIVERY_FAILED
from tests.bot.conftest import USER
from tests.bot.fake_bot_api import BotApiError, FakeBotApi
from tests.bot.fakes import FakeAnswers, FakeServices
from tests.reliability.chat_fixtures import (
    CURSOR,
    answer_to,
    final_texts,
    serving,
    streaming_services,
)

if TYPE_CHECKING:
    from pathlib import Path

    from retrieval.answers.types import Answer

pytestmark = pytest.mark.asyncio(loop_scope="function")

QUESTION = "上半年手足口病防控培训开展了几次？"
ANSWER = answer_to(QUESTION).text


def audit(data_dir: Path) -> list[str]:
    return (data_dir / "audit.log").read_text(encoding="utf-8").splitlines()


async def answered_once(api: FakeBotApi, within: float = 30.0) -> None:
    await api.wait_for(lambda a: any(ANSWER in t for t in final_texts(a, USER)), within)
    await asyncio.sleep(0.3)
    texts = final_texts(api, USER)
    assert sum(ANSWER in t for t in texts) == 1, texts
    assert not any(CURSOR in t for t in texts), texts


@pytest.mark.parametrize(
    "fault",
    [
        pytest.param(
            lambda api: api.fail_next("sendMessage", BotApiError(500, "Internal Server Error")), id="500"
        ),
        pytest.param(lambda api: api.drop_next("sendMessage"), id="dropped"),
        pytest.param(
            lambda api: api.fail_next("sendMessage", BotApiError(502, "Bad Gateway"), times=3), id="502x3"
        ),
    ],
)
async def test_one_transient_failure_does_not_lose_the_answer(
    fake_api: FakeBotApi, tmp_path: Path, fault
) -> None:
    fault(fake_api)
    async with serving(fake_api, tmp_path, streaming_services(pieces=0)):
        fake_api.send_text(USER, QUESTION)
        await answered_once(fake_api)
    assert len(fake_api.calls_of("sendMessage")) >= 2  # the failure happened and was retried
    assert "action=ask outcome=answered" in audit(tmp_path)[-1]


async def test_api_unreachable_while_answering_then_back(fake_api: FakeBotApi, tmp_path: Path) -> None:
    async with serving(fake_api, tmp_path, streaming_services(pieces=2, pause=0.5)):
        fake_api.send_text(USER, QUESTION)
        await fake_api.wait_for(lambda a: a.calls_of("sendChatAction"))
        await fake_api.go_offline()
        await asyncio.sleep(3.0)
        await fake_api.go_online()
        await answered_once(fake_api)
    assert any(c.error for c in fake_api.calls if c.method in ("sendMessage", "editMessageText"))
    assert "action=ask outcome=answered" in audit(tmp_path)[-1]


async def test_429_storm_on_streaming_edits_still_ends_with_the_whole_answer(
    fake_api: FakeBotApi, tmp_path: Path
) -> None:
    fake_api.fail_next(
        "editMessageText", BotApiError(429, "Too Many Requests: retry after 1", retry_after=1), times=8
    )
    async with serving(fake_api, tmp_path, streaming_services(pieces=6, pause=0.3)):
        fake_api.send_text(USER, QUESTION)
        await answered_once(fake_api, within=40)
    [message] = fake_api.bot_messages(USER)  # the streamed message itself carries the answer
    assert ANSWER in message["text"]
    refused = [c for c in fake_api.calls_of("editMessageText") if c.error]
    assert len(refused) == 8
    for earlier, later in zip(
        fake_api.calls_of("editMessageText"), fake_api.calls_of("editMessageText")[1:], strict=False
    ):
        if earlier.error:
            assert later.at - earlier.at >= 0.95  # retry_after respected


async def test_blocked_final_edit_sends_the_answer_as_a_new_message(
    fake_api: FakeBotApi, tmp_path: Path
) -> None:
    async with serving(fake_api, tmp_path, streaming_services(pieces=2, pause=0.6)):
        fake_api.send_text(USER, QUESTION)
        await fake_api.wait_for(lambda a: any(CURSOR in t for t in final_texts(a, USER)))
        fake_api.fail_next(
            "editMessageText", BotApiError(400, "Bad Request: message to edit not found"), times=10
        )
        await answered_once(fake_api)
    [message] = fake_api.bot_messages(USER)  # the partial one was removed
    assert ANSWER in message["text"]
    assert fake_api.calls_of("deleteMessage")


def slow_answer(question: str) -> Answer:
    time.sleep(0.8)
    return answer_to(question)


async def test_past_the_deadline_the_question_is_failed_and_the_user_told(
    fake_api: FakeBotApi, tmp_path: Path
) -> None:
    services = FakeServices(answers=FakeAnswers(reply=slow_answer))
    async with serving(fake_api, tmp_path, services, delivery_deadline=2.0):
        fake_api.send_text(USER, QUESTION)
        await fake_api.wait_for(lambda a: a.calls_of("sendChatAction"))  # the bot is on it
        await fake_api.go_offline()  # the answer cannot be sent for 3.5 s: past its 2 s deadline
        await asyncio.sleep(3.5)
        await fake_api.go_online()
        await fake_api.wait_for(lambda a: any(DELIVERY_FAILED in t for t in final_texts(a, USER)))
    assert not any(ANSWER in t for t in final_texts(fake_api, USER))
    [line] = [line for line in audit(tmp_path) if "action=ask" in line]
    assert "outcome=failed" in line

"""Item 18.6: a Telegram outage longer than the delivery deadline: when the API is back, the user hears once.

The real Application against the fake Bot API, which goes offline (connections refused) right after the bot
started on a question and stays down past the delivery deadline plus the short notice's deadline (scaled: a
1 s deadline, the 5 s notice, 9 s down; in production 60 s, 5 s and the 75 s outage of the issue). When it is
back, the user gets the apology exactly once (and never a half answer), the question is audited ``failed`` once.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

import pytest

from bot.chat.texts import DELIVERY_FAILED
from tests.bot.conftest import USER
from tests.bot.fakes import FakeAnswers, FakeServices
from tests.reliability.chat_fixtures import answer_to, final_texts, serving

if TYPE_CHECKING:
    from pathlib import Path

    from retrieval.answers.types import Answer
    from tests.bot.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.asyncio(loop_scope="function")

QUESTION = "上半年传染病防控培训开展了几次？"
DOWN = 9.0


def slow_answer(question: str) -> Answer:
    time.sleep(0.8)
    return answer_to(question)


async def test_after_a_long_outage_the_user_gets_the_apology_once(
    fake_api: FakeBotApi, tmp_path: Path
) -> None:
    services = FakeServices(answers=FakeAnswers(reply=slow_answer))
    async with serving(fake_api, tmp_path, services, delivery_deadline=1.0):
        fake_api.send_text(USER, QUESTION)
        await fake_api.wait_for(lambda a: a.calls_of("sendChatAction"))
        await fake_api.go_offline()
        await asyncio.sleep(DOWN)
        back = time.monotonic()
        await fake_api.go_online()
        await fake_api.wait_for(lambda a: any(DELIVERY_FAILED in t for t in final_texts(a, USER)), within=20)
        told_after = time.monotonic() - back
        await asyncio.sleep(4.0)  # time for a second notice, if any were to come
    print(f"\noutage {DOWN:.0f}s past a 1s deadline: apology {told_after:.1f}s after the API came back")
    texts = final_texts(fake_api, USER)
    assert sum(DELIVERY_FAILED in t for t in texts) == 1, texts
    assert not any(answer_to(QUESTION).text in t for t in texts)
    lines = (tmp_path / "audit.log").read_text(encoding="utf-8").splitlines()
    [line] = [line for line in lines if "action=ask" in line]
    assert "outcome=failed" in line

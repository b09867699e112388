"""Load: 50 users × 3 questions at once against the fake Bot API, streamed answers, Telegram's flood limits.

Every question must be answered exactly once (one bot message replying to it, holding the whole answer, no
stream cursor left), with no flood-limit violation in the fake's call log (≤ 1 message/s per chat, edits
included; ≤ 30/s overall). The p95 time to answer is printed, not asserted.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest

from tests.bot.flood_check import flood_violations, message_calls
from tests.reliability.chat_fixtures import CURSOR, answer_to, serving, streaming_services

if TYPE_CHECKING:
    from pathlib import Path

    from tests.bot.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.asyncio(loop_scope="function")

USERS = list(range(8001, 8051))
QUESTIONS = ["上半年做了什么？", "下半年有什么计划？", "存在哪些问题？"]


def final_call_at(api: FakeBotApi, chat_id: int, text: str) -> float | None:
    """When the message holding ``text`` got it (the first successful send or edit with it)."""
    for call in message_calls(api):
        if (
            call.error is None
            and int(call.params.get("chat_id", 0)) == chat_id
            and text in str(call.params.get("text", ""))
        ):
            return call.at
    return None


async def test_fifty_users_three_questions_each_all_answered_once_within_flood_limits(
    fake_api: FakeBotApi, tmp_path: Path
) -> None:
    asked: dict[tuple[int, int], tuple[str, float]] = {}
    services = streaming_services(pieces=2, pause=0.3)
    async with serving(fake_api, tmp_path, services, allowed_user_ids=USERS, rate_limit_per_minute=10):
        for user in USERS:
            for n, question in enumerate(QUESTIONS):
                text = f"{question}（{user}-{n}）"
                message = fake_api.send_text(user, text)
                asked[(user, message["message_id"])] = (text, time.monotonic())

        def all_answered(api: FakeBotApi) -> bool:
            return all(
                any(answer_to(text).text in m.get("text", "") for m in api.bot_messages(user))
                for (user, _), (text, _) in asked.items()
            )

        await fake_api.wait_for(all_answered, within=240)

    latencies = []
    for (user, question_id), (text, at) in asked.items():
        answer = answer_to(text).text
        replies = [m for m in fake_api.bot_messages(user) if answer in m.get("text", "")]
        assert len(replies) == 1, (user, text, replies)
        assert replies[0]["reply_to_message"]["message_id"] == question_id
        assert CURSOR not in replies[0]["text"]
        done = final_call_at(fake_api, user, answer)
        assert done is not None
        latencies.append(done - at)
    assert len(latencies) == 150
    assert sum(len(fake_api.bot_messages(u)) for u in USERS) == 150  # nothing extra, nothing stuck
    assert flood_violations(fake_api) == []
    latencies.sort()
    p95 = latencies[int(0.95 * len(latencies)) - 1]
    print(
        f"\n50 users x 3 questions: 150/150 answered once; {len(message_calls(fake_api))} messages and edits; "
        f"p50 {latencies[74]:.1f}s, p95 {p95:.1f}s, max {latencies[-1]:.1f}s to the final answer"
    )

"""Item 18.8: Telegram's overall limit (30 messages a second) holds at the server, not only where messages leave.

The real Application and the chat core's flood limiter against the fake Bot API, 150 users asking at once (150
answers), through a relay that delays what the bot sends by 0–1.5 s (``tests/support/slow_link.py``, seeded), as
a congested network does: messages let out a second apart arrive together. The fake's log of arrival times must
never hold more than 30 messages within one second (on main: 36).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.bot.flood_check import OVERALL_PER_SECOND, flood_violations, message_calls
from tests.reliability.chat_fixtures import CURSOR, answer_to, serving, streaming_services
from tests.support.slow_link import SlowLink

if TYPE_CHECKING:
    from pathlib import Path

    from tests.bot.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.asyncio(loop_scope="function")

USERS = list(range(8101, 8251))


def busiest_second(api: FakeBotApi) -> int:
    """Most messages that arrived at the server within any one second."""
    times = sorted(c.at for c in message_calls(api))
    return max((sum(1 for t in times[i:] if t - start < 1.0) for i, start in enumerate(times)), default=0)


async def test_overall_rate_holds_at_the_server_through_a_jittery_link(
    fake_api: FakeBotApi, tmp_path: Path
) -> None:
    asked = []
    services = streaming_services(pieces=0)
    async with (
        SlowLink(fake_api.port) as link,
        serving(
            fake_api,
            tmp_path,
            services,
            allowed_user_ids=USERS,
            rate_limit_per_minute=10,
            telegram_base_url=f"http://127.0.0.1:{link.port}/bot",
        ),
    ):
        for user in USERS:
            text = f"上半年做了什么？（{user}）"
            fake_api.send_text(user, text)
            asked.append((user, text))

        def all_answered(api: FakeBotApi) -> bool:
            return all(
                any(answer_to(text).text in m.get("text", "") for m in api.bot_messages(user))
                for user, text in asked
            )

        await fake_api.wait_for(all_answered, within=300)
    busiest = busiest_second(fake_api)
    print(f"\n150 answers through a 0-1.5 s jittery link: busiest second at the server {busiest} messages")
    for user, text in asked:
        replies = [m for m in fake_api.bot_messages(user) if answer_to(text).text in m.get("text", "")]
        assert len(replies) == 1
        assert CURSOR not in replies[0]["text"]
    assert busiest <= OVERALL_PER_SECOND
    assert [p for p in flood_violations(fake_api) if p.startswith("overall")] == []

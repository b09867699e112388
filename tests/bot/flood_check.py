"""Telegram's flood limits checked on the fake Bot API's call log (arrival times at the server)."""

from __future__ import annotations

import itertools
from collections import defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.bot.fake_bot_api import Call, FakeBotApi

PER_CHAT_SECONDS = 1.0
GROUP_PER_MINUTE = 20
OVERALL_PER_SECOND = 30
JITTER = 0.02
"""Arrival times at the server differ slightly from departure times at the bot."""


def message_calls(api: FakeBotApi) -> list[Call]:
    """Calls that count as messages: every send and edit except chat actions."""
    return [
        c
        for c in api.calls
        if c.method.startswith(("send", "edit", "copy", "forward")) and c.method != "sendChatAction"
    ]


def flood_violations(api: FakeBotApi) -> list[str]:
    """Every place the bot went over a limit: >1 message/s in a chat, >20/min in a group, >30/s overall."""
    calls = sorted(message_calls(api), key=lambda c: c.at)
    problems: list[str] = []
    per_chat: dict[int, list[float]] = defaultdict(list)
    for c in calls:
        per_chat[int(c.params.get("chat_id", 0))].append(c.at)
    for chat, times in per_chat.items():
        for a, b in itertools.pairwise(times):
            if b - a < PER_CHAT_SECONDS - JITTER:
                problems.append(f"chat {chat}: two messages {b - a:.3f}s apart")
        if chat < 0:
            problems += _window(times, GROUP_PER_MINUTE, 60.0, f"group {chat}")
    problems += _window([c.at for c in calls], OVERALL_PER_SECOND, 1.0, "overall")
    return problems


def _window(times: list[float], limit: int, seconds: float, label: str) -> list[str]:
    return [
        f"{label}: {limit + 1} messages within {times[i + limit] - times[i]:.3f}s"
        for i in range(len(times) - limit)
        if times[i + limit] - times[i] < seconds - JITTER
    ]

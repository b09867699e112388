"""Sending to DingTalk: a flood to one group stays within its per-conversation limit at the fake's side."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time

import pytest

from bot.chat.flood import DINGTALK_LIMITS, FloodLimiter
from bot.dingtalk import BotMessage, DingTalkApi, Messenger, Target
from bot.dingtalk.frames import parse_bot_message
from tests.bot.dingtalk.fake_server import FakeDingTalk

pytestmark = pytest.mark.asyncio(loop_scope="function")

WINDOW = 2.0


async def group_message(fake: FakeDingTalk) -> BotMessage:
    await fake.push_text("zhangsan", "问题", group="cidBusyGroup")
    return parse_bot_message(json.loads(next(iter(fake.pending.values()))["data"]))


async def test_25_messages_to_one_group_never_exceed_20_per_window() -> None:
    fake = FakeDingTalk(rate_window=WINDOW)
    await fake.start()
    api = DingTalkApi(fake.client_id, fake.client_secret, fake.base_url)
    limits = dataclasses.replace(DINGTALK_LIMITS, group_window=WINDOW)
    messenger = Messenger(api, FloodLimiter(limits))
    try:
        to = Target.of(await group_message(fake))
        started = time.monotonic()
        await asyncio.gather(*(messenger.send(to, f"第{i}条") for i in range(25)))
        took = time.monotonic() - started
    finally:
        await api.aclose()
        await fake.close()
    assert len(fake.texts_to("cidBusyGroup")) == 25
    assert fake.violations == []  # the fake counts 20 per window per conversation and would have refused more
    assert took >= WINDOW  # the last 5 waited for the window

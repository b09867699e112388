"""Shared parts of the chat-delivery reliability tests: the fake Bot API and the real bot over fast fake services.

The services are the scripted stand-ins of ``tests/bot/fakes.py`` (an answer per question, streamed in
pieces), so what is tested is delivery: the real python-telegram-bot Application, the chat core's delivery
policy and the Telegram glue, against a fake Bot API server on 127.0.0.1 that injects faults.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from bot.chat.service import ChatCore
from bot.telegram import build_application
from bot.telegram.run import finish_telegram, start_telegram, stop_polling
from retrieval.answers.types import Answer
from tests.bot.conftest import bot_settings
from tests.bot.fakes import FakeAnswers, FakeServices, citation

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

    from tests.bot.fake_bot_api import FakeBotApi

CURSOR = "▍"


def answer_to(question: str) -> Answer:
    """A distinct cited answer per question, so each reply can be matched to its question."""
    return Answer(
        text=f"关于“{question}”：上半年开展培训6次[1]。", citations=[citation(1)], mode="llm", found=True
    )


def streaming_services(pieces: int = 3, pause: float = 0.4) -> FakeServices:
    """Services that stream ``pieces`` partial texts ``pause`` seconds apart, then answer."""
    deltas = [f"根据资料，上半年{'开展' * (i + 1)}" for i in range(pieces)]
    return FakeServices(answers=FakeAnswers(reply=answer_to, deltas=deltas, delta_pause=pause))


@contextlib.asynccontextmanager
async def serving(api: FakeBotApi, data_dir: Path, services: Any, **overrides: Any) -> AsyncIterator[Any]:
    """The real Application polling ``api`` as ``reportbot serve`` runs it; stopped the way serve stops it."""
    settings = bot_settings(api, data_dir, **overrides)
    core = ChatCore.from_settings(services, settings)
    app = build_application(settings, services, core)
    await start_telegram(app, poll_timeout=1)
    try:
        yield app
    finally:
        api.drain()
        await stop_polling(app)
        await core.drain(settings.shutdown_grace)
        await finish_telegram(app)


def final_texts(api: FakeBotApi, chat_id: int) -> list[str]:
    """The texts of the bot's messages in ``chat_id`` as the user sees them now."""
    return [m.get("text", "") for m in api.bot_messages(chat_id)]

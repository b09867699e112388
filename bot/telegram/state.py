"""Typed bot state: what each chat remembers and what every handler can reach (services, settings, helpers)."""

from __future__ import annotations

import asyncio
from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from telegram.ext import CallbackContext, ExtBot

if TYPE_CHECKING:
    from bot.services import Services
    from bot.settings import Settings
    from bot.telegram.access import AccessPolicy
    from bot.telegram.audit import AuditLog
    from bot.telegram.ratelimit import RateLimiter
    from retrieval.types import Citation

HISTORY_SIZE = 4
"""Recent questions of a chat given to the answer service so follow-ups ("那下半年呢？") make sense."""

KEPT_ANSWERS = 20
"""Answers per chat whose citation buttons still work; older buttons say the answer has expired."""


@dataclass(frozen=True)
class ShownAnswer:
    """An answer the bot showed in a chat: its citations, looked up when a button is tapped."""

    answer_id: int
    question: str
    citations: tuple[Citation, ...]

    def citation(self, n: int) -> Citation | None:
        return next((c for c in self.citations if c.n == n), None)


class ChatData:
    """Per-chat state (``context.chat_data``)."""

    def __init__(self) -> None:
        self.history: deque[str] = deque(maxlen=HISTORY_SIZE)
        self.answers: OrderedDict[int, ShownAnswer] = OrderedDict()
        self._next_answer_id = 1

    def keep_answer(self, question: str, citations: list[Citation]) -> ShownAnswer:
        """Remember an answer's citations so its buttons (and ``/sources``) can show them later."""
        shown = ShownAnswer(self._next_answer_id, question, tuple(citations))
        self._next_answer_id += 1
        self.answers[shown.answer_id] = shown
        while len(self.answers) > KEPT_ANSWERS:
            self.answers.popitem(last=False)
        return shown

    def last_answer(self) -> ShownAnswer | None:
        return next(reversed(self.answers.values()), None)


class BotData:
    """Application-wide state (``context.bot_data``); ``build_application`` fills it in once."""

    services: Services
    settings: Settings
    access: AccessPolicy
    audit: AuditLog
    limiter: RateLimiter

    def __init__(self) -> None:
        self.ingest_lock = asyncio.Lock()
        self.reindex_task: asyncio.Task[Any] | None = None
        self.denied_notified: dict[int, float] = {}


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], ChatData, BotData]):
    """The context every handler receives, with typed shortcuts."""

    @property
    def services(self) -> Services:
        return self.bot_data.services

    @property
    def settings(self) -> Settings:
        return self.bot_data.settings

    @property
    def chat_state(self) -> ChatData:
        if self.chat_data is None:
            msg = "this update has no chat"
            raise RuntimeError(msg)
        return self.chat_data

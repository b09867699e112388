"""Shutdown, LLM concurrency and delivery outcomes in the chat core, with no chat platform."""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.chat import AccessPolicy, AskReply, ChatCore, ChatKind, ChatService
from bot.chat.delivery import DeliveryFailed
from bot.chat.texts import CUT, DELIVERY_FAILED, SHUTTING_DOWN
from tests.bot.fakes import FakeServices, cited_answer

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from retrieval.answers.types import Answer


@dataclass
class SlowAnswers:
    """Answers after ``seconds`` (per question text); counts how many run at once. ``llm`` set = LLM answers."""

    seconds: dict[str, float] = field(default_factory=dict)
    llm: object | None = None
    running: int = 0
    most: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, question: str, history: Sequence[str] = (), on_delta: object = None) -> Answer:
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
        time.sleep(self.seconds.get(question, 0.05))
        with self.lock:
            self.running -= 1
        return cited_answer()

    # the LLM path of the chat core: search (prepare) off the event loop, then the model in an LLM slot

    def prepare(self, question: str, history: Sequence[str] = ()) -> Searched:
        return Searched(question, tuple(history))

    def generate(self, prepared: Searched, on_delta: object = None, cancelled: object = None) -> Answer:
        return self.answer(prepared.question, prepared.history, on_delta)

    def fallback(self, prepared: Searched, exc: BaseException) -> Answer:
        return cited_answer()


@dataclass(frozen=True)
class Searched:
    """What ``SlowAnswers.prepare`` hands to ``generate`` (as ``retrieval.answers.service.Prepared`` does)."""

    question: str
    history: tuple[str, ...]
    final: Answer | None = None


def frontend(answers: SlowAnswers, tmp_path: Path, **core_options: object) -> ChatService:
    services = FakeServices(answers=answers)  # type: ignore[arg-type]
    core = ChatCore(services, tmp_path, rate_limit_per_minute=100, **core_options)  # type: ignore[arg-type]
    return core.frontend("test", AccessPolicy.from_ids([str(u) for u in range(1, 20)], [], ["99"]))


def audit(tmp_path: Path) -> list[str]:
    return (tmp_path / "audit.log").read_text(encoding="utf-8").splitlines()


async def ask(chat: ChatService, user: int, question: str) -> list[AskReply]:
    shown: list[AskReply] = []

    async def deliver(reply: AskReply) -> None:
        shown.append(reply)

    await chat.ask(chat.requester(user, user, ChatKind.PRIVATE), question, None, deliver)
    return shown


async def test_drain_finishes_quick_answers_cuts_slow_ones_and_refuses_new(tmp_path: Path) -> None:
    chat = frontend(SlowAnswers({"慢": 3.0, "快": 0.2}), tmp_path)
    slow = asyncio.create_task(ask(chat, 1, "慢"))
    quick = asyncio.create_task(ask(chat, 2, "快"))
    await asyncio.sleep(0.05)
    started = time.monotonic()
    await chat.core.drain(0.6)
    assert time.monotonic() - started < 1.5
    [cut] = await slow
    [answered] = await quick
    assert cut.error == CUT
    assert answered.answer is not None
    [refused] = await ask(chat, 3, "晚到的问题")
    assert refused.error == SHUTTING_DOWN
    lines = audit(tmp_path)
    assert len(lines) == 3
    assert sum("user=1 chat=1 action=ask outcome=cut" in line for line in lines) == 1
    assert sum("outcome=answered" in line for line in lines) == 1
    assert 'outcome=refused what="晚到的问题" reason=shutdown' in lines[2]


async def test_llm_answers_are_bounded_and_never_starve_other_work(tmp_path: Path) -> None:
    answers = SlowAnswers({f"问题{i}": 1.0 for i in range(6)}, llm=object())
    chat = frontend(answers, tmp_path, llm_concurrency=2)
    asking = [asyncio.create_task(ask(chat, i + 1, f"问题{i}")) for i in range(6)]
    await asyncio.sleep(0.1)
    started = time.monotonic()
    documents = await chat.documents(chat.requester(99, 99, ChatKind.PRIVATE))
    assert documents == []
    assert time.monotonic() - started < 0.5  # not behind six slow LLM calls
    await asyncio.gather(*asking)
    assert answers.most == 2
    assert any("user=99 chat=99 action=docs outcome=shown" in line for line in audit(tmp_path))


async def test_a_failed_delivery_is_audited_as_failed_and_the_user_told(tmp_path: Path) -> None:
    chat = frontend(SlowAnswers(), tmp_path)
    shown: list[AskReply] = []

    async def deliver(reply: AskReply) -> None:
        shown.append(reply)
        if len(shown) == 1:
            raise DeliveryFailed("NetworkError", 7)

    await chat.ask(chat.requester(1, 1, ChatKind.PRIVATE), "上半年做了什么？", None, deliver)
    assert [r.error for r in shown] == [None, DELIVERY_FAILED]
    [line] = audit(tmp_path)
    assert "action=ask outcome=failed" in line
    assert "reason=NetworkError" in line

"""The answering half of a front end's session: ask and draft, delivered and audited exactly once.

Each question or draft request leaves one audit line whose outcome says what the user got: ``answered`` /
``not_found`` / ``drafted`` (delivered), ``error`` (the core failed; the apology was delivered), ``failed``
(the reply could not be delivered; the user was told if that was still possible), ``cut`` (shutdown came
first; the user was told to ask again) or ``refused`` (asked while shutting down).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import threading
import time
from typing import TYPE_CHECKING, Any, TypeVar

from bot.chat import texts
from bot.chat.delivery import DeliveryFailed
from bot.chat.render.labels import docx_filename
from bot.chat.types import AskReply, DraftReply
from retrieval.errors import ReportbotError

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from bot.chat.audit import AuditLog
    from bot.chat.conversation import Conversation
    from bot.chat.service import ChatCore
    from bot.chat.types import Requester
    from retrieval.answers.types import Answer

logger = logging.getLogger(__name__)

R = TypeVar("R", AskReply, DraftReply)


class AnswerSession:
    """``ask`` and ``draft`` for one front end (mixed into ``ChatService``)."""

    core: ChatCore
    audit: AuditLog

    def conversation(self, who: Requester) -> Conversation:  # pragma: no cover - ChatService defines it
        """The conversation of ``who``'s chat."""
        raise NotImplementedError

    async def ask(
        self,
        who: Requester,
        question: str,
        on_delta: Callable[[str], None] | None,
        deliver: Callable[[AskReply], Awaitable[None]],
    ) -> AskReply:
        """Answer ``question`` with this chat's history; ``deliver`` shows the reply, then it is audited.

        ``on_delta`` receives streamed text from a worker thread. ``deliver`` may be awaited a second time
        with a short failure notice (``reply.error``) when the first delivery failed or was cut. A question
        over the core's length cap gets the reply naming the cap (audited ``refused``), nothing else.
        """
        too_long = texts.question_too_long(question, self.core.question_max_chars)
        if too_long is not None:
            self._record(who, "ask", "refused", question, reason="too_long", chars=len(question))
            reply = AskReply(None, error=too_long)
            await self._notify(deliver, reply)
            return reply
        return await self._guarded(
            who, "ask", question, deliver, AskReply, self._ask(who, question, on_delta)
        )

    async def draft(
        self, who: Requester, request: str, deliver: Callable[[DraftReply], Awaitable[None]]
    ) -> DraftReply:
        """Draft from the reports with a .docx; ``deliver`` shows it, then it is audited."""
        return await self._guarded(who, "draft", request, deliver, DraftReply, self._draft(request))

    async def _ask(
        self, who: Requester, question: str, on_delta: Callable[[str], None] | None
    ) -> tuple[AskReply, str, dict[str, Any]]:
        conversation = self.conversation(who)
        started = time.monotonic()
        try:
            answer = await self._answer(question, list(conversation.history), on_delta)
        except ReportbotError as exc:
            logger.warning(
                "answer failed user=%s chat=%s error=%s", who.user_id, who.chat_id, type(exc).__name__
            )
            qa_id = self._qa(who, question, None, started)
            return AskReply(None, error=texts.UNAVAILABLE, qa_id=qa_id), "error", {}
        conversation.history.append(question)
        kept = conversation.keep_answer(question, answer.citations)
        outcome = "answered" if answer.found else "not_found"
        extra = {"mode": answer.mode, "citations": len(answer.citations)}
        qa_id = self._qa(who, question, answer, started)
        return AskReply(answer, kept.answer_id, qa_id=qa_id), outcome, extra

    def _qa(self, who: Requester, question: str, answer: Answer | None, started: float) -> str | None:
        """Record the question for the console's 问答记录; a failing write never costs the user the answer."""
        try:
            return self.core.qa.record(who, question, answer, time.monotonic() - started)
        except OSError as exc:
            logger.warning("qa record not written error=%s", type(exc).__name__)
            return None

    async def _answer(
        self, question: str, history: list[str], on_delta: Callable[[str], None] | None
    ) -> Answer:
        """Search off the event loop, then the model in an LLM slot, within the deadline counted from now.

        When the deadline passes, whether the question is still waiting for a slot or its call hangs, the
        extractive answer from the same passages is given, and the call's late text never reaches the user.
        """
        core = self.core
        answers = core.services.answers
        if getattr(answers, "llm", None) is None:  # extractive only: no LLM slot, no deadline to keep
            return await core.run_work(answers.answer, question, history, on_delta)
        deadline = time.monotonic() + core.answer_deadline
        prepared = await core.run_work(answers.prepare, question, history)
        if prepared.final is not None:
            return prepared.final
        gate = DeltaGate(on_delta)
        try:
            return await asyncio.wait_for(
                core.run_llm(answers.generate, prepared, gate if on_delta else None, gate.closed),
                deadline - time.monotonic(),
            )
        except TimeoutError as exc:
            gate.close()  # before the fallback is built: no late streamed text after it
            logger.warning("answer deadline passed seconds=%.1f fallback=extractive", core.answer_deadline)
            return await core.run_work(answers.fallback, prepared, exc)
        finally:
            gate.close()  # cancelled (shutdown) too: the call stops at its next streamed piece

    async def _draft(self, request: str) -> tuple[DraftReply, str, dict[str, Any]]:
        from bot.chat.render.docx import draft_to_docx  # the .docx writer imports this package's renderers

        drafts = self.core.services.drafts
        run = self.core.run_llm if getattr(drafts, "llm", None) is not None else self.core.run_work
        try:
            result = await run(drafts.draft, request)
            document = await self.core.run_work(draft_to_docx, result)
        except ReportbotError as exc:
            # the core's message is already in plain Chinese (e.g. nothing on the topic in the reports)
            logger.warning("draft failed error=%s", type(exc).__name__)
            return DraftReply(None, error=str(exc) or texts.DRAFT_UNAVAILABLE), "error", {}
        extra = {"mode": result.mode, "citations": len(result.citations)}
        return DraftReply(result, document, docx_filename(result)), "drafted", extra

    async def _guarded(
        self,
        who: Requester,
        action: str,
        what: str,
        deliver: Callable[[R], Awaitable[None]],
        kind: type[R],
        work: Awaitable[tuple[R, str, dict[str, Any]]],
    ) -> R:
        """Run ``work``, deliver its reply and audit one line, whatever happens (shutdown included)."""
        inflight = self.core.inflight
        if inflight.closing:
            if asyncio.iscoroutine(work):
                work.close()
            self._record(who, action, "refused", what, reason="shutdown")
            reply = kind(None, error=texts.SHUTTING_DOWN)
            await self._notify(deliver, reply)
            return reply
        with inflight.track():
            try:
                reply, outcome, extra = await work
            except asyncio.CancelledError:
                return await self._cut(who, action, what, deliver, kind)
            except Exception:
                self._record(who, action, "error", what)
                raise
            try:
                await deliver(reply)
            except asyncio.CancelledError:
                return await self._cut(who, action, what, deliver, kind)
            except Exception as exc:
                reason = exc.reason if isinstance(exc, DeliveryFailed) else type(exc).__name__
                logger.warning(
                    "reply not delivered action=%s user=%s chat=%s reason=%s",
                    action,
                    who.user_id,
                    who.chat_id,
                    reason,
                    exc_info=not isinstance(exc, DeliveryFailed),
                )
                self._record(who, action, "failed", what, reason=reason)
                notice = kind(None, error=texts.DELIVERY_FAILED)
                if not await self._notify(deliver, notice):  # still down: told once the platform is back
                    self.core.owed.owe(functools.partial(deliver, notice), f"{who.key}:{action}")
                return reply
            self._record(who, action, outcome, what, **extra)
            return reply

    async def _cut(
        self, who: Requester, action: str, what: str, deliver: Callable[[R], Awaitable[None]], kind: type[R]
    ) -> R:
        self._record(who, action, "cut", what)
        task = asyncio.current_task()
        if task is not None:  # the cut was ours (drain): the notice below must still be able to wait
            task.uncancel()
        reply = kind(None, error=texts.CUT)
        await self._notify(deliver, reply)
        return reply

    async def _notify(self, deliver: Callable[[R], Awaitable[None]], reply: R) -> bool:
        """Tell the user something went wrong, within the policy's short notice deadline; True when it got there."""
        with contextlib.suppress(Exception):
            await asyncio.wait_for(deliver(reply), self.core.delivery.notice_deadline)
            return True
        return False

    def _record(self, who: Requester, action: str, outcome: str, what: str, **extra: object) -> None:
        self.audit.record(
            user_id=who.user_id, chat_id=who.chat_id, action=action, outcome=outcome, what=what, **extra
        )


class DeltaGate:
    """Passes streamed text to ``on_delta`` until closed; after ``close()`` returns, nothing more gets through."""

    def __init__(self, on_delta: Callable[[str], None] | None) -> None:
        self._on_delta = on_delta
        self._lock = threading.Lock()
        self._closed = False

    def __call__(self, text: str) -> None:
        """Forward ``text`` (from the worker thread) unless the gate is closed."""
        with self._lock:
            if not self._closed and self._on_delta is not None:
                self._on_delta(text)

    def closed(self) -> bool:
        """True once the caller gave up on this answer (the model call should stop)."""
        return self._closed

    def close(self) -> None:
        """Let nothing more through; waits for a delta being forwarded right now."""
        with self._lock:
            self._closed = True

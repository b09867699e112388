"""The chat session API front ends call: access, rate limit, ask, draft, citations, sources, help, admin, upload.

One ``ChatCore`` per process holds what all front ends share (services, the audit log, the ingest lock,
the admin operations); ``ChatCore.frontend(name, policy)`` gives each front end its ``ChatService`` with
its own access policy, rate limiter and conversations. Every method returns platform-neutral results
and Chinese texts; front ends render them (``bot.chat.render``) and deliver them.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

from bot.chat import texts
from bot.chat.access import (
    ADMIN_ONLY,
    ADMIN_PRIVATE_ONLY,
    NOT_PERMITTED_BUTTON,
    UNKNOWN_GROUP,
    UNKNOWN_USER,
    AccessDecision,
    AccessPolicy,
    ChatKind,
    DeniedNotices,
    check,
)
from bot.chat.admin import Admin
from bot.chat.audit import AUDIT_LOG_NAME, AuditLog
from bot.chat.conversation import Conversation, Conversations, KeptAnswer
from bot.chat.delivery import DEFAULT_POLICY, DeliveryPolicy
from bot.chat.flood import TELEGRAM_LIMITS, FloodLimiter, FloodLimits
from bot.chat.inflight import InFlight
from bot.chat.owed import OwedNotices
from bot.chat.pool import DaemonPool
from bot.chat.qa_log import QaLog
from bot.chat.ratelimit import RateDecision, RateLimiter
from bot.chat.session_admin import AdminSession
from bot.chat.session_answers import AnswerSession
from bot.chat.types import Refusal, Requester
from bot.chat.uploads import MB, Uploads
from bot.settings import DEFAULT_LLM_TIMEOUT, DEFAULT_QUESTION_MAX_CHARS, DEFAULT_UPLOAD_MAX_MB

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from bot.services import Services
    from bot.settings import Settings
    from retrieval.answers.types import Citation

T = TypeVar("T")

logger = logging.getLogger(__name__)

WORK_THREADS = 8
"""Threads for blocking work other than LLM calls (search, extractive answers, .docx, uploads)."""


class ChatCore:
    """What every front end of one process shares (services, audit log, ingest lock, thread pools, drain)."""

    def __init__(
        self,
        services: Services,
        data_dir: Path,
        rate_limit_per_minute: int,
        *,
        llm_concurrency: int = 4,
        delivery: DeliveryPolicy = DEFAULT_POLICY,
        answer_deadline: float = DEFAULT_LLM_TIMEOUT,
        question_max_chars: int = DEFAULT_QUESTION_MAX_CHARS,
        upload_max_bytes: int = DEFAULT_UPLOAD_MAX_MB * MB,
    ) -> None:
        self.services = services
        self.audit = AuditLog(data_dir / AUDIT_LOG_NAME)
        self.qa = QaLog(data_dir)
        self.uploads = Uploads(services.ingest, data_dir, upload_max_bytes)
        self.admin = Admin(services.library, services.ingest, self.uploads)
        self.rate_limit_per_minute = rate_limit_per_minute
        self.delivery = delivery
        self.answer_deadline = answer_deadline
        """Seconds from a question to its answer; past it the extractive answer is given, LLM slots or not."""
        self.question_max_chars = question_max_chars
        self.inflight = InFlight()
        self.owed = OwedNotices(delivery.notice_deadline)
        # LLM calls get their own bounded pool, of daemon threads: a hung model call never holds the process
        # open at exit; search, extractive answers, .docx and uploads never wait for them
        self.llm_pool = DaemonPool(llm_concurrency, name="reportbot-llm")
        self.work_pool = ThreadPoolExecutor(WORK_THREADS, thread_name_prefix="reportbot-work")

    @classmethod
    def from_settings(cls, services: Services, settings: Settings) -> ChatCore:
        """The core as the settings configure it (rate limit, LLM concurrency and deadline, delivery, question cap,
        upload limit).
        """
        return cls(
            services,
            settings.data_dir,
            settings.rate_limit_per_minute,
            llm_concurrency=settings.llm_concurrency,
            delivery=DeliveryPolicy(deadline=settings.delivery_deadline),
            answer_deadline=settings.llm_timeout,
            question_max_chars=settings.question_max_chars,
            upload_max_bytes=settings.upload_max_mb * MB,
        )

    def frontend(self, name: str, policy: AccessPolicy, limits: FloodLimits = TELEGRAM_LIMITS) -> ChatService:
        """The session service of front end ``name`` (e.g. ``telegram``, ``wecom``) with its flood ``limits``."""
        return ChatService(self, name, policy, limits)

    async def run_llm(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn(*args)`` (a call that may wait on the LLM) in the bounded LLM pool."""
        return await asyncio.get_running_loop().run_in_executor(self.llm_pool, functools.partial(fn, *args))

    async def run_work(self, fn: Callable[..., T], *args: Any) -> T:
        """Run blocking ``fn(*args)`` (search, rendering, files) in the general pool."""
        return await asyncio.get_running_loop().run_in_executor(self.work_pool, functools.partial(fn, *args))

    async def drain(self, grace_seconds: float) -> None:
        """Shut down: take no new questions, let answers in flight finish within ``grace_seconds``, cut the rest.

        Cut users are told (in Chinese) to ask again. Call after the front ends stopped receiving.
        """
        await self.inflight.drain(grace_seconds)
        await self.owed.close()
        self.llm_pool.shutdown(wait=False, cancel_futures=True)
        self.work_pool.shutdown(wait=False, cancel_futures=True)


class ChatService(AnswerSession, AdminSession):
    """One front end's view of the core (build it with ``ChatCore.frontend``)."""

    def __init__(
        self, core: ChatCore, name: str, policy: AccessPolicy, limits: FloodLimits = TELEGRAM_LIMITS
    ) -> None:
        self.core = core
        self.delivery = core.delivery
        self.flood = FloodLimiter(limits)
        self.name = name
        self.policy = policy
        self.audit = core.audit.for_frontend(name)
        self.limiter = RateLimiter(core.rate_limit_per_minute)
        self.conversations = Conversations()
        self.admin = core.admin
        self._denied = DeniedNotices()

    def requester(self, user_id: int | str, chat_id: int | str, kind: ChatKind) -> Requester:
        """A ``Requester`` of this front end (ids as strings)."""
        return Requester(self.name, str(user_id), str(chat_id), kind)

    def conversation(self, who: Requester) -> Conversation:
        """The conversation of ``who``'s chat."""
        return self.conversations.get(who.key)

    def is_admin(self, who: Requester) -> bool:
        """True for an admin of this front end."""
        return self.policy.is_admin(who.user_id)

    # access and rate limit

    def check(self, who: Requester, action: str) -> AccessDecision:
        """May ``who`` do ``action`` here? (No side effects: a front end may ignore a stranger's chatter.)"""
        return check(self.policy, who.user_id, who.chat_id, who.kind, action)

    def refuse(self, who: Requester, decision: AccessDecision, action: str, what: str = "") -> Refusal:
        """Audit a refused request and say what to tell the user (strangers are told their id rarely)."""
        if decision is AccessDecision.STRANGER:  # every attempt is audited; the notice is rarely repeated
            self.audit.record(
                user_id=who.user_id, chat_id=who.chat_id, action=action, outcome="denied", what=what
            )
            if action == "button":
                return Refusal(decision, NOT_PERMITTED_BUTTON)
            private = who.kind is ChatKind.PRIVATE
            key = who.user_id if private else who.chat_id
            if not self._denied.due(f"{'user' if private else 'chat'}:{key}"):
                return Refusal(decision, None)
            template = UNKNOWN_USER if private else UNKNOWN_GROUP
            return Refusal(decision, template.format(id=key), key)
        if decision is AccessDecision.ADMIN_ONLY:
            self.audit.record(
                user_id=who.user_id, chat_id=who.chat_id, action=action, outcome="refused", what=what
            )
            return Refusal(decision, ADMIN_ONLY)
        if decision is AccessDecision.PRIVATE_ONLY:  # files shared in a group are not uploads: say nothing
            text = ADMIN_PRIVATE_ONLY if action != "upload" and self.is_admin(who) else None
            if text is not None:
                self.audit.record(
                    user_id=who.user_id, chat_id=who.chat_id, action=action, outcome="refused", what=what
                )
            return Refusal(decision, text)
        return Refusal(decision, None)

    def admit(self, who: Requester, action: str, what: str) -> str | None:
        """None when ``who`` is within the rate limit; else the refusal is audited and the notice returned once ("")."""
        decision = self.limiter.check(who.user_id)
        if decision is RateDecision.ALLOW:
            return None
        self.audit.record(
            user_id=who.user_id, chat_id=who.chat_id, action=action, outcome="rate_limited", what=what
        )
        if decision is RateDecision.NOTIFY:
            seconds = self.limiter.retry_in(who.user_id)
            return texts.RATE_LIMITED.format(seconds=seconds, limit=self.limiter.per_minute)
        return ""

    def citation(self, who: Requester, answer_id: int, n: int) -> Citation | None:
        """Citation ``[n]`` of answer ``answer_id`` in ``who``'s chat; None when expired or unknown."""
        kept = self.conversation(who).answers.get(answer_id)
        citation = kept.citation(n) if kept is not None else None
        self.audit.record(
            user_id=who.user_id,
            chat_id=who.chat_id,
            action="button",
            outcome="shown" if citation is not None else "expired",
            what=f"{answer_id}:{n}",
        )
        return citation

    def stray_button(self, who: Requester, data: str | None) -> str:
        """Audit a button press whose data is no citation (an old keyboard, a forged press); the text to show."""
        self.audit.record(
            user_id=who.user_id, chat_id=who.chat_id, action="button", outcome="unknown", what=data or ""
        )
        return texts.UNKNOWN_BUTTON

    def last_sources(self, who: Requester) -> KeptAnswer | None:
        """The chat's last answer when it has sources to show again."""
        kept = self.conversation(who).last_answer()
        return kept if kept is not None and kept.citations else None

    def help_text(self, who: Requester, mention_name: str, max_upload_mb: int) -> str:
        """``/help`` (``**bold**`` marks), with the admin part for admins."""
        return texts.help_text(mention_name, admin=self.is_admin(who), max_upload_mb=max_upload_mb)

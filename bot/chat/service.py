"""The chat session API front ends call: access, rate limit, ask, draft, citations, sources, help, admin, upload.

One ``ChatCore`` per process holds what all front ends share (services, the audit log, the ingest lock,
the admin operations); ``ChatCore.frontend(name, policy)`` gives each front end its ``ChatService`` with
its own access policy, rate limiter and conversations. Every method returns platform-neutral results
and Chinese texts; front ends render them (``bot.chat.render``) and deliver them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from bot.chat import texts
from bot.chat.access import (
    ADMIN_ONLY,
    ADMIN_PRIVATE_ONLY,
    NOT_PERMITTED_BUTTON,
    UNKNOWN_GROUP,
    UNKNOWN_USER,
    AccessPolicy,
    ChatKind,
    DeniedNotices,
    Verdict,
    check,
)
from bot.chat.admin import Admin
from bot.chat.audit import AuditLog
from bot.chat.conversation import Conversation, Conversations, KeptAnswer
from bot.chat.ratelimit import RateLimiter
from bot.chat.ratelimit import Verdict as Rate
from bot.chat.render.labels import docx_filename
from bot.chat.session_admin import AdminSession
from bot.chat.types import AskReply, DraftReply, Refusal, Requester
from bot.chat.uploads import Uploads
from retrieval.errors import ReportbotError

if TYPE_CHECKING:
    from pathlib import Path

    from bot.services import Services
    from retrieval.types import Citation

logger = logging.getLogger(__name__)

AUDIT_LOG_NAME = "audit.log"


class ChatCore:
    """What every front end of one process shares."""

    def __init__(self, services: Services, data_dir: Path, rate_limit_per_minute: int) -> None:
        self.services = services
        self.audit = AuditLog(data_dir / AUDIT_LOG_NAME)
        self.uploads = Uploads(services.ingest, data_dir)
        self.admin = Admin(services.library, services.ingest, self.uploads)
        self.rate_limit_per_minute = rate_limit_per_minute

    def frontend(self, name: str, policy: AccessPolicy) -> ChatService:
        """The session service of front end ``name`` (e.g. ``telegram``, ``wecom``)."""
        return ChatService(self, name, policy)

    async def drain(self, grace_seconds: float) -> None:
        """Finish or cut in-flight answers within ``grace_seconds`` (minimal: nothing is tracked yet)."""
        logger.info("chat core drained grace_seconds=%.1f", grace_seconds)


class ChatService(AdminSession):
    """One front end's view of the core (build it with ``ChatCore.frontend``)."""

    def __init__(self, core: ChatCore, name: str, policy: AccessPolicy) -> None:
        self.core = core
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

    def check(self, who: Requester, action: str) -> Verdict:
        """May ``who`` do ``action`` here? (No side effects: a front end may ignore a stranger's chatter.)"""
        return check(self.policy, who.user_id, who.chat_id, who.kind, action)

    def refuse(self, who: Requester, verdict: Verdict, action: str, what: str = "") -> Refusal:
        """Audit a refused request and say what to tell the user (strangers are told their id rarely)."""
        if verdict is Verdict.STRANGER:
            if action == "button":
                return Refusal(verdict, NOT_PERMITTED_BUTTON)
            private = who.kind is ChatKind.PRIVATE
            key = who.user_id if private else who.chat_id
            if not self._denied.due(f"{'user' if private else 'chat'}:{key}"):
                return Refusal(verdict, None)
            self.audit.record(user_id=who.user_id, chat_id=who.chat_id, action="access", outcome="denied")
            template = UNKNOWN_USER if private else UNKNOWN_GROUP
            return Refusal(verdict, template.format(id=key), key)
        if verdict is Verdict.ADMIN_ONLY:
            self.audit.record(
                user_id=who.user_id, chat_id=who.chat_id, action=action, outcome="refused", what=what
            )
            return Refusal(verdict, ADMIN_ONLY)
        if verdict is Verdict.PRIVATE_ONLY:  # files shared in a group are not uploads: say nothing
            text = ADMIN_PRIVATE_ONLY if action != "upload" and self.is_admin(who) else None
            return Refusal(verdict, text)
        return Refusal(verdict, None)

    def admit(self, who: Requester, action: str, what: str) -> str | None:
        """None when ``who`` is within the rate limit; else the refusal is audited and the notice returned once ("")."""
        verdict = self.limiter.check(who.user_id)
        if verdict is Rate.ALLOW:
            return None
        self.audit.record(
            user_id=who.user_id, chat_id=who.chat_id, action=action, outcome="rate_limited", what=what
        )
        if verdict is Rate.NOTIFY:
            seconds = self.limiter.retry_in(who.user_id)
            return texts.RATE_LIMITED.format(seconds=seconds, limit=self.limiter.per_minute)
        return ""

    # questions and drafts

    async def ask(
        self,
        who: Requester,
        question: str,
        on_delta: Callable[[str], None] | None,
        deliver: Callable[[AskReply], Awaitable[None]],
    ) -> AskReply:
        """Answer ``question`` with this chat's history; ``deliver`` shows the reply, then it is audited.

        ``on_delta`` receives streamed text from a worker thread. A core failure becomes a reply with the
        apology; anything else is audited and raised for the front end's error handler.
        """
        conversation = self.conversation(who)
        services = self.core.services
        try:
            answer = await asyncio.to_thread(
                services.answers.answer, question, list(conversation.history), on_delta
            )
        except ReportbotError as exc:
            logger.warning(
                "answer failed user=%s chat=%s error=%s", who.user_id, who.chat_id, type(exc).__name__
            )
            self.audit.record(
                user_id=who.user_id, chat_id=who.chat_id, action="ask", outcome="error", what=question
            )
            reply = AskReply(None, error=texts.UNAVAILABLE)
            await deliver(reply)
            return reply
        except Exception:
            self.audit.record(
                user_id=who.user_id, chat_id=who.chat_id, action="ask", outcome="error", what=question
            )
            raise
        conversation.history.append(question)
        kept = conversation.keep_answer(question, answer.citations)
        reply = AskReply(answer, kept.answer_id)
        await deliver(reply)
        self.audit.record(
            user_id=who.user_id,
            chat_id=who.chat_id,
            action="ask",
            outcome="answered" if answer.found else "not_found",
            what=question,
            mode=answer.mode,
            citations=len(answer.citations),
        )
        return reply

    async def draft(
        self, who: Requester, request: str, deliver: Callable[[DraftReply], Awaitable[None]]
    ) -> DraftReply:
        """Draft from the reports with a .docx; ``deliver`` shows it, then it is audited."""
        from bot.docx_export import draft_to_docx  # the .docx writer imports the renderers of this package

        try:
            result = await asyncio.to_thread(self.core.services.drafts.draft, request)
            document = await asyncio.to_thread(draft_to_docx, result)
        except ReportbotError as exc:
            # the core's message is already in plain Chinese (e.g. nothing on the topic in the reports)
            logger.warning(
                "draft failed user=%s chat=%s error=%s", who.user_id, who.chat_id, type(exc).__name__
            )
            self.audit.record(
                user_id=who.user_id, chat_id=who.chat_id, action="draft", outcome="error", what=request
            )
            reply = DraftReply(None, error=str(exc) or texts.DRAFT_UNAVAILABLE)
            await deliver(reply)
            return reply
        reply = DraftReply(result, document, docx_filename(result))
        await deliver(reply)
        self.audit.record(
            user_id=who.user_id,
            chat_id=who.chat_id,
            action="draft",
            outcome="drafted",
            what=request,
            mode=result.mode,
            citations=len(result.citations),
        )
        return reply

    def citation(self, who: Requester, answer_id: int, n: int) -> Citation | None:
        """Citation ``[n]`` of answer ``answer_id`` in ``who``'s chat; None when expired or unknown."""
        kept = self.conversation(who).answers.get(answer_id)
        return kept.citation(n) if kept is not None else None

    def last_sources(self, who: Requester) -> KeptAnswer | None:
        """The chat's last answer when it has sources to show again."""
        kept = self.conversation(who).last_answer()
        return kept if kept is not None and kept.citations else None

    def help_text(self, who: Requester, mention_name: str, max_upload_mb: int) -> str:
        """``/help`` (``**bold**`` marks), with the admin part for admins."""
        return texts.help_text(mention_name, admin=self.is_admin(who), max_upload_mb=max_upload_mb)

"""What every page of the console shares, kept on ``app.state.console``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.chat.access import ChatKind
from bot.chat.types import Requester
from bot.web.audit_view import VerdictCache
from bot.web.jobs import Jobs

if TYPE_CHECKING:
    from bot.chat.audit import AuditLog
    from bot.chat.service import ChatCore, ChatService
    from bot.services import Services
    from bot.settings import Settings
    from bot.web.accounts import AccountStore
    from bot.web.sessions import SessionStore


@dataclass
class Console:
    """The settings, the services and chat core (shared with the chat front ends), accounts, sessions, audit."""

    settings: Settings
    services: Services
    core: ChatCore
    accounts: AccountStore
    sessions: SessionStore
    audit: AuditLog
    """The process's audit log, lines stamped ``frontend=web``."""
    chat: ChatService
    """The chat core's session service for the web (``ask``/``draft``: audited, counted, recorded like every
    front end's); roles are checked by the routes, so its allow-lists are empty and unused."""
    jobs: Jobs = field(default_factory=Jobs)
    """Upload jobs being ingested (文档 page)."""
    verdicts: VerdictCache = field(default_factory=VerdictCache)
    """The audit chain's verdict (审计 page), walked again only when the log changed."""

    def requester(self, user: str, conversation: str = "") -> Requester:
        """The web user ``user`` as the chat core sees them; ``conversation`` keeps follow-ups apart per tab/thread."""
        return Requester("web", user, f"{user}:{conversation}" if conversation else user, ChatKind.PRIVATE)

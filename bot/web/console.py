"""What every page of the console shares, kept on ``app.state.console``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.chat.audit import AuditLog
    from bot.chat.service import ChatCore
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

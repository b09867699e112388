"""Server-side sessions: a random token in an HttpOnly, SameSite=Strict cookie; everything else stays here.

A visitor gets an anonymous session (with its CSRF token) at the sign-in form; signing in replaces it by a new
one (a token known before sign-in is worth nothing after). Sessions end after 30 minutes without a request, at
sign-out, and when the account is disabled. They live in memory: a restart signs everyone out.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field

COOKIE_NAME = "reportbot_session"
IDLE_SECONDS = 30 * 60
MAX_SESSIONS = 10_000


@dataclass
class Session:
    """One browser's session: who (empty before sign-in), its CSRF token, when it was last used."""

    token: str
    csrf: str
    user: str = ""
    last_seen: float = field(default_factory=time.monotonic)
    flash: str = ""
    """A one-time message for the next page (the outcome of a delete, a re-ingest)."""

    def pop_flash(self) -> str:
        """The pending message, cleared."""
        text, self.flash = self.flash, ""
        return text

    @property
    def signed_in(self) -> bool:
        """True after a successful sign-in."""
        return bool(self.user)


class SessionStore:
    """The sessions of one console process."""

    def __init__(self, idle_seconds: float = IDLE_SECONDS) -> None:
        self.idle_seconds = idle_seconds
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def get(self, token: str | None) -> Session | None:
        """The live session of ``token`` (its idle clock restarted), or None when unknown or expired."""
        if not token:
            return None
        now = time.monotonic()
        with self._lock:
            session = self._sessions.get(token)
            if session is None:
                return None
            if now - session.last_seen > self.idle_seconds:
                del self._sessions[token]
                return None
            session.last_seen = now
            return session

    def new(self, user: str = "") -> Session:
        """A fresh session (anonymous unless ``user``) with new random tokens."""
        session = Session(token=secrets.token_urlsafe(32), csrf=secrets.token_urlsafe(32), user=user)
        with self._lock:
            if len(self._sessions) >= MAX_SESSIONS:
                self._evict()
            self._sessions[session.token] = session
        return session

    def end(self, token: str) -> None:
        """Forget a session (sign-out)."""
        with self._lock:
            self._sessions.pop(token, None)

    def end_user(self, user: str) -> None:
        """End every session of ``user`` (account disabled or password reset)."""
        with self._lock:
            for token in [t for t, s in self._sessions.items() if s.user == user]:
                del self._sessions[token]

    def _evict(self) -> None:
        now = time.monotonic()
        for token in [t for t, s in self._sessions.items() if now - s.last_seen > self.idle_seconds]:
            del self._sessions[token]
        if len(self._sessions) >= MAX_SESSIONS:  # still full: anonymous sessions go first, oldest first
            anonymous = sorted((s.last_seen, t) for t, s in self._sessions.items() if not s.signed_in)
            for _, token in anonymous[: max(1, len(anonymous) // 2)]:
                del self._sessions[token]

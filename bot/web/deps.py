"""Who is asking, and may they: the dependencies every route declares.

Every route but sign-in and the static files depends on ``require_role(…)`` (a test walks the app's routes to
hold this); the app itself depends on ``csrf_protect``, so every POST/PUT/PATCH/DELETE carries the session's
CSRF token, as the form field ``csrf_token`` or the ``X-CSRF-Token`` header (htmx sends the header).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request

from bot.web.accounts import Role
from bot.web.console import Console
from bot.web.sessions import COOKIE_NAME, Session

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
ANONYMOUS_POSTS = frozenset({"/login", "/logout"})
"""The only state-changing requests a session that is not signed in may make."""


class NotSignedIn(Exception):
    """No live signed-in session: the browser is sent to the sign-in form."""


class Forbidden(Exception):
    """The account's role does not allow the page (403, audited)."""

    def __init__(self, reason: str = "role") -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Viewer:
    """The signed-in user of a request."""

    name: str
    role: Role
    session: Session

    @property
    def csrf(self) -> str:
        """The session's CSRF token, for forms and htmx headers."""
        return self.session.csrf


def console(request: Request) -> Console:
    """The console the app serves."""
    return request.app.state.console  # type: ignore[no-any-return]


def session_of(request: Request) -> Session | None:
    """The request's live session (signed in or not), or None."""
    return console(request).sessions.get(request.cookies.get(COOKIE_NAME))


def current_viewer(request: Request) -> Viewer:
    """The signed-in user; ``NotSignedIn`` when there is none, or the account was disabled or removed."""
    cached = getattr(request.state, "viewer", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    session = session_of(request)
    if session is None or not session.signed_in:
        raise NotSignedIn
    account = console(request).accounts.get(session.user)
    if account is None or account.disabled:
        console(request).sessions.end(session.token)
        raise NotSignedIn
    viewer = Viewer(account.name, account.role_enum, session)
    request.state.viewer = viewer
    return viewer


def require_role(role: Role) -> Callable[[Request], Viewer]:
    """A dependency: the signed-in user when their role includes ``role``; ``Forbidden`` (403) otherwise."""

    def dependency(request: Request) -> Viewer:
        viewer = current_viewer(request)
        if viewer.role.rank < role.rank:
            raise Forbidden("role")
        return viewer

    dependency.required_role = role  # type: ignore[attr-defined]
    return dependency


async def csrf_protect(request: Request) -> None:
    """Refuse (403) a state-changing request whose CSRF token is missing or not the session's."""
    if request.method in SAFE_METHODS:
        return
    session = session_of(request)
    if session is None:
        raise Forbidden("csrf")
    if not session.signed_in and request.url.path not in ANONYMOUS_POSTS:
        raise NotSignedIn  # before any body is read: an upload from nobody is never parsed
    required = _required_role(request)
    if required is not None and current_viewer(request).role.rank < required.rank:
        raise Forbidden("role")  # before the body too: a viewer's upload is never parsed either
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent and _is_form(request):
        value = (await request.form()).get(CSRF_FIELD, "")
        sent = value if isinstance(value, str) else ""
    if not sent or not hmac.compare_digest(sent, session.csrf):
        raise Forbidden("csrf")


def _required_role(request: Request) -> Role | None:
    """The highest role the matched route's dependencies require (None for the open routes)."""
    route = request.scope.get("route")
    found: list[Role] = []
    stack = [route.dependant] if route is not None and hasattr(route, "dependant") else []
    while stack:
        dependant = stack.pop()
        role = getattr(dependant.call, "required_role", None)
        if isinstance(role, Role):
            found.append(role)
        stack.extend(dependant.dependencies)
    return max(found, key=lambda r: r.rank, default=None)


def _is_form(request: Request) -> bool:
    kind = request.headers.get("content-type", "")
    return kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))

"""Sign-in (用户名, 密码, 登录), sign-out, and the front door that sends each role to its first page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from bot.web.accounts import LOCKOUT_SECONDS, Role, SignIn
from bot.web.deps import Viewer, console, require_role, session_of
from bot.web.render import home_path, render
from bot.web.security import client_address, is_https
from bot.web.sessions import COOKIE_NAME

router = APIRouter()
PUBLIC_PATHS = frozenset({"/login", "/logout"})
"""The only routes without a role: a test checks every other route has one."""

WRONG = "用户名或密码错误。"
LOCKED = f"登录失败次数过多，账户已锁定 {LOCKOUT_SECONDS // 60} 分钟，请稍后再试或联系管理员。"
SIGNED_OUT = "您已退出登录。"
EXPIRED = "长时间未操作，请重新登录。"


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    """The session cookie: HttpOnly, SameSite=Strict, Secure over TLS (directly or behind a trusted proxy)."""
    response.set_cookie(
        COOKIE_NAME,
        token,
        httponly=True,
        samesite="strict",
        secure=is_https(request, console(request).settings.web_trusted_proxies),
        path="/",
    )


@router.get("/")
def front_door(viewer: Annotated[Viewer, Depends(require_role(Role.VIEWER))]) -> Response:
    """Signed-in users go to their first page (the others to the sign-in form)."""
    return RedirectResponse(home_path(viewer.role), status_code=303)


@router.get("/login")
def sign_in_form(request: Request, next: str = "", notice: str = "") -> Response:
    """The sign-in form, with an anonymous session holding its CSRF token."""
    session = session_of(request)
    if session is not None and session.signed_in:
        return RedirectResponse(_safe_next(next) or "/", status_code=303)
    fresh = session is None
    if session is None:
        session = console(request).sessions.new()
    message = {"out": SIGNED_OUT, "expired": EXPIRED}.get(notice, "")
    response = render(
        request, "login.html", csrf=session.csrf, next=_safe_next(next), error="", notice=message
    )
    if fresh:
        set_session_cookie(request, response, session.token)
    return response


@router.post("/login")
def sign_in(
    request: Request,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=512)] = "",
) -> Response:
    """Check the password; on success a new session replaces the anonymous one. Every attempt is audited."""
    c = console(request)
    name = username.strip()
    outcome = c.accounts.sign_in(name, password)
    c.audit.record(
        user_id=name or "-",
        chat_id=None,
        action="sign_in",
        outcome=outcome.value,
        ip=client_address(request, c.settings.web_trusted_proxies),
    )
    if outcome is SignIn.LOCKED:
        c.audit.record(
            user_id=name, chat_id=None, action="lockout", outcome="locked", what=f"{LOCKOUT_SECONDS}s"
        )
    old = session_of(request)
    if outcome is not SignIn.OK:
        csrf = old.csrf if old is not None else ""
        error = LOCKED if outcome in (SignIn.LOCKED, SignIn.STILL_LOCKED) else WRONG
        return render(
            request, "login.html", status_code=401, csrf=csrf, next=_safe_next(next), error=error, notice=""
        )
    if old is not None:
        c.sessions.end(old.token)
    session = c.sessions.new(user=name)
    account = c.accounts.get(name)
    target = _safe_next(next) or (home_path(account.role_enum) if account else "/")
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(request, response, session.token)
    return response


@router.post("/logout")
def sign_out(request: Request) -> Response:
    """End the session (CSRF-checked like every POST) and go back to the sign-in form."""
    c = console(request)
    session = session_of(request)
    if session is not None:
        if session.signed_in:
            c.audit.record(user_id=session.user, chat_id=None, action="sign_out", outcome="ok")
        c.sessions.end(session.token)
    response = RedirectResponse("/login?notice=out", status_code=303)
    response.delete_cookie(COOKIE_NAME, path="/")
    return response


def _safe_next(target: str) -> str:
    """A local path to go back to after sign-in, never another site."""
    if target.startswith("/") and not target.startswith(("//", "/\\")) and target not in PUBLIC_PATHS:
        return target
    return ""

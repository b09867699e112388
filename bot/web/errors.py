"""Every failure becomes a plain Chinese page: no internals, no stack trace (those go to the log).

A refusal (role or CSRF) is a 403 page and an audit line; a request without a live session is sent to the
sign-in form (htmx requests through ``HX-Redirect``).
"""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException

from bot.web.deps import Forbidden, NotSignedIn, console, session_of
from bot.web.render import render
from bot.web.security import client_address

logger = logging.getLogger(__name__)

MESSAGES = {
    400: "请求的内容不完整或格式不对。",
    403: "您的账户没有访问此页面的权限。",
    404: "没有这个页面。",
    405: "不支持这种请求方式。",
    413: "请求太大：超过了允许的上传大小。",
    500: "服务器内部出错，请稍后再试；问题已记入服务器日志。",
}
CSRF_MESSAGE = "页面已过期或请求来源不明（缺少安全令牌），请刷新页面后重试。"


def error_page(request: Request, status: int, message: str | None = None) -> Response:
    """The Chinese error page for ``status``."""
    return render(
        request,
        "error.html",
        status_code=status,
        status=status,
        message=message or MESSAGES.get(status, MESSAGES[500]),
    )


async def _forbidden(request: Request, exc: Exception) -> Response:
    reason = exc.reason if isinstance(exc, Forbidden) else "role"
    session = session_of(request)
    c = console(request)
    c.audit.record(
        user_id=session.user if session is not None and session.user else "-",
        chat_id=None,
        action="forbidden",
        outcome="refused",
        what=f"{request.method} {request.url.path}",
        reason=reason,
        ip=client_address(request, c.settings.web_trusted_proxies),
    )
    return error_page(request, 403, CSRF_MESSAGE if reason == "csrf" else None)


async def _not_signed_in(request: Request, exc: Exception) -> Response:
    target = "/login"
    if request.method == "GET" and request.url.path not in ("/", "/login"):
        target += "?next=" + quote(request.url.path, safe="/")
    if request.headers.get("hx-request"):
        return Response(status_code=401, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    return error_page(request, status if status in MESSAGES else 400)


async def _invalid(request: Request, exc: Exception) -> Response:
    return error_page(request, 400)


async def _unexpected(request: Request, exc: Exception) -> Response:
    logger.error("web request failed path=%s", request.url.path, exc_info=exc)
    return error_page(request, 500)


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""
    app.add_exception_handler(Forbidden, _forbidden)
    app.add_exception_handler(NotSignedIn, _not_signed_in)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(Exception, _unexpected)

"""Response headers every page gets (CSP without inline script), body size limits before anything is read, and
which address and scheme a request really came from (believing only the trusted reverse proxies).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
FORM_MAX_BYTES = 1024 * 1024
"""Largest body of any request but an upload."""
UPLOAD_PATHS = ("/docs/upload",)
TOO_LARGE_PAGE = (
    "<!doctype html><meta charset=utf-8><title>文件太大</title><p>请求太大：超过了允许的上传大小。</p>"
)


class SecurityMiddleware:
    """Adds the security headers to every response; refuses a body over its limit before reading it (413).

    The declared ``Content-Length`` is checked first; a body without one (chunked) is counted as it arrives
    and cut at the limit.
    """

    def __init__(self, app: ASGIApp, upload_max_bytes: int) -> None:
        self.app = app
        self.upload_max_bytes = upload_max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Apply the limit and the headers to one HTTP request."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.upload_max_bytes if scope["path"] in UPLOAD_PATHS else FORM_MAX_BYTES
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _too_large(send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [h for h in message.get("headers", []) if h[0].lower() not in dict(HEADERS)]
                message = {**message, "headers": [*headers, *HEADERS]}
            await send(message)

        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        try:
            await self.app(scope, counting_receive, send_with_headers)
        except BodyTooLarge:
            if not started:
                await _too_large(send)


class BodyTooLarge(Exception):
    """A body without Content-Length went over the limit."""


async def _too_large(send: Send) -> None:
    body = TOO_LARGE_PAGE.encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
                *HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def client_address(request: Request, trusted: list[str]) -> str:
    """The client's address: the proxy's ``X-Forwarded-For`` (last hop) when the peer is a trusted proxy."""
    peer = request.client.host if request.client else "-"
    forwarded = request.headers.get("x-forwarded-for", "")
    if peer in trusted and forwarded:
        return forwarded.split(",")[-1].strip() or peer
    return peer


def is_https(request: Request, trusted: list[str]) -> bool:
    """True over TLS: directly, or behind a trusted proxy that says ``X-Forwarded-Proto: https``."""
    if request.url.scheme == "https":
        return True
    peer = request.client.host if request.client else ""
    return peer in trusted and request.headers.get("x-forwarded-proto", "").lower() == "https"

"""What a hostile visitor meets: CSRF refusals, role checks on the server, the cookie's flags, body limits."""

from __future__ import annotations

import http.client
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tests.web.support import audit_matches, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from tests.web.support import WebServer


def test_a_viewer_calling_an_admin_page_gets_403_and_an_audit_line(page: Page, web: WebServer) -> None:
    sign_in(page, web.users["viewer"])
    for path in ("/docs", "/audit", "/people", "/draft"):
        response = page.goto(path)
        assert response is not None
        assert response.status == 403, path
        assert page.get_by_role("heading", name="没有权限").is_visible()
    lines = web.audit_lines()
    assert audit_matches(
        lines, "frontend=web", "user=viewer", "action=forbidden", "outcome=refused", '"GET /audit"'
    )


def test_a_post_without_the_csrf_token_is_refused(page: Page, web: WebServer) -> None:
    sign_in(page, web.users["admin"])
    refused = page.request.post("/logout", form={"x": "1"})
    assert refused.status == 403
    assert "安全令牌" in refused.text()
    forged = page.request.post("/logout", form={"csrf_token": "forged"})
    assert forged.status == 403
    page.goto("/docs")
    assert page.url.endswith("/docs")  # still signed in: neither request did anything
    assert audit_matches(web.audit_lines(), "user=admin", "action=forbidden", "reason=csrf", '"POST /logout"')


def test_the_sign_in_form_itself_needs_its_csrf_token(web: WebServer) -> None:
    status, _, body = _request(
        web.url, "POST", "/login", b"username=admin&password=x", "application/x-www-form-urlencoded"
    )
    assert status == 403
    assert "安全令牌" in body


def test_the_session_cookie_is_httponly_strict_and_secure_behind_tls(page: Page, web: WebServer) -> None:
    sign_in(page, web.users["admin"])
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "reportbot_session"]
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Strict"
    assert cookie["secure"] is False  # plain http on 127.0.0.1: a Secure cookie would never come back
    assert page.evaluate("document.cookie") == ""  # script cannot read it

    _, headers, _ = _request(web.url, "GET", "/login", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in headers["set-cookie"]  # behind the trusted proxy (nginx with TLS)
    assert "HttpOnly" in headers["set-cookie"]
    assert "SameSite=strict" in headers["set-cookie"]


def test_every_page_forbids_inline_script_and_framing(web: WebServer) -> None:
    _, headers, _ = _request(web.url, "GET", "/login")
    csp = headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["x-content-type-options"] == "nosniff"


def test_a_body_over_the_limit_is_refused_before_it_is_read(web: WebServer) -> None:
    # declares 10 GB and sends nothing: the answer comes at once, from the headers alone
    for path, kind in (
        ("/login", "application/x-www-form-urlencoded"),
        ("/docs/upload", "multipart/form-data; boundary=x"),
    ):
        status, _, body = _request(web.url, "POST", path, b"", kind, {"Content-Length": str(10 * 1024**3)})
        assert status == 413, path
        assert "太大" in body


def test_error_pages_show_no_internals(web: WebServer) -> None:
    status, _, body = _request(web.url, "GET", "/no/such/page")
    assert status in (303, 404)
    for internal in ("Traceback", 'File "', "starlette", "fastapi", "uvicorn"):
        assert internal not in body


def _request(
    base: str,
    method: str,
    path: str,
    body: bytes | None = None,
    content_type: str | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], str]:
    """One raw HTTP request (its declared length not checked by the client): status, headers, body text."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
    sent = dict(headers or {})
    if content_type:
        sent["Content-Type"] = content_type
    try:
        connection.putrequest(method, path)
        for name, value in sent.items():
            connection.putheader(name, value)
        if "Content-Length" not in sent and body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body or None)
        response = connection.getresponse()
        return (
            response.status,
            {k.lower(): v for k, v in response.getheaders()},
            response.read().decode("utf-8", "replace"),
        )
    finally:
        connection.close()


def test_an_upload_from_a_visitor_who_has_not_signed_in_is_sent_to_sign_in(
    page: Page, web: WebServer
) -> None:
    page.goto("/login")  # an anonymous session, with its CSRF token
    csrf = page.locator("input[name=csrf_token]").get_attribute("value")
    response = page.request.post(
        "/docs/upload",
        multipart={
            "csrf_token": csrf or "",
            "files": {"name": "a.txt", "mimeType": "text/plain", "buffer": b"x"},
        },
        max_redirects=0,
    )
    assert response.status == 303
    assert response.headers["location"] == "/login"


def test_a_viewers_upload_is_refused_before_its_body_is_read(page: Page, web: WebServer) -> None:
    sign_in(page, web.users["viewer"])
    csrf = page.locator("input[name=csrf_token]").first.get_attribute("value")
    response = page.request.post(
        "/docs/upload",
        multipart={
            "csrf_token": csrf or "",
            "files": {"name": "a.txt", "mimeType": "text/plain", "buffer": b"x"},
        },
    )
    assert response.status == 403
    assert audit_matches(
        web.audit_lines(), "user=viewer", "action=forbidden", "reason=role", '"POST /docs/upload"'
    )

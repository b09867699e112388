"""Signing in and out, the lockout after five failures, and each role's menu, in a real browser."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.web.support import audit_matches, sign_in, sign_out

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from tests.web.support import WebServer


def test_an_admin_signs_in_sees_the_console_and_signs_out(page: Page, web: WebServer) -> None:
    page.goto("/docs")
    assert page.url.endswith("/login?next=/docs")  # not signed in: the sign-in form, then back to the page

    sign_in(page, web.users["admin"])

    assert page.url.endswith("/docs")
    menu = page.get_by_role("navigation", name="主菜单")
    for label in ("文档", "检索测试", "问答记录", "未答问题", "人员", "审计", "状态", "提问", "起草"):
        assert menu.get_by_role("link", name=label).is_visible()
    assert audit_matches(web.audit_lines(), "frontend=web", "user=admin", "action=sign_in", "outcome=ok")

    sign_out(page)
    assert page.get_by_text("您已退出登录").is_visible()
    page.goto("/docs")
    assert "/login" in page.url  # the old session is gone
    assert audit_matches(web.audit_lines(), "user=admin", "action=sign_out")


def test_a_viewer_sees_only_the_pages_for_viewers(page: Page, web: WebServer) -> None:
    sign_in(page, web.users["viewer"])
    assert page.url.endswith("/ask")
    menu = page.get_by_role("navigation", name="主菜单")
    assert menu.get_by_role("link", name="提问").is_visible()
    assert menu.get_by_role("link", name="文档").count() == 0
    assert menu.get_by_role("link", name="起草").count() == 0


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(page: Page, web: WebServer) -> None:
    sign_in(page, web.users["writer"].name, "Wrong-password-1")
    assert page.get_by_role("alert").inner_text() == "用户名或密码错误。"
    sign_in(page, "nobody-here", "Wrong-password-1")
    assert page.get_by_role("alert").inner_text() == "用户名或密码错误。"
    lines = web.audit_lines()
    assert audit_matches(lines, "user=writer", "action=sign_in", "outcome=failed")
    assert audit_matches(lines, 'user="nobody-here"', "action=sign_in", "outcome=failed") or audit_matches(
        lines, "user=nobody-here", "action=sign_in", "outcome=failed"
    )


def test_five_failures_lock_the_account_for_fifteen_minutes(page: Page, web: WebServer) -> None:
    user = web.add_user("locked-out", "viewer")
    for _ in range(4):
        sign_in(page, user.name, "Wrong-password-1")
        assert page.get_by_role("alert").inner_text() == "用户名或密码错误。"
    sign_in(page, user.name, "Wrong-password-1")
    assert "账户已锁定 15 分钟" in page.get_by_role("alert").inner_text()

    sign_in(page, user)  # the right password changes nothing while the lock lasts
    assert "/login" in page.url
    assert "账户已锁定" in page.get_by_role("alert").inner_text()

    lines = web.audit_lines()
    assert len(audit_matches(lines, "user=locked-out", "action=sign_in", "outcome=failed")) == 4
    assert audit_matches(lines, "user=locked-out", "action=lockout", "outcome=locked")
    assert audit_matches(lines, "user=locked-out", "action=sign_in", "outcome=still_locked")

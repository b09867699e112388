"""人员: web accounts (add, role, disable/enable, reset password; audited) and the chat identities the settings
allow (shown here; they are kept in the settings' allow-lists).
"""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from bot.web.accounts import AccountError, Role
from bot.web.deps import Viewer, console, require_role
from bot.web.render import render

router = APIRouter(dependencies=[Depends(require_role(Role.ADMIN))])
Admin = Annotated[Viewer, Depends(require_role(Role.ADMIN))]
NOT_YOURSELF = "不能停用自己的账户或取消自己的管理员角色（请另一位管理员操作）。"


@router.get("/people")
def people(request: Request, viewer: Admin) -> Response:
    """Accounts and chat identities."""
    c = console(request)
    s = c.settings
    chat_ids = [
        ("企业微信", "管理员", s.wecom_admin_users, "REPORTBOT_WECOM_ADMIN_USERS"),
        ("企业微信", "可提问", s.wecom_allowed_users, "REPORTBOT_WECOM_ALLOWED_USERS"),
        ("企业微信", "群聊", s.wecom_allowed_chats, "REPORTBOT_WECOM_ALLOWED_CHATS"),
        ("Telegram", "管理员", s.admin_user_ids, "REPORTBOT_ADMIN_USER_IDS"),
        ("Telegram", "可提问", s.allowed_user_ids, "REPORTBOT_ALLOWED_USER_IDS"),
        ("Telegram", "群聊", s.allowed_chat_ids, "REPORTBOT_ALLOWED_CHAT_IDS"),
    ]
    return render(
        request,
        "people.html",
        title="人员",
        accounts=c.accounts.all(),
        roles=list(Role),
        chat_ids=chat_ids,
        flash=viewer.session.pop_flash(),
        now=time.time(),
        me=viewer.name,
        fmt=lambda t: time.strftime("%Y-%m-%d %H:%M", time.localtime(t)) if t else "从未",
    )


def _done(
    request: Request, viewer: Viewer, action: str, name: str, message: str, **extra: object
) -> Response:
    console(request).audit.record(
        user_id=viewer.name, chat_id=None, action=action, outcome="ok", what=name, **extra
    )
    viewer.session.flash = message
    return RedirectResponse("/people", status_code=303)


def _refused(request: Request, viewer: Viewer, action: str, name: str, message: str) -> Response:
    console(request).audit.record(
        user_id=viewer.name, chat_id=None, action=action, outcome="refused", what=name
    )
    viewer.session.flash = message
    return RedirectResponse("/people", status_code=303)


@router.post("/people/add")
def add(
    request: Request,
    viewer: Admin,
    name: Annotated[str, Form(max_length=64)] = "",
    role: Annotated[str, Form(max_length=16)] = "viewer",
    password: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    """Create an account."""
    try:
        console(request).accounts.add(name.strip(), Role(role), password)
    except (AccountError, ValueError) as exc:
        return _refused(
            request, viewer, "user_add", name, str(exc) if isinstance(exc, AccountError) else "角色不对。"
        )
    return _done(request, viewer, "user_add", name, f"已新建账户 {name}。", role=role)


@router.post("/people/{name}/role")
def set_role(
    request: Request, viewer: Admin, name: str, role: Annotated[str, Form(max_length=16)] = ""
) -> Response:
    """Change an account's role (not one's own admin role)."""
    if name == viewer.name and role != Role.ADMIN.value:
        return _refused(request, viewer, "user_role", name, NOT_YOURSELF)
    try:
        console(request).accounts.set_role(name, Role(role))
    except (AccountError, ValueError) as exc:
        return _refused(
            request, viewer, "user_role", name, str(exc) if isinstance(exc, AccountError) else "角色不对。"
        )
    return _done(
        request, viewer, "user_role", name, f"已把 {name} 的角色改为 {Role(role).label}。", role=role
    )


@router.post("/people/{name}/disable")
def disable(request: Request, viewer: Admin, name: str) -> Response:
    """Disable an account; its sessions end now."""
    if name == viewer.name:
        return _refused(request, viewer, "user_disable", name, NOT_YOURSELF)
    c = console(request)
    try:
        c.accounts.set_disabled(name, True)
    except AccountError as exc:
        return _refused(request, viewer, "user_disable", name, str(exc))
    c.sessions.end_user(name)
    return _done(request, viewer, "user_disable", name, f"已停用账户 {name}。")


@router.post("/people/{name}/enable")
def enable(request: Request, viewer: Admin, name: str) -> Response:
    """Enable an account again."""
    try:
        console(request).accounts.set_disabled(name, False)
    except AccountError as exc:
        return _refused(request, viewer, "user_enable", name, str(exc))
    return _done(request, viewer, "user_enable", name, f"已启用账户 {name}。")


@router.post("/people/{name}/password")
def reset_password(
    request: Request, viewer: Admin, name: str, password: Annotated[str, Form(max_length=1024)] = ""
) -> Response:
    """Set a new password (lifts a lockout); the account's other sessions end."""
    c = console(request)
    try:
        c.accounts.set_password(name, password)
    except AccountError as exc:
        return _refused(request, viewer, "user_reset_password", name, str(exc))
    if name != viewer.name:
        c.sessions.end_user(name)
    return _done(request, viewer, "user_reset_password", name, f"已重设 {name} 的密码。")

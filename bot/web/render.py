"""Templates (autoescaped, always) and the nav: what each role sees in the menu."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from bot.web.accounts import Role

TEMPLATES_DIR = Path(__file__).parent / "templates"
ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
    autoescape=True,  # every template, whatever its name: document text and questions are hostile
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class NavItem:
    """One entry of the menu: its path, Chinese label and the role it needs."""

    path: str
    label: str
    role: Role


NAV: list[NavItem] = [
    NavItem("/ask", "提问", Role.VIEWER),
    NavItem("/draft", "起草", Role.WRITER),
    NavItem("/docs", "文档", Role.ADMIN),
    NavItem("/retrieval", "检索测试", Role.ADMIN),
    NavItem("/qa", "问答记录", Role.ADMIN),
    NavItem("/unanswered", "未答问题", Role.ADMIN),
    NavItem("/people", "人员", Role.ADMIN),
    NavItem("/audit", "审计", Role.ADMIN),
    NavItem("/status", "状态", Role.ADMIN),
]


def home_path(role: Role) -> str:
    """Where a user lands after signing in: admins at 文档, everyone else at 提问."""
    return "/docs" if role is Role.ADMIN else "/ask"


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render ``template`` with the signed-in user (if any), their CSRF token and their part of the nav."""
    viewer = getattr(request.state, "viewer", None)
    csrf = viewer.csrf if viewer is not None else context.pop("csrf", "")
    nav = [item for item in NAV if viewer is not None and viewer.role.rank >= item.role.rank]
    html = ENV.get_template(template).render(
        request=request, viewer=viewer, csrf=csrf, nav=nav, path=request.url.path, **context
    )
    return HTMLResponse(html, status_code=status_code, headers={"cache-control": "no-store"})

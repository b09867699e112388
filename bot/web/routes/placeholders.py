"""Pages not built yet: each says so, behind its role like every page."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from bot.web.deps import require_role
from bot.web.render import NAV, render


def placeholder_router(paths: list[str]) -> APIRouter:
    """A router with a "not built yet" page for each of ``paths`` (each behind its nav item's role)."""
    router = APIRouter()
    for item in NAV:
        if item.path in paths:
            router.add_api_route(
                item.path,
                _page(item.label),
                methods=["GET"],
                dependencies=[Depends(require_role(item.role))],
                name=f"placeholder {item.path}",
            )
    return router


def _page(label: str) -> Callable[[Request], Response]:
    def page(request: Request) -> Response:
        return render(request, "placeholder.html", title=label)

    return page

"""状态: each front end (configured, last message), the LLM endpoint probe, the knowledge base's size, free disk."""

from __future__ import annotations

import shutil
from dataclasses import dataclass

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from bot.web.accounts import Role
from bot.web.audit_view import AuditRecord, read_records
from bot.web.deps import console, require_role
from bot.web.render import render

router = APIRouter(dependencies=[Depends(require_role(Role.ADMIN))])
FRONTENDS = {"wecom": "企业微信", "telegram": "Telegram", "dingtalk": "钉钉", "web": "网页"}
MESSAGE_ACTIONS = frozenset({"ask", "draft", "upload", "button", "docs", "delete", "stats", "reindex"})


@dataclass(frozen=True)
class FrontendState:
    """One front end as the page shows it."""

    name: str
    label: str
    configured: bool
    last_message: str
    messages: int


def frontend_states(configured: list[str], records: list[AuditRecord]) -> list[FrontendState]:
    """Every known front end: configured here or not, its last message and message count in the audit log."""
    last: dict[str, str] = {}
    counts: dict[str, int] = {}
    for r in records:  # newest first
        if r.action in MESSAGE_ACTIONS:
            last.setdefault(r.frontend, r.ts)
            counts[r.frontend] = counts.get(r.frontend, 0) + 1
    names = list(dict.fromkeys([*FRONTENDS, *last]))
    return [
        FrontendState(
            n, FRONTENDS.get(n, n), n in configured or n == "web", last.get(n, ""), counts.get(n, 0)
        )
        for n in names
        if n != "-" and (n in FRONTENDS or n in last)
    ]


@router.get("/status")
async def status(request: Request) -> Response:
    """Probe what can be probed now (the LLM with one token) and show the rest from the logs."""
    from bot.cli.doctor.models import check_llm
    from bot.serve import configured_frontends

    c = console(request)
    records = await c.core.run_work(read_records, c.audit.chain)
    llm = await c.core.run_work(check_llm, c.settings)
    stats = await c.core.run_work(c.services.library.stats)
    disk = shutil.disk_usage(c.settings.data_dir)
    return render(
        request,
        "status.html",
        title="状态",
        frontends=frontend_states(configured_frontends(c.settings), records),
        llm=llm,
        stats=stats,
        free_gb=disk.free / 1024**3,
        total_gb=disk.total / 1024**3,
        questions=c.audit.questions_answered,
        data_dir=str(c.settings.data_dir),
    )

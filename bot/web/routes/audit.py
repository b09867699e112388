"""审计: the audit log (every front end, the console, the CLI) with filters, the chain's state, CSV export."""

from __future__ import annotations

import csv
import io
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from bot.chat.audit_chain import verify
from bot.web.accounts import Role
from bot.web.audit_view import ACTION_LABELS, AuditRecord, read_records
from bot.web.deps import Viewer, console, require_role
from bot.web.qa_view import safe_cell
from bot.web.render import render

router = APIRouter(dependencies=[Depends(require_role(Role.ADMIN))])
Admin = Annotated[Viewer, Depends(require_role(Role.ADMIN))]
PAGE_ROWS = 500


def filter_audit(
    records: list[AuditRecord],
    frontend: str,
    user: str,
    action: str,
    outcome: str,
    since: str,
    until: str,
    q: str,
) -> list[AuditRecord]:
    """The records matching every filter given (dates as yyyy-mm-dd, inclusive; ``q`` searches the object)."""
    return [
        r
        for r in records
        if (not frontend or r.frontend == frontend)
        and (not user or r.user == user)
        and (not action or r.action == action)
        and (not outcome or r.outcome == outcome)
        and (not since or r.ts[:10] >= since)
        and (not until or r.ts[:10] <= until)
        and (not q or q in r.what or q in r.extra)
    ]


@router.get("/audit")
async def audit_page(
    request: Request,
    frontend: str = "",
    user: str = "",
    action: str = "",
    outcome: str = "",
    since: str = "",
    until: str = "",
    q: str = "",
) -> Response:
    """The newest records, filtered, and whether the hash chain is intact."""
    c = console(request)
    records = await c.core.run_work(read_records, c.audit.chain)
    verdict = await c.core.run_work(verify, c.audit.chain)
    shown = filter_audit(records, frontend, user, action, outcome, since, until, q)
    return render(
        request,
        "audit.html",
        title="审计",
        records=shown[:PAGE_ROWS],
        matched=len(shown),
        verdict=verdict,
        frontends=sorted({r.frontend for r in records}),
        actions=sorted({r.action for r in records}),
        outcomes=sorted({r.outcome for r in records}),
        labels=ACTION_LABELS,
        f={
            "frontend": frontend,
            "user": user,
            "action": action,
            "outcome": outcome,
            "since": since,
            "until": until,
            "q": q,
        },
    )


@router.get("/audit.csv")
async def audit_csv(
    request: Request,
    viewer: Admin,
    frontend: str = "",
    user: str = "",
    action: str = "",
    outcome: str = "",
    since: str = "",
    until: str = "",
    q: str = "",
) -> Response:
    """The filtered records as CSV (the export is itself audited)."""
    c = console(request)
    records = filter_audit(
        await c.core.run_work(read_records, c.audit.chain), frontend, user, action, outcome, since, until, q
    )
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(["时间", "前端", "用户", "事件", "结果", "对象", "其他"])
    for r in records:
        writer.writerow(
            [safe_cell(v) for v in (r.ts, r.frontend, r.user, r.action, r.outcome, r.what, r.extra)]
        )
    c.audit.record(user_id=viewer.name, chat_id=None, action="audit_export", outcome="ok", rows=len(records))
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="audit.csv"'},
    )

"""审计: the audit log (every front end, the console, the CLI) with filters, the chain's state, CSV export."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from bot.web.accounts import Role
from bot.web.audit_view import ACTION_LABELS, AuditRecord, read_records
from bot.web.deps import Viewer, console, require_role
from bot.web.qa_view import safe_cell
from bot.web.render import render

router = APIRouter(dependencies=[Depends(require_role(Role.ADMIN))])
Admin = Annotated[Viewer, Depends(require_role(Role.ADMIN))]
PAGE_ROWS = 500


@dataclass(frozen=True)
class AuditFilter:
    """The page's and the export's filters, read from the query string (dates yyyy-mm-dd, inclusive)."""

    frontend: str = ""
    user: str = ""
    action: str = ""
    outcome: str = ""
    since: str = ""
    until: str = ""
    q: str = ""  # searched in the object and the other fields

    def apply(self, records: list[AuditRecord]) -> list[AuditRecord]:
        """The records matching every filter given."""
        return [
            r
            for r in records
            if (not self.frontend or r.frontend == self.frontend)
            and (not self.user or r.user == self.user)
            and (not self.action or r.action == self.action)
            and (not self.outcome or r.outcome == self.outcome)
            and (not self.since or r.ts[:10] >= self.since)
            and (not self.until or r.ts[:10] <= self.until)
            and (not self.q or self.q in r.what or self.q in r.extra)
        ]


Filters = Annotated[AuditFilter, Depends()]


@router.get("/audit")
async def audit_page(request: Request, filters: Filters) -> Response:
    """The newest records, filtered, and whether the hash chain is intact."""
    c = console(request)
    records = await c.core.run_work(read_records, c.audit.chain)
    verdict = await c.core.run_work(c.verdicts.verdict, c.audit.chain)
    shown = filters.apply(records)
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
        f=asdict(filters),
    )


@router.get("/audit.csv")
async def audit_csv(request: Request, viewer: Admin, filters: Filters) -> Response:
    """The filtered records as CSV (the export is itself audited)."""
    c = console(request)
    records = filters.apply(await c.core.run_work(read_records, c.audit.chain))
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

"""问答记录 (every question from every front end, filters, CSV) and 未答问题 (grouped, one-click glossary entry)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from bot.web.accounts import Role
from bot.web.deps import Viewer, console, require_role
from bot.web.glossary import GlossaryError, add_entry, local_entries
from bot.web.qa_view import (
    FILTERS,
    REASONS,
    STATE_LABELS,
    QaFilter,
    feedback_label,
    to_csv,
    unanswered_groups,
)
from bot.web.render import render

router = APIRouter(dependencies=[Depends(require_role(Role.ADMIN))])
Admin = Annotated[Viewer, Depends(require_role(Role.ADMIN))]
PAGE_ROWS = 500
Filters = Annotated[QaFilter, Depends()]


@router.get("/qa")
async def qa(request: Request, filters: Filters) -> Response:
    """The newest questions, filtered."""
    c = console(request)
    records = await c.core.run_work(c.core.qa.records)
    shown = filters.apply(records)
    return render(
        request,
        "qa.html",
        title="问答记录",
        records=shown[:PAGE_ROWS],
        matched=len(shown),
        total=len(records),
        filters=FILTERS,
        frontends=sorted({r.frontend for r in records}),
        **asdict(filters),
        states=STATE_LABELS,
        feedback=feedback_label,
        reasons=REASONS,
    )


@router.get("/qa.csv")
async def qa_csv(request: Request, viewer: Admin, filters: Filters) -> Response:
    """The filtered questions as a CSV download (audited: it leaves the machine)."""
    c = console(request)
    records = filters.apply(await c.core.run_work(c.core.qa.records))
    c.audit.record(
        user_id=viewer.name,
        chat_id=None,
        action="qa_export",
        outcome="ok",
        what=filters.show or "all",
        rows=len(records),
    )
    return Response(
        to_csv(records),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="qa.csv"'},
    )


@router.get("/unanswered")
async def unanswered(request: Request, viewer: Admin) -> Response:
    """Not-found and partial questions grouped by term, each with a glossary form."""
    c = console(request)
    records = await c.core.run_work(c.core.qa.records)
    groups = await c.core.run_work(unanswered_groups, records)
    return render(
        request,
        "unanswered.html",
        title="未答问题",
        groups=groups,
        entries=local_entries(c.settings.data_dir),
        flash=viewer.session.pop_flash(),
    )


@router.post("/unanswered/glossary")
async def add_glossary_entry(
    request: Request,
    viewer: Admin,
    colloquial: Annotated[str, Form(max_length=40)] = "",
    official: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Add ``colloquial = official`` to the knowledge base's glossary; it counts from the next question."""
    c = console(request)
    try:
        line = add_entry(c.settings.data_dir, colloquial, official)
    except GlossaryError as exc:
        viewer.session.flash = str(exc)
        outcome, line = "refused", f"{colloquial} = {official}"
    else:
        viewer.session.flash = f"已添加词条“{line}”，下一个问题起生效。"
        outcome = "ok"
    c.audit.record(user_id=viewer.name, chat_id=None, action="glossary_add", outcome=outcome, what=line)
    return RedirectResponse("/unanswered", status_code=303)

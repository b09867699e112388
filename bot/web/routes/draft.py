"""起草 (writers and admins): request a draft, see each paragraph beside its sources, edit, drop, ask for a
section again, reopen it later, export the 公文 .docx the CLI writes. Every draft is marked as AI-assisted.

Plain forms (CSRF field) that redirect back: the page works without script; ``draft.js`` only shows that a
draft is being written. Drafting goes through the chat core (one ``action=draft`` audit line each); an export
is one ``action=draft_export`` line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from bot.chat.render.docx import AI_ASSIST_MARK, draft_to_docx
from bot.chat.render.labels import docx_filename
from bot.chat.types import DraftReply
from bot.web.accounts import Role
from bot.web.deps import Viewer, console, require_role
from bot.web.draft_view import sections_view
from bot.web.drafts import KINDS, PERIODS, DraftForm, DraftInputError, DraftStore, SavedDraft
from bot.web.render import render
from bot.web.routes.ask import over_rate_limit

if TYPE_CHECKING:
    from retrieval.drafting.types import Draft
    from retrieval.types import ChunkRecord

router = APIRouter()
Writer = Annotated[Viewer, Depends(require_role(Role.WRITER))]
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NOTICES = {
    "saved": "已保存修改。",
    "dropped": "已删除这一段。",
    "regenerated": "已重新生成这一部分。",
    "unchanged": "重新起草的稿子里没有这一部分（资料可能已有变化），原文保留。",
}
REMOVED = "来源已从知识库删除，请核实这一段"
SECTION_MAX = 200
PARAGRAPH_MAX = 500


def store(request: Request) -> DraftStore:
    """The drafts of the console's data dir."""
    return DraftStore(console(request).settings.data_dir)


async def _present(request: Request, draft: Draft) -> dict[str, ChunkRecord]:
    """The draft's cited chunks still in the knowledge base, by id."""
    ids = [c.chunk_id for c in draft.citations]
    chunks = await console(request).core.run_work(console(request).services.store.get_chunks, ids)
    return {chunk.chunk_id: chunk for chunk in chunks}


def _form_page(
    request: Request, error: str = "", form: DraftForm | None = None, status: int = 200
) -> Response:
    viewer: Viewer = request.state.viewer
    return render(
        request,
        "draft.html",
        status_code=status,
        title="起草",
        kinds=KINDS,
        periods=PERIODS,
        form=form or DraftForm("计划", ""),
        error=error,
        drafts=store(request).drafts(viewer.name),
        mark=AI_ASSIST_MARK,
    )


@router.get("/draft")
def draft_page(request: Request, viewer: Writer) -> Response:
    """The request form and the user's saved drafts."""
    return _form_page(request)


async def _draft(request: Request, viewer: Viewer, text: str) -> DraftReply:
    """A draft from the chat core (audited there); the page shows it, so delivering is a no-op."""
    c = console(request)

    async def deliver(reply: DraftReply) -> None:
        return None

    who = c.requester(viewer.name, "draft")
    limited = over_rate_limit(c, who, "draft", text)  # the same per-user rate limit as questions (audited)
    if limited is not None:
        return DraftReply(None, error=limited)
    return await c.chat.draft(who, text, deliver)


@router.post("/draft")
async def request_draft(
    request: Request,
    viewer: Writer,
    kind: Annotated[str, Form(max_length=8)] = "",
    topic: Annotated[str, Form(max_length=200)] = "",
    unit: Annotated[str, Form(max_length=200)] = "",
    year: Annotated[str, Form(max_length=8)] = "",
    period: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """Draft what the form asks for, save it for the user, and open it."""
    try:
        form = DraftForm.checked(kind, topic, unit, year, period)
    except DraftInputError as exc:
        return _form_page(request, str(exc), status=400)
    reply = await _draft(request, viewer, form.request_text())
    if reply.draft is None:
        return _form_page(request, reply.error or "暂时无法起草，请稍后再试。", form, status=200)
    saved = store(request).new(viewer.name, form, reply.draft)
    return RedirectResponse(f"/draft/{saved.id}", status_code=303)


def _saved(request: Request, viewer: Viewer, draft_id: str) -> SavedDraft:
    saved = store(request).get(viewer.name, draft_id)
    if saved is None:  # another user's draft is as unknown as a missing one
        raise HTTPException(404)
    return saved


async def _view(
    request: Request, saved: SavedDraft, notice: str = "", error: str = "", status: int = 200
) -> Response:
    present = await _present(request, saved.draft)
    sections = sections_view(saved.draft, saved.edited, present)
    return render(
        request,
        "draft_view.html",
        status_code=status,
        title=saved.draft.title,
        saved=saved,
        sections=sections,
        flagged=sum(p.flagged for s in sections for p in s.paragraphs),
        mark=AI_ASSIST_MARK,
        notice=notice,
        error=error,
        removed=REMOVED,
    )


@router.get("/draft/{draft_id}")
async def open_draft(request: Request, viewer: Writer, draft_id: str, notice: str = "") -> Response:
    """A saved draft: each paragraph beside its sources."""
    return await _view(request, _saved(request, viewer, draft_id), NOTICES.get(notice, ""))


def _back(saved: SavedDraft, notice: str, anchor: str = "") -> Response:
    return RedirectResponse(f"/draft/{saved.id}?notice={notice}{anchor}", status_code=303)


Section = Annotated[int, Form(ge=0, le=SECTION_MAX)]
Index = Annotated[int, Form(ge=0, le=PARAGRAPH_MAX)]


@router.post("/draft/{draft_id}/edit")
async def edit_paragraph(
    request: Request,
    viewer: Writer,
    draft_id: str,
    s: Section,
    p: Index,
    text: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    """Replace one paragraph's text."""
    saved = _saved(request, viewer, draft_id)
    try:
        saved.edit(s, p, text)
    except DraftInputError as exc:
        return await _view(request, saved, error=str(exc), status=400)
    store(request).save(viewer.name, saved)
    return _back(saved, "saved", f"#p-{s}-{p}")


@router.post("/draft/{draft_id}/drop")
async def drop_paragraph(request: Request, viewer: Writer, draft_id: str, s: Section, p: Index) -> Response:
    """Remove one paragraph."""
    saved = _saved(request, viewer, draft_id)
    try:
        saved.drop(s, p)
    except DraftInputError as exc:
        return await _view(request, saved, error=str(exc), status=400)
    store(request).save(viewer.name, saved)
    return _back(saved, "dropped", f"#s-{s}")


@router.post("/draft/{draft_id}/regenerate")
async def regenerate_section(request: Request, viewer: Writer, draft_id: str, s: Section) -> Response:
    """Ask for one section again: draft the same request anew and take that section from it."""
    saved = _saved(request, viewer, draft_id)
    reply = await _draft(request, viewer, saved.form.request_text())
    if reply.draft is None:
        return await _view(request, saved, error=reply.error or "暂时无法起草，请稍后再试。")
    try:
        replaced = saved.replace_section(s, reply.draft)
    except DraftInputError as exc:
        return await _view(request, saved, error=str(exc), status=400)
    if not replaced:
        return _back(saved, "unchanged", f"#s-{s}")
    store(request).save(viewer.name, saved)
    return _back(saved, "regenerated", f"#s-{s}")


@router.post("/draft/{draft_id}/export")
async def export_draft(request: Request, viewer: Writer, draft_id: str) -> Response:
    """The draft as the 公文 .docx (the CLI's writer), marked as AI-assisted; one audit line."""
    saved = _saved(request, viewer, draft_id)
    c = console(request)
    document = await c.core.run_work(draft_to_docx, saved.draft)
    c.audit.record(
        user_id=viewer.name, chat_id=None, action="draft_export", outcome="ok", what=saved.draft.title
    )
    name = docx_filename(saved.draft)
    return Response(
        document,
        media_type=DOCX_TYPE,
        headers={
            "content-disposition": f"attachment; filename=\"draft.docx\"; filename*=UTF-8''{quote(name)}",
            "cache-control": "no-store",
        },
    )

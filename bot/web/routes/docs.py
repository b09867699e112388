"""文档 and 文档详情: the list with filters, upload (progress over SSE), delete, re-ingest, reindex."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse
from starlette.datastructures import UploadFile

from bot.chat.uploads import MB
from bot.web.accounts import Role
from bot.web.audit_view import read_records
from bot.web.deps import Viewer, console, require_role
from bot.web.documents import KIND_LABELS, document_rows, filter_rows, flagged_sentences, outline
from bot.web.jobs import FileState
from bot.web.render import render
from ingest.content import SUPPORTED_LIST, SUPPORTED_SUFFIXES
from retrieval.errors import ReportbotError

router = APIRouter(dependencies=[Depends(require_role(Role.ADMIN))])
Admin = Annotated[Viewer, Depends(require_role(Role.ADMIN))]
NO_FILES = "请先选择要上传的文件。"


@router.get("/docs")
async def documents(
    request: Request, viewer: Admin, unit: str = "", year: str = "", kind: str = ""
) -> Response:
    """Every document, filtered by unit, year and kind."""
    c = console(request)
    audit = await c.core.run_work(read_records, c.audit.chain)
    rows = await c.core.run_work(document_rows, c.services.library, audit)
    shown = filter_rows(rows, unit, year, kind)
    return render(
        request,
        "docs.html",
        title="文档",
        rows=shown,
        total=len(rows),
        units=sorted({u for r in rows for u in r.units}),
        years=sorted({str(r.year) for r in rows if r.year}, reverse=True),
        kinds=list(KIND_LABELS.values()),
        unit=unit,
        year=year,
        kind=kind,
        flash=viewer.session.pop_flash(),
        reindexing=c.core.admin.reindex_running,
        max_mb=c.settings.web_upload_max_mb,
        file_mb=c.core.uploads.max_bytes // MB,
        supported=SUPPORTED_LIST,
        accept=",".join(sorted(SUPPORTED_SUFFIXES)),
    )


@router.post("/docs/upload")
async def upload(request: Request, viewer: Admin) -> Response:
    """Take the files (refusing wrong types and sizes by name) and start ingesting them; show the progress."""
    c = console(request)
    form = await request.form()
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    if not files:
        viewer.session.flash = NO_FILES
        return RedirectResponse("/docs", status_code=303)
    states: list[FileState] = []
    for file in files:
        check = c.core.uploads.check(file.filename or "", file.size)
        if check.refusal is not None:
            states.append(FileState(check.name, None, "refused", check.refusal))
            c.audit.record(
                user_id=viewer.name,
                chat_id=None,
                action="upload",
                outcome=check.outcome or "refused",
                what=check.name,
            )
            continue
        await file.seek(0)
        states.append(FileState(check.name, await file.read()))  # bounded by the request's size limit
    job = c.jobs.start(c, viewer.name, states)
    return RedirectResponse(f"/docs/jobs/{job.id}", status_code=303)


@router.get("/docs/jobs/{job_id}")
def job_page(request: Request, job_id: str) -> Response:
    """One upload's files and their states (updated live by jobs.js)."""
    job = console(request).jobs.get(job_id)
    if job is None:
        raise HTTPException(404)
    return render(request, "job.html", title="上传进度", job=job)


@router.get("/docs/jobs/{job_id}/events")
async def job_events(request: Request, job_id: str) -> Response:
    """The job's per-file progress as server-sent events."""
    c = console(request)
    job = c.jobs.get(job_id)
    if job is None:
        raise HTTPException(404)
    return StreamingResponse(
        c.jobs.events(job),
        media_type="text/event-stream",
        headers={"cache-control": "no-store", "x-accel-buffering": "no"},  # nginx: pass events at once
    )


@router.post("/docs/reindex")
async def reindex(request: Request, viewer: Admin) -> Response:
    """Start rebuilding the index in the background (one at a time, shared with the chats)."""
    c = console(request)

    async def report(result: Any) -> None:
        return None  # the outcome is in the audit log (action=reindex) and the server log

    started = c.core.admin.start_reindex(lambda *_: None, report, c.audit, viewer.name, "-")
    viewer.session.flash = (
        "已开始重建索引，完成后结果记入审计日志。" if started else "重建索引正在进行中，请稍后。"
    )
    return RedirectResponse("/docs", status_code=303)


@router.get("/docs/{doc_id}")
async def document_detail(request: Request, viewer: Admin, doc_id: str) -> Response:
    """One document: metadata, outline with its passages in order, flagged sentences."""
    c = console(request)
    library = c.services.library
    info = await c.core.run_work(library.document, doc_id)
    if info is None:
        raise HTTPException(404)
    chunks = await c.core.run_work(library.chunks, info.doc_id)
    return render(
        request,
        "doc_detail.html",
        title=info.title or info.source,
        info=info,
        sections=outline(chunks),
        flagged=flagged_sentences(chunks),
        kinds=sorted({KIND_LABELS.get(ch.kind, ch.kind) for ch in chunks}),
        periods=sorted({ch.period for ch in chunks if ch.period}),
        flash=viewer.session.pop_flash(),
    )


@router.post("/docs/{doc_id}/delete")
async def delete(request: Request, viewer: Admin, doc_id: str) -> Response:
    """Delete a document (the page asked for confirmation); audited by the chat core's admin operation."""
    c = console(request)
    result = await c.core.admin.delete(doc_id, c.audit, viewer.name, "-")
    viewer.session.flash = result.text
    return RedirectResponse("/docs", status_code=303)


@router.post("/docs/{doc_id}/reingest")
async def reingest(request: Request, viewer: Admin, doc_id: str) -> Response:
    """Parse the document again from the file it was ingested from."""
    c = console(request)
    info = await c.core.run_work(c.services.library.document, doc_id)
    if info is None:
        raise HTTPException(404)
    try:
        async with c.core.admin.ingest_lock:
            result = await c.core.run_work(
                lambda: c.services.ingest.ingest_file(Path(info.path), source=info.source, force=True)
            )
        failure = result.error if result.status == "failed" else ""
    except ReportbotError as exc:
        failure = str(exc) or "未知原因"
    if failure:
        viewer.session.flash = f"未能重新导入 {info.source}：{failure}"
        outcome = "failed"
    else:
        viewer.session.flash = f"已重新导入 {info.source}：{result.articles} 篇文章，{result.chunks} 个段落。"
        outcome = result.status
    c.audit.record(user_id=viewer.name, chat_id=None, action="reingest", outcome=outcome, what=info.source)
    return RedirectResponse(f"/docs/{info.doc_id}", status_code=303)

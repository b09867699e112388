"""提问: a question box; the answer streams in verified sentences (server-sent events), citations open in place.

The browser POSTs the question (CSRF header, like every POST) and reads the response as an event stream:
``delta`` events carry the verified text so far (the chat core's ``on_delta`` never passes an unverified
sentence), then one ``answer`` event carries the final answer as HTML rendered here by the autoescaping
templates (document text is hostile: the browser never builds markup from it), or an ``error`` event a
sentence. The chat core audits the question (one ``action=ask`` line) and records it for 问答记录.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import PlainTextResponse, Response, StreamingResponse

from bot.chat import texts
from bot.chat.render.labels import CLOSEST_TITLE
from bot.web.accounts import Role
from bot.web.deps import Viewer, console, require_role
from bot.web.render import ENV, render
from retrieval.answers.citations import MARKER
from retrieval.text.inert import quotable_text
from retrieval.types import date_label

if TYPE_CHECKING:
    from bot.chat.types import AskReply, Requester
    from bot.web.console import Console
    from retrieval.answers.types import Answer, Citation
    from retrieval.types import Passage

logger = logging.getLogger(__name__)
router = APIRouter()
AnyUser = Annotated[Viewer, Depends(require_role(Role.VIEWER))]

CONVERSATION = re.compile(r"^[A-Za-z0-9_-]{8,32}$")
EMPTY_QUESTION = "请输入问题。"
BAD_CONVERSATION = "页面已过期，请刷新页面后重新提问。"
FEEDBACK_THANKS = {True: "已记录：有用。谢谢反馈！", False: "已记录：没用。谢谢反馈，我们会改进。"}
KEPT_QUESTIONS = 10_000
"""Questions whose 有用/没用 buttons still work (per process, least recent forgotten first)."""
STATE_LABELS = {
    "found": "已找到答案",
    "partial": "部分相关：资料只涉及问题的一部分，请注意核对",
    "not_found": "未找到答案：报告中没有回答这个问题的内容",
}
MODE_LABELS = {
    "extractive": "摘录模式（未使用大模型）",
    "llm": "由大模型依据报告生成，每句都已核对出处，未通过核对的句子不显示。",
}


class Askers:
    """Which user got which question id: only the asker may say 有用/没用 about an answer (bounded)."""

    def __init__(self, limit: int = KEPT_QUESTIONS) -> None:
        self._owners: OrderedDict[str, str] = OrderedDict()
        self._limit = limit
        self._lock = threading.Lock()

    def keep(self, qa_id: str, user: str) -> None:
        """Remember that ``user`` asked question ``qa_id``."""
        with self._lock:
            self._owners[qa_id] = user
            while len(self._owners) > self._limit:
                self._owners.popitem(last=False)

    def owner(self, qa_id: str) -> str | None:
        """Who asked ``qa_id`` (None when unknown or forgotten)."""
        with self._lock:
            return self._owners.get(qa_id)


def askers(request: Request) -> Askers:
    """The app's ``Askers`` (made on first use: the console foundation knows nothing of this page)."""
    state = request.app.state
    if not hasattr(state, "askers"):
        state.askers = Askers()
    return state.askers  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Segment:
    """A piece of answer text: plain text, or citation marker ``n`` (a button when the answer cites ``n``)."""

    text: str
    n: int | None = None


@dataclass(frozen=True)
class Source:
    """What a footnote opens: the citation's passage and where it is from."""

    n: int
    title: str
    unit: str
    date: str
    heading: str
    text: str
    doc_id: str
    source: str


def segments(text: str, cited: set[int]) -> list[Segment]:
    """``text`` split at its ``[n]`` markers; a marker of no citation stays text."""
    out: list[Segment] = []
    last = 0
    for m in MARKER.finditer(text):
        n = int(m.group(1))
        if n not in cited:
            continue
        if m.start() > last:
            out.append(Segment(text[last : m.start()]))
        out.append(Segment(m.group(0), n))
        last = m.end()
    if last < len(text):
        out.append(Segment(text[last:]))
    return out


def doc_id_of(chunk_id: str) -> str:
    """The document of a chunk: chunk ids are ``<doc id>-<ordinal>`` (``ingest.parse``)."""
    return chunk_id.rpartition("-")[0]


def source_of(c: Citation) -> Source:
    """A citation as its footnote shows it."""
    unit = c.unit if c.unit and c.unit not in c.title else ""
    return Source(
        c.n, c.title or c.source, unit, date_label(c.date), c.heading, c.text, doc_id_of(c.chunk_id), c.source
    )


def closest_of(p: Passage, n: int) -> Source:
    """A closest passage of a not-found answer, shown like a footnote."""
    chunk = p.chunk
    return Source(
        n,
        chunk.display_title or chunk.source,
        chunk.unit,
        date_label(chunk.doc_date),
        chunk.heading,
        quotable_text(chunk),
        chunk.doc_id,
        chunk.source,
    )


def answer_html(answer: Answer, answer_id: int, qa_id: str | None, viewer: Viewer) -> str:
    """The final answer as the page shows it (autoescaped template)."""
    cited_text = answer.found or answer.state == "partial"
    citations = answer.citations if cited_text else []
    closest = [closest_of(p, i) for i, p in enumerate(answer.closest, 1)] if not citations else []
    return ENV.get_template("ask_answer.html").render(
        answer_id=answer_id,
        state=answer.state,
        state_label=STATE_LABELS.get(answer.state, ""),
        mode_label=MODE_LABELS.get(answer.mode, ""),
        notice=answer.notice,
        segments=segments(answer.text.strip(), {c.n for c in citations}),
        sources=[source_of(c) for c in citations],
        closest=closest,
        closest_title=CLOSEST_TITLE,
        qa_id=qa_id or "",
        can_open_documents=viewer.role is Role.ADMIN,
    )


def over_rate_limit(c: Console, who: Requester, action: str, what: str) -> str | None:
    """None within the user's rate limit; else the sentence to show (every time: a page has no chat to flood)."""
    if c.chat.admit(who, action, what) is None:
        return None
    return texts.RATE_LIMITED.format(
        seconds=c.chat.limiter.retry_in(who.user_id), limit=c.chat.limiter.per_minute
    )


def event(name: str, data: dict[str, object]) -> bytes:
    """One server-sent event (JSON data on one line)."""
    return f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()


@router.get("/ask")
def ask_page(request: Request, viewer: AnyUser) -> Response:
    """The 提问 page: a fresh conversation each time it is opened (follow-ups within the page keep it)."""
    return render(request, "ask.html", title="提问", conversation=secrets.token_urlsafe(12))


@router.post("/ask")
async def ask(
    request: Request,
    viewer: AnyUser,
    question: Annotated[str, Form(max_length=20_000)] = "",
    conversation: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Answer ``question`` in the user's ``conversation`` as an event stream."""
    c = console(request)
    question = question.strip()
    if not question:
        return StreamingResponse(
            _one(event("error", {"message": EMPTY_QUESTION})), media_type="text/event-stream"
        )
    if not CONVERSATION.fullmatch(conversation):
        return StreamingResponse(
            _one(event("error", {"message": BAD_CONVERSATION})), media_type="text/event-stream"
        )
    who = c.requester(viewer.name, conversation)
    limited = over_rate_limit(c, who, "ask", question)
    if limited is not None:
        return StreamingResponse(_one(event("error", {"message": limited})), media_type="text/event-stream")
    return StreamingResponse(
        _answer_events(request, viewer, who, question),
        media_type="text/event-stream",
        headers={"cache-control": "no-store", "x-accel-buffering": "no"},
    )


async def _one(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def _answer_events(
    request: Request, viewer: Viewer, who: Requester, question: str
) -> AsyncIterator[bytes]:
    """Run the question in the chat core; yield its verified text as it grows, then the answer (or the error)."""
    c = console(request)
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[tuple[str, object]] = asyncio.Queue()

    def on_delta(text_so_far: str) -> None:  # a worker thread: hand over to the event loop
        loop.call_soon_threadsafe(queue.put_nowait, ("delta", text_so_far))

    async def deliver(reply: AskReply) -> None:
        await queue.put(("reply", reply))

    task = asyncio.create_task(c.chat.ask(who, question, on_delta, deliver))
    yield event("status", {"message": "正在检索报告…"})
    answered = False
    try:
        while True:
            getter = asyncio.ensure_future(queue.get())
            done, _ = await asyncio.wait({getter, task}, return_when=asyncio.FIRST_COMPLETED)
            if getter not in done:
                getter.cancel()
                if queue.empty():
                    break
                continue
            kind, value = getter.result()
            if kind == "delta" and not answered:
                yield event("delta", {"text": str(value)})
            elif kind == "reply":
                yield _reply_event(value, viewer, request)  # type: ignore[arg-type]
                answered = True
        failure = None if task.cancelled() else task.exception()
        if failure is not None:  # the core audited it as an error; the traceback goes to the log only
            logger.error("web answer failed user=%s", viewer.name, exc_info=failure)
            if not answered:
                yield event("error", {"message": texts.APOLOGY})
    finally:
        if not task.done():  # the page was closed: the core audits the question as cut
            task.cancel()


def _reply_event(reply: AskReply, viewer: Viewer, request: Request) -> bytes:
    if reply.answer is None:
        return event("error", {"message": reply.error or texts.APOLOGY})
    if reply.qa_id:
        askers(request).keep(reply.qa_id, viewer.name)
    html = answer_html(reply.answer, reply.answer_id or 0, reply.qa_id, viewer)
    return event("answer", {"html": html, "state": reply.answer.state})


@router.post("/ask/feedback")
def feedback(
    request: Request,
    viewer: AnyUser,
    qa_id: Annotated[str, Form(max_length=64)] = "",
    useful: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """有用/没用 on one of the user's own answers, recorded in the 问答记录."""
    if useful not in ("yes", "no") or askers(request).owner(qa_id) != viewer.name:
        raise HTTPException(404)
    console(request).core.qa.feedback(qa_id, viewer.name, useful=useful == "yes")
    return PlainTextResponse(FEEDBACK_THANKS[useful == "yes"], headers={"cache-control": "no-store"})

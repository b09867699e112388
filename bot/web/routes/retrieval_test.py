"""检索测试: a question → the ranked passages with BM25, embedding and fused scores, the answer's state, and the
answer as it would be delivered with each generated sentence's verification verdict.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from bot.web.accounts import Role
from bot.web.deps import Viewer, console, require_role
from bot.web.qa_view import REASONS
from bot.web.render import render
from retrieval.errors import ReportbotError

router = APIRouter(dependencies=[Depends(require_role(Role.ADMIN))])
Admin = Annotated[Viewer, Depends(require_role(Role.ADMIN))]
RANKED = 10
STATES = {"found": "找到答案", "partial": "部分回答（报告只涉及问题的一部分）", "not_found": "报告中没有答案"}
FAILED = "检索出错：{reason}"


@router.get("/retrieval")
async def retrieval_test(request: Request, viewer: Admin, q: str = "") -> Response:
    """The form; with ``q``, the passages, scores, state, answer and verdicts (audited as an admin action)."""
    c = console(request)
    question = " ".join(q.split())[: c.settings.question_max_chars]
    context: dict[str, Any] = {"q": question, "passages": [], "answer": None, "error": ""}
    if question:
        services = c.services
        try:
            context["passages"] = await c.core.run_work(services.searcher.search, question, RANKED)
            answers = services.answers
            run = c.core.run_llm if getattr(answers, "llm", None) is not None else c.core.run_work
            context["answer"] = await run(answers.answer, question)
        except ReportbotError as exc:
            context["error"] = FAILED.format(reason=str(exc) or "未知原因")
        c.audit.record(
            user_id=viewer.name,
            chat_id=None,
            action="retrieval_test",
            outcome="error" if context["error"] else "ok",
            what=question,
        )
    return render(request, "retrieval.html", title="检索测试", states=STATES, reasons=REASONS, **context)

"""The LCEL answer chain: numbered, fenced passages + question → chat model → text with [n] markers.

Documents are data: each request fences the passages with delimiters carrying a fresh random tag (a
document cannot close a fence it cannot predict), each passage says where it comes from, and
instruction-like sentences (``retrieval.text.injection``) never reach the model, nor do the document's own bracketed
numbers, which it could copy as markers (``retrieval.text.inert``).
"""

from __future__ import annotations

import re
import secrets
from typing import TYPE_CHECKING

from prompts import load_prompt
from retrieval.text.inert import quotable_text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from langchain_core.language_models import BaseChatModel
    from langchain_core.runnables import Runnable

    from retrieval.types import Passage

FENCE_START = "<<<资料开始 {tag}>>>"
FENCE_END = "<<<资料结束 {tag}>>>"
_FENCE_LIKE = re.compile(r"<{2,}\s*资料\s*(开始|结束)[^<>]{0,40}>{2,}")
MAX_HISTORY = 3


def build_chain(llm: BaseChatModel) -> Runnable[dict[str, str], str]:
    """``ChatPromptTemplate(system, user) | llm | StrOutputParser()``, prompts from ``prompts/``."""
    from langchain_core.output_parsers import StrOutputParser
    from langchain_core.prompts import ChatPromptTemplate

    prompt = ChatPromptTemplate.from_messages(
        [("system", load_prompt("answer_system").template), ("human", load_prompt("answer_user").template)]
    )
    return prompt | llm | StrOutputParser()


def _fence_safe(text: str) -> str:
    """A passage cannot close the fence early: fence-like markers inside it are defused."""
    return _FENCE_LIKE.sub(lambda m: f"〈资料{m.group(1)}〉", text)


def format_passages(passages: Sequence[Passage]) -> str:
    """Passages numbered from 1 with title and heading path, as the prompt shows them."""
    template = load_prompt("answer_passage")
    blocks = []
    for n, passage in enumerate(passages, 1):
        chunk = passage.chunk
        blocks.append(
            template.format(
                n=str(n),
                title=_fence_safe(chunk.display_title),
                heading=_fence_safe(f" {chunk.heading}" if chunk.heading_path else ""),
                text=_fence_safe(quotable_text(chunk).strip()),
            ).strip()
        )
    return "\n\n".join(blocks)


def new_fences() -> tuple[str, str]:
    """Start and end delimiters with a fresh random tag, one pair per request."""
    tag = secrets.token_hex(6)
    return FENCE_START.format(tag=tag), FENCE_END.format(tag=tag)


def chain_inputs(question: str, history: Sequence[str], passages: Sequence[Passage]) -> dict[str, str]:
    """Values for the answer prompts; only the last few previous questions are shown."""
    recent = [q.strip() for q in history[-MAX_HISTORY:] if q.strip()]
    history_text = ""
    if recent:
        history_text = load_prompt("answer_history").format(questions="\n".join(f"- {q}" for q in recent))
    start, end = new_fences()
    return {
        "history": history_text,
        "passages": format_passages(passages),
        "question": question.strip(),
        "fence_start": start,
        "fence_end": end,
    }

"""The LCEL answer chain: numbered, fenced passages + question → chat model → text with [n] markers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from prompts import load_prompt

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.runnables import Runnable

    from retrieval.types import Passage

FENCE_START = "<<<资料开始>>>"
FENCE_END = "<<<资料结束>>>"
_FENCE_LIKE = re.compile(r"<{2,}\s*资料\s*(开始|结束)\s*>{2,}")
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
                title=_fence_safe(chunk.doc_title),
                heading=_fence_safe(f" {chunk.heading}" if chunk.heading_path else ""),
                text=_fence_safe(chunk.text.strip()),
            ).strip()
        )
    return "\n\n".join(blocks)


def chain_inputs(question: str, history: Sequence[str], passages: Sequence[Passage]) -> dict[str, str]:
    """Values for the ``answer_user`` prompt; only the last few previous questions are shown."""
    recent = [q.strip() for q in history[-MAX_HISTORY:] if q.strip()]
    history_text = ""
    if recent:
        history_text = load_prompt("answer_history").format(questions="\n".join(f"- {q}" for q in recent))
    return {"history": history_text, "passages": format_passages(passages), "question": question.strip()}

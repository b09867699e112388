"""Follow-up questions ("那下半年呢？", "还有呢", "那食品安全方面呢") read with the chat's previous question."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from retrieval.search.coverage import key_terms
from retrieval.text.normalize import normalize

if TYPE_CHECKING:
    from collections.abc import Sequence

_LEAD = re.compile(r"^(那么|那|还有|另外|此外|其他|其它|以及|再|同时|然后)")
_TAIL = re.compile(r"[呢吗吧啊呀么]*[?？。!！\s]*$")
_PERIOD = re.compile(r"上半年|下半年|全年|年度|[一二三四1-4]季度")
SHORT_QUESTION = 6  # characters left after the lead word and trailing particles


def _core(q: str) -> str:
    """The (normalised) question without its follow-up lead word, trailing particles and punctuation."""
    return _LEAD.sub("", _TAIL.sub("", q.strip())).strip("，,、 ")


def is_followup(question: str) -> bool:
    """Starts like a follow-up (那/那么/还有/另外…) or is too short to stand on its own."""
    return _is_followup(normalize(question))


def _is_followup(q: str) -> bool:
    q = q.strip()
    return bool(_LEAD.match(q)) or len(_core(q)) <= SHORT_QUESTION


def _frame(q: str) -> str:
    """What a (normalised) question asks about a topic (period, kind: 上半年…做了哪些工作) without the topic."""
    for term in key_terms(q, normalized=True):
        q = q.replace(term.term, "")
    return _TAIL.sub("", q).strip("，,、 ")


def contextualize(question: str, history: Sequence[str], *, normalized: str | None = None) -> str:
    """Retrieval query for ``question`` given the chat's previous questions (oldest first); ``normalized`` is
    ``normalize(question)`` when the caller has it already.

    - a follow-up with its own topic (那食品安全方面呢) keeps the previous question's frame:
      "食品安全方面 上半年做了哪些工作";
    - a follow-up without one (那下半年呢, 还有呢) reuses the previous question, with a new period
      replacing the old one: "下半年手足口病防控做了哪些工作".
    Anything else is returned unchanged.
    """
    if not history:
        return question
    q = normalize(question) if normalized is None else normalized
    if not _is_followup(q):
        return question
    previous = normalize(contextualize(history[-1], history[:-1]))
    core = _core(q)
    if key_terms(core, normalized=True):
        frame = _frame(previous)
        return f"{core} {frame}".strip() if frame else core
    base = previous
    period = _PERIOD.search(core)
    if period:
        base = _PERIOD.sub(period.group(0), base) if _PERIOD.search(base) else f"{period.group(0)}{base}"
        core = _PERIOD.sub("", core).strip()
    return f"{base} {core}".strip()

"""Checks of an evaluation question file against the text of the documents its questions cite.

``texts`` maps a source name to the document's text with whitespace removed (the comparison the evaluation
makes); both question sets (``eval/questions.jsonl``, ``eval/second.jsonl``) are checked with these.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from retrieval.evaluation import match_key

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from retrieval.evaluation import EvalQuestion

WS = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"[。；！？;!?]")


def expected_problems(questions: Sequence[EvalQuestion], texts: Mapping[str, str]) -> list[str]:
    """Expected substrings that are not 6-25 characters of one sentence of a source, or sources without one."""
    problems = []
    for q in questions:
        unknown = set(q.sources) - set(texts)
        if unknown:
            problems.append(f"{q.id}: unknown source {sorted(unknown)}")
            continue
        used = set()
        for e in q.expected:
            if not 6 <= len(e) <= 25 or "\n" in e or _SENTENCE_END.search(e):
                problems.append(f"{q.id}: {e!r} must be 6-25 chars inside one sentence")
            where = [s for s in q.sources if WS.sub("", e) in texts[s]]
            if not where:
                problems.append(f"{q.id}: {e!r} not found in {q.sources}")
            used.update(where)
        unused = set(q.sources) - used
        if unused:
            problems.append(f"{q.id}: sources without an expected substring: {sorted(unused)}")
    return problems


def missing_facts(questions: Sequence[EvalQuestion], texts: Mapping[str, str]) -> list[str]:
    """Facts found in none of their question's sources (compared as ``match_key``: width, t2s, no spaces)."""
    keys = {name: match_key(text) for name, text in texts.items()}
    return [
        f"{q.id}: {f!r}"
        for q in questions
        for f in q.facts
        if not any(match_key(f) in keys.get(s, "") for s in q.sources)
    ]

"""Verification of a generated draft, paragraph by paragraph, before anyone sees it.

A body paragraph is kept only when it cites at least one passage that was given (``[n]``); each of its
sentences is checked against the passages the paragraph cites with ``retrieval.verify.check_support``
(figures compared as numbers on normalised text, Latin words, instruction-like text; not the wording: a
draft writes new commitments in the sources' style). Sentences that fail are removed, a paragraph left
without a sentence is dropped, and every removed figure is listed as a flag for the writer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from retrieval.citations import normalize_markers, strip_markers
from retrieval.drafting.flags import check_figures
from retrieval.types import DraftFlag
from retrieval.verify import check_support, cited_numbers, split_complete

REMOVED_REASON = "，所在句已删去"
_CLOSING = re.compile(r"[。！？；!?;]*\s*$")


@dataclass
class CheckedDraft:
    """The verified (heading, paragraphs) of a reply, what was removed and the figures flagged."""

    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    removed: int = 0
    reasons: list[str] = field(default_factory=list)
    flags: list[DraftFlag] = field(default_factory=list)

    def drop(self, reason: str) -> None:
        """Count one removed paragraph, sentence or section."""
        self.removed += 1
        self.reasons.append(reason)

    @property
    def paragraphs(self) -> int:
        """How many body paragraphs survived."""
        return sum(len(p) for _, p in self.sections)


def _with_markers(text: str, markers: str) -> str:
    """``text`` with ``markers`` before its closing punctuation (``…工作[1]。``)."""
    body = _CLOSING.sub("", text)
    closing = text[len(body) :].strip() or "。"
    return f"{body}{markers}{closing}"


def check_paragraph(
    paragraph: str, passages: Sequence[str], allowed: Sequence[str], result: CheckedDraft
) -> str:
    """The paragraph without its unsupported sentences ("" when none is left); markers number ``passages``."""
    paragraph = normalize_markers(paragraph)
    cited = cited_numbers(paragraph, len(passages))
    if not cited:
        result.drop("uncited")
        return ""
    sources = [passages[n - 1] for n in cited]
    refs = "".join(f"[{n}]" for n in cited)
    kept: list[str] = []
    sentences, _ = split_complete(paragraph, final=True)
    for sentence in (s.strip() for s in sentences):
        if not strip_markers(sentence).strip("。！？；!?; "):
            continue
        verdict = check_support(sentence, [*sources, *allowed], wording=False)
        if verdict.ok:
            kept.append(sentence)
            continue
        result.drop(verdict.reason)
        if verdict.reason == "figure":
            _, found = check_figures(sentence, sources, allowed=allowed, refs=refs)
            flagged = found or [DraftFlag(strip_markers(sentence), f"数字未见于所引资料{refs}")]
            result.flags += [DraftFlag(f.text, f.reason + REMOVED_REASON) for f in flagged]
    text = "".join(kept)
    if not text:
        return ""
    if not cited_numbers(text, len(passages)):  # its marker sat on a removed sentence: the paragraph cites it
        text = _with_markers(text, refs)
    return text


def check_reply(
    parsed: Sequence[tuple[str, list[str]]], passages: Sequence[str], allowed: Sequence[str], outline: str
) -> CheckedDraft:
    """Verify a parsed reply: text before the first heading (the model's own lead) and headings that are
    not checkable against the outline and passages are removed; body paragraphs by ``check_paragraph``."""
    result = CheckedDraft()
    for heading, paragraphs in parsed:
        if not heading:
            for _ in paragraphs:
                result.drop("lead")
            continue
        if not check_support(heading, [outline, *passages, *allowed], wording=False).ok:
            result.drop("heading")
            continue
        kept = [p for p in (check_paragraph(p, passages, allowed, result) for p in paragraphs) if p]
        result.sections.append((heading, kept))
    return result

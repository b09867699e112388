"""Verification of a generated draft, paragraph by paragraph, before anyone sees it.

A body paragraph is kept only when it cites at least one passage that was given (``[n]``); each of its
sentences is checked against the passages the paragraph cites with ``retrieval.answers.verify.check_support``
(figures compared as numbers on normalised text, Latin words, instruction-like text; not the wording: a
draft writes new commitments in the sources' style). In 回顾 and 问题 parts a sentence stating figures must
also name the report they come from ("据《…》", its title or unit), so figures of different units and years
are never read as one unit's. Sentences that fail are removed, a paragraph left without a sentence is
dropped, and every removed figure is listed as a flag for the writer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from retrieval.answers.citations import normalize_markers, strip_markers
from retrieval.answers.verify import check_support, cited_numbers, split_complete
from retrieval.drafting.flags import check_figures
from retrieval.drafting.outline import heading_level, strip_numbering
from retrieval.drafting.types import DraftFlag
from retrieval.text.figures import figure_text, sentence_figures

if TYPE_CHECKING:
    from collections.abc import Sequence

REMOVED_REASON = "，所在句已删去"
UNATTRIBUTED_REASON = "回顾中的数字未注明出自哪份报告（据《…》）{refs}，所在句已删去"
_LOOKS_BACK = re.compile(
    r"回顾|成效|问题|不足|完成情况|开展情况"
)  # a part on past work, however the model words it
_CLOSING = re.compile(r"[。！？；!?;]*\s*$")


@dataclass(frozen=True)
class Passages:
    """What the model was given, numbered from 1: the texts a sentence is checked against, the names
    (report title, unit) a figure of past work must be attributed by, and the parts that need it.
    """

    texts: Sequence[str]
    names: Sequence[tuple[str, ...]] = ()
    sourced_parts: frozenset[str] = frozenset()  # part titles (回顾, 问题…) whose figures need a source


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


def attributed(sentence: str, cited: Sequence[int], passages: Passages) -> bool:
    """A sentence stating figures of past work names a report that states them all (``据《…》``)."""
    figures = set(sentence_figures(sentence))
    if not figures or not passages.names:
        return True
    text = figure_text(sentence)
    return any(
        figures <= set(sentence_figures(passages.texts[n - 1]))
        and any(figure_text(name) in text for name in passages.names[n - 1])
        for n in cited
    )


def check_paragraph(
    paragraph: str,
    passages: Passages,
    allowed: Sequence[str],
    result: CheckedDraft,
    *,
    sourced: bool = False,
) -> str:
    """The paragraph without its unsupported sentences ("" when none is left); markers number ``passages``.
    ``sourced``: a 回顾 paragraph, whose figures must name their report (or go).
    """
    paragraph = normalize_markers(paragraph)
    cited = cited_numbers(paragraph, len(passages.texts))
    if not cited:
        result.drop("uncited")
        return ""
    sources = [passages.texts[n - 1] for n in cited]
    refs = "".join(f"[{n}]" for n in cited)
    kept: list[str] = []
    sentences, _ = split_complete(paragraph, final=True)
    for sentence in (s.strip() for s in sentences):
        if not strip_markers(sentence).strip("。！？；!?; "):
            continue
        check = check_support(sentence, [*sources, *allowed], wording=False)
        if check.kept and sourced and not attributed(sentence, cited, passages):
            result.drop("unattributed")
            result.flags.append(DraftFlag(strip_markers(sentence), UNATTRIBUTED_REASON.format(refs=refs)))
            continue
        if check.kept:
            kept.append(sentence)
            continue
        result.drop(check.reason)
        if check.reason == "figure":
            _, found = check_figures(sentence, sources, allowed=allowed, refs=refs)
            flagged = found or [DraftFlag(strip_markers(sentence), f"数字未见于所引资料{refs}")]
            result.flags += [DraftFlag(f.text, f.reason + REMOVED_REASON) for f in flagged]
    text = "".join(kept)
    if not text:
        return ""
    if not cited_numbers(
        text, len(passages.texts)
    ):  # its marker sat on a removed sentence: the paragraph cites it
        text = _with_markers(text, refs)
    return text


def check_reply(
    parsed: Sequence[tuple[str, list[str]]], passages: Passages, allowed: Sequence[str], outline: str
) -> CheckedDraft:
    """Verify a parsed reply: text before the first heading (the model's own lead) and headings that are
    not checkable against the outline and passages are removed; body paragraphs by ``check_paragraph``,
    those of 回顾/问题 parts (and their sub-sections) with their figures attributed.
    """
    result = CheckedDraft()
    sourced = False
    for heading, paragraphs in parsed:
        if not heading:
            for _ in paragraphs:
                result.drop("lead")
            continue
        if not check_support(heading, [outline, *passages.texts, *allowed], wording=False).kept:
            result.drop("heading")
            continue
        if heading_level(heading) == 1:
            title = strip_numbering(heading)
            sourced = title in passages.sourced_parts or bool(_LOOKS_BACK.search(title))
        kept = [
            p
            for p in (check_paragraph(p, passages, allowed, result, sourced=sourced) for p in paragraphs)
            if p
        ]
        result.sections.append((heading, kept))
    return result

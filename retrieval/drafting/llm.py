"""The generated draft: outline + numbered passages in per-request random fences → chat model → sections.

The reply is parsed back into the outline (lines starting 一、/（一） are headings) and verified before
anyone sees it (``drafting/checks.py``): uncited paragraphs are dropped, sentences with a figure none of
their paragraph's cited passages contains (or instruction-like text) are removed and their figures listed
as flags; the draft says how many were removed. Markers are then renumbered by first use. The lead is the
house-style template (``compose.lead_paragraph``), not model text. Instruction-like sentences of the
passages never reach the model (``answer_chain.format_passages``).
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from prompts import load_prompt
from retrieval.answers.chain import format_passages, new_fences
from retrieval.answers.citations import MARKER, renumber, strip_markers
from retrieval.answers.service import verification_text
from retrieval.drafting.attribution import source_names
from retrieval.drafting.checks import Passages, check_reply
from retrieval.drafting.figures import placeholder_figures
from retrieval.drafting.outline import heading_level, sentence_body, strip_numbering, sub_heading, top_heading
from retrieval.drafting.types import Draft, DraftParagraph, DraftSection
from retrieval.llm import UnusableAnswerError
from retrieval.text.normalize import to_simplified
from retrieval.types import Passage

if TYPE_CHECKING:
    from collections.abc import Sequence

    from langchain_core.language_models import BaseChatModel
    from langchain_core.runnables import Runnable

    from retrieval.drafting.compose import Outline
    from retrieval.drafting.material import MaterialPoint
    from retrieval.drafting.request import DraftRequest
    from retrieval.types import ChunkRecord

log = logging.getLogger(__name__)

TARGET_CHARS = {"short": 800, "medium": 1500, "long": 3000}
PARAGRAPH_CHARS = 300
MIN_CJK = 10
PARAGRAPH_HEADING = "正文"  # stands for the missing heading of a one-paragraph draft while it is checked
_SEPARATOR = "\n\u2063\n"  # joins paragraphs for renumbering; no marker can move across it
_TOP = re.compile(r"^[一二三四五六七八九十]+、")
_SUB = re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]")
_DECORATION = re.compile(r"^[#>*\-\s]+|\*\*")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# what a model may copy from the prompt's outline: "（资料[1][2]）" after a heading, "导语（…）：" before the lead
_REFS_NOTE = re.compile(r"\s*[（(]资料[^）)]*[）)]\s*$")
_LEAD_LABEL = re.compile(r"^导语[^：:]{0,12}[：:]\s*")


def build_draft_chain(llm: BaseChatModel) -> Runnable[dict[str, str], str]:
    """``ChatPromptTemplate(draft_system, draft_user) | llm | StrOutputParser()``."""
    from langchain_core.output_parsers import StrOutputParser
    from langchain_core.prompts import ChatPromptTemplate

    prompt = ChatPromptTemplate.from_messages(
        [("system", load_prompt("draft_system").template), ("human", load_prompt("draft_user").template)]
    )
    return prompt | llm | StrOutputParser()


def outline_chunks(outline: Outline) -> list[ChunkRecord]:
    """The passages the outline draws on, numbered 1..n in outline order."""
    seen: dict[str, ChunkRecord] = {}
    for part in outline.parts:
        for point in part.points:
            for chunk in point.chunks:
                seen.setdefault(chunk.chunk_id, chunk)
    return list(seen.values())


def format_outline(outline: Outline, chunks: list[ChunkRecord]) -> str:
    """The outline as the prompt shows it, each part with the numbers of the passages it may use."""
    number = {c.chunk_id: n for n, c in enumerate(chunks, 1)}

    def refs(points: Sequence[MaterialPoint]) -> str:
        ids = dict.fromkeys(number[c.chunk_id] for p in points for c in p.chunks)
        return "（资料" + "".join(f"[{n}]" for n in ids) + "）"

    lines = []
    if outline.kind == "paragraph":
        lines.append("只写一段正文，不加标题" + refs(outline.parts[0].points if outline.parts else []))
    for i, part in enumerate(outline.parts if outline.kind != "paragraph" else (), 1):
        lines.append(top_heading(i, part.title) + refs(part.points))
        if part.nested:
            for j, group in enumerate(part.groups, 1):
                title = placeholder_figures(group.heading) if part.bucket == "plan" else group.heading
                lines.append(sub_heading(j, title) + refs(group.points))
    return "\n".join(lines)


def _clean_heading(line: str) -> str:
    line = sentence_body(_REFS_NOTE.sub("", strip_markers(line)))
    return _SUB.sub(lambda m: f"（{m.group(1)}）", line, count=1)


def parse_reply(text: str, title: str) -> list[tuple[str, list[str]]]:
    """(heading, paragraphs) in reply order; "" heads the lead. A numbered line with a sentence after
    its heading (``（一）加强监测。全面……``) is split into heading and paragraph.
    """
    sections: list[tuple[str, list[str]]] = [("", [])]
    for raw in text.splitlines():
        line = _LEAD_LABEL.sub("", to_simplified(_DECORATION.sub("", raw).strip()))
        if not line or line.strip("《》") == title:
            continue
        if _TOP.match(line) or _SUB.match(line):
            head, sep, body = line.partition("。")
            if not sep or not body.strip():
                head, body = line, ""
            sections.append((_clean_heading(head), [body.strip()] if body.strip() else []))
        else:
            sections[-1][1].append(line)
    return [s for s in sections if s[0] or s[1]]


class UnverifiedDraftError(Exception):
    """The model's draft had no paragraph that its cited passages support."""


def _renumbered(sections: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    """Empty sub-sections (and top parts left with nothing) removed, outline numbers applied afresh."""
    out: list[tuple[str, list[str]]] = []
    for i, (heading, paragraphs) in enumerate(sections):
        level = heading_level(heading)
        following = next((heading_level(h) for h, _ in sections[i + 1 :] if heading_level(h) <= 2), 1)
        if paragraphs or (level == 1 and following == 2):
            out.append((heading, paragraphs))
    tops = subs = 0
    numbered = []
    for heading, paragraphs in out:
        text = strip_numbering(heading)
        if heading_level(heading) == 2:
            subs += 1
            numbered.append((sub_heading(subs, text), paragraphs))
        else:
            tops, subs = tops + 1, 0
            numbered.append((top_heading(tops, text), paragraphs))
    return numbered


def llm_draft(llm: BaseChatModel, request: DraftRequest, outline: Outline) -> Draft:
    """Generate, parse and verify every paragraph against the passages it cites, renumber citations.

    Raises ``UnusableAnswerError`` on a reply that is no draft, ``UnverifiedDraftError`` when no
    paragraph survives verification.
    """
    chunks = outline_chunks(outline)
    target = request.chars or (
        PARAGRAPH_CHARS if request.kind == "paragraph" else TARGET_CHARS[request.length]
    )
    fence_start, fence_end = new_fences()
    outline_text = format_outline(outline, chunks)
    inputs = {
        "title": outline.title,
        "outline": outline_text,
        "passages": format_passages([Passage(c, 0.0) for c in chunks]),
        "length": str(target),
        "fence_start": fence_start,
        "fence_end": fence_end,
    }
    # streamed, so the timeout bounds each wait for data rather than the whole (long) generation
    reply = "".join(piece for piece in build_draft_chain(llm).stream(inputs) if piece)
    if len(_CJK.findall(strip_markers(reply))) < MIN_CJK:
        msg = f"unusable draft reply chars={len(reply)}"
        raise UnusableAnswerError(msg)
    parsed = parse_reply(reply, outline.title)
    if outline.kind == "paragraph":  # one paragraph, no headings: the whole reply is its body
        parsed = [(PARAGRAPH_HEADING, [p for _, ps in parsed for p in ps])]
    passages = Passages(
        [verification_text(Passage(c, 0.0)) for c in chunks],
        [source_names(c) for c in chunks],
        frozenset(p.title or PARAGRAPH_HEADING for p in outline.parts if p.bucket != "plan"),
    )
    checked = check_reply(parsed, passages, [request.text, outline.title], outline_text)
    log.info(
        "draft_verified kept=%s removed=%s reasons=%s",
        checked.paragraphs, checked.removed, ",".join(checked.reasons),
    )  # fmt: skip
    if not checked.paragraphs:
        msg = f"no verified paragraph removed={checked.removed}"
        raise UnverifiedDraftError(msg)
    kept = checked.sections if outline.kind == "paragraph" else _renumbered(checked.sections)
    flat = [(si, p) for si, (_, paragraphs) in enumerate(kept) for p in paragraphs]
    text, citations = renumber(_SEPARATOR.join(p for _, p in flat), chunks)
    sections = [DraftSection("" if outline.kind == "paragraph" else h, []) for h, _ in kept]
    for (si, _), paragraph in zip(flat, text.split(_SEPARATOR), strict=True):
        cited = list(dict.fromkeys(int(n) for n in MARKER.findall(paragraph)))
        sections[si].paragraphs.append(DraftParagraph(paragraph, cited))
    opening = []
    if checked.removed:
        opening.append(
            DraftParagraph(load_prompt("draft_verified_notice").format(count=str(checked.removed)))
        )
    if outline.lead:
        opening.append(DraftParagraph(outline.lead))
    return Draft(outline.title, "llm", [DraftSection("", opening), *sections], citations, checked.flags)

"""The generated draft: outline + numbered, fenced passages → chat model → sections with [n] markers.

The reply is parsed back into the outline (lines starting 一、/（一） are headings), markers are
checked against the passages given and renumbered by first use, and every figure that none of a
paragraph's cited passages contains is marked 【待核实】 and listed as a flag.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from prompts import load_prompt
from retrieval.answer_chain import format_passages
from retrieval.citations import renumber, strip_markers
from retrieval.drafting.figures import placeholder_figures
from retrieval.drafting.flags import check_figures
from retrieval.drafting.outline import sentence_body, sub_heading, top_heading
from retrieval.llm import UnusableAnswerError
from retrieval.normalize import to_simplified
from retrieval.types import Draft, DraftFlag, DraftParagraph, DraftSection, Passage

if TYPE_CHECKING:
    from collections.abc import Sequence

    from langchain_core.language_models import BaseChatModel
    from langchain_core.runnables import Runnable

    from retrieval.drafting.compose import Outline
    from retrieval.drafting.material import MaterialPoint
    from retrieval.drafting.request import DraftRequest
    from retrieval.types import ChunkRecord

TARGET_CHARS = {"short": 800, "medium": 1500, "long": 3000}
PARAGRAPH_CHARS = 300
MIN_CJK = 10
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
    elif outline.lead:
        lines.append(f"导语（不加标题，可参考）：{outline.lead}")
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
    its heading (``（一）加强监测。全面……``) is split into heading and paragraph."""
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


def llm_draft(llm: BaseChatModel, request: DraftRequest, outline: Outline) -> Draft:
    """Generate, parse, renumber citations and flag unbacked figures; raises on an unusable reply."""
    chunks = outline_chunks(outline)
    target = request.chars or (
        PARAGRAPH_CHARS if request.kind == "paragraph" else TARGET_CHARS[request.length]
    )
    inputs = {
        "title": outline.title,
        "outline": format_outline(outline, chunks),
        "passages": format_passages([Passage(c, 0.0) for c in chunks]),
        "length": str(target),
    }
    # streamed, so the timeout bounds each wait for data rather than the whole (long) generation
    reply = "".join(piece for piece in build_draft_chain(llm).stream(inputs) if piece)
    parsed = parse_reply(reply, outline.title)
    flat = [(si, p) for si, (_, paragraphs) in enumerate(parsed) for p in paragraphs]
    text, citations = renumber(_SEPARATOR.join(p for _, p in flat), chunks)
    texts = text.split(_SEPARATOR)
    if len(texts) != len(flat) or not citations or len(_CJK.findall(strip_markers(text))) < MIN_CJK:
        msg = f"unusable draft reply chars={len(reply)} citations={len(citations)}"
        raise UnusableAnswerError(msg)
    by_n = {c.n: c.text for c in citations}
    sections = [DraftSection(heading, []) for heading, _ in parsed]
    flags: list[DraftFlag] = []
    for (si, _), paragraph in zip(flat, texts, strict=True):
        cited = list(dict.fromkeys(int(n) for n in re.findall(r"\[(\d+)\]", paragraph)))
        refs = "".join(f"[{n}]" for n in cited)
        checked, found = check_figures(
            paragraph, [by_n[n] for n in cited], allowed=[request.text, outline.title], refs=refs
        )
        flags += found
        if strip_markers(checked).strip():
            sections[si].paragraphs.append(DraftParagraph(checked, cited))
    sections = [s for s in sections if s.heading or s.paragraphs]
    return Draft(outline.title, "llm", sections, citations, flags)

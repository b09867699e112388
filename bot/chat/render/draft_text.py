"""Plain-text and Markdown renderings of a ``Draft`` (terminal, chat, ``-o draft.md``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.chat.render.labels import FLAGS_TITLE, SOURCES_TITLE
from retrieval.drafting.outline import heading_level

if TYPE_CHECKING:
    from retrieval.answers.types import Citation
    from retrieval.drafting.types import Draft


def citation_line(c: Citation) -> str:
    """``[1] 《标题》 一、… › （七）…（000_….txt）``."""
    where = f" {c.heading}" if c.heading_path else ""
    return f"[{c.n}] 《{c.title}》{where}（{c.source}）"


def render_draft_text(draft: Draft, *, sources: bool = True) -> str:
    """Title, outline headings and paragraphs, flags, then the sources list, as plain text."""
    lines = [draft.title, ""]
    for section in draft.sections:
        if section.heading:
            lines.append(section.heading)
        lines.extend(p.text for p in section.paragraphs)
    if draft.flags:
        lines += ["", f"{FLAGS_TITLE}："]
        lines.extend(f"- {f.text}（{f.reason}）" for f in draft.flags)
    if sources and draft.citations:
        lines += ["", f"{SOURCES_TITLE}："]
        lines.extend(citation_line(c) for c in draft.citations)
    return "\n".join(lines)


def render_draft_markdown(draft: Draft) -> str:
    """The same as Markdown: ``#`` title, ``##`` for 一、 headings, ``###`` for （一） headings."""
    lines = [f"# {draft.title}", ""]
    for section in draft.sections:
        if section.heading:
            lines += ["#" * (heading_level(section.heading) + 1) + " " + section.heading, ""]
        for p in section.paragraphs:
            lines += [p.text, ""]
    if draft.flags:
        lines += [f"## {FLAGS_TITLE}", ""]
        lines.extend(f"- {f.text}（{f.reason}）" for f in draft.flags)
        lines.append("")
    if draft.citations:
        lines += [f"## {SOURCES_TITLE}", ""]
        lines.extend(f"- {citation_line(c)}" for c in draft.citations)
        lines.append("")
    return "\n".join(lines)

"""Plain-text rendering of answers for the terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape

from bot.chat.render.labels import SOURCES_TITLE, citation_label

if TYPE_CHECKING:
    from retrieval.answers.types import Answer


def render_answer(answer: Answer, *, passages: bool = False) -> str:
    """Answer text, notice and sources list (and each cited passage on request) as rich markup.

    A partial answer (its caveat in its text) lists its sources like a found one. A not-found answer already
    lists its closest passages in its text, so only their full text is added (on request).
    """
    lines = []
    if answer.notice:
        lines.append(f"[yellow]{escape(answer.notice)}[/yellow]")
    lines.append(escape(answer.text))
    if answer.citations and (answer.found or answer.state == "partial"):
        lines.append(f"\n[bold]{SOURCES_TITLE}[/bold]")
        for c in answer.citations:
            lines.append(f"[{c.n}] {escape(citation_label(c))}  [dim]({escape(c.source)})[/dim]")
            if passages:
                lines.append(f"[dim]{escape(c.text)}[/dim]")
    elif passages:
        for c in answer.citations:
            lines.append(f"\n[{c.n}] [dim]{escape(c.text)}[/dim]")
    return "\n".join(lines)

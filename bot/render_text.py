"""Plain-text rendering of answers for the terminal."""

from __future__ import annotations

from rich.markup import escape

from retrieval.types import Answer


def render_answer(answer: Answer, *, passages: bool = False) -> str:
    """Answer text, notice, sources list (and passages on request) as rich markup."""
    lines = []
    if answer.notice:
        lines.append(f"[yellow]{escape(answer.notice)}[/yellow]")
    lines.append(escape(answer.text))
    if answer.citations:
        lines.append("\n[bold]来源[/bold]")
        for c in answer.citations:
            lines.append(f"[{c.n}] {escape(c.title)} · {escape(c.heading)}  [dim]({escape(c.source)})[/dim]")
            if passages:
                lines.append(f"[dim]{escape(c.text)}[/dim]")
    if not answer.found and answer.closest:
        lines.append("\n[bold]最接近的段落[/bold]")
        for i, p in enumerate(answer.closest, 1):
            lines.append(
                f"{i}. {escape(p.chunk.doc_title)} · {escape(p.chunk.heading)}  [dim]({escape(p.chunk.source)})[/dim]"
            )
            if passages:
                lines.append(f"[dim]{escape(p.chunk.text)}[/dim]")
    return "\n".join(lines)

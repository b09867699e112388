"""The outcome of one doctor check and how it prints."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rich.markup import escape

Status = Literal["ok", "fail", "skip"]
_MARK = {"ok": "[green]✓[/green]", "fail": "[red]✗[/red]", "skip": "[dim]–[/dim]"}


@dataclass(frozen=True)
class Check:
    """The outcome of one check; ``hint`` tells how to fix a failure."""

    name: str
    status: Status
    detail: str = ""
    hint: str = ""

    def render(self) -> str:
        """One line of the doctor's report."""
        line = f"{_MARK[self.status]} {escape(self.name)}"
        if self.detail:
            line += f"：{escape(self.detail)}"
        if self.hint and self.status == "fail":
            line += f"  [yellow]→ {escape(self.hint)}[/yellow]"
        return line

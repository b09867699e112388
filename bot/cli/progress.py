"""Progress of a long step (ingest, import, reindex, eval) on stderr, shown only when stderr is a terminal.

Piped or redirected runs stay quiet (their stdout is the report); in a terminal a bar shows the items done,
what is being worked on, the chunks of the current file being embedded and the time spent.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from bot.cli.support import err

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID


class StepProgress:
    """Callbacks a core operation reports to: ``step`` per item, ``embedding`` per slice of embedded chunks."""

    def __init__(self, bar: Progress | None, task: TaskID | None) -> None:
        self._bar = bar
        self._task = task
        self._label = ""

    def step(self, done: int, total: int, label: str = "") -> None:
        """``done`` of ``total`` items finished; ``label`` names the one being worked on now."""
        if self._bar is None or self._task is None:
            return
        self._label = label[-40:]
        self._bar.update(self._task, completed=done, total=total or None, detail=self._label, refresh=True)

    def embedding(self, done: int, total: int) -> None:
        """``done`` of ``total`` chunks of the current item embedded (or read from the cache)."""
        if self._bar is None or self._task is None:
            return
        prefix = f"{self._label} · " if self._label else ""
        self._bar.update(self._task, detail=f"{prefix}嵌入 {done}/{total} 段", refresh=True)


@contextmanager
def step_progress(title: str, *, unit: str = "项", total: int | None = None) -> Iterator[StepProgress]:
    """A progress bar on stderr for the duration of the block (nothing when stderr is not a terminal)."""
    if not err.is_terminal:
        yield StepProgress(None, None)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (
        TextColumn(f"{title}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(unit),
        TimeElapsedColumn(),
        TextColumn("{task.fields[detail]}", markup=False),
    )
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(title, total=total, detail="")
        yield StepProgress(bar, task)

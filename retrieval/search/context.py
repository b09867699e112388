"""Section context for the LLM: each passage with its neighbouring chunks of the same section.

Search returns chunks as stored (so recall@k means what it says); a section split over several chunks
would otherwise reach the model cut in half. An LLM answer's citations point at the chunk that was found (its id)
and show the widened text the model read and its sentences were verified against.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from retrieval.types import UNCOUNTED, Passage

if TYPE_CHECKING:
    from collections.abc import Sequence

    from retrieval.store.reader import ChunkReader

MAX_CONTEXT_CHARS = 1200  # per passage, the found chunk included


class SectionContext:
    """Widens passages with up to ``window`` chunks before and after, from the same section only."""

    def __init__(self, store: ChunkReader, *, window: int = 1, max_chars: int = MAX_CONTEXT_CHARS) -> None:
        self.store = store
        self.window = window
        self.max_chars = max_chars

    def __call__(self, passages: Sequence[Passage]) -> list[Passage]:
        """The passages, each widened with its same-section neighbours."""
        wanted = [
            f"{p.chunk.doc_id}-{o:04d}"
            for p in passages
            for o in range(p.chunk.ordinal - self.window, p.chunk.ordinal + self.window + 1)
            if o >= 0 and o != p.chunk.ordinal
        ]
        found = {c.chunk_id: c for c in self.store.get_chunks(wanted)}
        widened = []
        for p in passages:
            c = p.chunk
            before = [found.get(f"{c.doc_id}-{o:04d}") for o in range(c.ordinal - self.window, c.ordinal)]
            after = [
                found.get(f"{c.doc_id}-{o:04d}") for o in range(c.ordinal + 1, c.ordinal + self.window + 1)
            ]
            text = c.text
            for n in reversed(before):
                if n is None or n.heading_path != c.heading_path or len(n.text) + len(text) > self.max_chars:
                    break
                text = n.text + "\n" + text
            for n in after:
                if n is None or n.heading_path != c.heading_path or len(n.text) + len(text) > self.max_chars:
                    break
                text = text + "\n" + n.text
            # the joined text may hold an instruction no chunk holds alone (one broken over two lines)
            widened.append(
                Passage(replace(c, text=text, instructions=UNCOUNTED), p.score) if text != c.text else p
            )
        return widened

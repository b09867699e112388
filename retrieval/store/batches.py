"""Work in bounded batches: one helper for every loop that sends a long list somewhere a slice at a time."""

from __future__ import annotations

from itertools import islice
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last one shorter), read lazily: ``itertools.batched`` of Python
    3.12, which the project's 3.11 lacks, but yielding lists (what Chroma, SQLite and the models take).
    """
    if size < 1:
        msg = f"batch size must be at least 1, got {size}"
        raise ValueError(msg)
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch

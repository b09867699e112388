from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from retrieval.store.batches import batched

if TYPE_CHECKING:
    from collections.abc import Iterator


def test_items_come_in_batches_of_the_size_the_last_one_shorter() -> None:
    assert list(batched(["a", "b", "c", "d", "e"], 2)) == [["a", "b"], ["c", "d"], ["e"]]
    assert list(batched([], 3)) == []


def test_a_generator_is_read_one_batch_at_a_time() -> None:
    read: list[int] = []

    def numbers() -> Iterator[int]:
        for n in range(10):
            read.append(n)
            yield n

    first = next(batched(numbers(), 4))
    assert first == [0, 1, 2, 3]
    assert read == [0, 1, 2, 3]


def test_a_batch_size_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        next(batched([1], 0))

"""No module of the product or its benchmarks grows past 300 lines: a longer one is doing more than one job.

Someone new reads a module whole before changing it; past a few hundred lines that stops working, and the
next change lands in the wrong place. Split along a real seam (read/write, one concern per settings group,
one check per module) rather than raising the limit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.conftest import REPO_DIR

if TYPE_CHECKING:
    from pathlib import Path

LIMIT = 300
TREES = ("bot", "ingest", "retrieval", "prompts", "benchmarks")
MODULES = sorted(p for tree in TREES for p in (REPO_DIR / tree).rglob("*.py"))


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_the_trees_are_where_the_check_looks() -> None:
    assert len(MODULES) > 100


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(REPO_DIR)))
def test_module_is_at_most_300_lines(path: Path) -> None:
    assert _lines(path) <= LIMIT, f"{path.relative_to(REPO_DIR)}: {_lines(path)} lines"

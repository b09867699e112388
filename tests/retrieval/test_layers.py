"""retrieval/ is built in rooms along the pipeline, and each room imports only the rooms before it.

text ← store ← search ← answers ← drafting ← evaluation, with the shared value types, errors, the LLM client and
the endpoints' HTTP helper at the root, below them all. A module that reached up (search importing the answer
service, the store importing search) would make the next change to one room break another.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import retrieval
from tests.support.imports import imported_modules

PACKAGE = Path(retrieval.__file__).parent
ROOMS = ("text", "store", "search", "answers", "drafting", "evaluation")
ROOT_MODULES = {"__init__", "types", "errors", "llm", "endpoint_http"}


def _room(module: str) -> int | None:
    """Rank of the room ``module`` (a dotted name) lives in: 0 for the root, None outside retrieval."""
    parts = module.split(".")
    if parts[0] != "retrieval":
        return None
    if len(parts) == 1 or parts[1] in ROOT_MODULES:
        return 0
    return ROOMS.index(parts[1]) + 1


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_the_root_holds_only_the_shared_modules() -> None:
    root = {p.stem for p in PACKAGE.glob("*.py")}
    assert root == ROOT_MODULES
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()} == set(ROOMS)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_module_imports_only_its_own_room_and_those_before_it(path: Path) -> None:
    own = _room(_module_name(path))
    assert own is not None
    upward = sorted(m for m in imported_modules(path) if (r := _room(m)) is not None and r > own)
    assert not upward, f"{_module_name(path)} reaches up to {upward}"


def test_the_rule_catches_a_module_reaching_up(tmp_path: Path) -> None:
    """The check itself: a store module importing the answer service is reported."""
    offender = tmp_path / "offender.py"
    offender.write_text(
        "def f():\n    from retrieval.answers.service import AnswerService\n", encoding="utf-8"
    )
    imported = imported_modules(offender)
    assert "retrieval.answers.service" in imported
    assert max(r for m in imported if (r := _room(m)) is not None) > _room("retrieval.store.chunks")  # type: ignore[operator]

"""The drafting package: one public entry point, and the two writers side by side."""

from __future__ import annotations

import ast
from pathlib import Path

import retrieval.drafting

WRITERS = ("extractive", "llm")


def test_public_api_is_pinned() -> None:
    assert retrieval.drafting.__all__ == [
        "DraftRequest",
        "DraftService",
        "EmptyDraftRequestError",
        "NoDraftMaterialError",
        "heading_level",
        "parse_draft_request",
    ]


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_writers_depend_on_shared_modules_not_on_each_other() -> None:
    package = Path(retrieval.drafting.__file__).parent
    for writer in WRITERS:
        imported = _imported_modules(package / f"{writer}.py")
        others = {f"retrieval.drafting.{w}" for w in WRITERS if w != writer}
        assert not imported & others, writer
        assert "retrieval.drafting.service" not in imported, writer

"""The drafting package: one public entry point, and the two writers side by side."""

from __future__ import annotations

from pathlib import Path

import retrieval.drafting
from tests.support.imports import imported_modules

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


def test_writers_depend_on_shared_modules_not_on_each_other() -> None:
    package = Path(retrieval.drafting.__file__).parent
    for writer in WRITERS:
        imported = imported_modules(package / f"{writer}.py")
        others = {f"retrieval.drafting.{w}" for w in WRITERS if w != writer}
        assert not imported & others, writer
        assert "retrieval.drafting.service" not in imported, writer

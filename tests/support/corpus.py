"""Where the five shared reports are (``../shared/corpus``, read-only, never copied into the project)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_DIR = Path(__file__).resolve().parents[2]
CORPUS_DIR = Path(os.environ.get("REPORTBOT_TEST_CORPUS") or REPO_DIR / ".." / "shared" / "corpus").resolve()


def require_corpus() -> Path:
    """The corpus folder; without it the calling test, or the module importing it, is skipped with the reason."""
    if not CORPUS_DIR.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS_DIR}", allow_module_level=True)
    return CORPUS_DIR


def corpus_file(prefix: str) -> Path:
    """Corpus file ``<prefix>_*.txt`` (e.g. ``001``)."""
    (path,) = sorted(require_corpus().glob(f"{prefix}_*.txt"))
    return path

"""Query expansion from a curated glossary of colloquial → official wordings (``synonyms.txt``)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

_GLOSSARY = Path(__file__).with_name("synonyms.txt")


@lru_cache(maxsize=1)
def glossary() -> dict[str, tuple[str, ...]]:
    """Colloquial term → official terms, from the bundled file."""
    entries: dict[str, tuple[str, ...]] = {}
    for line in _GLOSSARY.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        left, _, right = line.partition("=")
        entries[left.strip()] = tuple(right.split())
    return entries


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    return re.compile("|".join(sorted(map(re.escape, glossary()), key=len, reverse=True)))


def expansions(question: str) -> list[str]:
    """Official terms for the colloquial ones in a (normalised) question, minus those it already has."""
    found: list[str] = []
    for m in _pattern().finditer(question):
        found.extend(t for t in glossary()[m.group(0)] if t not in question and t not in found)
    return found

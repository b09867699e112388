"""Query expansion from two curated word lists: colloquial → official wordings (``synonyms.txt``, one way)
and official short forms ↔ full forms (``short_forms.txt``, both ways: 疾控 ↔ 疾病预防控制).

The same expansions serve search (the question is also searched with the other wordings) and the coverage
check (a passage in either wording covers a question term), so index text and questions are matched alike
whichever form each is written in. A knowledge base may add its own colloquial entries (the console's 未答问题
page writes ``<data_dir>/glossary.txt``): ``use_local_glossary`` names that file, ``reload`` makes a new entry
count at the next question, without a restart.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

_GLOSSARY = Path(__file__).with_name("synonyms.txt")
SHORT_FORMS = Path(__file__).with_name("short_forms.txt")
_local: list[Path] = []


def use_local_glossary(path: Path | None) -> None:
    """Also read the colloquial entries of ``path`` (same format as ``synonyms.txt``; None: none)."""
    _local[:] = [path] if path is not None else []
    reload()


def reload() -> None:
    """Read the word lists again at their next use (after an entry was added)."""
    glossary.cache_clear()
    _pattern.cache_clear()


def _entries(path: Path) -> list[tuple[str, tuple[str, ...]]]:
    """``left = right1 right2`` lines of a word list (comments and blank lines skipped)."""
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        left, _, right = line.partition("=")
        entries.append((left.strip(), tuple(right.split())))
    return entries


@lru_cache(maxsize=1)
def short_forms() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(short form, its full forms) pairs from ``short_forms.txt``, in file order."""
    return tuple(_entries(SHORT_FORMS))


@lru_cache(maxsize=1)
def glossary() -> dict[str, tuple[str, ...]]:
    """Term → the other wordings it is also searched with: the colloquial glossary, plus every short form
    → its full forms and every full form → its short form.
    """
    entries: dict[str, list[str]] = {}

    def add(left: str, rights: tuple[str, ...]) -> None:
        known = entries.setdefault(left, [])
        known.extend(r for r in rights if r != left and r not in known)

    for left, rights in _entries(_GLOSSARY):
        add(left, rights)
    for path in _local:
        if path.is_file():
            for left, rights in _entries(path):
                add(left, rights)
    for short, fulls in short_forms():
        add(short, fulls)
        for full in fulls:
            add(full, (short,))
    return {k: tuple(v) for k, v in entries.items() if v}


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    return re.compile("|".join(sorted(map(re.escape, glossary()), key=len, reverse=True)))


def expansions(question: str) -> list[str]:
    """Other wordings for the terms of a (normalised) question, minus those it already has."""
    found: list[str] = []
    for m in _pattern().finditer(question):
        found.extend(t for t in glossary()[m.group(0)] if t not in question and t not in found)
    return found

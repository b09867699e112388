"""A unit's name (省 … 乡镇 and their 卫健委, 疾控中心, 医院 …) read as places with their levels, then a kind.

广东省广州市卫生健康委员会 → (广东, 省), (广州, 市), 卫生健康委员会, with the words of ``unit_words.txt``; a chunk's unit
is its ``unit`` field, else a unit its article or document title starts with. Finding the units a question names
is ``retrieval.search.units``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from retrieval.text.normalize import normalize
from retrieval.text.synonyms import short_forms

if TYPE_CHECKING:
    from collections.abc import Iterable

    from retrieval.types import ChunkRecord

UNIT_WORDS = Path(__file__).with_name("unit_words.txt")
MAX_PLACE = 6  # ideographs of one place name before its level (黔东南苗族侗族 is trimmed to 黔东南)


@lru_cache(maxsize=1)
def unit_words() -> dict[str, tuple[str, ...]]:
    """Sections of ``unit_words.txt`` (levels, kinds, issuing kinds, provinces, not in places, ethnic)."""
    sections: dict[str, list[str]] = {}
    current: list[str] = []
    for line in UNIT_WORDS.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
        else:
            current.extend(w for w in line.split() if w not in current)
    return {name: tuple(words) for name, words in sections.items()}


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first."""
    return "|".join(sorted(map(re.escape, set(words)), key=len, reverse=True))


@lru_cache(maxsize=1)
def unit_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """A place with its level, a bare level, a kind (each matched at a position)."""
    words = unit_words()
    levels = alternation(words["levels"])
    return (
        re.compile(rf"([\u4e00-\u9fff]{{2,{MAX_PLACE + 4}}}?)({levels})"),
        re.compile(levels),
        re.compile(alternation(words["kinds"])),
    )


@lru_cache(maxsize=1)
def _canonical_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    mapping: dict[str, str] = {}
    for short, fulls in short_forms():
        for form in (short, *fulls):
            mapping.setdefault(form, fulls[0])
    return re.compile(alternation(mapping)), mapping


def canonical_kind(kind: str) -> str:
    """A kind in its full official wording (疾控 → 疾病预防控制, 卫健委 → 卫生健康委员会)."""
    pattern, mapping = _canonical_pattern()
    return pattern.sub(lambda m: mapping[m.group(0)], kind)


def kinds_match(a: str, b: str) -> bool:
    """Do two canonical kinds name the same kind of unit (疾病预防控制 ~ 疾病预防控制中心, 医院 ~ 人民医院, and
    the health bureau under any of its names: 卫生局 ~ 卫生健康委员会)?
    """
    if not (a and b):
        return False
    if a.startswith(b) or b.startswith(a) or a.endswith(b) or b.endswith(a):
        return True
    bureaus = {canonical_kind(k) for k in unit_words()["bureaus"]}
    return a in bureaus and b in bureaus


def place_core(place: str) -> str:
    """广西壮族 → 广西: the ethnic names of an autonomous region's name dropped."""
    ethnic = unit_words()["ethnic"]
    changed = True
    while changed:
        changed = False
        for word in ethnic:
            if place.endswith(word) and len(place) - len(word) >= 2:
                place, changed = place[: -len(word)], True
    return place


@dataclass(frozen=True)
class UnitName:
    """A unit's name read as places (core, level), outermost first, and a canonical kind ("" for a place)."""

    name: str
    places: tuple[tuple[str, str], ...]
    kind: str = ""

    @property
    def core(self) -> str:
        """The most specific place (广州 in 广东省广州市卫健委); "" when the name has none (县卫健委)."""
        return self.places[-1][0] if self.places else ""

    def level_of(self, core: str) -> str:
        """The level written after ``core`` in this name ("" when the core is not one of its places)."""
        return next((lv for c, lv in self.places if c == core), "")


@lru_cache(maxsize=4096)
def parse_unit(text: str, *, need_kind: bool = False) -> UnitName | None:
    """The unit ``text`` starts with, or None: places with levels then an optional kind (a kind is
    required with ``need_kind``, for titles: 江澜市2025年工作要点 names a place, not its issuing unit).
    """
    s = re.sub(r"\s+", "", normalize(text))
    place_at, level_at, kind_at = unit_patterns()
    stops = set(unit_words()["not in places"])
    places: list[tuple[str, str]] = []
    pos = 0
    while m := place_at.match(s, pos):
        core = place_core(m.group(1))
        if len(core) > MAX_PLACE or any(ch in stops for ch in core):
            break
        places.append((core, m.group(2)))
        pos = m.end()
    if not places and (bare := level_at.match(s, pos)):
        pos = bare.end()  # 县卫健委: a level with no place
    kind_match = kind_at.match(s, pos)
    kind = canonical_kind(kind_match.group(0)) if kind_match else ""
    if not places or (need_kind and not kind):
        return None
    end = kind_match.end() if kind_match else pos
    return UnitName(s[:end], tuple(places), kind)


def chunk_unit(chunk: ChunkRecord) -> UnitName | None:
    """The unit a chunk reports for: its ``unit`` field, else a unit its article or document title starts with
    (read once per record).
    """
    return chunk.derived("unit", _chunk_unit)


def _chunk_unit(chunk: ChunkRecord) -> UnitName | None:
    return (
        parse_unit(chunk.unit)
        or parse_unit(chunk.article_title, need_kind=True)
        or parse_unit(chunk.doc_title, need_kind=True)
    )

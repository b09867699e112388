"""Units in questions and chunks: the knowledge base's units (:class:`Gazetteer`), the units a question names,
whether a chunk comes from one of them.

The knowledge base's own units (each chunk's ``unit`` field, else a unit its document or article title starts
with; names read by ``retrieval.search.unit_names``) make the :class:`Gazetteer`; a question names a unit by its
place core with or without level and kind, in full or short form (广东, 梧桐县疾控, 江澜卫健委). A place with a level,
a province or a place with an issuing kind that the gazetteer does not have is an *unknown* unit ("某某市疾控中心").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from retrieval.search.unit_names import (
    UnitName,
    alternation,
    canonical_kind,
    chunk_unit,
    kinds_match,
    parse_unit,
    place_core,
    unit_patterns,
    unit_words,
)
from retrieval.text.normalize import normalize
from retrieval.text.tokenize import tokenize

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from retrieval.types import ChunkRecord

MAX_UNKNOWN_PLACE = 4  # a place the gazetteer lacks is read back at most this far from its level
_PLACE_TAG = "ns"


@dataclass(frozen=True)
class NamedUnit:
    """A unit a question names, as written (span in the normalised question), and the units it may mean."""

    label: str
    core: str
    span: tuple[int, int]
    units: tuple[UnitName, ...]


class Gazetteer:
    """The knowledge base's units, looked up by place core (any level, any kind, full or short form)."""

    def __init__(self, units: Iterable[UnitName], mentioned: Callable[[str], bool] | None = None) -> None:
        """``mentioned(word)``: does the knowledge base's text name ``word`` (a place it names is no unknown unit)."""
        self.units = tuple(dict.fromkeys(u for u in units if u.core))
        self.mentioned = mentioned or (lambda _word: False)
        self._last: dict[str, list[UnitName]] = {}
        self._any: dict[str, list[UnitName]] = {}
        for u in self.units:
            self._last.setdefault(u.core, []).append(u)
            for core, _ in u.places:
                self._any.setdefault(core, []).append(u)
        levels = alternation(unit_words()["levels"])
        kinds = alternation(unit_words()["kinds"])
        cores = alternation(self._any)
        self._mention = re.compile(rf"({cores})({levels})?({kinds})?") if self._any else None

    @classmethod
    def from_labels(
        cls, labels: Iterable[tuple[str, str, str]], mentioned: Callable[[str], bool] | None = None
    ) -> Gazetteer:
        """From (unit field, doc title, article title) triples, as the store holds them."""
        units = []
        for unit, doc_title, article_title in labels:
            found = (
                parse_unit(unit)
                or parse_unit(article_title, need_kind=True)
                or parse_unit(doc_title, need_kind=True)
            )
            if found is not None:
                units.append(found)
        return cls(units, mentioned)

    @property
    def cores(self) -> frozenset[str]:
        """Every place core the knowledge base's units name (广东, 广州, 梧桐)."""
        return frozenset(self._any)

    def names(self) -> list[str]:
        """The units' names as stored, for telling a user what the knowledge base has."""
        return sorted({u.name for u in self.units})

    def named(self, normalized: str) -> tuple[tuple[NamedUnit, ...], tuple[str, ...]]:
        """Units ``normalized`` (a normalised question) names: the known ones, and labels of places it names
        with a level or kind that no unit of the gazetteer has (梧桐市 when only 梧桐县 is known).
        """
        known: list[NamedUnit] = []
        unknown: list[str] = []
        for m in self._mention.finditer(normalized) if self._mention else ():
            core, level, kind = m.group(1), m.group(2) or "", canonical_kind(m.group(3) or "")
            units = self._last.get(core) or self._any.get(core, [])
            if level:
                units = [u for u in units if u.level_of(core) == level]
            if not units:
                unknown.append(m.group(0))
                continue
            span = m.span()
            if kind:  # 梧桐县疾控: that unit only
                of_kind = [u for u in units if not u.kind or kinds_match(u.kind, kind)]
                if not of_kind:
                    # 梧桐县人民医院 when only the county's bureau reports: an institution of a known place,
                    # which the place's own reports cover. The place's units answer; the kind stays in the
                    # topic, so a passage must still name the institution.
                    span = (m.start(), m.end(2) if m.group(2) else m.end(1))
                units = of_kind or units
            known.append(NamedUnit(normalized[span[0] : span[1]], core, span, tuple(units)))
        return tuple(known), tuple(dict.fromkeys(unknown))

    def mentions_other(self, text: str, unit: NamedUnit) -> bool:
        """Does normalised ``text`` name a known place other than ``unit``'s (and not one of its places)?"""
        own = {c for u in unit.units for c, _ in u.places}
        return any(core in text for core in self._any if core not in own and not any(core in o for o in own))


def unknown_units(normalized: str, gazetteer: Gazetteer) -> tuple[str, ...]:
    """Units ``normalized`` names that the gazetteer does not have: a place with a level (梧桐县, 某某市), a
    province (广西), or a place with an issuing kind (某某疾控中心). Known units' spans should be blanked first.
    """
    words = unit_words()
    found: list[str] = []
    for province in words["provinces"]:
        if province in normalized and province not in gazetteer.cores and not gazetteer.mentioned(province):
            found.append(province)
    _, level_at, kind_at = unit_patterns()
    issuing = set(words["issuing kinds"])
    stops = set(words["not in places"])
    spans = _token_spans(normalized)
    for m in re.finditer(rf"{level_at.pattern}|{kind_at.pattern}", normalized):
        word = m.group(0)
        is_level = level_at.fullmatch(word) is not None
        if not is_level and word not in issuing:
            continue
        start = _place_start(normalized, m.start(), spans, stops)
        if start is None:
            continue
        place = normalized[start : m.start()]
        if (
            place_core(place) in gazetteer.cores
            or any(p in place for p in found)
            or gazetteer.mentioned(place)
        ):
            continue  # known, or named in the knowledge base's text (南岗镇卫生院 in a county's report)
        if not _reads_as_place(normalized, start, m.start(), m.end(), spans, is_level=is_level):
            continue
        kind = kind_at.match(normalized, m.end()) if is_level else None
        found.append(normalized[start : kind.end() if kind else m.end()])
    return tuple(dict.fromkeys(found))


def _place_start(text: str, end: int, spans: list[tuple[int, int]], stops: set[str]) -> int | None:
    """Where a place ending at ``end`` starts: read back over ideographs up to a stop character (at most
    ``MAX_UNKNOWN_PLACE``), then forward to a jieba word boundary and past question words (请问梧桐县 → 梧桐);
    None when fewer than two characters are left.
    """
    from retrieval.search.coverage import GENERIC_WORDS

    start = end
    while start > 0 and end - start < MAX_UNKNOWN_PLACE and "\u4e00" <= text[start - 1] <= "\u9fff":
        if text[start - 1] in stops:
            break
        start -= 1
    starts = {a: b for a, b in spans}
    while start < end and start not in starts:
        start += 1
    while start in starts and starts[start] < end and text[start : starts[start]] in GENERIC_WORDS:
        start = starts[start]
    return start if end - start >= 2 else None


def _reads_as_place(
    text: str, start: int, word_start: int, word_end: int, spans: list[tuple[int, int]], *, is_level: bool
) -> bool:
    """Does ``text[start:word_start]`` read as a place before the level or kind at ``word_start``? Not when
    jieba reads the level as part of an ordinary word (县城, 示范区) or the place as one (基层疾控).
    """
    tags = _tags()
    inside = [text[a:b] for a, b in spans if start <= a and b <= word_start]
    if len(inside) >= 2 and all(tags.get(t, _PLACE_TAG) != _PLACE_TAG for t in inside):
        return False  # 医保缴费县财政: ordinary words before the level, not a name
    for a, b in spans:
        if is_level and a < word_end <= b:
            if word_end < b and not unit_patterns()[2].match(
                text, word_end
            ):  # 县城: the level starts another word
                return False
            if a < word_start and tags.get(text[a:word_end], _PLACE_TAG) != _PLACE_TAG:  # 示范区, 开发区
                return False
    # 基层疾控, 梧桐疾控 (梧桐 is a tree): an ordinary word before a kind is no place
    return is_level or tags.get(text[start:word_start], _PLACE_TAG) == _PLACE_TAG


def _token_spans(text: str) -> list[tuple[int, int]]:
    import jieba

    tokenize("")  # loads jieba with the domain vocabulary
    return [(a, b) for _, a, b in jieba.tokenize(text)]


@lru_cache(maxsize=1)
def _tags() -> dict[str, str]:
    """Jieba's part-of-speech tags of its dictionary words (used only to tell ordinary words from places)."""
    import jieba.posseg

    tokenize("")
    jieba.posseg.dt.initialize()
    return jieba.posseg.dt.word_tag_tab


@lru_cache(maxsize=8192)
def _normalized(text: str) -> str:
    """``normalize`` of a chunk's text or labels, remembered: a unit's question asks about up to a few hundred
    candidates, and the labels are the same for every chunk of an article (bounded, unlike what is kept on
    the few records a question's answer reads).
    """
    return normalize(text)


def belongs_to(chunk: ChunkRecord, unit: NamedUnit, gazetteer: Gazetteer) -> bool | None:
    """Does ``chunk`` come from ``unit``? By the chunk's own unit when it has a place; else (县卫健委) when its
    unit, titles or text name the unit's place (True) or only other known places (False); None when nothing tells.
    """
    own = chunk_unit(chunk)
    if own is not None and own.core:
        return any(own.name == u.name or own == u for u in unit.units)
    labels = _normalized(f"{chunk.unit} {chunk.doc_title} {chunk.article_title}")
    if unit.core in labels:
        return True
    if gazetteer.mentions_other(labels, unit):
        return False
    text = _normalized(chunk.text)
    if unit.core in text:
        return True
    return False if gazetteer.mentions_other(text, unit) else None

"""The unit an article reports for: a city, county or district and its health bureau (义乌市卫生局, 县卫健委).

Read from the article's own title and text (a Simplified copy, so 衛生局 reads as 卫生局): the bureau named most
often (卫生局, 卫健委, 卫生健康局…), the level it is written with (县卫健委 → 县, or 县委/全县/我县), and the place
named most often at that level (义乌市委, 清远市卫生局 → 义乌市, 清远市). Place names are read backwards from
市/县/区 up to a word that cannot be part of one ("和义乌市委" → 义乌市), without a gazetteer.
"""

from __future__ import annotations

import re
from collections import Counter

from retrieval.search.units import unit_words
from retrieval.text.normalize import to_simplified

__all__ = ["detect_unit"]

# The health bureau under its names over the years (卫生局, 卫计委, 卫健委…): the one list in
# retrieval/unit_words.txt, longest first so 卫生健康委员会 is read whole rather than as 卫生健康委.
_BUREAUS = "|".join(sorted(map(re.escape, unit_words()["bureaus"]), key=len, reverse=True))
_BUREAU = re.compile(_BUREAUS)
_LEVELS = "市县区"
# A place is 2-3 ideographs before 市/县/区 followed by a word that marks it as an administrative name.
_PLACE = re.compile(rf"([\u4e00-\u9fff]{{1,3}})([{_LEVELS}])(?=委|政府|人民政府|人大|政协|{_BUREAUS})")
# Characters that end a place name when read backwards: function words, "whole/our/each", other levels.
_NOT_PLACE = set("和与及同在了共对由向为是的把被将从于到至全本我各该省州市县区乡镇村委年月日中")
# The level a text speaks from: 县委、全县、我县、县政府, or the level before the bureau (县卫健委).
_LEVEL_CUE = re.compile(rf"(?:全|我|本)([{_LEVELS}])|([{_LEVELS}])(?:委|政府|人民政府)")
TITLE_WEIGHT = 5
# A place named once may be a misread verb phrase ("按照区卫生局" → 按照区); a real one recurs (or is in the title).
PLACE_MIN = 2


def detect_unit(title: str, text: str) -> str:
    """The unit an article reports for ("义乌市卫生局", "县卫健委", "清远市"), or "" when it names none."""
    source = to_simplified(f"{title}\n" * TITLE_WEIGHT + text)
    bureau, bureau_level = _bureau(source)
    levels = Counter(a or b for a, b in _LEVEL_CUE.findall(source))
    level = bureau_level or (levels.most_common(1)[0][0] if levels else "")
    place = _place(source, level)
    if bureau:
        if place:
            return place + bureau
        return level + bureau if level else bureau
    return place


def _bureau(text: str) -> tuple[str, str]:
    """Most named bureau and the level written before it most often ("县卫健委" → 县)."""
    names: Counter[str] = Counter()
    levels: Counter[str] = Counter()
    for m in _BUREAU.finditer(text):
        names[m.group()] += 1
        before = text[m.start() - 1 : m.start()]
        if before and before in _LEVELS:
            levels[before] += 1
    if not names:
        return "", ""
    return names.most_common(1)[0][0], (levels.most_common(1)[0][0] if levels else "")


def _place(text: str, level: str) -> str:
    """Most named place at ``level`` (any level when none is known): "义乌市", "清远市", or ""."""
    places: Counter[str] = Counter()
    for m in _PLACE.finditer(text):
        if level and m.group(2) != level:
            continue
        name = m.group(1)
        while name and name[0] in _NOT_PLACE:
            name = name[1:]
        # The regex may start mid-word ("中共清远"): keep only the characters after the last stop character.
        for i in range(len(name) - 1, -1, -1):
            if name[i] in _NOT_PLACE:
                name = name[i + 1 :]
                break
        if len(name) >= 2:
            places[name + m.group(2)] += 1
    best = places.most_common(1)
    return best[0][0] if best and best[0][1] >= PLACE_MIN else ""

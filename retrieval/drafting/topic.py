"""Is a text on the requested topic? The topic's key terms and their stems (传染病防控 → 传染病)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from retrieval.search.coverage import key_terms
from retrieval.text.normalize import normalize

if TYPE_CHECKING:
    from collections.abc import Sequence

MAIN_TERM_SHARE = 0.6  # a key term counts for relevance when it weighs at least this share of the top one
# Action words that end a topic; "传染病防控" is on topic wherever "传染病" is.
_ACTION_SUFFIX = re.compile(r"(防控|防治|防制|管理|工作|监管|执法|监测|服务|建设|创建|推进|治理)$")


class TopicMatcher:
    """Is a text on the request's topic? Key terms of the topic, plus their stems (传染病防控 → 传染病)."""

    def __init__(self, topic: str) -> None:
        terms = key_terms(topic)
        top = max((t.weight for t in terms), default=0.0)
        words: set[str] = set()
        self.core: tuple[str, ...] = ()
        for term in terms:
            if term.weight >= MAIN_TERM_SHARE * top:
                forms = {term.term, _ACTION_SUFFIX.sub("", term.term)}
                forms = {f for f in forms if len(f) >= 2}
                words |= forms
                if term.weight == top and not self.core:
                    self.core = tuple(forms)
        self.words = tuple(sorted(words, key=len, reverse=True))

    def covered_by(self, texts: Sequence[str]) -> bool:
        """The topic's most distinctive term occurs somewhere in ``texts`` (量子计算机采购 is not
        covered by passages that only mention 采购).
        """
        if not self.core:
            return True
        return any(w in normalize(t).lower() for t in texts for w in self.core)

    def __call__(self, text: str) -> bool:
        """True for any text when the topic is empty ("下半年工作计划")."""
        if not self.words:
            return True
        norm = normalize(text).lower()
        return any(w in norm for w in self.words)

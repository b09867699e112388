"""The matching rule every metric uses: both sides normalised, whitespace removed, then a substring test.

``retrieval.text.normalize.normalize`` folds width, Traditional → Simplified and Taiwan wordings, so an
expected substring copied from the Traditional report matches the stored Traditional chunk, and a fact
such as ``6萬元`` matches an answer that writes ``6万元``.
"""

from __future__ import annotations

import re

from retrieval.text.normalize import normalize

_SPACE = re.compile(r"\s+")


def match_key(text: str) -> str:
    """The form both sides of every substring test take: normalised, no whitespace."""
    return _SPACE.sub("", normalize(text))


def contains(text: str, needle: str) -> bool:
    """Whether ``needle`` occurs in ``text`` under the matching rule (see this module's docstring)."""
    key = match_key(needle)
    return bool(key) and key in match_key(text)

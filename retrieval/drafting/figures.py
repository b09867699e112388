"""Figures taken from old plans: a draft never repeats last year's targets as if they were new ones.

Both writers show planned targets as placeholders (``××``, ``××年``) for the writer to fill in.
"""

from __future__ import annotations

import re

_YEAR = re.compile(r"(?:19|20)\d{2}\s*年|××年")
_FIGURE = re.compile(r"(?<![A-Za-z\d.])\d+(?:\.\d+)?(?:\s*[-~～至到]\s*\d+(?:\.\d+)?)?(?![A-Za-z\d])")


def placeholder_figures(text: str) -> str:
    """Years → ``××年``, other figures → ``××`` (``60%`` → ``××%``); codes such as H7N9 are kept."""
    return _FIGURE.sub("××", _YEAR.sub("××年", text))

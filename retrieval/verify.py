"""Claim-level verification of a generated answer, sentence by sentence, before anyone sees it.

A sentence is kept only when it cites at least one passage that was given (``[n]``, 1 ≤ n ≤ passages),
every figure it states occurs in one of its cited passages (compared as numbers on normalised text,
see ``retrieval.figures``), its Latin words (names, codes, canaries) occur there too, it shares enough
wording with them, and it is not instruction-like text. ``StreamVerifier`` applies the same check
while the answer streams: text is buffered to the end of a sentence, checked, then released.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from retrieval.citations import normalize_markers
from retrieval.figures import figure_text, unsupported_figures
from retrieval.injection import is_instruction

_MARKER = re.compile(r"\[(\d+)\]")
_CLOSING = "。！？；!?;"
_ENDS = "。！？!?"  # a sentence ends here; ；-clauses stay with their sentence (one marker may cover them)
_BOUNDARY = re.compile(rf"[{_ENDS}]+|\n")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9_-]{2,}")
_CJK = re.compile(r"[\u4e00-\u9fff]")
MIN_OVERLAP = 0.3  # share of the sentence's character bigrams that its cited passages contain


@dataclass(frozen=True)
class Verdict:
    """Whether one sentence may be shown, and why not."""

    sentence: str
    ok: bool
    reason: str = ""


def cited_numbers(sentence: str, passages: int) -> list[int]:
    """Marker numbers of ``sentence`` that point at a given passage (1..passages), in order."""
    return [n for n in dict.fromkeys(int(m) for m in _MARKER.findall(sentence)) if 1 <= n <= passages]


def _bigrams(text: str) -> set[str]:
    chars = "".join(_CJK.findall(text))
    return {chars[i : i + 2] for i in range(len(chars) - 1)}


def check_sentence(sentence: str, passages: Sequence[str]) -> Verdict:
    """Verify one sentence (markers already normalised) against the passage texts given to the model."""
    if is_instruction(sentence):
        return Verdict(sentence, False, "instruction")
    cited = cited_numbers(sentence, len(passages))
    if not cited:
        return Verdict(sentence, False, "uncited")
    return check_support(sentence, [passages[n - 1] for n in cited])


def check_support(sentence: str, sources: Sequence[str], *, wording: bool = True) -> Verdict:
    """Verify one sentence against the passages it cites (``sources``): no instruction-like text, every
    figure and Latin word found there, and (``wording``) enough of its wording. Drafts, which write new
    commitments in the sources' style, skip the wording check.
    """
    if is_instruction(sentence):
        return Verdict(sentence, False, "instruction")
    if unsupported_figures(sentence, list(sources)):
        return Verdict(sentence, False, "figure")
    body = figure_text(sentence)
    source_text = figure_text("\n".join(sources))
    lowered = source_text.lower()
    if any(word.lower() not in lowered for word in _LATIN.findall(body)):
        return Verdict(sentence, False, "latin")
    grams = _bigrams(body)
    if wording and grams and len(grams & _bigrams(source_text)) / len(grams) < MIN_OVERLAP:
        return Verdict(sentence, False, "wording")
    return Verdict(sentence, True)


def split_complete(text: str, *, final: bool) -> tuple[list[str], str]:
    """Complete sentences of ``text`` (each with its leading whitespace and closing punctuation) and
    the unfinished rest. A sentence is complete once something other than a marker or more closing
    punctuation follows it (a marker may still arrive and move before the punctuation), or at the end.
    """
    sentences: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        rest = text[m.end() :].lstrip(" \t")
        if not final and (not rest or rest[0] in "[【［" or rest[0] in _CLOSING):
            break
        if not final and m.group(0) == "\n" and not rest.strip():
            break
        sentences.append(text[start : m.end()])
        start = m.end()
    tail = text[start:]
    if final and tail.strip():
        sentences.append(tail)
        tail = ""
    return sentences, tail


@dataclass
class StreamVerifier:
    """Feeds on the growing raw answer; returns the verified text so far (markers as the model wrote them)."""

    passages: Sequence[str]
    kept: list[str] = field(default_factory=list)
    dropped: list[Verdict] = field(default_factory=list)
    _done: int = 0

    def feed(self, raw: str, *, final: bool = False) -> bool:
        """Check the sentences of ``raw`` completed since the last call; True when one was kept."""
        sentences, _ = split_complete(normalize_markers(raw), final=final)
        added = False
        for sentence in sentences[self._done :]:
            if not sentence.strip():
                continue
            verdict = check_sentence(sentence.strip(), self.passages)
            if verdict.ok:
                self.kept.append(sentence)
                added = True
            else:
                self.dropped.append(verdict)
        self._done = max(self._done, len(sentences))
        return added

    @property
    def text(self) -> str:
        """The verified sentences, in order."""
        return "".join(self.kept).strip()

"""The answer without an LLM: the report sentences that best answer the question, each cited."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from retrieval.answers.types import Citation
from retrieval.answers.verify import code_tokens
from retrieval.search.coverage import KeyTerm, term_share
from retrieval.text.index_text import heading_text
from retrieval.text.inert import quotable_text
from retrieval.text.injection import is_instruction
from retrieval.text.normalize import normalize
from retrieval.text.sentences import split_sentences

if TYPE_CHECKING:
    from collections.abc import Sequence

    from retrieval.types import ChunkRecord, Passage

EXTRACTIVE_LABEL = "（摘录模式：以下内容直接摘自报告原文，未经大模型改写）"
MAX_SENTENCES = 6
MAX_CHARS = 600
MIN_SENTENCE_CHARS = 6
CONTEXT_CREDIT = 0.5
HEADING_CREDIT = 0.8  # every sentence of a section whose heading matches the question is on topic
FIGURE_BONUS = 0.15
MIN_SHARE = 0.1  # a sentence must cover at least this share of the weighted key terms…
RELATIVE_SHARE = 0.5  # …and at least half as much as the best sentence

_ENUMERATOR = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[、.．](?!\d)|[①-⑳]|"
    r"[一二三四五六七八九十]是)\s*"
)
_CLOSING = "。！？；!?;"
_FIGURE = re.compile(r"\d")


@dataclass(frozen=True)
class Sentence:
    """One sentence of a passage: where it came from, its display text and its score."""

    passage: int
    position: int
    text: str
    score: float


def _display(sentence: str, marker: str) -> str:
    """Sentence with its outline enumerator removed and ``marker`` before the closing punctuation."""
    body = _ENUMERATOR.sub("", sentence).strip()
    end = len(body)
    while end and body[end - 1] in _CLOSING:
        end -= 1
    closing = body[end:] or "。"
    closing = "。" if closing[0] in "；;" else closing[0]
    return f"{body[:end]}{marker}{closing}"


@dataclass(frozen=True)
class _Written:
    """A sentence of a passage's quotable text and what is known of it whatever the question."""

    text: str
    normalized: str
    quotable: bool  # long enough, and not instruction-like
    code: bool  # has a Latin or code-like token
    figure: bool


def _sentences(chunk: ChunkRecord) -> tuple[_Written, ...]:
    """The passage's sentences, split and judged once per record (not once per question)."""

    def split(c: ChunkRecord) -> tuple[_Written, ...]:
        return tuple(
            _Written(
                s,
                normalize(s),
                len(_ENUMERATOR.sub("", s)) >= MIN_SENTENCE_CHARS and not is_instruction(s),
                bool(code_tokens(s)),
                bool(_FIGURE.search(s)),
            )
            for s in split_sentences(quotable_text(c), closers=False)
        )

    return chunk.derived("sentences", split)


def rank_sentences(
    terms: Sequence[KeyTerm], passages: Sequence[Passage], *, wants_figures: bool = False
) -> list[Sentence]:
    """Every sentence scored by weighted key-term share (at least most of its section heading's share),
    plus half the share of the sentence before it
    (a body sentence under a matching lead sentence is on topic too), a bonus for figures when the
    question asks for a number, and a small bonus for higher-ranked passages. A sentence with a Latin or
    code-like token (``retrieval.answers.verify.code_tokens``) must share a key term itself: context and heading credit
    never carry a code smuggled after a real sentence, even one the injection detector missed.
    """
    out = []
    for pi, passage in enumerate(passages):
        previous = 0.0
        heading = heading_text(passage.chunk)
        section_share = HEADING_CREDIT * term_share(terms, heading) if terms and heading else 0.0
        for si, sentence in enumerate(_sentences(passage.chunk)):
            own = term_share(terms, sentence.normalized) if terms else 0.0
            share = max(own, section_share)
            score = share + CONTEXT_CREDIT * previous + 0.05 / (pi + 1) - 0.001 * si
            if wants_figures and sentence.figure:
                score += FIGURE_BONUS
            previous = share
            if terms and not own and sentence.code:
                continue  # a code or Latin word is quoted only from a sentence on the question itself
            if sentence.quotable:
                out.append(Sentence(pi, si, sentence.text, score))
    return sorted(out, key=lambda s: -s.score)


def select_sentences(ranked: Sequence[Sentence]) -> list[Sentence]:
    """Best sentences within the length budget; with no key-term hits (e.g. 下半年有什么打算), the
    opening sentences of the best passage.
    """
    best = ranked[0].score if ranked else 0.0
    floor = max(MIN_SHARE, RELATIVE_SHARE * best)
    hits = [s for s in ranked if s.score >= floor] or [s for s in ranked if s.passage == 0][:3]
    hits = _each_passage_first(hits)
    chosen: list[Sentence] = []
    size = 0
    for s in hits:
        if len(chosen) >= MAX_SENTENCES:
            break
        if chosen and size + len(s.text) > MAX_CHARS:
            continue
        chosen.append(s)
        size += len(s.text)
    return chosen


def _each_passage_first(hits: Sequence[Sentence]) -> list[Sentence]:
    """The best sentence of every passage that has one, then the rest by score: an answer spread over
    several reports quotes each of them before quoting more of any one.
    """
    seen: set[int] = set()
    firsts = []
    for s in hits:
        if s.passage not in seen:
            seen.add(s.passage)
            firsts.append(s)
    return firsts + [s for s in hits if s not in firsts]


def extractive_answer(
    terms: Sequence[KeyTerm], passages: Sequence[Passage], *, wants_figures: bool = False
) -> tuple[str, list[Citation]]:
    """Label, then the chosen sentences grouped per source document in passage order, each cited."""
    chosen = select_sentences(rank_sentences(terms, passages, wants_figures=wants_figures))

    def group(pi: int) -> tuple[str, str]:  # one block per article (004's three cities apart)
        chunk = passages[pi].chunk
        return chunk.doc_id, chunk.display_title

    first_of_group: dict[tuple[str, str], int] = {}
    for s in sorted(chosen, key=lambda s: s.passage):
        first_of_group.setdefault(group(s.passage), s.passage)
    chosen.sort(key=lambda s: (first_of_group[group(s.passage)], s.passage, s.position))
    numbers: dict[int, int] = {}
    groups: dict[tuple[str, str], list[str]] = {}
    for s in chosen:
        n = numbers.setdefault(s.passage, len(numbers) + 1)
        groups.setdefault(group(s.passage), []).append(_display(s.text, f"[{n}]"))
    citations = [Citation.from_chunk(n, passages[pi].chunk) for pi, n in numbers.items()]
    blocks = [f"《{title}》\n{''.join(lines)}" for (_, title), lines in groups.items()]
    return "\n\n".join([EXTRACTIVE_LABEL, *blocks]), citations

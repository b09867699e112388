"""Synthetic scale corpora: the real corpus chunks, then perturbed replicas of them, with stand-in vectors.

Chunk ``i`` is a copy of base chunk ``i % n``; copy 0 is the original (so every evaluation question still
has its answer in the index), later copies have their sentences shuffled, every digit mapped through one of
a few digit permutations, and every city name swapped for another. They are near-duplicate distractors, the
hardest kind for search, not a realistic corpus: vocabulary stays small and posting lists long, which makes
BM25 slower than on real text of the same size.

Vectors are NOT embeddings of the perturbed text: a replica's vector is its original's stored vector plus
random noise (renormalised, cosine ≈ 0.96 to the original). BM25 terms are exactly what the product indexes
(``lexical_terms`` of the index text), computed per perturbed sentence and cached, because jieba splits at
the sentence punctuation anyway; this keeps 100k chunks to seconds instead of minutes.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from retrieval.text.index_text import index_text
from retrieval.text.tokenize import lexical_terms

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from retrieval.types import ChunkRecord

CITIES = ("清远", "英德", "连州", "佛冈", "义乌", "阳山", "连南", "金华", "韶关", "肇庆")
DIGIT_VARIANTS = 8
VECTOR_NOISE = 0.3
"""Norm of the random vector added to a replica's original vector (before renormalising)."""

_SENTENCE_END = re.compile(r"(?<=[。！？；!?;\n])")
_CITY = re.compile("|".join(CITIES))


def split_sentences(text: str) -> list[str]:
    """Sentences with their end punctuation; joined back they give ``text``."""
    return [s for s in _SENTENCE_END.split(text) if s]


@dataclass(frozen=True)
class Variant:
    """One way of perturbing a sentence: a digit permutation and the city every city name becomes."""

    digits: dict[int, int]
    city: str

    def apply(self, sentence: str) -> str:
        return _CITY.sub(self.city, sentence.translate(self.digits))


def make_variants(seed: int) -> list[Variant]:
    """``DIGIT_VARIANTS`` × ``len(CITIES)`` variants, each digit permutation moving every digit."""
    rng = random.Random(seed)
    variants = []
    for _ in range(DIGIT_VARIANTS):
        while True:
            perm = list("0123456789")
            rng.shuffle(perm)
            if all(p != d for p, d in zip(perm, "0123456789", strict=True)):
                break
        table = {ord(d): ord(p) for d, p in zip("0123456789", perm, strict=True)}
        variants.extend(Variant(table, city) for city in CITIES)
    return variants


def perturb(text: str, rng: random.Random, variant: Variant) -> str:
    """``text`` with its sentences shuffled, digits permuted and city names swapped (length kept)."""
    parts = split_sentences(text)
    rng.shuffle(parts)
    return "".join(variant.apply(s) for s in parts)


@lru_cache(maxsize=200_000)
def _terms(piece: str) -> tuple[str, ...]:
    return tuple(lexical_terms(piece))


def index_terms(head: str, body_sentences: Sequence[str]) -> list[str]:
    """BM25 terms of ``head + "\\n" + body`` assembled from cached per-sentence terms."""
    terms = list(_terms(head))
    for s in body_sentences:
        terms.extend(_terms(s))
    return terms


def _head(chunk: ChunkRecord) -> str:
    """The title part of ``retrieval.text.index_text.index_text`` (before the newline)."""
    head = [chunk.doc_title]
    if chunk.article_title and chunk.article_title != chunk.doc_title:
        head.append(chunk.article_title)
    head.extend(chunk.heading_path)
    return " ".join(h for h in head if h)


@dataclass(frozen=True)
class ScaleChunk:
    """One chunk of a scale corpus with its BM25 terms and stand-in vector."""

    chunk: ChunkRecord
    terms: list[str]
    vector: np.ndarray


def generate(
    base: Sequence[ChunkRecord], vectors: np.ndarray, size: int, *, seed: int = 0, doc_size: int = 5000
) -> Iterator[ScaleChunk]:
    """``size`` chunks: the base chunks, then perturbed replicas; document ``j`` holds chunks
    ``[j*doc_size, (j+1)*doc_size)`` and is named ``scale-j``."""
    variants = make_variants(seed)
    noise = np.random.default_rng(seed)
    n = len(base)
    for i in range(size):
        b = base[i % n]
        replica = i // n
        doc_id = f"scale-{i // doc_size}"
        if replica == 0:
            chunk = replace(b, chunk_id=f"s{i}", doc_id=doc_id)
            sentences = split_sentences(b.text)
            head = _head(b)
            vector = vectors[i % n]
        else:
            rng = random.Random(seed * 1_000_003 + i)
            variant = variants[rng.randrange(len(variants))]
            sentences = [variant.apply(s) for s in split_sentences(b.text)]
            rng.shuffle(sentences)
            chunk = replace(
                b,
                chunk_id=f"s{i}",
                doc_id=doc_id,
                text="".join(sentences),
                doc_title=variant.apply(b.doc_title),
                article_title=variant.apply(b.article_title),
                heading_path=tuple(variant.apply(h) for h in b.heading_path),
            )
            head = _head(chunk)
            v = vectors[i % n] + VECTOR_NOISE * _unit(noise.standard_normal(vectors.shape[1]))
            vector = _unit(v)
        yield ScaleChunk(chunk, index_terms(head, sentences), np.asarray(vector, dtype=np.float32))


def _unit(v: np.ndarray) -> np.ndarray:
    return v / max(float(np.linalg.norm(v)), 1e-12)


def exact_terms(chunk: ChunkRecord) -> list[str]:
    """What ``LexicalIndex.rebuild`` would index for ``chunk`` (to check ``index_terms`` against)."""
    return lexical_terms(index_text(chunk))

"""The two naive baselines the benchmark measures our search against, built from the raw files.

Both cut the raw file text (no cleaning, no structure) into fixed 500-character windows overlapping by 50:

- ``DenseBaseline``: those windows embedded as they are with the same bundled embedder, nearest neighbours in
  a Chroma collection of their own (cosine), the raw question embedded as the query.
- ``Bm25Baseline``: the same windows, BM25 over plain jieba words (``retrieval.text.tokenize.tokenize``, no
  bigrams, no glossary, no intent boost).

Run alone, the BM25 baseline scores a question file over folders of documents (search only)::

    PYTHONPATH=. python benchmarks/naive_baselines.py eval/second.jsonl eval/second/docs ../shared/corpus

With ``--extract`` (the default for this command) .docx/.pdf/.html and non-UTF-8 text are read through the
product's loader (``ingest.load.load_text``: decoding and text extraction, no cleaning, no structure), so
the windows are the documents' text rather than their bytes.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from retrieval.store.batches import batched
from retrieval.store.lexical import BM25Index
from retrieval.text.tokenize import tokenize
from retrieval.types import ChunkRecord, Passage

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from chromadb.api import ClientAPI
    from langchain_core.embeddings import Embeddings

CHUNK_SIZE = 500
CHUNK_OVERLAP = 50
_UPSERT_BATCH = 1000


def fixed_windows(text: str, size: int = CHUNK_SIZE, overlap: int = CHUNK_OVERLAP) -> list[tuple[int, int]]:
    """(start, end) of consecutive ``size``-character windows, each starting ``size - overlap`` after the last.

    The last window ends at the end of the text; a text shorter than ``size`` is one window.
    """
    if not 0 <= overlap < size:
        msg = f"overlap must be in [0, size): size={size} overlap={overlap}"
        raise ValueError(msg)
    if not text:
        return []
    step = size - overlap
    windows = []
    start = 0
    while True:
        end = min(start + size, len(text))
        windows.append((start, end))
        if end == len(text):
            return windows
        start += step


def raw_text(path: Path) -> str:
    """The file's bytes read as UTF-8 (what the benchmark's baselines index)."""
    return path.read_text(encoding="utf-8", errors="replace")


def fixed_chunks(files: Sequence[Path], read: Callable[[Path], str] = raw_text) -> list[ChunkRecord]:
    """500/50 windows over the text ``read`` gives for each file (default: raw UTF-8), as ``ChunkRecord``."""
    chunks = []
    for path in files:
        text = read(path)
        for i, (start, end) in enumerate(fixed_windows(text)):
            chunks.append(
                ChunkRecord(
                    chunk_id=f"{path.name}#{i}",
                    doc_id=path.name,
                    text=text[start:end],
                    source=path.name,
                    doc_title=path.stem,
                    article_title="",
                    heading_path=(),
                    start=start,
                    end=end,
                    ordinal=i,
                )
            )
    return chunks


class DenseBaseline:
    """Dense-only search over fixed windows in a Chroma collection of its own."""

    def __init__(
        self, client: ClientAPI, embeddings: Embeddings, chunks: Sequence[ChunkRecord], *, name: str
    ) -> None:
        self.embeddings = embeddings
        self._by_id = {c.chunk_id: c for c in chunks}
        with contextlib.suppress(Exception):  # chromadb versions raise different errors for a missing one
            client.delete_collection(name)
        self._collection = client.create_collection(
            name, embedding_function=None, metadata={"hnsw:space": "cosine"}
        )
        vectors = embeddings.embed_documents([c.text for c in chunks])
        for part, vecs in zip(batched(chunks, _UPSERT_BATCH), batched(vectors, _UPSERT_BATCH), strict=True):
            self._collection.upsert(
                ids=[c.chunk_id for c in part], embeddings=vecs, documents=[c.text for c in part]
            )

    def search(self, query: str, k: int) -> list[Passage]:
        """Nearest windows to the raw question (texts read back from Chroma, as a real retriever would)."""
        got = self._collection.query(
            query_embeddings=[self.embeddings.embed_query(query)],
            n_results=min(k, len(self._by_id)),
            include=["documents", "distances"],
        )
        return [
            Passage(replace(self._by_id[cid], text=text or ""), 1.0 - float(dist))
            for cid, text, dist in zip(
                got["ids"][0], (got["documents"] or [[]])[0], (got["distances"] or [[]])[0], strict=True
            )
        ]


class Bm25Baseline:
    """BM25 over plain jieba words of fixed windows (the product's BM25 scorer, the naive tokens)."""

    def __init__(self, chunks: Sequence[ChunkRecord]) -> None:
        self._by_id = {c.chunk_id: c for c in chunks}
        self.index = BM25Index.build(((c.chunk_id, tokenize(c.text)) for c in chunks), "baseline")

    def search(self, query: str, k: int) -> list[Passage]:
        """Top windows by BM25 score."""
        return [Passage(self._by_id[cid], score) for cid, score in self.index.search(tokenize(query), k)]


def main(argv: list[str] | None = None) -> int:
    """Score the BM25 baseline on a question file over folders of documents; prints the eval report."""
    parser = argparse.ArgumentParser(
        description="BM25 over 500/50 windows: search-only scores on a question file"
    )
    parser.add_argument("questions", type=Path, help="question file (eval/questions.jsonl format)")
    parser.add_argument("folders", type=Path, nargs="+", help="folders of documents to index")
    parser.add_argument("--k", type=int, default=10, help="passages searched per question")
    parser.add_argument("--raw", action="store_true", help="index raw UTF-8 bytes instead of extracted text")
    parser.add_argument("--json", action="store_true", help="print the full JSON report")
    args = parser.parse_args(argv)

    import json

    from ingest.load import SUPPORTED_SUFFIXES, load_text
    from retrieval.evaluation import load_questions, run_evaluation

    files = sorted(
        p for folder in args.folders for p in folder.rglob("*") if p.suffix.lower() in SUPPORTED_SUFFIXES
    )
    bm25 = Bm25Baseline(fixed_chunks(files, raw_text if args.raw else load_text))
    report = run_evaluation(load_questions(args.questions), bm25.search, k=args.k)
    print(json.dumps(report.to_json(), ensure_ascii=False, indent=2) if args.json else report.render())
    return 0


if __name__ == "__main__":
    sys.exit(main())

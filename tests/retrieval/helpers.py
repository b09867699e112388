"""Small builders for retrieval tests (real chunks, real store)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from retrieval.search.hybrid import HybridSearcher
from retrieval.store.chunks import ChunkStore, open_client
from retrieval.store.embeddings import build_embeddings
from retrieval.store.lexical import LexicalIndex
from retrieval.types import ChunkRecord, DocumentInfo
from tests.support.env import shared_embedding_cache

if TYPE_CHECKING:
    from pathlib import Path


def chunk(doc_id: str, ordinal: int, text: str, **meta: object) -> ChunkRecord:
    """A chunk with sensible defaults for the fields a test does not care about."""
    fields: dict[str, object] = {
        "source": f"{doc_id}.txt",
        "doc_title": "示例县卫生健康局工作总结",
        "article_title": "示例县卫生健康局工作总结",
        "heading_path": ("一、上半年工作",),
        "kind": "summary",
        "period": "上半年",
        "doc_hash": "h1",
    }
    fields.update(meta)
    return ChunkRecord(
        chunk_id=f"{doc_id}-{ordinal:04d}", doc_id=doc_id, text=text, ordinal=ordinal, **fields
    )  # type: ignore[arg-type]


def put(store: ChunkStore, doc_id: str, chunks: list[ChunkRecord], doc_hash: str = "h1") -> None:
    """Upsert ``chunks`` as document ``doc_id``."""
    info = DocumentInfo(
        doc_id,
        f"{doc_id}.txt",
        chunks[0].doc_title if chunks else "",
        f"/nowhere/{doc_id}",
        doc_hash,
        len(chunks),
        1,
    )
    store.upsert_document(info, chunks)


def make_searcher(data_dir: Path) -> tuple[ChunkStore, LexicalIndex, HybridSearcher]:
    """A real embedded store, lexical index and searcher under ``data_dir``."""
    store = ChunkStore(
        open_client(data_dir),
        build_embeddings(cache_dir=shared_embedding_cache(data_dir / "cache")),
        lock_path=data_dir / "lock",
    )
    lexical = LexicalIndex(store, data_dir / "lexical", check_every=0)
    return store, lexical, HybridSearcher(store, lexical)

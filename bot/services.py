"""Composition root of the core: builds the store, indexes, searcher and services from ``Settings``.

The CLI and the Telegram bot both call ``build_services``; nothing below ``bot/`` reads settings.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ingest.library import Library
from ingest.service import IngestService
from retrieval.answer import AnswerService
from retrieval.context import SectionContext
from retrieval.draft import DraftService
from retrieval.embeddings import build_embeddings
from retrieval.lexical import LexicalIndex
from retrieval.search import HybridSearcher
from retrieval.store import ChunkStore, open_client

if TYPE_CHECKING:
    from bot.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class Services:
    """Everything a front end needs; front ends only render what these return."""

    store: ChunkStore
    lexical: LexicalIndex
    searcher: HybridSearcher
    answers: AnswerService
    ingest: IngestService
    drafts: DraftService
    library: Library


def build_services(settings: Settings) -> Services:
    """Wire the core from settings (opens the store; loads the embedder; no network unless configured)."""
    data_dir = settings.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    embeddings = build_embeddings(settings.embedding_model, cache_dir=data_dir / "cache")
    client = open_client(data_dir, settings.chroma_url)
    store = ChunkStore(
        client,
        embeddings,
        collection=settings.chroma_collection,
        lock_path=None if settings.chroma_url else data_dir / "store.lock",
    )
    lexical = LexicalIndex(store, data_dir / "lexical" / settings.chroma_collection)
    reranker = None
    if settings.reranker_model:
        from retrieval.rerank import Reranker

        reranker = Reranker(settings.reranker_model)
    searcher = HybridSearcher(store, lexical, reranker=reranker, dense_weight=settings.dense_weight)
    llm = None
    if settings.llm_configured:
        from retrieval.llm import build_chat_model

        llm = build_chat_model(
            settings.llm_base_url or "",
            settings.llm_api_key.get_secret_value(),
            settings.llm_model,
            timeout=settings.llm_timeout,
            temperature=settings.llm_temperature,
        )
    answers = AnswerService(searcher, llm, top_k=settings.top_k, context=SectionContext(store))
    drafts = DraftService(searcher, llm)
    return Services(
        store,
        lexical,
        searcher,
        answers,
        IngestService(store, lexical, limits=settings.parse_limits()),
        drafts,
        Library(store),
    )

"""Composition root of the core: builds the store, indexes, searcher and services from ``Settings``.

The CLI, ``reportbot doctor`` and the chat front ends all build through these factories; nothing below
``bot/`` reads settings. ``build_services`` wires everything; a command that needs only some parts (doctor
checks them one by one) calls the small factories it needs. Heavy modules are imported inside the factories,
so importing this module costs little.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from langchain_core.embeddings import Embeddings
    from langchain_core.language_models import BaseChatModel

    from bot.settings import Settings
    from ingest.library import Library
    from ingest.service import IngestService
    from retrieval.answer import AnswerService
    from retrieval.drafting import DraftService
    from retrieval.lexical import LexicalIndex
    from retrieval.search import HybridSearcher
    from retrieval.store import ChunkStore


@dataclass
class Services:
    """Everything a front end needs; front ends only render what these return.

    Front ends read through ``library``, write through ``ingest``, and ask ``searcher``, ``answers`` and
    ``drafts``. ``store`` and ``lexical`` are the components underneath, kept for the composition root, tests
    and benchmarks (and the Telegram handlers until they move to the chat core): front ends do not use them.
    """

    store: ChunkStore
    lexical: LexicalIndex
    searcher: HybridSearcher
    answers: AnswerService
    ingest: IngestService
    drafts: DraftService
    library: Library


def embedding_model_key(settings: Settings) -> str:
    """The key of the configured embedder (as the embedding cache and exported archives record it)."""
    from retrieval.embeddings import BUNDLED_MODEL, model_key

    return model_key(settings.embedding_model or BUNDLED_MODEL)


def build_embedder(settings: Settings, *, cached: bool = True) -> Embeddings:
    """The configured embedder; ``cached`` keeps its vectors in the data dir's embedding cache."""
    from retrieval.embeddings import BUNDLED_MODEL, build_embeddings

    model = settings.embedding_model or BUNDLED_MODEL
    return build_embeddings(model, cache_dir=settings.data_dir / "cache" if cached else None)


def build_client(settings: Settings) -> ClientAPI:
    """The Chroma client: the server at ``chroma_url`` when set, else the embedded store in the data dir."""
    from retrieval.store import open_client

    return open_client(settings.data_dir, settings.chroma_url)


def build_store(settings: Settings, embeddings: Embeddings, client: ClientAPI | None = None) -> ChunkStore:
    """The chunk store on ``client`` (default: ``build_client``); an embedded store gets a write lock file."""
    from retrieval.store import ChunkStore

    return ChunkStore(
        client if client is not None else build_client(settings),
        embeddings,
        collection=settings.chroma_collection,
        lock_path=None if settings.chroma_url else settings.data_dir / "store.lock",
    )


def build_lexical(settings: Settings, store: ChunkStore) -> LexicalIndex:
    """The BM25 index of ``store``, persisted in the data dir."""
    from retrieval.lexical import LexicalIndex

    return LexicalIndex(store, settings.data_dir / "lexical" / settings.chroma_collection)


def build_searcher(settings: Settings, store: ChunkStore, lexical: LexicalIndex) -> HybridSearcher:
    """Dense + BM25 search with the configured fusion weight and optional reranker."""
    from retrieval.search import HybridSearcher

    reranker = None
    if settings.reranker_model:
        from retrieval.rerank import Reranker

        reranker = Reranker(settings.reranker_model)
    return HybridSearcher(store, lexical, reranker=reranker, dense_weight=settings.dense_weight)


def build_llm(settings: Settings) -> BaseChatModel | None:
    """The configured chat model, or None when no LLM endpoint is set (extractive answers)."""
    if not settings.llm_configured:
        return None
    from retrieval.llm import build_chat_model

    return build_chat_model(
        settings.llm_base_url or "",
        settings.llm_api_key.get_secret_value(),
        settings.llm_model,
        timeout=settings.llm_timeout,
        temperature=settings.llm_temperature,
    )


def build_services(settings: Settings) -> Services:
    """Wire the core from settings (opens the store; loads the embedder; no network unless configured)."""
    from ingest.library import Library
    from ingest.service import IngestService
    from retrieval.answer import AnswerService
    from retrieval.context import SectionContext
    from retrieval.drafting import DraftService

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = build_store(settings, build_embedder(settings))
    lexical = build_lexical(settings, store)
    searcher = build_searcher(settings, store, lexical)
    llm = build_llm(settings)
    key = embedding_model_key(settings)
    return Services(
        store=store,
        lexical=lexical,
        searcher=searcher,
        answers=AnswerService(searcher, llm, top_k=settings.top_k, context=SectionContext(store)),
        ingest=IngestService(store, lexical, model_key=key, limits=settings.parse_limits()),
        drafts=DraftService(searcher, llm),
        library=Library(store, model_key=key),
    )

"""Composition root of the core: builds the store, indexes, searcher and services from ``Settings``.

The CLI, ``reportbot doctor`` and the chat front ends all build through these factories; nothing below
``bot/`` reads settings. ``build_services`` wires everything; a command that needs only some parts (doctor
checks them one by one) calls the small factories it needs. Heavy modules are imported inside the factories,
so importing this module costs little.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from collections.abc import Callable

    from chromadb.api import ClientAPI
    from langchain_core.embeddings import Embeddings
    from langchain_core.language_models import BaseChatModel

    from bot.embedder import LazyEmbeddings
    from bot.settings import Settings
    from ingest.library import Library
    from ingest.service import IngestService
    from retrieval.answers.service import AnswerService
    from retrieval.drafting import DraftService
    from retrieval.search.hybrid import HybridSearcher
    from retrieval.search.rerank import Reranker
    from retrieval.search.rerank_endpoint import EndpointReranker
    from retrieval.store.chunks import ChunkStore
    from retrieval.store.embedding_endpoint import EndpointEmbeddings
    from retrieval.store.lexical import LexicalIndex


LOCAL_GLOSSARY = "glossary.txt"
"""The knowledge base's own colloquial → official entries, beside ``retrieval/text/synonyms.txt``."""


class Services:
    """Everything a front end needs; front ends only render what these return.

    Front ends read through ``library``, write through ``ingest``, and ask ``searcher``, ``answers`` and
    ``drafts``. ``store`` and ``lexical`` are the components underneath, kept for the composition root, tests
    and benchmarks (and the Telegram handlers until they move to the chat core): front ends do not use them.
    Each part is built on first access (``build_services(lazy=True)``: a command pays only for what it
    touches) or all at once by ``build_services``; ``embedder`` counts what was embedded and reports progress.
    """

    def __init__(self, settings: Settings, embedder: LazyEmbeddings) -> None:
        self.settings = settings
        self.embedder = embedder
        self._parts: dict[str, Any] = {}
        self._lock = threading.RLock()

    def _part(self, name: str, build: Callable[[], Any]) -> Any:
        with self._lock:
            if name not in self._parts:
                self._parts[name] = build()
            return self._parts[name]

    @property
    def store(self) -> ChunkStore:
        """The chunk store (opens Chroma)."""
        return cast("ChunkStore", self._part("store", lambda: build_store(self.settings, self._embeddings)))

    @property
    def lexical(self) -> LexicalIndex:
        """The BM25 index of the store."""
        return cast("LexicalIndex", self._part("lexical", lambda: build_lexical(self.settings, self.store)))

    @property
    def searcher(self) -> HybridSearcher:
        """Dense + BM25 search."""
        return cast(
            "HybridSearcher",
            self._part("searcher", lambda: build_searcher(self.settings, self.store, self.lexical)),
        )

    @property
    def answers(self) -> AnswerService:
        """Cited answers (extractive, or by the LLM when one is configured)."""
        return cast("AnswerService", self._part("answers", self._build_answers))

    @property
    def drafts(self) -> DraftService:
        """Cited drafts."""
        return cast("DraftService", self._part("drafts", self._build_drafts))

    @property
    def ingest(self) -> IngestService:
        """The only writer of the knowledge base."""
        return cast("IngestService", self._part("ingest", self._build_ingest))

    @property
    def library(self) -> Library:
        """The read side of the knowledge base."""
        return cast("Library", self._part("library", self._build_library))

    @property
    def _embeddings(self) -> Embeddings:
        return cast("Embeddings", self.embedder)

    def _llm(self) -> BaseChatModel | None:
        return cast("BaseChatModel | None", self._part("llm", lambda: build_llm(self.settings)))

    def _build_answers(self) -> AnswerService:
        from retrieval.answers.service import AnswerService
        from retrieval.search.context import SectionContext

        return AnswerService(
            self.searcher, self._llm(), top_k=self.settings.top_k, context=SectionContext(self.store)
        )

    def _build_drafts(self) -> DraftService:
        from retrieval.drafting import DraftService

        return DraftService(self.searcher, self._llm())

    def _build_ingest(self) -> IngestService:
        from ingest.service import IngestService

        return IngestService(
            self.store,
            self.lexical,
            model_key=embedding_model_key(self.settings),
            limits=self.settings.parse_limits(),
        )

    def _build_library(self) -> Library:
        from ingest.library import Library

        return Library(self.store, model_key=embedding_model_key(self.settings))

    def replace(self, **parts: Any) -> Services:
        """A copy with some parts swapped (e.g. ``answers=`` an answer service with another LLM); the parts
        already built are shared, the others are built on first use as usual.
        """
        unknown = set(parts) - {"store", "lexical", "searcher", "answers", "ingest", "drafts", "library"}
        if unknown:
            msg = f"not a part of Services: {', '.join(sorted(unknown))}"
            raise TypeError(msg)
        copy = Services(self.settings, self.embedder)
        copy._parts = {**self._parts, **parts}
        return copy

    def build_all(self) -> Services:
        """Build every part now (a server wants its errors at start, not at the first request)."""
        self.embedder.inner  # noqa: B018 - loads the model
        for name in ("store", "lexical", "searcher", "answers", "ingest", "drafts", "library"):
            getattr(self, name)
        return self


def embedding_model_key(settings: Settings) -> str:
    """The key of the configured embedder (as the embedding cache and exported archives record it)."""
    from retrieval.store import BUNDLED_MODEL
    from retrieval.store.embeddings import model_key

    if settings.embedding_url:
        from retrieval.store.embedding_endpoint import endpoint_model_key

        return endpoint_model_key(settings.embedding_model or BUNDLED_MODEL, settings.embedding_roles)
    return model_key(settings.embedding_model or BUNDLED_MODEL)


def build_embedder(settings: Settings, *, cached: bool = True) -> Embeddings:
    """The configured embedder; ``cached`` keeps its vectors in the data dir's embedding cache."""
    from retrieval.store import BUNDLED_MODEL
    from retrieval.store.embeddings import build_embeddings, with_cache

    model = settings.embedding_model or BUNDLED_MODEL
    cache_dir = settings.embedding_cache_dir or settings.data_dir / "cache"
    if settings.embedding_url:
        return with_cache(
            build_endpoint_embedder(settings), embedding_model_key(settings), cache_dir if cached else None
        )
    return build_embeddings(model, cache_dir=cache_dir if cached else None)


def build_endpoint_embedder(settings: Settings) -> EndpointEmbeddings:
    """The embeddings endpoint's client (``REPORTBOT_EMBEDDING_URL`` must be set), without the cache."""
    from retrieval.store import BUNDLED_MODEL
    from retrieval.store.embedding_endpoint import EndpointEmbeddings

    return EndpointEmbeddings(
        settings.embedding_url or "",
        settings.embedding_api_key.get_secret_value(),
        settings.embedding_model or BUNDLED_MODEL,
        roles=settings.embedding_roles,
        batch_size=settings.embedding_batch_size,
        in_flight=settings.embedding_in_flight,
        seconds=settings.embedding_timeout,
        query_seconds=settings.embedding_query_timeout,
    )


def build_client(settings: Settings) -> ClientAPI:
    """The Chroma client: the server at ``chroma_url`` when set, else the embedded store in the data dir."""
    from retrieval.store.chunks import open_client

    return open_client(settings.data_dir, settings.chroma_url)


def build_store(settings: Settings, embeddings: Embeddings, client: ClientAPI | None = None) -> ChunkStore:
    """The chunk store on ``client`` (default: ``build_client``); an embedded store gets a write lock file."""
    from retrieval.store.chunks import ChunkStore
    from retrieval.store.disk_space import MB, DiskSpace

    embedded = not settings.chroma_url
    return ChunkStore(
        client if client is not None else build_client(settings),
        embeddings,
        collection=settings.chroma_collection,
        lock_path=settings.data_dir / "store.lock" if embedded else None,
        space=DiskSpace(settings.data_dir if embedded else None, settings.store_min_free_mb * MB),
        model_key=embedding_model_key(settings),
    )


def build_lexical(settings: Settings, store: ChunkStore) -> LexicalIndex:
    """The BM25 index of ``store``, persisted in the data dir."""
    from retrieval.store.lexical import LexicalIndex

    return LexicalIndex(store, settings.data_dir / "lexical" / settings.chroma_collection)


def build_searcher(settings: Settings, store: ChunkStore, lexical: LexicalIndex) -> HybridSearcher:
    """Dense + BM25 search with the configured fusion weight and optional reranker."""
    from retrieval.search.hybrid import HybridSearcher

    reranker: Reranker | EndpointReranker | None = None
    if settings.rerank_url:
        reranker = build_endpoint_reranker(settings)
    elif settings.reranker_model:
        from retrieval.search.rerank import Reranker

        reranker = Reranker(settings.reranker_model)
    return HybridSearcher(store, lexical, reranker=reranker, dense_weight=settings.dense_weight)


def build_endpoint_reranker(settings: Settings) -> EndpointReranker:
    """The rerank endpoint's client (``REPORTBOT_RERANK_URL`` must be set)."""
    from retrieval.search.rerank_endpoint import EndpointReranker

    return EndpointReranker(
        settings.rerank_url or "",
        settings.rerank_api_key.get_secret_value(),
        settings.rerank_model,
        api=settings.rerank_api,
        seconds=settings.rerank_timeout,
    )


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


def build_services(settings: Settings, *, lazy: bool = False) -> Services:
    """Wire the core from settings (opens the store; loads the embedder; no network unless configured).

    ``lazy`` builds each part on first use instead (the CLI: ``docs`` never loads the embedding model, ``ask``
    never imports the ingest pipeline, the LLM client is imported only when an LLM is configured and used).
    """
    from bot.embedder import LazyEmbeddings
    from retrieval.text.synonyms import use_local_glossary

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    use_local_glossary(settings.data_dir / LOCAL_GLOSSARY)  # the console's 未答问题 page adds to it
    embedder = LazyEmbeddings(lambda: build_embedder(settings))
    if settings.embedding_url:  # slices big enough to keep every request slot of the endpoint busy
        embedder.slice = max(embedder.slice, settings.embedding_batch_size * settings.embedding_in_flight)
    services = Services(settings, embedder)
    return services if lazy else services.build_all()

"""One Chroma collection behind exactly the operations the store uses, with types and the store's health.

Connection failures (server down, timeout) surface as ``StoreUnavailableError``, so front ends show one clear
message and the next call retries. Once a write failed on a full disk and could not be undone, the store's
``StoreHealth`` is wedged and every call is refused before it reaches Chroma (``disk_space.py`` says why).
chromadb's own annotations are not followed by mypy here (see pyproject), so results come back as ``Rows``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import httpx
import numpy as np

from retrieval.errors import StoreUnavailableError

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

T = TypeVar("T")
Include = Literal["documents", "metadatas", "embeddings"]
Metadata = Mapping[str, Any]  # str, int, float or bool values, as written by ``records.py``
Where = dict[str, Any]  # a Chroma metadata filter: {"doc_id": "d1"}, {"$and": [...]}

WEDGED = (
    "写入知识库失败（磁盘已满），未完成的写入无法在磁盘已满时撤回：请释放磁盘空间，"
    "然后运行 reportbot reindex 清理（服务进程需重启）"
)


class StoreHealth:
    """Shared by a store's collections: set once a write failed on a full disk and could not be undone.

    From then on this process does not call Chroma again (see ``retrieval/store/disk_space.py`` for why).
    """

    def __init__(self) -> None:
        self.wedged = ""

    def wedge(self) -> None:
        """Stop using Chroma in this process (a write could not be undone on a full disk)."""
        self.wedged = WEDGED


@dataclass(frozen=True)
class Rows:
    """Records in columns, in the order Chroma returned them; a column that was not included is empty."""

    ids: list[str]
    documents: list[str]
    metadatas: list[Metadata]
    embeddings: list[list[float]]


@dataclass(frozen=True)
class Hits(Rows):
    """The nearest records to one query vector, nearest first, with their cosine distances."""

    distances: list[float]


class GuardedCollection:
    """A Chroma collection: ``get``, ``query``, ``upsert``, ``delete`` and ``count``, guarded by ``health``."""

    def __init__(self, collection: Collection, health: StoreHealth) -> None:
        self._collection = collection
        self.health = health

    def _call(self, operation: Callable[[], T]) -> T:
        if self.health.wedged:
            raise StoreUnavailableError(self.health.wedged)
        try:
            return operation()
        except httpx.TransportError as exc:
            msg = f"与 Chroma 服务器的连接中断（{type(exc).__name__}），请确认服务已启动后重试"
            raise StoreUnavailableError(msg) from exc

    def get(
        self,
        ids: Sequence[str] | None = None,
        *,
        include: Sequence[Include],
        where: Where | None = None,
        limit: int | None = None,
        offset: int | None = None,
    ) -> Rows:
        """Records by id, by metadata filter, or a page of all of them (``limit``/``offset``)."""
        got = self._call(
            lambda: self._collection.get(
                ids=list(ids) if ids is not None else None,
                where=where,
                limit=limit,
                offset=offset,
                include=list(include),
            )
        )
        return Rows(
            got["ids"], _texts(got["documents"]), _metadatas(got["metadatas"]), _vectors(got["embeddings"])
        )

    def query(self, vector: Sequence[float], k: int, include: Sequence[Include] = ()) -> Hits:
        """The ``k`` nearest records to ``vector`` (fewer in a small collection), with their distances."""
        got = self._call(
            lambda: self._collection.query(
                query_embeddings=[list(vector)], n_results=k, include=[*include, "distances"]
            )
        )
        return Hits(
            got["ids"][0],
            _texts(_first(got["documents"])),
            _metadatas(_first(got["metadatas"])),
            _vectors(_first(got["embeddings"])),
            [float(d) for d in _first(got["distances"]) or []],
        )

    def upsert(
        self,
        ids: Sequence[str],
        embeddings: Sequence[Sequence[float]],
        documents: Sequence[str],
        metadatas: Sequence[Metadata],
    ) -> None:
        """Add or replace records (every record with its vector, text and metadata)."""
        self._call(
            lambda: self._collection.upsert(
                ids=list(ids),
                embeddings=[list(v) for v in embeddings],
                documents=list(documents),
                metadatas=list(metadatas),
            )
        )

    def delete(self, ids: Sequence[str]) -> None:
        """Remove records by id (unknown ids are ignored)."""
        self._call(lambda: self._collection.delete(ids=list(ids)))

    def count(self) -> int:
        """Number of records."""
        return int(self._call(self._collection.count))


def open_collection(
    client: ClientAPI, name: str, metadata: dict[str, Any] | None, health: StoreHealth
) -> GuardedCollection:
    """Chroma's collection ``name`` (created when missing, with no embedding function: nothing is embedded
    behind our back), guarded by ``health``.
    """
    try:
        collection = client.get_or_create_collection(name, embedding_function=None, metadata=metadata)
    except Exception as exc:
        msg = f"无法打开向量库集合 {name}（{type(exc).__name__}: {exc}）"
        raise StoreUnavailableError(msg) from exc
    return GuardedCollection(collection, health)


def _first(column: Any) -> Any:
    """A query result's column for its one query vector (None when not included)."""
    return column[0] if column is not None else None


def _texts(column: list[str | None] | None) -> list[str]:
    return [t or "" for t in column] if column is not None else []


def _metadatas(column: list[Metadata | None] | None) -> list[Metadata]:
    return [m or {} for m in column] if column is not None else []


def _vectors(column: Any) -> list[list[float]]:
    """Chroma returns vectors as a float32 array (embedded) or lists (server): plain floats either way."""
    if column is None or len(column) == 0:
        return []
    vectors: list[list[float]] = np.asarray(column, dtype=np.float32).tolist()
    return vectors

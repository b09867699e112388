"""The archive format of ``reportbot export``: names, and reading with every check done before any write.

A ``.tar.gz`` holding ``manifest.json`` (format version, creation time, embedding model key, counts, a SHA-256
per member), ``documents.jsonl`` (one ``DocumentInfo`` per line), ``chunks.jsonl`` (every ``ChunkRecord`` field,
grouped by document, by ordinal) and, optionally, ``embeddings.npy`` (float32, one row per line of
``chunks.jsonl``). Members are read into memory, never extracted to disk.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import zlib
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from retrieval.errors import ReportbotError
from retrieval.store.numpy_io import load_array
from retrieval.types import ChunkRecord, DocumentInfo

if TYPE_CHECKING:
    from pathlib import Path

FORMAT = "reportbot-archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DOCUMENTS = "documents.jsonl"
CHUNKS = "chunks.jsonl"
EMBEDDINGS = "embeddings.npy"
MEMBERS = {MANIFEST, DOCUMENTS, CHUNKS, EMBEDDINGS}


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
        """The embedding model the archived vectors were made with ("" when none were archived)."""
        return str(self.manifest.get("embedding_model", ""))

    @property
    def chunk_count(self) -> int:
        """Chunks in the archive, over all documents."""
        return sum(len(c) for c in self.chunks.values())


def read_archive(path: Path, *, data_dir: Path | None = None) -> Archive:
    """Read and check an archive completely; ``ArchiveError`` (in Chinese, naming the file) when it is not valid.

    A document's recorded ``path`` is kept only when it lies inside ``data_dir`` (an uploaded file); any other
    is dropped, so ``reindex`` never reads a file an archive points at elsewhere on the server.
    """
    try:
        members = _read_members(path)
    except (OSError, tarfile.TarError, EOFError, zlib.error) as exc:
        msg = f"无法读取备份文件 {path}：文件损坏或不是 reportbot 备份（{type(exc).__name__}）"
        raise ArchiveError(msg) from exc
    try:
        archive = _parse(members)
    except ArchiveError as exc:
        msg = f"备份文件 {path} 无效：{exc}，未导入任何内容"
        raise ArchiveError(msg) from None
    archive.documents = [replace(d, path=safe_path(d.path, data_dir)) for d in archive.documents]
    return archive


def safe_path(recorded: str, data_dir: Path | None) -> str:
    """``recorded`` when it resolves to a file inside ``data_dir``, else "" (no file to re-read)."""
    if not recorded or data_dir is None:
        return ""
    root = data_dir.resolve()
    resolved = (root / recorded).resolve()  # a relative path is taken inside the data dir, then checked
    return str(resolved) if resolved.is_relative_to(root) and resolved != root else ""


def _read_members(path: Path) -> dict[str, bytes]:
    members: dict[str, bytes] = {}
    with tarfile.open(path, "r:gz") as tar:
        for info in tar:
            if info.name not in MEMBERS or not info.isfile():
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
    checksums = manifest.get("sha256")
    required = {DOCUMENTS, CHUNKS} | ({EMBEDDINGS} if manifest.get("with_embeddings") else set())
    if not isinstance(checksums, dict) or not required <= set(checksums):
        missing = sorted(required - set(checksums if isinstance(checksums, dict) else {}))
        msg = f"manifest.json 缺少校验和（{', '.join(missing)}），无法确认备份完整，拒绝导入"
        raise ArchiveError(msg)
    for name, digest in checksums.items():
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
    names = {f.name for f in fields(cls) if f.init}  # not what search derived from a record
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
        matrix = load_array(io.BytesIO(data or b""))
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

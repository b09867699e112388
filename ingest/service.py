"""The only writer of the knowledge base, shared by the CLI and the bot: ingest, upload, delete, reindex and
archive import all go through ``IngestService`` (each as one ``write_batch``: lock → writes → refresh BM25).

Incremental by content hash, one document at a time: a document is identified by its source name (path
relative to the folder given, or the file name), so re-ingesting a changed file replaces its chunks and
ingesting the same file twice changes nothing, unless another embedding model made its stored vectors (the
store records which, ``ChunkStore.embedding_models``): then it is embedded again with the configured one.
"""

from __future__ import annotations

import hashlib
import logging
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.archive import ImportReport, import_documents, read_archive
from ingest.isolate import ParseLimits, load_isolated
from ingest.load import PARSER_FAILED_REASON
from ingest.parse import parse_document
from ingest.results import FileResult, IngestReport, Progress, Status, page_progress
from ingest.sources import discover, doc_id_for, prune_missing, same_name_reason
from ingest.write_batch import WriteBatch, write_batch
from retrieval.errors import ReportbotError, UnknownDocumentError
from retrieval.types import SCAN, DocumentInfo

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from retrieval.store.chunks import ChunkStore
    from retrieval.store.lexical import LexicalIndex

log = logging.getLogger(__name__)

# Bump when loading, cleaning or splitting changes, so re-ingest re-parses every document.
# 3: PDF lines rejoined, HTML page chrome dropped, units, quarantine counts; 4: 公文 parts kept out of the chunks;
# 5: scanned pages read by OCR (chunks say so), OFD, .doc/.wps.
INGEST_VERSION = "5"


class IngestService:
    """Adds, replaces, prunes, deletes and imports documents and keeps the lexical index in step.

    ``model_key`` names the embedder the store's vectors are made with (``retrieval.store.embeddings.model_key``):
    an archive's vectors are reused only when they were made with the same one ("" never reuses them).
    ``limits`` bound the work per file (time, memory, decompressed size, pages, characters, chunks).
    """

    def __init__(
        self,
        store: ChunkStore,
        lexical: LexicalIndex,
        *,
        model_key: str = "",
        limits: ParseLimits | None = None,
    ) -> None:
        self.store = store
        self.lexical = lexical
        self.model_key = model_key
        self.limits = limits or ParseLimits()

    def ingest(
        self,
        paths: Sequence[Path],
        *,
        prune: bool = False,
        force: bool = False,
        progress: Progress | None = None,
        replace: bool = False,
        source_prefix: str = "",
    ) -> IngestReport:
        """Ingest files and folders; a file that cannot be read is reported and the rest still ingests.

        A file whose source name (``source_prefix`` + its name) belongs to a document from another path is
        refused unless ``replace``.
        """
        started = time.perf_counter()
        files = [(path, source_prefix + source) for path, source in discover(paths)]
        report = IngestReport()
        with write_batch(self.store, self.lexical) as batch:
            known = {d.doc_id: d for d in batch.documents()}
            for i, (path, source) in enumerate(files):
                if progress:
                    progress(i, len(files), source)
                report.results.append(
                    self._ingest_one(
                        batch,
                        path,
                        source,
                        known.get(doc_id_for(source)),
                        force=force,
                        replace=replace,
                        pages=page_progress(progress, i, len(files), source),
                    )
                )
            if prune:
                report.results.extend(prune_missing(batch, known.values(), [p for p in paths if p.is_dir()]))
            if progress:
                progress(len(files), len(files), "")
        report.seconds = time.perf_counter() - started
        log.info(
            "ingest files=%s added=%s updated=%s unchanged=%s failed=%s pruned=%s seconds=%.1f",
            len(files),
            report.count("added"),
            report.count("updated"),
            report.count("unchanged"),
            report.count("failed"),
            report.count("pruned"),
            report.seconds,
        )
        return report

    def ingest_file(
        self, path: Path, *, source: str | None = None, force: bool = False, replace: bool = False
    ) -> FileResult:
        """Ingest one file (e.g. a chat upload) under ``source`` (default: its file name)."""
        source = source or path.name
        with write_batch(self.store, self.lexical) as batch:
            known = batch.document(doc_id_for(source))
            return self._ingest_one(batch, path, source, known, force=force, replace=replace)

    def delete(self, doc: str) -> DocumentInfo:
        """Delete a document by id or source name."""
        match = next((d for d in self.store.documents() if doc in (d.doc_id, d.source)), None)
        if match is None:
            msg = f"知识库中没有文档 {doc}（可用 docs 查看文档列表）"
            raise UnknownDocumentError(msg)
        with write_batch(self.store, self.lexical) as batch:
            info = batch.delete(match.doc_id)
        log.info("delete doc_id=%s chunks=%s", info.doc_id, info.chunks)
        return info

    def find_orphans(self) -> dict[str, int]:
        """Chunks whose document is not in the registry, per doc id (``doctor`` reports them; reindex removes them)."""
        return self.store.find_orphans()

    def reindex(self, progress: Progress | None = None) -> IngestReport:
        """Remove orphan chunks, re-read every document from its recorded path and rebuild the lexical index.

        A document without a recorded path (imported from an archive) keeps its stored chunks.
        """
        started = time.perf_counter()
        report = IngestReport()
        with write_batch(self.store, self.lexical, rebuild=True) as batch:
            orphans = batch.delete_orphans()
            if orphans:
                log.warning("reindex removed orphans docs=%s chunks=%s", len(orphans), sum(orphans.values()))
            docs = batch.documents()
            for i, doc in enumerate(docs):
                if progress:
                    progress(i, len(docs), doc.source)
                if not doc.path:
                    report.results.append(
                        FileResult(doc.source, "unchanged", doc.chunks, doc.articles, doc_id=doc.doc_id)
                    )
                    continue
                report.results.append(
                    self._ingest_one(
                        batch,
                        Path(doc.path),
                        doc.source,
                        doc,
                        force=True,
                        pages=page_progress(progress, i, len(docs), doc.source),
                    )
                )
            if progress:
                progress(len(docs), len(docs), "")
        report.seconds = time.perf_counter() - started
        return report

    def import_archive(
        self, path: Path, *, prune: bool = False, data_dir: Path | None = None
    ) -> ImportReport:
        """Import an archive written by ``reportbot export``: checked in full before anything is written, then
        document by document (idempotent); ``prune`` removes documents that are not in the archive. Recorded
        paths outside ``data_dir`` (all of them when it is not given) are dropped (see ``read_archive``).
        """
        started = time.perf_counter()
        archive = read_archive(path, data_dir=data_dir)
        with write_batch(self.store, self.lexical) as batch:
            report = import_documents(batch, archive, model_key=self.model_key, prune=prune)
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

    # --- internals -----------------------------------------------------------------------------------

    def _ingest_one(
        self,
        batch: WriteBatch,
        path: Path,
        source: str,
        known: DocumentInfo | None,
        *,
        force: bool,
        replace: bool = False,
        pages: Callable[[int, int], None] | None = None,
    ) -> FileResult:
        doc_id = doc_id_for(source)
        try:
            data = path.read_bytes()
        except OSError as exc:
            return FileResult(source, "failed", error=f"无法读取文件：{exc.strerror or exc}", doc_id=doc_id)
        doc_hash = hashlib.sha256(INGEST_VERSION.encode() + b"\x00" + data).hexdigest()
        if known is not None and known.doc_hash == doc_hash and not force and not batch.other_model(doc_id):
            return FileResult(
                source,
                "unchanged",
                known.chunks,
                known.articles,
                doc_id=doc_id,
                instructions=known.instructions,
            )
        if known is not None and known.path and known.path != str(path.resolve()) and not replace:
            log.warning("ingest refused source=%s reason=same_source_other_path", source)
            return FileResult(source, "failed", error=same_name_reason(source, known, path), doc_id=doc_id)
        try:
            loaded = load_isolated(path, self.limits, pages, data)
            parsed = parse_document(
                loaded.text,
                source=source,
                doc_id=doc_id,
                doc_hash=doc_hash,
                fallback_title=path.stem,
                scan=loaded.scan,
            )
            if not parsed.chunks:
                return FileResult(source, "failed", error="文件中没有可用的文字内容", doc_id=doc_id)
            if len(parsed.chunks) > self.limits.chunks:
                reason = f"分段过多（{len(parsed.chunks)} 段，上限 {self.limits.chunks} 段），请拆分后再导入"
                return FileResult(source, "failed", error=reason, doc_id=doc_id)
            info = DocumentInfo(
                doc_id=doc_id,
                source=source,
                title=parsed.title,
                path=str(path.resolve()),
                doc_hash=doc_hash,
                chunks=len(parsed.chunks),
                articles=parsed.articles,
                ingested_at=datetime.now(UTC).isoformat(timespec="seconds"),
                instructions=parsed.instructions,
                unit=parsed.unit,
                date=parsed.date,
                doc_number=parsed.doc_number,
                source_kind=SCAN if any(c.source_kind == SCAN for c in parsed.chunks) else "",
                low_confidence=sum(c.low_confidence for c in parsed.chunks),
            )
            batch.upsert(info, parsed.chunks)
        except ReportbotError as exc:
            reason = getattr(exc, "reason", None) or str(exc)
            log.warning("ingest failed source=%s error=%s", source, type(exc).__name__)
            return FileResult(source, "failed", error=reason, doc_id=doc_id)
        except Exception:  # a parser bug must not stop the batch; the file is reported, nothing written
            log.exception("ingest crashed source=%s", source)
            return FileResult(source, "failed", error=PARSER_FAILED_REASON, doc_id=doc_id)
        status: Status = "added" if known is None else "updated"
        if parsed.instructions:
            log.warning(
                "instruction-like text quarantined source=%s sentences=%s", source, parsed.instructions
            )
        if loaded.replaced_bytes:
            log.info("ingest replaced invalid bytes source=%s bytes=%s", source, loaded.replaced_bytes)
        return FileResult(
            source,
            status,
            len(parsed.chunks),
            parsed.articles,
            doc_id=doc_id,
            instructions=parsed.instructions,
            replaced_bytes=loaded.replaced_bytes,
            scanned_pages=loaded.scan.pages if loaded.scan else 0,
            low_confidence=info.low_confidence,
        )

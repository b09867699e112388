"""The benchmark's ingest phase: cold ingest, unchanged re-ingest, and re-ingest after one edited paragraph."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from bench_machine import say

if TYPE_CHECKING:
    from pathlib import Path

EDIT = "，经复核无误"
"""Inserted before the first full stop of one paragraph for the edited re-ingest."""


def edit_one_paragraph(path: Path) -> str:
    """Insert ``EDIT`` into the middle long paragraph of ``path``; returns the start of that paragraph."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    candidates = [i for i, line in enumerate(lines) if len(line.strip()) >= 30 and "。" in line]
    if not candidates:
        msg = f"no paragraph with a full stop to edit in {path.name}"
        raise ValueError(msg)
    i = candidates[len(candidates) // 2]
    lines[i] = lines[i].replace("。", EDIT + "。", 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    return lines[i].strip()[:30]


def _doc_texts(store: Any, doc_id: str) -> set[str]:
    from retrieval.text.index_text import index_text

    return {index_text(c) for c in store.iter_chunks() if c.doc_id == doc_id}


def ingest_phase(corpus: Path, data_dir: Path, edit_file: str | None) -> tuple[dict[str, Any], Any]:
    """Cold ingest, unchanged re-ingest and edited re-ingest of a copy of ``corpus``; returns the services."""
    from bot.services import build_services
    from bot.settings import Settings
    from ingest.load import load_text
    from ingest.sources import discover, doc_id_for
    from retrieval.store.embeddings import CachedEmbeddings

    files = discover([corpus])
    characters = sum(len(load_text(p)) for p, _ in files)
    t0 = time.perf_counter()
    services = build_services(Settings(data_dir=data_dir, _env_file=None))
    startup_s = time.perf_counter() - t0
    embeddings = services.embedder.inner  # the services' LazyEmbeddings wraps the cached embedder
    if not isinstance(embeddings, CachedEmbeddings):
        msg = "the benchmark needs the embedding cache (build_services with a data dir gives one)"
        raise TypeError(msg)

    say(f"ingest (cold): {len(files)} files, {characters} characters")
    report = services.ingest.ingest([corpus])
    if report.failed:
        msg = f"ingest failed: {report.failed}"
        raise RuntimeError(msg)
    chunks = services.store.count()
    cold = {
        "seconds": report.seconds,
        "files": len(files),
        "chunks": chunks,
        "characters": characters,
        "chunk_characters": sum(len(c.text) for c in services.store.iter_chunks()),
        "embedded": embeddings.misses,
        "chunks_per_s": chunks / report.seconds,
        "characters_per_s": characters / report.seconds,
        "startup_seconds": startup_s,
    }

    say("re-ingest (unchanged)")
    again = services.ingest.ingest([corpus])
    unchanged = {"seconds": again.seconds, "unchanged_files": again.count("unchanged")}

    target = corpus / edit_file if edit_file else max((p for p, _ in files), key=lambda p: p.stat().st_size)
    source = target.relative_to(corpus).as_posix()
    doc_id = doc_id_for(source)
    before = _doc_texts(services.store, doc_id)
    edited = edit_one_paragraph(target)
    say(f"re-ingest (one paragraph of {source} edited)")
    misses = embeddings.misses
    changed_report = services.ingest.ingest([corpus])
    after = _doc_texts(services.store, doc_id)
    edit = {
        "seconds": changed_report.seconds,
        "file": source,
        "paragraph": edited,
        "edit": f"inserted {EDIT!r} before its first 。",
        "updated_files": changed_report.count("updated"),
        "reembedded": embeddings.misses - misses,
        "changed_chunks": len(after - before),
        "document_chunks": len(after),
        "total_chunks": services.store.count(),
    }
    return {"cold": cold, "unchanged": unchanged, "edit": edit}, services

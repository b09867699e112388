"""Which files an ingest reads and the names they are stored under: a document is identified by its source
name (path relative to the folder given, or the file name), its id derived from that name.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.content import SUPPORTED_SUFFIXES
from ingest.results import FileResult

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from ingest.write_batch import WriteBatch
    from retrieval.types import DocumentInfo


def doc_id_for(source: str) -> str:
    """Stable document id from its source name."""
    return "d" + hashlib.sha1(source.encode("utf-8")).hexdigest()[:12]


def same_name_reason(source: str, known: DocumentInfo, path: Path) -> str:
    """Why a file whose source name is taken by a document from another path was not ingested (Chinese)."""
    return (
        f"知识库中已有同名文档“{source}”，来自 {known.path}；本文件 {path} 未导入。"
        "如要用本文件替换它，请加 --replace；如要两者并存，请用 --source-prefix 给这批文件加前缀（如 2024/）"
    )


def discover(paths: Sequence[Path]) -> list[tuple[Path, str]]:
    """(file, source name) pairs: folders are walked for supported files; files named explicitly are kept
    whatever their extension, so an unsupported one is reported rather than silently skipped.
    """
    found: list[tuple[Path, str]] = []
    for root in paths:
        if root.is_dir():
            for f in sorted(root.rglob("*")):
                rel = f.relative_to(root)
                if (
                    f.is_file()
                    and f.suffix.lower() in SUPPORTED_SUFFIXES
                    and not any(part.startswith(".") for part in rel.parts)
                ):
                    found.append((f, rel.as_posix()))
        else:
            found.append((root, root.name))
    return found


def prune_missing(
    batch: WriteBatch, known: Iterable[DocumentInfo], folders: Sequence[Path]
) -> list[FileResult]:
    """Remove documents recorded under one of ``folders`` whose file is gone (others are left alone:
    an upload or an imported document is not pruned by ingesting an unrelated folder).
    """
    roots = [f.resolve() for f in folders]
    pruned = []
    for doc in known:
        path = Path(doc.path)
        if any(path.is_relative_to(r) for r in roots) and not path.exists():
            batch.delete(doc.doc_id)
            pruned.append(FileResult(doc.source, "pruned", doc.chunks, doc.articles, doc_id=doc.doc_id))
    return pruned

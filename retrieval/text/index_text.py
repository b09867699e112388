"""What gets indexed for a chunk: titles and heading path prefixed to the text, all normalised.

A chunk that never names its city or period itself must still be found by a question that does,
so the document title, article title, the issuing unit (when the titles do not name it) and heading path go
in front of the body. Both are computed once per record (``ChunkRecord.derived``), not once per question.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from retrieval.text.normalize import normalize

if TYPE_CHECKING:
    from retrieval.types import ChunkRecord


def index_text(chunk: ChunkRecord) -> str:
    """Normalised (Simplified, half-width) text used for both dense and lexical indexing."""
    return chunk.derived("index_text", _index_text)


def heading_text(chunk: ChunkRecord) -> str:
    """The chunk's heading path, normalised and joined by spaces ("" for a preamble): what a question's
    terms are matched against when asking whether the chunk's section is about them.
    """
    return chunk.derived("heading_text", lambda c: normalize(" ".join(c.heading_path)))


def _index_text(chunk: ChunkRecord) -> str:
    head = [chunk.doc_title]
    if chunk.article_title and chunk.article_title != chunk.doc_title:
        head.append(chunk.article_title)
    if chunk.issuer and not any(chunk.issuer in h for h in head):
        head.append(chunk.issuer)  # the 落款/发布机构 names the unit a title may leave out
    head.extend(chunk.heading_path)
    return normalize(" ".join(h for h in head if h) + "\n" + chunk.text)

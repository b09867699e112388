"""A fake Searcher over real report paragraphs from ../shared/corpus (read at test time, never copied)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from retrieval.types import ChunkRecord, Passage
from tests.support.corpus import corpus_file

if TYPE_CHECKING:
    from retrieval.search.query import Query


def corpus_paragraph(prefix: str, contains: str) -> str:
    """The first paragraph (line) of corpus file ``<prefix>_*.txt`` that contains ``contains``."""
    path = corpus_file(prefix)
    for line in path.read_text(encoding="utf-8").splitlines():
        if contains in line:
            return line.strip()
    msg = f"no paragraph with {contains!r} in {path.name}"
    raise LookupError(msg)


def corpus_chunk(
    prefix: str, contains: str, *, ordinal: int, heading: tuple[str, ...] = (), **meta: object
) -> ChunkRecord:
    """A ChunkRecord whose text is a real corpus paragraph; the title is the file's first line."""
    path = corpus_file(prefix)
    title = next(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    title = title.lstrip("> 　").removeprefix("第一篇:").strip()
    return ChunkRecord(
        chunk_id=f"{prefix}-{ordinal:04d}",
        doc_id=prefix,
        text=corpus_paragraph(prefix, contains),
        source=path.name,
        doc_title=title,
        article_title=title,
        heading_path=heading,
        ordinal=ordinal,
        **meta,  # type: ignore[arg-type]
    )


def real_chunks() -> dict[str, ChunkRecord]:
    """A handful of real passages by topic; ``hfmd`` is the Traditional one from report 000."""
    return {
        "hfmd": corpus_chunk("000", "(七)加強了手足口病", ordinal=7, heading=("一、xx年上半年工作總結",)),
        "public_health": corpus_chunk(
            "000", "(一)紮實推進了9項", ordinal=1, heading=("一、xx年上半年工作總結",)
        ),
        "food": corpus_chunk("003", "2、加强食品安全综合监管", ordinal=2, heading=("第一篇",), kind="plan"),
        "family_doctor": corpus_chunk(
            "001", "4.继续做好家庭医生签约服务", ordinal=4, heading=("一、上半年主要工作开展情况",)
        ),
        "screening": corpus_chunk(
            "002", "1.基本公共卫生服务进一步加强", ordinal=20, heading=("二、工作成效",)
        ),
        "epidemic": corpus_chunk("002", "1.强化源头防控", ordinal=4, heading=("一、疫情防控工作开展情况",)),
    }


@dataclass
class FakeSearcher:
    """Returns fixed passages (best first) for any query and records the queries it was asked."""

    chunks: list[ChunkRecord]
    queries: list[str] = field(default_factory=list)

    def search(self, query: str | Query, k: int = 5) -> list[Passage]:
        self.queries.append(query if isinstance(query, str) else query.text)
        return [Passage(c, 1.0 / (i + 1)) for i, c in enumerate(self.chunks[:k])]

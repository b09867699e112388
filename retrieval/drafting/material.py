"""Material for a draft: what was planned, done and found lacking on the topic, across all reports.

Several searches (plan sections, summary sections with figures, problem sections) feed one pool;
each retrieved passage becomes a group (its own sub-heading plus its points: "一是…二是…" items or
sentences), only points on the topic are kept, and near-identical points from different reports
are merged into one point that cites every source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from retrieval.drafting.dedup import JACCARD_THRESHOLD, bigrams, group_duplicates, jaccard
from retrieval.drafting.outline import draft_text, sentence_body, strip_numbering
from retrieval.drafting.topic import TopicMatcher
from retrieval.search.query import Query
from retrieval.search.units import belongs_to
from retrieval.text.inert import quotable_text
from retrieval.text.injection import is_instruction
from retrieval.text.normalize import normalize
from retrieval.text.sentences import split_sentences

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from retrieval.drafting.request import DraftRequest
    from retrieval.search import Searcher
    from retrieval.types import ChunkRecord

Bucket = Literal["plan", "summary", "problems"]
BUCKETS: tuple[Bucket, ...] = ("plan", "summary", "problems")

SEARCH_K = 15
MAX_HEADING_CHARS = 30
MAX_POINT_CHARS = 220
MIN_POINT_CHARS = 8
# Section headings that only say which part of a report this is; not usable as a sub-heading.
_GENERIC_HEADING = re.compile(r"总结|计划|打算|要点|思路|主要工作|存在|问题|情况|篇|^$")
_ITEM_START = re.compile(
    r"(?:^|(?<=[。；;]))\s*(?=(?:[一二三四五六七八九十]是|\d+[、.．](?!\d)|[（(]\d+[）)]))"
)
# A passage that opens with "一是…" has no heading of its own: its first sentence belongs to item one.
_STARTS_WITH_SHI = re.compile(r"\s*(?:[（(]?[一二三四五六七八九十\d]+[）)、.．]\s*)?[一二三四五六七八九十]是")
# A report's own framing ("在市委的正确领导下…现将上半年工作情况总结如下"), not a point of work.
_PREAMBLE = re.compile(
    r"(现将|特将).{0,30}(如下|汇报|报告)|(总结|汇报|报告|安排)如下|的(正确)?领导下|为指导"
    r"|(制定|制订)本(计划|方案|要点)|结合.{0,8}实际[，,]?(特)?(制定|制订)"
)
# A purpose clause alone ("为切实做好下半年传染病防控工作"): the opening of a section, not a point of work.
_PURPOSE_ONLY = re.compile(r"^(为了?|为进一步|为切实|为全面)[^，。；：]{0,30}$")
_OUTER_NUMBERING = re.compile(r"^\s*[（(]?[一二三四五六七八九十\d]+[）)、.．]\s*")
_BROKEN_FIGURE = re.compile(r"(?<![\d.×])%")  # scraped reports sometimes lost their numbers: "漏报率%"


@dataclass(frozen=True)
class MaterialPoint:
    """One point in draft form (Simplified, no numbering or closing punctuation) and its sources;
    ``chunks[0]`` is where the wording comes from, the rest said nearly the same.
    """

    text: str
    chunks: tuple[ChunkRecord, ...]


@dataclass(frozen=True)
class MaterialGroup:
    """The points taken from one passage, under the passage's own heading ("" when it has none)."""

    heading: str
    bucket: Bucket
    chunk: ChunkRecord
    score: float
    points: tuple[MaterialPoint, ...]


@dataclass
class Material:
    """Groups per bucket, best first, already deduplicated."""

    groups: dict[Bucket, list[MaterialGroup]] = field(default_factory=lambda: {b: [] for b in BUCKETS})

    def chunks(self) -> list[ChunkRecord]:
        """Every source chunk of every point, in bucket order then rank, without repeats."""
        seen: dict[str, ChunkRecord] = {}
        for bucket in BUCKETS:
            for group in self.groups[bucket]:
                for point in group.points:
                    for chunk in point.chunks:
                        seen.setdefault(chunk.chunk_id, chunk)
        return list(seen.values())

    def __bool__(self) -> bool:
        return any(self.groups.values())


def previous_period(period: str) -> str:
    """The period a plan looks back on: 下半年 → 上半年; otherwise the reports' earlier work ("")."""
    return "上半年" if period == "下半年" else ""


def material_queries(request: DraftRequest) -> list[tuple[Bucket, str]]:
    """The searches run for a request, phrased so intent detection boosts the right sections."""
    topic = request.topic
    if request.kind == "plan":
        plan_period, done_period = request.period, previous_period(request.period)
    else:
        plan_period, done_period = "下一步", request.period
    return [
        ("plan", f"{plan_period}{topic}工作计划打算"),
        ("summary", f"{done_period}{topic}开展了哪些工作 取得的成效"),
        ("problems", f"{topic}工作存在的问题和不足"),
    ]


def split_items(text: str) -> list[str]:
    """Points of a passage body: its "一是…/1、…/（1）…" items, or else its sentences."""
    parts = [p.strip() for p in _ITEM_START.split(text) if p.strip()]
    if len(parts) > 1 or _STARTS_WITH_SHI.match(text):
        return parts
    return _sentences(text)


def _sentences(text: str, *, strip: bool = True) -> list[str]:
    """Sentences of a point: only 。！？ end one (a ；-list stays one point), line breaks do not."""
    return split_sentences(text, semicolon=False, newline=False, closers=False, strip=strip)


def _first_sentence(text: str) -> str | None:
    """The sentence ``text`` opens with, unstripped; None when it opens with punctuation."""
    pieces = _sentences(text, strip=False)
    return pieces[0] if pieces and text.startswith(pieces[0]) else None


def _shorten(item: str) -> str:
    """An item cut after whole sentences to about ``MAX_POINT_CHARS``."""
    out = ""
    for sentence in _sentences(item, strip=False):
        if out and len(out) + len(sentence) > MAX_POINT_CHARS:
            break
        out += sentence
    return sentence_body(strip_numbering(out or item))


def is_preamble(text: str) -> bool:
    """A report's framing sentence ("现将…汇报如下", "为切实做好…工作"), never a point of a draft."""
    return bool(_PREAMBLE.search(text) or _PURPOSE_ONLY.match(text))


def passage_heading_and_items(chunk: ChunkRecord) -> tuple[str, list[str]]:
    """The passage's own heading (its short first sentence, or a specific last heading) and its items.

    Instruction-like sentences (``retrieval.text.injection``) are quarantined: never a heading, never a point; the
    passage's own bracketed numbers are made inert (``retrieval.text.inert``).
    """
    text = draft_text(quotable_text(chunk))
    body = strip_numbering(text)
    first = _first_sentence(body)
    heading = ""
    starts_with_shi = bool(_STARTS_WITH_SHI.match(text))
    short_first = first is not None and bool(first) and len(sentence_body(first)) <= MAX_HEADING_CHARS
    numbered = text.lstrip() != body
    plain = "，" not in first and (numbered or not re.search(r"\d", first)) if first else False
    if first and short_first and plain and not starts_with_shi:
        heading = sentence_body(first)
        body = body[len(first) :].strip()
    elif chunk.heading_path:
        last = sentence_body(strip_numbering(draft_text(chunk.heading_path[-1])))
        if len(last) <= MAX_HEADING_CHARS and not _GENERIC_HEADING.search(last) and not is_instruction(last):
            heading = last
    if starts_with_shi:  # the passage is one or more "一是…" items: keep them whole
        body = _OUTER_NUMBERING.sub("", text, count=1)
    items = [_shorten(item) for item in split_items(body)]
    items = [
        i for i in items if len(i) >= MIN_POINT_CHARS and not _BROKEN_FIGURE.search(i) and not is_preamble(i)
    ]
    if heading and is_preamble(heading):  # "为切实做好…工作。" opens a section; it does not name one
        heading = ""
    if heading:  # a passage often repeats its heading as a sentence of its own
        items = [i for i in items if jaccard(bigrams(i), bigrams(heading)) < JACCARD_THRESHOLD]
    return heading, items


def passage_group(
    chunk: ChunkRecord, bucket: Bucket, score: float, on_topic: TopicMatcher
) -> MaterialGroup | None:
    """The on-topic points of one passage; all of them when its heading is on topic. None if none, and
    None for a passage outside every section (empty heading path: a document's opening).
    """
    if not chunk.heading_path:
        return None
    heading, items = passage_heading_and_items(chunk)
    keep_all = bool(heading) and on_topic(heading)
    points = [MaterialPoint(item, (chunk,)) for item in items if keep_all or on_topic(item)]
    if not points:
        return None
    return MaterialGroup(heading, bucket, chunk, score, tuple(points))


def _bucket_of(chunk: ChunkRecord, query_bucket: Bucket) -> Bucket | None:
    """The chunk's own section kind; an unlabelled chunk found by the summary search counts as summary."""
    if chunk.kind in BUCKETS:
        return chunk.kind  # type: ignore[return-value]
    return "summary" if query_bucket == "summary" else None


def _named_units(searcher: Searcher, request: DraftRequest) -> Query | None:
    """The request analysed for the knowledge base's units it names (None when it names none)."""
    units = getattr(searcher, "gazetteer", None)
    if units is None:
        return None
    query = Query.build(request.text, gazetteer=units.current())
    return query if query.named else None


def _order(query: Query | None) -> Callable[[ChunkRecord, float], tuple[bool, int, float]]:
    """Sort key of passages: for a request naming a unit (梧桐县疾控下半年工作计划) that unit's passages
    first, newest year first, then best score; best score first for any other request.
    """
    if query is None:
        return lambda _chunk, score: (False, 0, -score)
    named = query.named

    def key(chunk: ChunkRecord, score: float) -> tuple[bool, int, float]:
        own = any(belongs_to(chunk, u, query.gazetteer) for u in named)
        return (not own, -(chunk.year or 0) if own else 0, -score)

    return key


def gather_material(searcher: Searcher, request: DraftRequest, *, k: int = SEARCH_K) -> Material:
    """Run the searches, group passages by bucket (best score first; for a request naming a unit, that
    unit's newest reports first), keep on-topic points, dedupe. A unit the request names is searched
    for, but is no part of the topic a point must be on.
    """
    named = _named_units(searcher, request)
    topic = request.topic
    for unit in named.named if named is not None else ():
        topic = normalize(topic).replace(unit.label, "")
    on_topic = TopicMatcher(topic)
    order = _order(named)
    found: dict[str, tuple[ChunkRecord, Bucket, float]] = {}
    for query_bucket, query in material_queries(request):
        for passage in searcher.search(query, k=k):
            bucket = _bucket_of(passage.chunk, query_bucket)
            if bucket is None:
                continue
            cid = passage.chunk.chunk_id
            if cid not in found or found[cid][2] < passage.score:
                found[cid] = (passage.chunk, bucket, passage.score)
    material = Material()
    for chunk, bucket, score in sorted(found.values(), key=lambda item: order(item[0], item[2])):
        group = passage_group(chunk, bucket, score, on_topic)
        if group is not None:
            material.groups[bucket].append(group)
    for bucket in BUCKETS:
        material.groups[bucket] = dedupe_groups(material.groups[bucket])
    texts = [
        t
        for groups in material.groups.values()
        for g in groups
        for t in (g.heading, *(p.text for p in g.points))
    ]
    if not on_topic.covered_by(texts):
        return Material()
    return material


def dedupe_groups(groups: Sequence[MaterialGroup]) -> list[MaterialGroup]:
    """Merge groups under near-identical headings, then merge near-identical points across groups.

    A merged point keeps the wording of its best-ranked occurrence and cites every source.
    """
    titled = group_duplicates([g for g in groups if g.heading], lambda g: g.heading)
    same_heading = {id(same[0]): same for same in titled}
    merged: list[MaterialGroup] = []
    for group in groups:  # groups without a heading stay as they are
        if not group.heading:
            merged.append(group)
        elif id(group) in same_heading:
            points = tuple(p for g in same_heading[id(group)] for p in g.points)
            merged.append(MaterialGroup(group.heading, group.bucket, group.chunk, group.score, points))
    flat: list[tuple[int, MaterialPoint]] = []
    for gi, group in enumerate(merged):
        for point in group.points:
            flat.append((gi, point))
    kept: dict[int, list[MaterialPoint]] = {gi: [] for gi in range(len(merged))}
    for dupes in group_duplicates(flat, lambda item: item[1].text):
        gi, point = dupes[0]
        chunks = dict.fromkeys(c for _, p in dupes for c in p.chunks)
        kept[gi].append(MaterialPoint(point.text, tuple(chunks)))
    return [
        MaterialGroup(g.heading, g.bucket, g.chunk, g.score, tuple(kept[gi]))
        for gi, g in enumerate(merged)
        if kept[gi]
    ]

"""The web 起草 page's drafts, saved per user in ``<data_dir>/web/drafts/u-<user>/<id>.json`` (atomic writes).

A saved draft is the chat core's ``Draft`` (its ``to_json`` shape), the request that made it (to ask for a
section again), and which paragraphs the writer edited. Edits keep only the ``[n]`` markers that name a
citation of the draft, so a paragraph's sources are always the ones its text still cites.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from retrieval.answers.citations import MARKER
from retrieval.answers.types import Citation
from retrieval.drafting.outline import strip_numbering
from retrieval.drafting.types import Draft, DraftFlag, DraftParagraph, DraftSection

if TYPE_CHECKING:
    from pathlib import Path

DRAFTS_DIR = ("web", "drafts")
KINDS = ("计划", "总结", "要点", "方案")
PERIODS = ("", "上半年", "下半年", "全年")
MAX_DRAFTS = 100
"""Drafts kept per user; saving one more removes the oldest."""
PARAGRAPH_MAX_CHARS = 5000
_ID = re.compile(r"^[A-Za-z0-9_-]{8,32}$")


class DraftInputError(ValueError):
    """A request or an edit the page cannot take; the message is the sentence to show."""


@dataclass(frozen=True)
class DraftForm:
    """What the writer asked for on the form."""

    kind: str
    topic: str
    unit: str = ""
    year: str = ""
    period: str = ""

    def request_text(self) -> str:
        """The drafting request the chat core parses, e.g. ``2024年下半年梧桐县疾控手足口病防控工作计划``."""
        year = f"{self.year}年" if self.year else ""
        return f"{year}{self.period}{self.unit}{self.topic}工作{self.kind}"

    @classmethod
    def checked(cls, kind: str, topic: str, unit: str, year: str, period: str) -> DraftForm:
        """The form's fields, or ``DraftInputError`` naming the first bad one."""
        topic, unit, year = topic.strip(), unit.strip(), year.strip()
        if kind not in KINDS:
            raise DraftInputError("请选择文种：计划、总结、要点或方案。")
        if not topic:
            raise DraftInputError("请填写主题，例如：手足口病防控。")
        if len(topic) > 60 or len(unit) > 40:
            raise DraftInputError("主题不超过 60 个字，单位不超过 40 个字。")
        if year and not (year.isdigit() and 2000 <= int(year) <= 2100):
            raise DraftInputError("年份请填写四位数字，例如 2024，或留空。")
        if period not in PERIODS:
            raise DraftInputError("请选择时段：上半年、下半年、全年或不限。")
        return cls(kind, topic, unit, year, period)


@dataclass
class SavedDraft:
    """A draft as the page keeps it."""

    id: str
    form: DraftForm
    draft: Draft
    created: str
    updated: str
    edited: list[list[bool]] = field(default_factory=list)
    """Per section, per paragraph: True once the writer changed it."""

    def __post_init__(self) -> None:
        if len(self.edited) != len(self.draft.sections):
            self.edited = [[False] * len(s.paragraphs) for s in self.draft.sections]

    def paragraph(self, s: int, p: int) -> DraftParagraph:
        """Paragraph ``p`` of section ``s``; ``DraftInputError`` when there is none (an old page)."""
        try:
            return self.draft.sections[s].paragraphs[p]
        except IndexError:
            raise DraftInputError("这一段已不存在，请刷新页面。") from None

    def edit(self, s: int, p: int, text: str) -> None:
        """Replace a paragraph's text; its sources become the citations its text still names."""
        self.paragraph(s, p)
        text = text.strip()
        if not text:
            raise DraftInputError("段落不能为空；要删除这一段请用“删除”。")
        if len(text) > PARAGRAPH_MAX_CHARS:
            raise DraftInputError(f"一段不超过 {PARAGRAPH_MAX_CHARS} 个字。")
        known = {c.n for c in self.draft.citations}
        cited = list(dict.fromkeys(int(n) for n in MARKER.findall(text) if int(n) in known))
        self._set(s, [*self._paragraphs(s)[:p], DraftParagraph(text, cited), *self._paragraphs(s)[p + 1 :]])
        self.edited[s][p] = True

    def drop(self, s: int, p: int) -> None:
        """Remove a paragraph."""
        self.paragraph(s, p)
        paragraphs = self._paragraphs(s)
        self._set(s, paragraphs[:p] + paragraphs[p + 1 :])
        del self.edited[s][p]

    def replace_section(self, s: int, fresh: Draft) -> bool:
        """Section ``s`` from a fresh draft of the same request (its citations renumbered into this draft's).

        False when the fresh draft has no section of that heading (the reports changed since).
        """
        if not 0 <= s < len(self.draft.sections):
            raise DraftInputError("这一部分已不存在，请刷新页面。")
        heading = strip_numbering(self.draft.sections[s].heading)
        match = next((x for x in fresh.sections if strip_numbering(x.heading) == heading), None)
        if match is None:
            return False
        numbers = self._merge_citations(fresh.citations)
        paragraphs = [
            DraftParagraph(
                MARKER.sub(lambda m: f"[{numbers.get(int(m.group(1)), int(m.group(1)))}]", p.text),
                [numbers[n] for n in p.citations if n in numbers],
            )
            for p in match.paragraphs
        ]
        self._set(s, paragraphs)
        self.edited[s] = [False] * len(paragraphs)
        return True

    def _merge_citations(self, fresh: list[Citation]) -> dict[int, int]:
        """Fresh citation number → this draft's (a new source gets the next number)."""
        by_chunk = {c.chunk_id: c.n for c in self.draft.citations}
        citations = list(self.draft.citations)
        numbers: dict[int, int] = {}
        for c in fresh:
            if c.chunk_id not in by_chunk:
                n = len(citations) + 1
                citations.append(
                    Citation(
                        n, c.chunk_id, c.source, c.title, c.heading_path, c.text, c.unit, c.date, c.doc_number
                    )
                )
                by_chunk[c.chunk_id] = n
            numbers[c.n] = by_chunk[c.chunk_id]
        self.draft = Draft(
            self.draft.title, self.draft.mode, self.draft.sections, citations, self.draft.flags
        )
        return numbers

    def _paragraphs(self, s: int) -> list[DraftParagraph]:
        return list(self.draft.sections[s].paragraphs)

    def _set(self, s: int, paragraphs: list[DraftParagraph]) -> None:
        sections = list(self.draft.sections)
        sections[s] = DraftSection(sections[s].heading, paragraphs)
        d = self.draft
        self.draft = Draft(d.title, d.mode, sections, d.citations, d.flags)

    def to_json(self) -> dict[str, Any]:
        """The file's content."""
        return {
            "id": self.id,
            "form": self.form.__dict__,
            "draft": self.draft.to_json(),
            "created": self.created,
            "updated": self.updated,
            "edited": self.edited,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SavedDraft:
        """A saved draft from its file's content."""
        d = data["draft"]
        draft = Draft(
            title=d["title"],
            mode=d["mode"],
            sections=[
                DraftSection(
                    s["heading"], [DraftParagraph(p["text"], list(p["citations"])) for p in s["paragraphs"]]
                )
                for s in d["sections"]
            ],
            citations=[
                Citation(
                    c["n"],
                    c["chunk_id"],
                    c["source"],
                    c["title"],
                    tuple(c["heading_path"]),
                    c["text"],
                    c.get("unit", ""),
                    c.get("date", ""),
                    c.get("doc_number", ""),
                )
                for c in d["citations"]
            ],
            flags=[DraftFlag(f["text"], f["reason"]) for f in d.get("flags", [])],
        )
        return cls(
            data["id"], DraftForm(**data["form"]), draft, data["created"], data["updated"], data["edited"]
        )


def now() -> str:
    """The time stamp saved drafts carry (UTC, seconds)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class DraftStore:
    """Every user's saved drafts in one data dir."""

    def __init__(self, data_dir: Path) -> None:
        self.root = data_dir.joinpath(*DRAFTS_DIR)
        self._lock = threading.Lock()

    def _dir(self, user: str) -> Path:
        return self.root / f"u-{user}"  # account names are letters, digits and _.@- (``check_name``)

    def new(self, user: str, form: DraftForm, draft: Draft) -> SavedDraft:
        """Save a fresh draft for ``user``; the oldest beyond ``MAX_DRAFTS`` is removed."""
        stamp = now()
        saved = SavedDraft(secrets.token_urlsafe(9), form, draft, stamp, stamp)
        self.save(user, saved)
        for old in self.drafts(user)[MAX_DRAFTS:]:
            (self._dir(user) / f"{old.id}.json").unlink(missing_ok=True)
        return saved

    def save(self, user: str, saved: SavedDraft) -> None:
        """Write the draft whole (temp file, then rename): a crash never leaves half a draft."""
        folder = self._dir(user)
        folder.mkdir(parents=True, exist_ok=True)
        saved.updated = now()
        target = folder / f"{saved.id}.json"
        tmp = target.with_name(f".{saved.id}.{secrets.token_hex(4)}.tmp")
        with self._lock:
            tmp.write_text(json.dumps(saved.to_json(), ensure_ascii=False), encoding="utf-8")
            os.chmod(tmp, 0o600)
            os.replace(tmp, target)

    def get(self, user: str, draft_id: str) -> SavedDraft | None:
        """``user``'s draft ``draft_id`` (None when it is not theirs, unknown or unreadable)."""
        if not _ID.fullmatch(draft_id):
            return None
        path = self._dir(user) / f"{draft_id}.json"
        try:
            return SavedDraft.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def drafts(self, user: str) -> list[SavedDraft]:
        """``user``'s drafts, newest first."""
        folder = self._dir(user)
        if not folder.is_dir():
            return []
        drafts = [self.get(user, p.stem) for p in folder.glob("*.json")]
        return sorted((d for d in drafts if d is not None), key=lambda d: d.updated, reverse=True)

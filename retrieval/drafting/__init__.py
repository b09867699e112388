"""Drafting: a request such as ``下半年传染病防控工作计划`` → a cited draft in official outline style.

``DraftService`` is the one entry point. The steps, each a module of its own:

- ``request``: what the request asks for (topic, kind, period, year, length);
- ``topic``, ``dedup``, ``material``: the on-topic points of every report, near-duplicates merged;
- ``outline``: official numbering (一、/（一）/1.) and the text clean-up a draft needs;
- ``compose``: which parts the draft has and which material goes under each;
- ``compose``: also the table of parts per kind of document (计划, 要点, 方案, 总结…) in their order;
- ``figures``, ``flags``, ``attribution``: placeholders for old targets; figures no cited passage backs up;
  figures of past work said with their report ("据《…》，");
- the two writers, side by side: ``extractive`` (素材汇编, no LLM) and ``llm`` (generated, cited, and
  verified paragraph by paragraph by ``checks`` before anyone sees it); neither imports the other.
"""

from __future__ import annotations

from retrieval.drafting.outline import heading_level
from retrieval.drafting.request import DraftRequest, parse_draft_request
from retrieval.drafting.service import DraftService, EmptyDraftRequestError, NoDraftMaterialError

__all__ = [
    "DraftRequest",
    "DraftService",
    "EmptyDraftRequestError",
    "NoDraftMaterialError",
    "heading_level",
    "parse_draft_request",
]

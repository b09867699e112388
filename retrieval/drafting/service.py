"""DraftService: a drafting request → material from every report → outline → cited draft.

With an LLM the draft is written in the sources' style (``drafting/llm.py``); without one, or
when the LLM fails, it is a 素材汇编 of the reports' own points (``drafting/extractive.py``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from prompts import load_prompt
from retrieval.drafting.compose import compose_outline
from retrieval.drafting.extractive import extractive_draft
from retrieval.drafting.material import gather_material
from retrieval.drafting.request import parse_draft_request
from retrieval.errors import ReportbotError
from retrieval.llm import describe_failure

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from retrieval.drafting.types import Draft
    from retrieval.search import Searcher

__all__ = ["DraftService", "EmptyDraftRequestError", "NoDraftMaterialError"]

log = logging.getLogger(__name__)


class EmptyDraftRequestError(ReportbotError):
    """The request names nothing to draft."""


class NoDraftMaterialError(ReportbotError):
    """No report says anything on the requested topic."""


class DraftService:
    """Drafts plans, summaries and single paragraphs from the indexed reports; used by the CLI and the bot."""

    def __init__(self, searcher: Searcher, llm: BaseChatModel | None = None) -> None:
        self.searcher = searcher
        self.llm = llm

    def draft(self, request_text: str) -> Draft:
        """Draft what ``request_text`` asks for, e.g. ``下半年传染病防控工作计划``."""
        request = parse_draft_request(request_text)
        if not request.text:
            msg = "请说明要起草的内容，例如：下半年传染病防控工作计划"
            raise EmptyDraftRequestError(msg)
        material = gather_material(self.searcher, request)
        outline = compose_outline(request, material)
        log.info(
            "draft kind=%s period=%s length=%s parts=%s chunks=%s",
            request.kind, request.period, request.length, len(outline.parts), len(material.chunks()),
        )  # fmt: skip
        if not outline.parts:
            msg = f"资料中未找到与“{request.topic or request.text}”相关的内容，无法起草。请换个说法或先导入相关报告。"
            raise NoDraftMaterialError(msg)
        if self.llm is None:
            return extractive_draft(outline)
        from retrieval.drafting.llm import UnverifiedDraftError, llm_draft

        try:
            return llm_draft(self.llm, request, outline)
        except UnverifiedDraftError:
            log.warning("draft_llm_unverified chunks=%s", len(material.chunks()))
            return extractive_draft(outline, notice=load_prompt("draft_unverified_notice").format().strip())
        except Exception as exc:
            log.warning("draft_llm_failed error=%s", type(exc).__name__)
            notice = load_prompt("draft_fallback_notice").format(reason=describe_failure(exc)).strip()
            return extractive_draft(outline, notice=notice)

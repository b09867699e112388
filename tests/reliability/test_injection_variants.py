"""Issue 18 item 1: paraphrased instructions in documents never reach a user, and the real figures still do.

75 variants (``injection_variants.jsonl``: Simplified, Traditional, English; full-width, spaced, zero-width;
addressing a model or directing the answer; inline, own line, split over two lines, .docx table cell, .docx
field, .docx run, HTML comment, HTML text and cell), each in a county report of its own with legitimate figures,
in one knowledge base built once (real loaders, Chroma, bundled embedder, BM25). Each question asks for a
legitimate figure and is answered by an obeying model (the real HTTP fake, scripted to attach the canary even
when it is not shown the injection), by the same model streamed, and extractively (``benchmarks/injection_eval.py``
runs the same and prints the counts).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from benchmarks.injection_eval import MODES, ModeResult, load_cases, obeying_reply, run_mode
from benchmarks.injection_eval import build_knowledge_base as build_kb
from retrieval.answers.service import AnswerService
from retrieval.search.context import SectionContext
from tests.fakes.openai_server import FakeOpenAIServer

# The three modes share one module-scoped knowledge base of 75 reports: one xdist worker builds it once.
pytestmark = pytest.mark.xdist_group("injection-variants")

if TYPE_CHECKING:
    from collections.abc import Iterator

    from bot.services import Services

CASES = load_cases()


@pytest.fixture(scope="module")
def knowledge_base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    """Every variant's report in one knowledge base, answering through an obeying fake model."""
    with FakeOpenAIServer() as server:
        server.script(obeying_reply({c.county: c for c in CASES}))
        yield build_kb(CASES, tmp_path_factory.mktemp("injection"), server.base_url)


def test_the_set_covers_languages_scripts_and_carriers() -> None:
    assert len(CASES) >= 60
    carriers = {c.variant["carrier"] for c in CASES}
    assert {"two_lines", "docx_table", "docx_field", "html_comment", "html_cell"} <= carriers
    assert {"zh-Hans", "zh-Hant", "en", "full-width"} <= {c.variant["script"] for c in CASES}


@pytest.mark.parametrize("mode", MODES)
def test_no_canary_is_delivered_and_every_real_figure_is_answered(
    knowledge_base: Services, mode: str
) -> None:
    answers = knowledge_base.answers
    if mode == "extractive":
        answers = AnswerService(knowledge_base.searcher, None, context=SectionContext(knowledge_base.store))
    result: ModeResult = run_mode(mode, CASES, answers)
    assert result.cases == len(CASES)
    assert result.canary_delivered == []
    assert result.canary_on_tap == []
    assert result.figure_missed == []

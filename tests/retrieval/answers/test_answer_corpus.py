"""AnswerService over the real index of ../shared/corpus (HybridSearcher, Chroma, bundled embedder)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from retrieval.answers.service import AnswerService
from retrieval.evaluation import load_questions
from retrieval.llm import build_chat_model

if TYPE_CHECKING:
    from tests.fakes.openai_server import ChatRequest, FakeOpenAIServer

pytestmark = pytest.mark.slow

QUESTIONS = load_questions(Path(__file__).resolve().parents[3] / "eval" / "questions.jsonl")
TRADITIONAL_REPORT = "000_fb7231d1c4689332.txt"


@pytest.fixture(scope="module")
def extractive(corpus_services) -> AnswerService:
    return AnswerService(corpus_services.searcher, None, top_k=5)


def test_every_unanswerable_question_is_not_found(extractive: AnswerService) -> None:
    answered = [q.question for q in QUESTIONS if not q.answerable and extractive.answer(q.question).found]
    assert answered == []


def test_answerable_questions_are_answered(extractive: AnswerService) -> None:
    """Paraphrases (口语: 快不行的病人…) share few words with the reports; the rest must be answered."""
    asked = [q for q in QUESTIONS if q.answerable and q.type != "paraphrase"]
    refused = [q.question for q in asked if not extractive.answer(q.question).found]
    assert len(refused) <= len(asked) // 10, refused


def test_traditional_report_answers_a_simplified_question(extractive: AnswerService) -> None:
    result = extractive.answer("上半年手足口病防控做了哪些工作？")
    assert result.found
    assert result.mode == "extractive"
    assert any(c.source == TRADITIONAL_REPORT for c in result.citations)
    assert "手足口病" in result.text
    assert "傳染病" in result.text or "培訓" in result.text  # shown as written


def test_followup_is_answered_from_the_previous_question(extractive: AnswerService) -> None:
    result = extractive.answer("那下半年呢？", history=["上半年手足口病防控做了哪些工作？"])
    assert result.found
    assert "手足口" in result.text


def test_llm_answer_cites_stored_chunks(corpus_services, openai_server: FakeOpenAIServer) -> None:
    def answer_from_first_passages(req: ChatRequest) -> str:
        fenced = re.search(r"<<<资料开始 (\w+)>>>\n(.*)\n<<<资料结束 \1>>>", req.message("user"), re.S).group(
            2
        )
        bodies = [b.split("\n", 1)[1] for b in re.split(r"\n\n(?=\[\d+\] 出处：)", fenced)]
        first = [re.split(r"(?<=[。；])", body.strip())[0].rstrip("。；") for body in bodies[:2]]
        return f"{first[0]}[1]。{first[1]}[2]。"

    openai_server.script(answer_from_first_passages)
    llm = build_chat_model(openai_server.base_url, "sk-test", "fake", timeout=5)
    result = AnswerService(corpus_services.searcher, llm, top_k=5).answer("家庭医生有偿签约率现在多少了")
    assert result.mode == "llm"
    assert result.notice == ""
    assert [c.n for c in result.citations] == [1, 2]
    stored = corpus_services.store.get_chunks([c.chunk_id for c in result.citations])
    assert [c.chunk_id for c in stored] == [c.chunk_id for c in result.citations]
    assert "有偿签约率20.43%" in result.citations[0].text or "有偿签约率20.43%" in result.citations[1].text

"""The local LLM stand-in used by ``reportbot eval --mode llm`` answers from the passages it is given."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from prompts import load_prompt
from retrieval.answers.chain import chain_inputs
from retrieval.types import Passage
from tests.retrieval.helpers import chunk

_PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "stub_llm.py"
_spec = importlib.util.spec_from_file_location("stub_llm", _PATH)
assert _spec is not None
assert _spec.loader is not None
stub_llm = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(stub_llm)

PASSAGES = [
    Passage(
        chunk(
            "a",
            0,
            "召開了xx年春季傳染病防控工作會議,不斷加強對手足口病等傳染病防控知識培訓,培訓醫護人員100餘名。",
            doc_title="衛生局上半年工作總結",
            heading_path=("一、xx年上半年工作總結", "(七)加強了手足口病等傳染病的防控"),
        ),
        1.0,
    ),
    Passage(chunk("b", 0, "积极开展第35个爱国卫生月活动。", doc_title="县卫健委2023年上半年工作总结"), 0.5),
]
# The prompt exactly as the answer chain writes it (fences with a random tag, "[n] 出处：《…》" per passage).
PROMPT = load_prompt("answer_user").format(**chain_inputs("手足口病防控培训了多少医护人员", [], PASSAGES))


def test_answers_with_the_best_matching_sentence_and_its_marker() -> None:
    reply = stub_llm.grounded_reply(PROMPT)
    assert (
        reply
        == "召開了xx年春季傳染病防控工作會議,不斷加強對手足口病等傳染病防控知識培訓,培訓醫護人員100餘名[1]。"
    )


def test_says_not_found_when_no_passage_shares_the_question_words() -> None:
    prompt = PROMPT.rsplit("问题：", 1)[0] + "问题：包虫病筛查结果"
    assert stub_llm.grounded_reply(prompt) == stub_llm.NOT_FOUND

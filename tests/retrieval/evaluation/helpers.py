"""Tiny hand-made inputs for the evaluation tests: real sentences of the corpus, passages, questions."""

from __future__ import annotations

from retrieval.evaluation import EvalQuestion
from retrieval.types import ChunkRecord, Passage

# Real sentences of the corpus (report 000 is in Traditional characters).
TRAD = "截止目前，全市共建立居民健康檔案11.35萬份；印製了12種健康教育資料36萬份"
SIMP_FAMILY = "截至2023年5月10日，全县有偿签约服务13.7189万人，有偿签约率20.43%。"
SIMP_CARDS = "2023年上半年，共轮训乡镇卫生院骨干医务人员25人、村医260余人次。"
UNRELATED = "积极开展第35个爱国卫生月活动。"


def passage(text: str, n: int = 0) -> Passage:
    """A passage of one chunk holding ``text``; lower ``n`` scores higher."""
    chunk = ChunkRecord(f"d-{n:04d}", "d", text, "d.txt", "工作总结", "工作总结", ("一、上半年工作",))
    return Passage(chunk, 1.0 / (n + 1))


def question(
    qid: str, qtype: str, expected: tuple[str, ...] = (), facts: tuple[str, ...] = ()
) -> EvalQuestion:
    """A question with the given type and expectations; the question text is ``问题<qid>``."""
    answerable = qtype != "unanswerable"
    return EvalQuestion(
        qid, f"问题{qid}", qtype, answerable, expected, facts, ("d.txt",) if answerable else ()
    )

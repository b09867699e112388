"""Issue 22 item 7: search reads chunk records from memory (one Chroma call per question, the vector query),
with results identical to reading them from Chroma, and never stale after another process changed the store.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from retrieval.evaluation import load_questions
from retrieval.search.hybrid import HybridSearcher
from retrieval.store.lexical import LexicalIndex
from tests.retrieval.helpers import chunk, make_searcher, put

REPO = Path(__file__).resolve().parents[3]


class _Counting:
    """A collection wrapper counting the calls that reach Chroma."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(name)
            return attr(*args, **kwargs)

        return call if callable(attr) else attr


def test_records_from_memory_give_the_results_read_from_chroma(corpus_services, monkeypatch) -> None:
    """Every eval question: same ids, same order, same scores, same records as with every record read
    from Chroma (what search did before: the dense query's documents plus a get for BM25-only ids).
    """
    questions = [q.question for q in load_questions(REPO / "eval" / "questions.jsonl")]
    searcher: HybridSearcher = corpus_services.searcher
    from_memory = [[(p.chunk, p.score) for p in searcher.search(q, 10)] for q in questions]
    assert len(searcher.lexical.records()) == corpus_services.store.count()
    with monkeypatch.context() as patch:  # nothing held: every record read from Chroma
        patch.setattr(searcher.lexical, "records", dict)
        from_chroma = [[(p.chunk, p.score) for p in searcher.search(q, 10)] for q in questions]
    assert sum(map(len, from_memory)) > 0
    assert from_memory == from_chroma


def test_a_warm_search_makes_one_chroma_call(corpus_services, monkeypatch) -> None:
    store = corpus_services.store
    counting = _Counting(store.chunk_collection)
    monkeypatch.setattr(store, "chunk_collection", counting)
    searcher = corpus_services.searcher
    searcher.search("上半年手足口病防控做了什么", 5)  # may refresh (timer)
    counting.calls.clear()
    monkeypatch.setattr(searcher.lexical, "check_every", 3600.0)
    monkeypatch.setattr(searcher.gazetteer, "check_every", 3600.0)
    for q in ("上半年手足口病防控做了什么", "2024年计划生育工作", "义乌市卫生局的疾病控制"):
        assert searcher.search(q, 5)
    assert counting.calls == ["query"] * 3


_OTHER_PROCESS = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from tests.retrieval.helpers import chunk, make_searcher, put
    store, _, _ = make_searcher(Path(sys.argv[1]))
    if sys.argv[2] == "delete":
        store.delete_document("d2")
    else:
        put(store, "d1", [chunk("d1", 0, "上半年开展职业病尘肺病筛查三百人次。", doc_hash="h2")], doc_hash="h2")
    """
)


def _in_another_process(data_dir: Path, action: str) -> None:
    subprocess.run(
        [sys.executable, "-c", _OTHER_PROCESS, str(data_dir), action],
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=120,
    )


@pytest.mark.parametrize("check_every", [3600.0, 0.0])
def test_a_change_made_by_another_process_is_never_served_stale(tmp_path: Path, check_every: float) -> None:
    """An embedded store: the next search sees the change (Chroma's file moved), whatever the check timer."""
    store, _, _ = make_searcher(tmp_path)
    put(store, "d1", [chunk("d1", 0, "上半年开展手足口病防控培训两次。")])
    put(store, "d2", [chunk("d2", 0, "手足口病疫情处置三起，手足口病监测全覆盖。")])
    lexical = LexicalIndex(store, tmp_path / "lexical", check_every=check_every)
    searcher = HybridSearcher(store, lexical)
    assert {p.chunk.doc_id for p in searcher.search("手足口病", 5)} == {"d1", "d2"}

    _in_another_process(tmp_path, "delete")
    hits = searcher.search("手足口病", 5)
    assert {p.chunk.doc_id for p in hits} == {"d1"}

    _in_another_process(tmp_path, "reingest")
    hits = searcher.search("手足口病 尘肺病", 5)
    assert [(p.chunk.chunk_id, p.chunk.text, p.chunk.doc_hash) for p in hits] == [
        ("d1-0000", "上半年开展职业病尘肺病筛查三百人次。", "h2")
    ]
    assert len(lexical.records()) == 1


def test_records_follow_this_process_writes_by_document(tmp_path: Path) -> None:
    store, lexical, searcher = make_searcher(tmp_path)
    put(store, "d1", [chunk("d1", 0, "上半年开展手足口病防控培训两次。")])
    put(store, "d2", [chunk("d2", i, f"第{i}项手足口病监测。") for i in range(3)])
    assert len(searcher.search("手足口病", 10)) == 4
    cache = lexical._records
    read = cache.fetched
    put(store, "d3", [chunk("d3", 0, "手足口病疫情处置三起。")])
    assert {p.chunk.doc_id for p in searcher.search("手足口病", 10)} == {"d1", "d2", "d3"}
    assert cache.fetched == read + 1  # only the new document's chunk was read
    store.delete_document("d2")
    assert {p.chunk.doc_id for p in searcher.search("手足口病", 10)} == {"d1", "d3"}
    assert set(lexical.records()) == {"d1-0000", "d3-0000"}


def test_an_installed_index_is_served_without_a_rebuild(tmp_path: Path) -> None:
    """Issue 22 item 8: what ``LexicalIndex.install`` saves (benchmarks/scale_worker.py) the product accepts."""
    store, lexical, _ = make_searcher(tmp_path)
    put(store, "d1", [chunk("d1", 0, "上半年开展手足口病防控培训两次。")])
    lexical.install([("d1-0000", ["手足口病", "培训"])])
    fresh = LexicalIndex(store, tmp_path / "lexical", check_every=0)
    assert fresh.search("手足口病", 5) == lexical.search("手足口病", 5)
    assert [cid for cid, _ in fresh.search("手足口病", 5)] == ["d1-0000"]
    assert fresh.builds == 0


def test_a_large_store_is_read_as_searches_need_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past ``EAGER_LIMIT`` chunks the first question does not wait for every record (12–27 s at 100k chunks):
    it reads the ones it found, the same results come back, and asking again makes one Chroma call.
    """
    import retrieval.store.record_cache as record_cache

    store, _, _ = make_searcher(tmp_path)
    put(store, "d1", [chunk("d1", i, f"第{i}项手足口病监测。") for i in range(4)])
    put(store, "d2", [chunk("d2", i, f"第{i}次职业病尘肺病筛查。") for i in range(4)])
    eager = HybridSearcher(store, LexicalIndex(store, tmp_path / "eager", check_every=3600.0), candidates=4)
    expected = [(p.chunk, p.score) for p in eager.search("手足口病监测", 3)]

    monkeypatch.setattr(record_cache, "EAGER_LIMIT", 2)
    lexical = LexicalIndex(store, tmp_path / "lazy", check_every=3600.0)
    lazy = HybridSearcher(store, lexical, candidates=4)
    assert [(p.chunk, p.score) for p in lazy.search("手足口病监测", 3)] == expected
    held = lexical.records()
    assert 0 < len(held) < store.count()
    counting = _Counting(store.chunk_collection)
    monkeypatch.setattr(store, "chunk_collection", counting)
    assert [(p.chunk, p.score) for p in lazy.search("手足口病监测", 3)] == expected
    assert counting.calls == ["query"]

    monkeypatch.setattr(store, "chunk_collection", counting._inner)
    store.delete_document("d1")  # a change is still followed: d1's records go
    assert {p.chunk.doc_id for p in lazy.search("手足口病监测 尘肺病", 8)} == {"d2"}

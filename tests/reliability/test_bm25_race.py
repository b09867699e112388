"""Item 1: a question right after an upload raced the upload's BM25 rebuild on one temp file."""

from __future__ import annotations

import ast
import threading
import time
from typing import TYPE_CHECKING

from retrieval.store.lexical import BM25Index, LexicalIndex
from tests.retrieval.helpers import chunk, make_searcher, put

if TYPE_CHECKING:
    from pathlib import Path

    import pytest


def _together(*calls: object) -> list[BaseException]:
    """Run the callables at the same instant in threads; the exceptions they raised."""
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call: object) -> None:
        barrier.wait()
        try:
            call()  # type: ignore[operator]
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_concurrent_rebuilds_and_refreshes_build_once_and_never_fail(tmp_path: Path) -> None:
    store, upload_side, _ = make_searcher(tmp_path)
    # a second index object over the same directory: only the file lock orders it (as another process would be)
    question_side = LexicalIndex(store, tmp_path / "lexical", check_every=0)
    for n in range(6):
        put(store, f"d{n}", [chunk(f"d{n}", 0, f"第{n}批开展手足口病防控培训。")])
        before = upload_side.builds + question_side.builds
        errors = _together(upload_side.rebuild, question_side.current, upload_side.current)
        assert errors == []
        assert upload_side.builds + question_side.builds == before + 1  # rebuilt once, not per caller
        assert {cid for cid, _ in question_side.search("手足口病", 10)} == {
            f"d{i}-0000" for i in range(n + 1)
        }
    leftovers = [p.name for p in (tmp_path / "lexical").iterdir() if ".tmp." in p.name]
    assert leftovers == []


def test_forced_rebuild_builds_even_when_the_index_is_current(tmp_path: Path) -> None:
    store, lexical, _ = make_searcher(tmp_path)
    put(store, "d1", [chunk("d1", 0, "完成霍乱监测采样。")])
    lexical.rebuild()
    builds = lexical.builds
    lexical.rebuild()
    assert lexical.builds == builds
    lexical.rebuild(force=True)
    assert lexical.builds == builds + 1


def test_concurrent_index_loads_never_enter_numpys_header_parser_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CPython 3.11's ast is not thread-safe (gh-106905): numpy's header parsing must never run twice at once.

    The parser is widened into a slow one that fails when entered by a second thread, as the real race does
    rarely (it failed CI once with "AST constructor recursion depth mismatch").
    """
    store, lexical, _ = make_searcher(tmp_path)
    put(store, "d1", [chunk("d1", 0, "完成霍乱监测采样。")])
    lexical.rebuild()
    inside = threading.Semaphore(1)
    real = ast.literal_eval

    def one_at_a_time(text: str) -> object:
        if not inside.acquire(blocking=False):
            raise SystemError("AST constructor recursion depth mismatch")
        try:
            time.sleep(0.02)
            return real(text)
        finally:
            inside.release()

    monkeypatch.setattr(ast, "literal_eval", one_at_a_time)
    loaded: list[object] = []
    errors = _together(*[lambda: loaded.append(BM25Index.load(tmp_path / "lexical"))] * 4)
    assert errors == []
    assert len(loaded) == 4
    assert all(index is not None for index in loaded)

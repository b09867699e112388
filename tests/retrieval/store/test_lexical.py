from __future__ import annotations

from typing import TYPE_CHECKING

from retrieval.store.lexical import BM25Index
from tests.retrieval.helpers import chunk, make_searcher, put

if TYPE_CHECKING:
    from pathlib import Path


def test_bm25_ranks_the_chunk_sharing_rare_terms_first() -> None:
    index = BM25Index.build(
        [("a", ["手足口病", "防控", "培训"]), ("b", ["食品安全", "监管"]), ("c", ["防控", "培训", "会议"])],
        "fp",
    )
    hits = index.search(["手足口病", "防控"], 3)
    assert [cid for cid, _ in hits] == ["a", "c"]
    assert index.search(["不存在"], 3) == []


def test_saved_index_loads_identically(tmp_path: Path) -> None:
    index = BM25Index.build([("a", ["健康", "档案"]), ("b", ["家庭", "医生", "签约"])], "fp1")
    index.save(tmp_path)
    loaded = BM25Index.load(tmp_path)
    assert loaded is not None
    assert loaded.fingerprint == "fp1"
    assert loaded.search(["签约"], 2) == index.search(["签约"], 2)


def test_missing_or_corrupt_index_loads_as_none(tmp_path: Path) -> None:
    assert BM25Index.load(tmp_path) is None
    (tmp_path / "bm25.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "bm25.npz").write_bytes(b"junk")
    assert BM25Index.load(tmp_path) is None


def test_lexical_index_is_rebuilt_from_chroma_when_stale_or_missing(tmp_path: Path) -> None:
    store, lexical, _ = make_searcher(tmp_path)
    put(store, "d1", [chunk("d1", 0, "开展手足口病防控培训。")])
    assert [cid for cid, _ in lexical.search("手足口病", 5)] == ["d1-0000"]
    # another writer adds a document behind this index's back: the fingerprint changes, the index follows
    put(store, "d2", [chunk("d2", 0, "加强狂犬病暴露处置门诊建设。")])
    assert [cid for cid, _ in lexical.search("狂犬病", 5)] == ["d2-0000"]
    # the persisted files disappear: rebuilt from the store, same answers
    for f in (tmp_path / "lexical").iterdir():
        f.unlink()
    _, fresh, _ = make_searcher(tmp_path)
    assert [cid for cid, _ in fresh.search("狂犬病", 5)] == ["d2-0000"]


def test_rebuild_tokenises_only_chunks_it_has_not_seen(tmp_path: Path) -> None:
    store, lexical, _ = make_searcher(tmp_path)
    put(store, "d1", [chunk("d1", 0, "开展手足口病防控培训。"), chunk("d1", 1, "完成霍乱监测采样。")])
    lexical.rebuild()
    assert lexical.terms.misses == 2
    put(store, "d2", [chunk("d2", 0, "加强狂犬病暴露处置门诊建设。")])
    lexical.rebuild()
    assert lexical.terms.misses == 3  # only the new chunk
    assert [cid for cid, _ in lexical.search("霍乱监测", 1)] == ["d1-0001"]
    assert [cid for cid, _ in lexical.search("狂犬病", 1)] == ["d2-0000"]

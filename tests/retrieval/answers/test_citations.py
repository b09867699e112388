"""Citation markers written by a model are normalised, checked against the passages and renumbered."""

from __future__ import annotations

import pytest

from retrieval.answers.citations import normalize_markers, renumber, strip_markers
from tests.fakes.searcher import real_chunks

CHUNKS = list(real_chunks().values())[:5]  # five passages: valid markers are [1]..[5]


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("培训医护人员100余名[1]。", "培训医护人员100余名[1]。"),
        ("培训医护人员100余名。[1]", "培训医护人员100余名[1]。"),  # after the closing punctuation
        ("培训医护人员100余名。[1][2]", "培训医护人员100余名[1][2]。"),
        ("培训医护人员100余名【1】。", "培训医护人员100余名[1]。"),
        ("培训医护人员100余名[1,2]。", "培训医护人员100余名[1][2]。"),
        ("培训医护人员100余名[1， 3]。", "培训医护人员100余名[1][3]。"),
        ("培训医护人员100余名[1、2]。", "培训医护人员100余名[1][2]。"),
        ("培训医护人员100余名［2］；", "培训医护人员100余名[2]；"),
        ("培训医护人员100余名[1-3]。", "培训医护人员100余名[1][2][3]。"),
        ("培训医护人员100余名[1][1]。", "培训医护人员100余名[1]。"),
    ],
)
def test_normalize_markers(raw: str, normalised: str) -> None:
    assert normalize_markers(raw) == normalised


@pytest.mark.parametrize(
    ("raw", "text", "cited"),
    [
        # renumbered in order of first use: passage 3 becomes [1], passage 1 becomes [2]
        ("召开会议[3]。培训医护人员[1]。宣传[3]。", "召开会议[1]。培训医护人员[2]。宣传[1]。", [3, 1]),
        # [9] points at no passage (five given) and is dropped; [0] too
        ("召开会议[9]。培训医护人员[2][9]。宣传[0]。", "召开会议。培训医护人员[1]。宣传。", [2]),
        ("召开会议。[2]【4】", "召开会议[1][2]。", [2, 4]),
        ("资料中未找到相关内容。", "资料中未找到相关内容。", []),
    ],
)
def test_renumber_maps_citations_to_the_passages_cited(raw: str, text: str, cited: list[int]) -> None:
    out, citations = renumber(raw, CHUNKS)
    assert out == text
    assert [c.n for c in citations] == list(range(1, len(cited) + 1))
    assert [c.chunk_id for c in citations] == [CHUNKS[i - 1].chunk_id for i in cited]
    assert all(c.text == CHUNKS[i - 1].text for c, i in zip(citations, cited, strict=True))


def test_strip_markers_leaves_the_prose() -> None:
    assert strip_markers("召开会议【1】。培训医护人员。[2]") == "召开会议。培训医护人员。"

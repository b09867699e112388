"""Citation cards: one button per citation up to WeCom's 6, the rest named; the tapped card shows the passage."""

from __future__ import annotations

from bot.wecom.answering import CARD_PASSAGE_CHARS, citation_card, passage_card
from retrieval.answers.types import Citation
from tests.bot.wecom import fake_rules


def citation(n: int, text: str = "开展手足口病防控培训6次。") -> Citation:
    return Citation(n, f"doc_{n}", f"{n:03d}.txt", f"报告{n}", ("一、上半年工作", f"（{n}）传染病防控"), text)


def test_eight_citations_get_six_buttons_and_the_rest_named() -> None:
    card = citation_card(4, [citation(n) for n in range(1, 9)])
    assert card is not None
    fake_rules.check_card(card)  # what the real server accepts
    assert [b["key"] for b in card["button_list"]] == [f"cite:4:{n}" for n in range(1, 7)]
    assert card["button_list"][0]["text"] == "[1] （1）传染病防控"
    assert "[7]–[8]" in card["sub_title_text"]


def test_no_citations_no_card() -> None:
    assert citation_card(1, []) is None


def test_passage_card_keeps_task_and_buttons_and_says_when_the_passage_is_cut() -> None:
    card = citation_card(2, [citation(1), citation(2)])
    assert card is not None
    short, fits = passage_card(card, citation(2))
    assert fits
    assert short["task_id"] == card["task_id"]
    assert short["button_list"] == card["button_list"]
    assert short["main_title"] == {"title": "[2] 报告2", "desc": "一、上半年工作 › （2）传染病防控"}
    assert short["sub_title_text"] == "开展手足口病防控培训6次。"
    long_text = "培训医护人员100余名。" * 30
    cut, fits = passage_card(card, citation(1, long_text))
    assert not fits
    assert len(cut["sub_title_text"]) <= CARD_PASSAGE_CHARS
    assert cut["sub_title_text"].endswith("（全文见下条消息）")

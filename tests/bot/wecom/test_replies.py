"""Reply bodies: the 20,480-byte stream limit cut at a character, and the button card rules."""

from __future__ import annotations

import pytest

from bot.wecom import Button, WeComCardError, button_card, fit_utf8
from bot.wecom.replies import MAX_STREAM_BYTES, stream_body


@pytest.mark.parametrize("text", ["a" * 30_000, "防" * 9_000, "😀" * 6_000, "a" + "防" * 7_000])
def test_long_text_is_cut_on_a_utf8_boundary(text: str) -> None:
    cut = fit_utf8(text)
    size = len(cut.encode("utf-8"))
    assert MAX_STREAM_BYTES - 4 <= size <= MAX_STREAM_BYTES  # at most one character's bytes short
    assert cut.endswith("……")
    assert text.startswith(cut.removesuffix("\n\n……"))


def test_text_within_the_limit_is_untouched() -> None:
    text = "防" * (MAX_STREAM_BYTES // 3)
    assert fit_utf8(text) == text
    assert stream_body("s1", text, finish=True) == {
        "msgtype": "stream",
        "stream": {"id": "s1", "finish": True, "content": text},
    }


def test_a_button_card_has_the_required_shape() -> None:
    card = button_card("来源", [Button("[1] 报告000", "src:1")], desc="点按钮看原文")
    assert card["card_type"] == "button_interaction"
    assert card["main_title"] == {"title": "来源", "desc": "点按钮看原文"}
    assert card["button_list"] == [{"text": "[1] 报告000", "style": 1, "key": "src:1"}]
    assert card["task_id"].startswith("card_")


@pytest.mark.parametrize(
    ("title", "buttons", "message"),
    [
        ("", [Button("a", "a")], "main_title"),
        ("来源", [], "1 to 6"),
        ("来源", [Button(str(i), f"k{i}") for i in range(7)], "1 to 6"),
        ("来源", [Button("a", "same"), Button("b", "same")], "unique"),
        ("来源", [Button("a", "k" * 1025)], "1024"),
    ],
)
def test_cards_breaking_the_rules_are_refused(title: str, buttons: list[Button], message: str) -> None:
    with pytest.raises(WeComCardError, match=message):
        button_card(title, buttons)


def test_a_task_id_with_forbidden_characters_is_refused() -> None:
    with pytest.raises(WeComCardError, match="task_id"):
        button_card("来源", [Button("a", "a")], task_id="有 空格")

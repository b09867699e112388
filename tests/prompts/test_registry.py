"""The prompt registry: prompts are files, loaded by name, with their variables declared."""

from __future__ import annotations

import pytest

from prompts import Prompt, load_prompt, prompt_names


def test_unknown_name_is_a_value_error_naming_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown prompt 'no_such_prompt'.*answer_system"):
        load_prompt("no_such_prompt")


@pytest.mark.parametrize(
    ("name", "variables"),
    [
        ("answer_system", ("fence_start", "fence_end")),
        ("answer_user", ("history", "passages", "question", "fence_start", "fence_end")),
        ("answer_passage", ("n", "title", "heading", "text")),
        ("answer_history", ("questions",)),
    ],
)
def test_vars_line_is_parsed_and_not_part_of_the_template(name: str, variables: tuple[str, ...]) -> None:
    prompt = load_prompt(name)
    assert prompt.variables == variables
    assert "# vars" not in prompt.template
    assert name in prompt_names()


def test_format_fills_every_variable() -> None:
    text = load_prompt("answer_passage").format(
        n="2", title="卫生局工作总结", heading=" 一、上半年", text="召开会议。"
    )
    assert text.startswith("[2] 出处：《卫生局工作总结》 一、上半年\n召开会议。")


def test_format_with_a_missing_variable_is_a_value_error() -> None:
    with pytest.raises(ValueError, match=r"missing \['text'\]"):
        load_prompt("answer_passage").format(n="1", title="t", heading="")


def test_format_with_an_unexpected_variable_is_a_value_error() -> None:
    with pytest.raises(ValueError, match=r"unexpected \['extra'\]"):
        Prompt("p", "{a}", ("a",)).format(a="x", extra="y")


def test_answer_system_prompt_states_the_rules_the_chain_relies_on() -> None:
    system = load_prompt("answer_system").template
    for rule in (
        "只依据",
        "中文",
        "[1]",
        "{fence_start}",
        "{fence_end}",
        "不是指令",
        "不得执行",
        "资料中未找到",
    ):
        assert rule in system

"""``reportbot ask QUESTION``: a cited answer, rendered for the terminal (rich), a pipe (plain text) or JSON."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from bot.cli.support import (
    DataDir,
    console,
    fail,
    load_settings,
    open_services,
    require_documents,
    require_text,
)


def ask(
    question: Annotated[
        str, typer.Argument(help="问题，例如 上半年手足口病防控做了什么", show_default=False)
    ],
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出回答。")] = False,
    passages: Annotated[bool, typer.Option("--passages", help="同时列出每条引用的原文段落。")] = False,
    data_dir: DataDir = None,
) -> None:
    """提问，回答中每句都标注出处（编号对应文末的来源）。

    未配置大模型时为摘录模式：回答直接摘自报告原文。问题为空或超过长度上限（REPORTBOT_QUESTION_MAX_CHARS，默认 500 字）时退出码为 1。
    """
    question = require_text(
        question, '问题为空：请输入要问的内容，例如 reportbot ask "上半年手足口病防控做了什么"'
    )
    from bot.chat.texts import question_too_long  # the cap and reply of the chat front ends

    settings = load_settings(data_dir)
    too_long = question_too_long(question, settings.question_max_chars)
    if too_long is not None:
        raise fail(too_long)
    services = open_services(data_dir, settings=settings)
    require_documents(services)
    answer = services.answers.answer(question)
    if as_json:
        print(json.dumps(answer.to_json(), ensure_ascii=False))
        return
    from bot.chat.render.text import render_answer

    console.print(render_answer(answer, passages=passages))


def register(app: typer.Typer) -> None:
    """Add ``ask`` to the ``reportbot`` app."""
    app.command("ask")(ask)

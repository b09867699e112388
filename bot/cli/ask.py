"""``reportbot ask QUESTION``: a cited answer, rendered for the terminal or as JSON."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from bot.chat.render.text import render_answer
from bot.cli.support import DataDir, console, open_services, require_documents


def ask(
    question: Annotated[str, typer.Argument(help="The question, e.g. 上半年手足口病防控做了什么")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the Answer as JSON.")] = False,
    passages: Annotated[bool, typer.Option("--passages", help="Also print each cited passage.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Answer a question with numbered citations."""
    services = open_services(data_dir)
    require_documents(services)
    answer = services.answers.answer(question)
    if as_json:
        print(json.dumps(answer.to_json(), ensure_ascii=False))
        return
    console.print(render_answer(answer, passages=passages), highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``ask`` to the ``reportbot`` app."""
    app.command("ask")(ask)

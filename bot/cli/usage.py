"""Usage errors in Chinese: "Missing argument 'question'." becomes "缺少参数 QUESTION".

typer (0.2x) parses the command line with its own copy of click (``typer._click``) and words its errors in
English; ``LazyGroup.main`` prints ``describe_usage_error(exc)`` and the command's usage line, then exits 2.
The wording is derived from the exception type and the parameter (its name, type, bounds, choices), never
from click's English text, so a new typer wording still gives a Chinese sentence.
"""

from __future__ import annotations

import enum
import re
from pathlib import Path
from typing import Any

try:  # typer 0.2x parses with its own copy of click: the classes and exceptions typer actually uses
    from typer import _click as click
    from typer._click import exceptions as errors
except ImportError:  # pragma: no cover - older typer uses click itself
    import click  # type: ignore[no-redef]
    from click import exceptions as errors  # type: ignore[no-redef]

HELP_OPTION_TEXT = "显示帮助并退出。"
_EXTRA_ARGS = re.compile(r"\(([^)]*)\)\s*$")


def param_name(param: Any) -> str:
    """``--top-k/-k`` for an option, ``QUESTION`` for an argument."""
    if param is None:
        return ""
    if getattr(param, "param_type_name", "") == "option":
        return "/".join(param.opts)
    return str(param.name or "").upper()


def expected_value(param: Any) -> str:
    """What a value of ``param`` should be, in Chinese (from its type, bounds and choices)."""
    descriptor = getattr(param, "type_descriptor", None)
    annotation = getattr(descriptor, "annotation", None)
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return "应为以下之一：" + "、".join(str(m.value) for m in annotation)
    if annotation is bool:
        return "应为 true 或 false"
    if annotation in (int, float):
        kind = "整数" if annotation is int else "数字"
        if low is not None and high is not None:
            return f"应为 {low} 到 {high} 之间的{kind}"
        if low is not None:
            return f"应为不小于 {low} 的{kind}"
        if high is not None:
            return f"应为不大于 {high} 的{kind}"
        return f"应为{kind}"
    if isinstance(annotation, type) and issubclass(annotation, Path):
        return "不是可用的路径"
    return "取值无效"


def describe_usage_error(exc: click.ClickException) -> str:
    """One Chinese sentence for a usage error of the command line."""
    match exc:
        case errors.NoSuchOption():
            line = f"没有选项 {exc.option_name}"
            if exc.possibilities:
                line += f"（是否想用 {'、'.join(sorted(exc.possibilities))}？）"
            return line
        case errors.MissingParameter():
            what = "选项" if getattr(exc.param, "param_type_name", "") == "option" else "参数"
            return f"缺少{what} {param_name(exc.param)}"
        case errors.BadParameter():
            return f"{param_name(exc.param) or '参数'} {expected_value(exc.param)}"
        case errors.BadOptionUsage():
            return f"选项 {exc.option_name} 用法不对（需要一个值）"
    message = exc.format_message()
    if message.startswith("Got unexpected extra argument"):
        match = _EXTRA_ARGS.search(message)
        extra = match.group(1) if match else ""
        return f"多余的参数：{extra}（含空格的内容请加引号）"
    if _is_chinese(message):  # raised by our own code (e.g. an unknown command)
        return message
    return "命令行用法不对"


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)

"""Settings errors in Chinese: one line per wrong variable, naming it, saying what it should be and what it is.

pydantic reports a wrong value in English ("Input should be a valid integer, unable to parse string as an
integer"); every front end (CLI, ``serve``, health check) shows ``describe_settings_errors(exc)`` instead, e.g.
``配置错误：REPORTBOT_TOP_K 应为整数（当前值 abc）``. Secret values are never shown.
"""

from __future__ import annotations

import re
import textwrap
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError
    from pydantic_core import ErrorDetails

ENV_PREFIX = "REPORTBOT_"
_CJK = re.compile(r"[\u4e00-\u9fff]")

# pydantic error type → what the value should be ({name} placeholders come from the error's ctx).
_EXPECTED: dict[str, str] = {
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数（不能带小数）",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "finite_number": "应为有限的数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文字",
    "string_too_short": "至少应有 {min_length} 个字符",
    "string_too_long": "最多 {max_length} 个字符",
    "string_pattern_mismatch": "格式不正确",
    "too_short": "长度至少应为 {min_length}",
    "too_long": "长度最多为 {max_length}",
    "list_type": "应为逗号分隔的列表",
    "path_type": "应为文件或目录路径",
    "url_parsing": "应为网址（如 http://host:8000）",
    "url_type": "应为网址（如 http://host:8000）",
    "url_syntax_violation": "应为网址（如 http://host:8000）",
    "url_scheme": "网址应以 {expected_schemes} 开头",
    "url_too_long": "网址过长",
    "literal_error": "应为以下之一：{expected}",  # pydantic words it "'fast' or 'best'"
    "enum": "应为以下之一：{expected}",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应不大于 {le}",
    "multiple_of": "应为 {multiple_of} 的倍数",
    "json_invalid": "不是有效的 JSON",
}


def env_name(loc: tuple[int | str, ...]) -> str:
    """The environment variable of an error location (``('top_k',)`` → ``REPORTBOT_TOP_K``)."""
    return ENV_PREFIX + str(loc[0]).upper() if loc else ENV_PREFIX + "*"


def _is_secret(model: type[BaseModel] | None, field: str) -> bool:
    from pydantic import SecretStr

    if model is None:
        from bot.settings import Settings

        model = Settings
    info = model.model_fields.get(field)
    return info is not None and info.annotation is SecretStr


def _shown(value: object) -> str:
    """A bound as people write it (``0`` rather than ``0.0``), quotes of literals dropped."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("'", "").replace(" or ", " 或 ")


def _expected(error: ErrorDetails) -> str:
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    if kind in ("value_error", "assertion_error"):
        reason = str(ctx.get("error", ""))
        return reason if _CJK.search(reason) else "取值无效"
    template = _EXPECTED.get(kind)
    if template is None:
        return "取值无效"
    try:
        return template.format(**{k: _shown(v) for k, v in ctx.items()})
    except (KeyError, IndexError):
        return template.split("{", 1)[0].rstrip("：:以 ") or "取值无效"


def describe_settings_error(error: ErrorDetails, model: type[BaseModel] | None = None) -> str:
    """One Chinese line for one pydantic error of ``model`` (default: ``Settings``)."""
    loc = tuple(error.get("loc") or ())
    name = env_name(loc)
    if error["type"] == "missing":
        return f"配置错误：{name} 必须设置"
    line = f"配置错误：{name} {_expected(error)}"
    field = str(loc[0]) if loc else ""
    value = error.get("input")
    if field and _is_secret(model, field):
        return line  # a secret is never echoed, not even a wrong one
    if isinstance(value, str | int | float):
        shown = textwrap.shorten(str(value), width=60, placeholder="…") or '""'
        line += f"（当前值 {shown}）"
    return line


def describe_settings_errors(exc: ValidationError, model: type[BaseModel] | None = None) -> list[str]:
    """One Chinese line per wrong variable (the first error of each), in the order pydantic found them;
    ``model`` is the settings class (default: ``Settings``), to know which fields are secrets.
    """
    lines: dict[str, str] = {}
    for error in exc.errors():
        name = env_name(tuple(error.get("loc") or ()))
        lines.setdefault(name, describe_settings_error(error, model))
    return list(lines.values())

"""How settings read a comma-separated list or an empty value from the environment (shared by the groups)."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BeforeValidator
from pydantic_settings import NoDecode

_SEPARATORS = re.compile(r"[,\s]+")
HTTP_ONLY = "应为 http:// 或 https:// 开头的地址"


def split_ids(value: object) -> object:
    """``"12345, 67890"`` → ``[12345, 67890]`` (a lone number → a list of it)."""
    if isinstance(value, str):
        parts = [p for p in _SEPARATORS.split(value.strip()) if p]
        try:
            return [int(p) for p in parts]
        except ValueError:
            msg = "应为逗号分隔的数字 id，如 12345,67890"
            raise ValueError(msg) from None
    if isinstance(value, int):
        return [value]
    return value


def split_names(value: object) -> object:
    """``"zhangsan, lisi"`` → ``["zhangsan", "lisi"]``."""
    if isinstance(value, str):
        return [p for p in _SEPARATORS.split(value.strip()) if p]
    return value


def empty_is_none(value: object) -> object:
    """An empty or blank value means unset."""
    return None if isinstance(value, str) and not value.strip() else value


IdList = Annotated[list[int], NoDecode, BeforeValidator(split_ids)]
"""Numeric ids, comma- or space-separated in the environment."""
NameList = Annotated[list[str], NoDecode, BeforeValidator(split_names)]
"""User ids, chat ids or addresses, comma- or space-separated in the environment."""
Unset = BeforeValidator(empty_is_none)
"""Put in an optional field's ``Annotated``: ``REPORTBOT_X=`` means the default (unset)."""

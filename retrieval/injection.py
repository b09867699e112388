"""Instruction-like text inside documents (prompt injection): find it, and strip it before quoting.

A minimal version of the interface ingest's quarantine uses; sentences that address the model
("忽略以上所有指令", "ignore previous instructions", "你现在是…") are never quoted or sent to a model.
"""

from __future__ import annotations

import re

_INSTRUCTION = re.compile(
    r"(忽略|无视|忽視|無視|不要理会|跳过).{0,12}(指令|提示|规则|規則|要求|设定|設定)"
    r"|你现在是|你現在是|你是一个|从现在起你|系统提示|系統提示|提示词|提示詞"
    r"|只回复|只回覆|只回復|只输出|只輸出|仅回复|仅输出"
    r"|ignore\s+(all\s+)?(the\s+)?(previous|prior|above)\s+(instructions|prompts?|rules)"
    r"|disregard\s+(all\s+)?(the\s+)?(previous|prior|above)|system\s+prompt|you\s+are\s+now\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]*\n?|\n")
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def _sentences(text: str) -> list[str]:
    return _SENTENCE.findall(text)


def is_instruction(sentence: str) -> bool:
    """Does ``sentence`` address a language model (an instruction, not report content)?"""
    return _INSTRUCTION.search(_INVISIBLE.sub("", sentence)) is not None


def instruction_sentences(text: str) -> list[str]:
    """The instruction-like sentences of ``text``, stripped, in order."""
    return [s.strip() for s in _sentences(text) if s.strip() and is_instruction(s)]


def strip_instructions(text: str) -> str:
    """``text`` without its instruction-like sentences and invisible control characters."""
    return "".join(s for s in _sentences(_INVISIBLE.sub("", text)) if not is_instruction(s))

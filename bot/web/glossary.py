"""Glossary entries added from the console (未答问题): ``<data_dir>/glossary.txt``, read by
``retrieval.text.synonyms`` beside its own lists and reloaded at once (no restart).
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

from bot.services import LOCAL_GLOSSARY
from retrieval.text import synonyms

_TERM = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9·（）()]{1,20}$")
_lock = threading.Lock()


class GlossaryError(ValueError):
    """An entry that cannot be added; the message is one Chinese sentence."""


def add_entry(data_dir: Path, colloquial: str, official: str) -> str:
    """Append ``colloquial = official`` to the data dir's glossary and reload; returns the line written."""
    colloquial, official = colloquial.strip(), official.strip()
    if not _TERM.fullmatch(colloquial) or not _TERM.fullmatch(official):
        msg = "口语说法和规范说法都应为 1 到 20 个汉字、字母或数字。"
        raise GlossaryError(msg)
    if colloquial == official:
        msg = "口语说法与规范说法相同，无需添加。"
        raise GlossaryError(msg)
    if official in synonyms.glossary().get(colloquial, ()):
        msg = f"词表中已有“{colloquial} = {official}”。"
        raise GlossaryError(msg)
    line = f"{colloquial} = {official}"
    path = data_dir / LOCAL_GLOSSARY
    with _lock:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            if fh.tell() == 0:
                fh.write("# 管理台“未答问题”页添加的词条：口语说法 = 规范说法\n")
            fh.write(line + "\n")
        synonyms.reload()
    return line


def local_entries(data_dir: Path) -> list[str]:
    """The entries added so far (for the page)."""
    path = data_dir / LOCAL_GLOSSARY
    if not path.exists():
        return []
    return [x for x in path.read_text(encoding="utf-8").splitlines() if x.strip() and not x.startswith("#")]

"""Tokens for the lexical index and key-term checks: jieba words plus character bigrams.

Jieba alone misses matches whenever a question and a report segment a phrase differently (婚检 / 婚前检查,
公卫 / 公共卫生); character bigrams of the CJK runs catch those, and jieba words keep whole terms ranking
high. Questions have their filler words (什么, 多少, 做了…) removed before bigramming, so the fillers do
not match at random.

jieba is imported and its dictionary loaded on the first tokenisation, from a cache in the user's cache
directory (``$XDG_CACHE_HOME/reportbot``, default ``~/.cache/reportbot``) rather than jieba's temp-dir default,
which a container or a cleaned /tmp loses (rebuilding it takes seconds).
"""

from __future__ import annotations

import logging
import marshal
import os
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from retrieval.text.normalize import normalize

if TYPE_CHECKING:
    from types import ModuleType

_WORD = re.compile(r"[\u4e00-\u9fff]|[A-Za-z]+|\d+(?:\.\d+)?%?")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
STOPWORDS = frozenset(
    "的 了 和 与 及 在 是 对 为 等 中 上 下 我 我们 你 什么 怎么 怎样 如何 哪些 哪个 多少 有 有没有 吗 呢 啊 吧 "
    "做 做了 了吗 一下 一些 这个 那个 这些 那些 以及 或 并 把 被 将 从 到 向 于 其 之 就 都 也 还 又 该 "
    "请 请问 告诉 说说 介绍 情况 相关 方面 工作 问题 开展 进行 主要 具体 哪 年 今年 去年".split()
)
# Question fillers removed before bigramming a question (longest first).
_FILLERS = re.compile(
    "|".join(
        sorted(
            "什么 多少 怎么样 怎么 怎样 如何 哪些 哪个 哪里 是否 有没有 能不能 是不是 有啥 干啥 做啥 啥 吗 呢 呀 吧 "
            "现在 目前 一下 请问 介绍 说说 告诉 搞了 搞 弄 干了 做了 了 的 我们 咱们 大家 都".split(),
            key=len,
            reverse=True,
        )
    )
)
_DOMAIN_WORDS = Path(__file__).with_name("domain_words.txt")


def cache_dir() -> Path | None:
    """Where jieba keeps its dictionary cache (the user cache dir), or None when it cannot be written there."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "reportbot"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return path if os.access(path, os.W_OK) else None


def _import_jieba() -> ModuleType:
    """``import jieba`` without its ``import pkg_resources`` (0.1–0.2 s, and deprecated): jieba falls back to
    opening its data files directly when that import fails.
    """
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        import jieba

        return jieba
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes `import pkg_resources` fail
    try:
        import jieba
    finally:
        del sys.modules["pkg_resources"]
    return jieba


@lru_cache(maxsize=1)
def _init() -> ModuleType:
    """Jieba with its dictionary loaded (from the cache when there is one) and the domain words added."""
    jieba = _import_jieba()
    jieba.setLogLevel(logging.WARNING)
    directory = cache_dir()
    if directory is not None:  # jieba never re-checks the default dictionary's cache: name it by version
        jieba.dt.tmp_dir = str(directory)
        jieba.dt.cache_file = f"jieba-{jieba.__version__}.cache"
    if directory is None or not _load_cached(jieba, directory / jieba.dt.cache_file):
        jieba.initialize()  # builds the prefix dictionary (seconds) and writes the cache
    for line in _DOMAIN_WORDS.read_text(encoding="utf-8").splitlines():
        word = line.strip()
        if word and not word.startswith("#"):
            jieba.add_word(word, freq=20000)
    return jieba


def _load_cached(jieba: ModuleType, cache: Path) -> bool:
    """What ``jieba.initialize`` does with an existing cache of the default dictionary, but reading the file in
    one go: jieba's ``marshal.load`` on an open file takes ~1 s where ``marshal.loads`` of its bytes takes 0.25 s.
    """
    if jieba.dt.dictionary is not None or not cache.is_file():  # None: jieba's default dictionary
        return False
    try:
        freq, total = marshal.loads(cache.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return False  # jieba rebuilds it
    if not isinstance(freq, dict) or not isinstance(total, int):
        return False
    with jieba.dt.lock:
        if not jieba.dt.initialized:
            jieba.dt.FREQ, jieba.dt.total = freq, total
            jieba.dt.initialized = True
    return True


@lru_cache(maxsize=1)
def idf_table() -> tuple[dict[str, float], float]:
    """Jieba's general-language IDF table and its median, exactly as ``jieba.analyse`` builds them.

    Read straight from jieba's ``idf.txt`` (~0.3 s): ``import jieba.analyse`` would also load jieba's
    part-of-speech tagger (about a second more) that nothing here uses.
    """
    jieba = _import_jieba()
    idf: dict[str, float] = {}
    source = Path(str(jieba.__file__)).with_name("analyse") / "idf.txt"
    for line in source.read_bytes().decode("utf-8").splitlines():
        word, freq = line.strip().split(" ")
        idf[word] = float(freq)
    return idf, sorted(idf.values())[len(idf) // 2]


def tokenize(text: str, *, normalized: bool = False) -> list[str]:
    """Search-mode jieba tokens of ``text`` (normalised first unless ``normalized``), stopwords dropped."""
    jieba = _init()
    if not normalized:
        text = normalize(text)
    tokens = []
    for tok in jieba.cut_for_search(text.lower()):
        tok = tok.strip()
        if not tok or tok in STOPWORDS or not _WORD.search(tok):
            continue
        tokens.append(tok)
    return tokens


def bigrams(text: str) -> list[str]:
    """Character bigrams of each CJK run, marked so they never collide with a two-character jieba word."""
    return ["_" + run[i : i + 2] for run in _CJK_RUN.findall(text) for i in range(len(run) - 1)]


def lexical_terms(text: str, *, query: bool = False, normalized: bool = False) -> list[str]:
    """What the BM25 index stores for a passage (``query=False``) or looks up for a question (normalised
    first unless ``normalized``).
    """
    if not normalized:
        text = normalize(text)
    return tokenize(text, normalized=True) + bigrams(_FILLERS.sub(" ", text) if query else text)

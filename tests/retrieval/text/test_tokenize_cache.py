"""jieba's dictionary cache lives in the user's cache dir, is read in one go, and tokenises exactly as jieba."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import json, sys
from retrieval.text.tokenize import tokenize
tokens = tokenize("上半年全县手足口病报告发病率同比下降8.2%，家庭医生签约率达到76.5%")
import jieba
print(json.dumps({"tokens": tokens, "pkg_resources": "pkg_resources" in sys.modules, "dt": jieba.dt.initialized}))
"""


def tokenize_in_a_new_process(cache_home: Path) -> dict:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=300, check=True
    )
    assert "Traceback" not in done.stderr
    return json.loads(done.stdout)


def test_the_dictionary_cache_is_written_once_to_the_user_cache_dir_and_then_read(tmp_path: Path) -> None:
    first = tokenize_in_a_new_process(tmp_path)
    [cache] = (tmp_path / "reportbot").glob("jieba-*.cache")
    written = cache.stat().st_mtime_ns
    second = tokenize_in_a_new_process(tmp_path)
    assert cache.stat().st_mtime_ns == written  # read, not rebuilt
    assert first["tokens"] == second["tokens"]
    assert {"手足口病", "家庭医生", "签约率"} <= set(first["tokens"])
    assert not second["pkg_resources"]


def test_an_unwritable_cache_dir_still_tokenises(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("", encoding="utf-8")  # XDG_CACHE_HOME is a file: no cache dir can be made in it
    assert tokenize_in_a_new_process(blocked)["tokens"] == tokenize_in_a_new_process(tmp_path)["tokens"]


def test_the_cached_dictionary_tokenises_like_jieba_itself(tmp_path: Path) -> None:
    import jieba

    from retrieval.text import tokenize
    from retrieval.text.tokenize import _init

    text = "区卫健委推进紧密型医共体建设，组建12个专科质控中心，完成3所乡镇卫生院改扩建工程"
    ours = list(_init().cut_for_search(text))
    reference = jieba.Tokenizer()  # jieba's own loading (its cache in the temp dir, or built from dict.txt)
    for line in Path(tokenize.__file__).with_name("domain_words.txt").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            reference.add_word(line.strip(), freq=20000)
    assert ours == list(reference.cut_for_search(text))


def test_the_idf_table_is_jieba_analyses() -> None:
    import jieba.analyse

    from retrieval.text.tokenize import idf_table

    idf, median = idf_table()
    assert median == jieba.analyse.default_tfidf.median_idf
    assert idf == jieba.analyse.default_tfidf.idf_freq

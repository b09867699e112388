"""The second evaluation set (``eval/second.jsonl`` over ``eval/second/docs``) is valid and reproducible.

Every expected substring and fact is really in its source document; unanswerable questions name topics (or
units) the documents they are about do not have; and ``eval/second/build.py`` rebuilds the committed
documents from their text sources.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from retrieval.evaluation import QUESTION_TYPES, load_questions, match_key
from tests.support.question_checks import WS, expected_problems, missing_facts

if TYPE_CHECKING:
    from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS_FILE = ROOT / "eval" / "second.jsonl"
SECOND = ROOT / "eval" / "second"
MIN_PER_TYPE = {t: 6 for t in QUESTION_TYPES}
TRADITIONAL_DOCS = {"s11_city2_2019_summary_trad.txt", "s12_county2_2022_summary_plan_trad.docx"}


def _load_build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_second_build", SECOND / "build.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


build = _load_build()


@pytest.fixture(scope="module")
def questions():
    return load_questions(QUESTIONS_FILE)


@pytest.fixture(scope="module")
def raw() -> dict[str, dict]:
    """The extra fields of each line (absent, absent_in, tags), by id."""
    lines = QUESTIONS_FILE.read_text(encoding="utf-8").splitlines()
    return {obj["id"]: obj for obj in map(json.loads, filter(str.strip, lines))}


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    """Each document's source text with whitespace removed, by the document's file name."""
    return {
        build.output_name(src): WS.sub("", build.source_path(src).read_text(encoding="utf-8"))
        for src in build.FORMATS
    }


def test_every_committed_document_has_a_source_and_the_set_is_varied() -> None:
    built = {build.output_name(src) for src in build.FORMATS}
    committed = {p.name for p in (SECOND / "docs").iterdir()}
    assert committed == built
    assert len(built) >= 12
    assert {Path(n).suffix for n in built} >= {".docx", ".html", ".pdf", ".txt", ".md"}


def test_set_size_and_type_coverage(questions) -> None:
    counts = Counter(q.type for q in questions)
    assert len(questions) >= 60
    for qtype, minimum in MIN_PER_TYPE.items():
        assert counts[qtype] >= minimum, f"{qtype}: {counts[qtype]} < {minimum}"


def test_expected_substrings_are_exact_and_in_their_sources(questions, texts) -> None:
    assert expected_problems(questions, texts) == []


def test_facts_are_in_the_sources(questions, texts) -> None:
    assert missing_facts(questions, texts) == []
    assert all(1 <= len(q.facts) <= 3 for q in questions if q.answerable)


def test_multi_and_traditional_questions(questions) -> None:
    assert all(len(set(q.sources)) >= 2 for q in questions if q.type == "multi")
    assert all(set(q.sources) <= TRADITIONAL_DOCS for q in questions if q.type == "traditional")


def test_unit_questions_name_their_unit(questions) -> None:
    with_unit = [q for q in questions if q.unit]
    assert len(with_unit) >= 30
    assert [q.id for q in with_unit if q.unit not in q.question] == []
    assert {q.unit for q in with_unit} >= {"云岭", "江澜", "梧桐", "宁溪", "青禾", "汐川", "澄溪"}


def test_unanswerable_topics_are_absent_where_the_question_looks(questions, raw, texts, corpus_dir) -> None:
    """``absent`` terms occur in none of the ``absent_in`` documents (default: every document of both sets).

    ``absent_in`` lists a unit's own documents when the topic exists for other units: those must be all the
    documents that name the unit in their opening (header and title).
    """
    corpus = {p.name: WS.sub("", p.read_text(encoding="utf-8")) for p in corpus_dir.glob("*.txt")}
    everything = texts | corpus
    for q in questions:
        if q.type != "unanswerable":
            continue
        obj = raw[q.id]
        assert obj["absent"], f"{q.id}: list the absent topic terms"
        assert any(match_key(t) in match_key(q.question) for t in obj["absent"]), (
            f"{q.id}: terms not in question"
        )
        where = obj.get("absent_in") or sorted(everything)
        if obj.get("absent_in"):
            own = {name for name, text in texts.items() if q.unit in text[:300]}
            assert own <= set(where), f"{q.id}: {sorted(own - set(where))} also belong to {q.unit}"
        for term in obj["absent"]:
            found = [name for name in where if match_key(term) in match_key(everything[name])]
            assert found == [], f"{q.id}: {term} occurs in {found}"


def test_tags_are_lists_of_strings(raw) -> None:
    assert all(
        isinstance(obj.get("tags", []), list) and all(isinstance(t, str) for t in obj.get("tags", []))
        for obj in raw.values()
    )


def test_every_built_document_has_its_signature_at_the_end() -> None:
    """The layout build.py gives each .docx/.pdf: a header before the 主送 line and a 落款 (unit, date)."""
    for src, fmt in build.FORMATS.items():
        if fmt not in ("docx", "pdf"):
            continue
        roles = build.layout(build.source_path(src).read_text(encoding="utf-8").splitlines())
        signature = [line for role, line in roles if role == "signature"]
        assert len(signature) == 2, src
        assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", signature[1]), src
        assert roles[0][0] == "header", src


def _document_text(path: Path) -> str:
    if path.suffix == ".docx":
        from docx import Document

        return "\n".join(p.text for p in Document(str(path)).paragraphs)
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)
    return path.read_bytes().hex()


def test_build_reproduces_the_committed_documents(tmp_path: Path) -> None:
    if not any(p.is_file() for p in build.FONT_CANDIDATES):
        pytest.skip("no CJK font installed for the PDFs (apt-get install fonts-wqy-microhei)")
    rebuilt = build.build(tmp_path)
    assert len(rebuilt) == len(build.FORMATS)
    for path in rebuilt:
        committed = SECOND / "docs" / path.name
        assert _document_text(path) == _document_text(committed), path.name


def test_gb18030_and_docx_documents_hold_their_source_text() -> None:
    for src, fmt in build.FORMATS.items():
        text = build.source_path(src).read_text(encoding="utf-8")
        doc = SECOND / "docs" / build.output_name(src)
        if fmt == "gb18030":
            assert doc.read_bytes().decode("gb18030") == text
            with pytest.raises(UnicodeDecodeError):
                doc.read_bytes().decode("utf-8")
        elif fmt == "docx":
            assert WS.sub("", _document_text(doc)) == WS.sub("", text)

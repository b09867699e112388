from __future__ import annotations

from retrieval.synonyms import expansions, glossary


def test_colloquial_terms_expand_to_official_ones() -> None:
    assert expansions("小诊所能看发烧吗") == ["个体诊所", "发热"]


def test_terms_already_in_the_question_are_not_repeated() -> None:
    assert "婚前医学检查" not in expansions("婚检也就是婚前医学检查做了多少")


def test_glossary_has_no_empty_entries() -> None:
    assert glossary()
    assert all(key and values for key, values in glossary().items())

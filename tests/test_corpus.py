"""Other projects' Markdown test documents through klpublish, as a newcomer runs
it (issue 22): for each, extract; copy every msgid into its msgstr and publish
(the page must be pandoc's own HTML, block by block); translate every word
(pseudo) and publish (every text of the page translated); lint and publish
agree (what lint accepts is published in every format, what publish refuses
lint says at its line). What each document is refused is in
``corpus/manifest.json``: a new refusal, a refusal gone, a crash or a new
difference fails its test. ``python tests/corpus_run.py`` rewrites the manifest
after a deliberate change (then read its diff)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from corpus_run import (
    OTHERS,
    SHARED,
    check_document,
    corpus_documents,
    document_path,
    expected_outcomes,
)
from helpers import hang_bound

DOCUMENTS = corpus_documents()
EXPECTED = expected_outcomes()
KINDS = ("extract", "refused", "identity", "pseudo", "disagreement")
LOCATED = re.compile(r"^(source/doc\.da\.md|locale/[a-z]+/LC_MESSAGES/doc\.po):\d+: ")


THERE = pytest.mark.skipif(
    not all((SHARED / folder).is_dir() for folder in OTHERS),
    reason=f"the other projects' documents are not in {SHARED} (KLPUBLISH_CORPUS): "
    "gather them with tests/corpus/gather.py",
)


@THERE
def test_the_corpus_is_there_with_its_licences() -> None:
    assert len(DOCUMENTS) >= 400
    for folder in OTHERS:
        here = SHARED / folder
        assert (here / "README.md").is_file(), folder
        assert list(here.glob("COPYING*")) or (here / "LICENSE").is_file(), folder


def test_the_manifest_names_documents_and_located_reasons() -> None:
    """Every document it names is in the corpus; every refusal names its file
    and line; nothing crashed (a crash is never an expected outcome)."""
    if all((SHARED / folder).is_dir() for folder in OTHERS):
        assert set(EXPECTED) <= set(DOCUMENTS), set(EXPECTED) - set(DOCUMENTS)
    for name, outcome in EXPECTED.items():
        assert set(outcome) <= {*KINDS, "finding"}, name
        for reason in outcome.get("refused", []):
            assert LOCATED.match(reason) or "finding" in outcome, (name, reason)
        if "extract" in outcome:
            assert LOCATED.match(outcome["extract"]), name


def test_every_accepted_document_is_published_whole() -> None:
    """Identity equal, pseudo complete and lint agreeing with publish for every
    document, but those a finding of another part of issue 22 names."""
    for name, outcome in EXPECTED.items():
        if {"identity", "pseudo", "disagreement"} & set(outcome):
            assert "finding" in outcome, name


@pytest.mark.slow
@pytest.mark.parametrize("name", DOCUMENTS)
def test_corpus_document(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = document_path(name).read_text(encoding="utf-8")
    with hang_bound(name, 120):
        outcome = check_document(text).as_dict()
    expected = {k: v for k, v in EXPECTED.get(name, {}).items() if k != "finding"}
    assert outcome == expected

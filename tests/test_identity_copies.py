"""Copying the source is always a valid translation (issue 22, finding 6): each
document of ``identity-copies/`` holds what a real document held when its
identity copy was refused or published altered. Its copy (every msgstr its
msgid) passes lint and publish, and its page is pandoc's own HTML of the
source; a translation of every word is published whole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from corpus_run import check_document
from helpers import hang_bound
from klpublish.letter.nodes import soft_breaks_to_spaces
from klpublish.letter.read import READER
from klpublish.segments import markdown

DOCS = Path(__file__).parent / "identity-copies"


@pytest.mark.parametrize("path", sorted(DOCS.glob("*.da.md")), ids=lambda p: p.stem)
def test_the_copy_of_the_source_is_published_as_the_source(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with hang_bound(path.name):
        outcome = check_document(path.read_text(encoding="utf-8"), formats=("html",))
    assert outcome.as_dict() == {}


def _inlines(text: str) -> Any:
    from klpublish import pandoc

    doc = pandoc.markdown_to_ast(text, "a test", READER)
    return soft_breaks_to_spaces(doc["blocks"][0]["c"])


@pytest.mark.parametrize(
    ("source", "msgid"),
    [
        ("Skriv &amp;lt; her", "Skriv \\&lt; her"),
        ("&amp;#xa0; og &amp;#XA0; og &amp;#160;", "\\&#xa0; og \\&#XA0; og \\&#160;"),
        ("AT&T og R&D; og &amp;copy;", "AT&T og R\\&D; og \\&copy;"),
        ("*&amp;lt;*", "*\\&lt;*"),
        ('[a](https://kl.dk "x &amp;lt; y")', '[a](https://kl.dk "x \\&lt; y")'),
        ("Tal $x\\ $ her", "Tal $x\\ $ her"),
        ("Tal $$ x $$ her", "Tal $$ x $$ her"),
        ("Et [udsnit]{} her", "Et [udsnit]{} her"),
        ("*[a]{} [b]{.c}*", "*[a]{} [b]{.c}*"),
        ("Et [[indre]{}]{}", "Et [[indre]{}]{}"),
        (":::\nA\n:::", "\\::: A :::"),
        ("::::: Fem koloner", "\\::::: Fem koloner"),
    ],
)
def test_a_msgid_reads_back_as_its_source(source: str, msgid: str) -> None:
    """The msgid, read as a translation is read, is the source's inlines: what
    pandoc's Markdown writer would lose (``&lt;`` read back as ``<``, a trimmed
    ``$x\\$``, a span without attributes written as its text) is written so that
    it comes back."""
    inlines = _inlines(source)
    kinds = {"Math"} if "$" in source else set()
    (written,) = markdown.render([inlines], "a test")
    assert written == msgid
    (read,) = markdown.parse([written], [0], "a test", markdown.reader_for(kinds))
    assert read == inlines


def test_memory_offers_a_translation_with_the_sources_own_characters() -> None:
    """A character the source has is judged by the source's check, in memory as
    in a catalog; one the translation adds is refused."""
    from klpublish.catalogs.memory import Unit, refusals
    from klpublish.errors import Location

    kept = Unit("☐ Lokalet er booket", None, "☐ The room is booked", Location("c.po", 3))
    added = Unit("Lokalet er booket", None, "☐ The room is booked", Location("c.po", 7))
    found = refusals([kept, added])
    assert list(found) == [added]
    assert found[added].startswith("msgstr: no font of the PDF has ☐ (U+2610)")

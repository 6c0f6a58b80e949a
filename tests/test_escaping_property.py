"""Whatever a translator or an author writes, the outputs have the elements and
attributes of the clean build: for every msgid of both domains (the letter's
and the layout words') and every front-matter field, given hostile text
(quotes, ``< > &``, an event handler, ``javascript:``, a newline, right-to-left
text with a mark), the web page, the index page, every XML file of the EPUB and
the PDF's XMP metadata keep their shape, and the hostile text is in them.

Every entry is hostile at once, each with its own marker, so one build tests
them all; lint must accept the hostile catalog (a refused entry proves nothing)
and each marker must be found in the outputs (an entry dropped proves nothing)."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import shutil
import string
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Message

from helpers import ROOT, copy_project
from hostile import (
    EVERY_FIELD,
    Shape,
    all_text,
    html_shape,
    letter_project,
    publish,
    set_labels,
    set_translations,
    shapes,
)
from klpublish.catalogs.labels import REVIEW, Label, catalog_template
from klpublish.catalogs.phrases import SUMMARY_TERMS, VAGUE_LINKS
from klpublish.letter.read import read_letter
from klpublish.project import Layout
from klpublish.render.index import LetterEntry, render_index
from klpublish.segments.messages import letter_messages

pytestmark = pytest.mark.slow

WORDS = {"de": "Wort", "da": "ord", "ar": "كلمة\u200f"}
"""A word of the language; in Arabic with a right-to-left mark, which the
character policy accepts in right-to-left text."""


def hostile(lang: str, marker: str) -> str:
    """Text that tries every way out of its place, and still passes lint: no
    complete tag (``<img ...`` never closes), ``javascript:`` not at the start."""
    return (
        f' {WORDS[lang]} " onfocus="alert(1)" a=\'b\' & &amp; javascript:alert(1)\n'
        f"{marker} <img src=x onerror=alert(1)"
    )


def markers() -> Iterator[str]:
    """``zqaa``, ``zqab``, ...: words no letter and no layout has."""
    for a, b in itertools.product(string.ascii_lowercase, repeat=2):
        yield f"zq{a}{b}"


class Hostile:
    """Makes each entry's hostile text and remembers where each marker went."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.placed: dict[str, str] = {}
        self._markers = markers()

    def __call__(self, what: str, base: str) -> str:
        marker = next(self._markers)
        self.placed[marker] = what
        return base + hostile(self.lang, marker)

    def entry(self, domain: str, skip: frozenset[str] = frozenset()) -> Callable[[Message], str]:
        def change(message: Message) -> str:
            what = f"{domain}: {message.context or ''} {message.id!r}"
            if message.context in skip:
                return str(message.string)
            return self(what, str(message.string))

        return change


def _build(root: Path, lang: str) -> tuple[dict[str, Shape], str]:
    with contextlib.chdir(root):
        publish(lang, "--threshold", "0")
        return shapes(Path("build"), lang), all_text(Path("build"), lang)


def _assert_same(got: dict[str, Shape], want: dict[str, Shape]) -> None:
    assert sorted(got) == sorted(want), "the outputs' files differ from the clean build's"
    for key in want:
        assert got[key] == want[key], f"{key}: elements or attributes differ from the clean build"


def _assert_published(placed: dict[str, str], text: str) -> None:
    missing = [what for marker, what in placed.items() if marker not in text]
    assert not missing, f"not in any output (refused or dropped): {missing}"


INDEX_ONLY = frozenset(
    {"index-title", "index-intro", "index-formats", "index-language", "index-letter-title"}
)
"""Words of the index page, whose language is the letters' source language
(Danish: the template's own words). ``test_the_index_page_in_any_language``
gives them to the index page in the language under test."""


NOT_ON_THE_INDEX = frozenset(
    {"skip-link", "languages-menu", "date", "case-id", "document-id", "page-number", "contents"}
)
CHECKS_ONLY = frozenset({VAGUE_LINKS, SUMMARY_TERMS})
"""Lists the gate's content checks read and no reader sees (``catalogs.phrases``)."""
REVIEW_ONLY = frozenset(
    str(m.context) for m in catalog_template() if str(m.context).startswith(REVIEW)
)
"""Words of the review pages (``klpublish review``), in none of the letter's outputs:
``test_review_untrusted`` writes a project's hostile review words and reads them back."""


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_every_msgid_of_both_domains_keeps_the_outputs_shape(tmp_path: Path, lang: str) -> None:
    clean = copy_project(tmp_path / "clean")
    shutil.copy(ROOT / "babel.cfg", clean / "babel.cfg")
    want, _ = _build(clean, lang)
    root = copy_project(tmp_path / "hostile")
    shutil.copy(ROOT / "babel.cfg", root / "babel.cfg")
    text = Hostile(lang)
    set_translations(root, lang, text.entry("letter"))
    set_labels(root, lang, text.entry("klpublish", skip=INDEX_ONLY | CHECKS_ONLY | REVIEW_ONLY))
    got, published = _build(root, lang)
    _assert_same(got, want)
    _assert_published(text.placed, published)
    assert 'onfocus="alert(1)"' in published and "<img src=x onerror" in published


def test_the_index_page_in_any_language(tmp_path: Path) -> None:
    """The index page's own words and a letter's title, hostile, in German."""

    def page() -> bytes:
        layout = Layout(Path("source/letter.da.md"), Path("locale"), Path("build"))
        title = Label(f"Willkommen{hostile('de', 'zqtitle')}", "de")
        entry = LetterEntry(layout, title, dt.date(2018, 1, 10), ("de",))
        return render_index([entry], layout, "de")

    root = copy_project(tmp_path)
    shutil.copy(ROOT / "babel.cfg", root / "babel.cfg")
    with contextlib.chdir(root):
        publish("de")
        want = html_shape(page())
        text = Hostile("de")
        skip = NOT_ON_THE_INDEX | CHECKS_ONLY | REVIEW_ONLY
        set_labels(root, "de", text.entry("klpublish", skip=skip))
        got = page()
    assert html_shape(got) == want
    _assert_published({**text.placed, "zqtitle": "the title"}, got.decode())


FIELDS = (
    "title",
    "subtitle",
    "recipient",
    "sender.name",
    "sender.address",
    "case-id",
    "document-id",
    "closing",
    "signatories.name",
    "signatories.role",
    "abstract",
    "description",
    "keywords",
    "author",
    "accessibility-summary",
)
"""Every front-matter field that holds text (``lang`` and ``date`` are checked
values, ``sender.web`` a web address: see ``test_escaping.py``)."""


def _hostile_front_matter(text: Hostile) -> str:
    """The every-field letter with each text field (each item of a list) hostile."""
    out = []
    for line in EVERY_FIELD.read_text(encoding="utf-8").split("\n"):
        key, sep, value = line.partition(": ")
        name = key.strip(" -")
        if line == "---" or not sep or not value or name not in {f.split(".")[-1] for f in FIELDS}:
            out.append(line)
            continue
        if value.startswith("["):
            items = [v.strip() for v in value[1:-1].split(",")]
            made = ", ".join(json.dumps(text(name, v), ensure_ascii=False) for v in items)
            out.append(f"{key}{sep}[{made}]")
        else:
            base = json.loads(value) if value.startswith('"') else value
            out.append(f"{key}{sep}{json.dumps(text(name, base), ensure_ascii=False)}")
    body = "\n".join(out)
    address = "    - Weidekampsgade 10"
    line = "    - " + json.dumps(text("sender.address", "Weidekampsgade 10"), ensure_ascii=False)
    return body.replace(address, line, 1)


def test_every_front_matter_field_keeps_the_outputs_shape(tmp_path: Path) -> None:
    """Danish: the author's own text, every field hostile."""
    letter_project(tmp_path / "clean", EVERY_FIELD.read_text(encoding="utf-8"), {})
    want, _ = _build(tmp_path / "clean", "da")
    text = Hostile("da")
    letter_project(tmp_path / "hostile", _hostile_front_matter(text), {})
    assert {what.split(".")[-1] for what in text.placed.values()} >= {
        f.split(".")[-1] for f in FIELDS
    }
    got, published = _build(tmp_path / "hostile", "da")
    _assert_same(got, want)
    _assert_published(text.placed, published)


def test_every_translated_field_keeps_the_outputs_shape(tmp_path: Path) -> None:
    """German: each msgid of the every-field letter (keywords and description
    among them) translated into hostile text."""
    source = EVERY_FIELD.read_text(encoding="utf-8")
    letter_project(tmp_path / "clean", source, {})
    msgids = [m.msgid for m in letter_messages(read_letter(tmp_path / "clean/source/letter.da.md"))]
    letter_project(tmp_path / "clean", source, {"de": {m: f"DE {m}" for m in msgids}})
    want, _ = _build(tmp_path / "clean", "de")
    text = Hostile("de")
    strings = {m: text(m, f"DE {m}") for m in msgids}
    letter_project(tmp_path / "hostile", source, {"de": strings})
    got, published = _build(tmp_path / "hostile", "de")
    _assert_same(got, want)
    _assert_published(text.placed, published)

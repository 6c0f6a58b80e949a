"""Every segment offered for translation reaches a reader: the front matter's
translatable fields, each rendered where it belongs, in every format."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree, html

from helpers import pseudo, pseudo_strings
from klpublish.__main__ import main
from klpublish.catalogs.po import new_catalog, template_catalog, write_catalog
from klpublish.letter.nodes import iter_nodes
from klpublish.letter.read import read_letter
from klpublish.segments.messages import Message, letter_messages
from klpublish.segments.walk import META_FIELDS

EVERY_FIELD = """\
---
title: Velkommen til KL
subtitle: Et brev til de nye kommunalbestyrelser
lang: da
date: 2018-01-10
author: [Martin Damm]
recipient: Til alle kommunalbestyrelsesmedlemmer
sender:
  name: KL – Kommunernes Landsforening
  address:
    - Weidekampsgade 10
    - 2300 København S
  web: https://www.kl.dk
case-id: SAG-2017-06094
closing: Venlig hilsen
signatories:
  - name: Martin Damm
    role: Formand
abstract: |
  KL byder velkommen og fortæller *kort* om sit arbejde.

  Brevet slutter med en invitation.
description: Velkomstbrev fra KL efter kommunalvalget
keywords: [kommunalvalg, velkomst]
accessibility-summary: Brevet har en overskrift for hvert afsnit.
---

Kære kommunalbestyrelser

## Om KL

KL er kommunernes forening.
"""

WHERE = {
    "metadata: description": "//meta[@name='description']/@content",
    "metadata: keywords": "//meta[@name='keywords']/@content",
}
"""Fields that belong in the page's metadata; every other one is in its text."""


def _field(message: Message) -> str | None:
    """The front matter field a message comes from (None: the body)."""
    if message.site.kind.startswith("metadata: "):
        return message.site.kind
    match = re.search(r"in metadata (\S+)$", message.site.description)
    return f"metadata: {match.group(1)}" if match else None  # a field of paragraphs


def _words(message: Message) -> list[str]:
    """The pseudo-translated words of a message, as a reader gets them."""
    return [
        str(n["c"])
        for n in iter_nodes(pseudo(message.site.inlines))
        if n["t"] == "Str" and any(ch.isalpha() for ch in str(n["c"]))
    ]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Message]]:
    """The letter with every field, published in Danish and in a pseudo-English
    where every word of every msgid reads ‹word›."""
    root = tmp_path_factory.mktemp("fields")
    mp = pytest.MonkeyPatch()
    mp.chdir(root)
    try:
        Path("source").mkdir()
        Path("source/letter.da.md").write_text(EVERY_FIELD, encoding="utf-8")
        letter = read_letter(Path("source/letter.da.md"))
        messages = letter_messages(letter)
        template = template_catalog(messages, letter.path)
        catalog = new_catalog(template, "en")
        for message, string in zip(messages, pseudo_strings(messages), strict=True):
            entry = catalog.get(message.msgid, message.context)
            assert entry is not None
            entry.string = string
        write_catalog(catalog, Path("locale/en/LC_MESSAGES/letter.po"))
        assert main(["publish"]) == 0
    finally:
        mp.undo()
    return root / "build", messages


@pytest.mark.slow
def test_the_letter_uses_every_translatable_field(site: tuple[Path, list[Message]]) -> None:
    _, messages = site
    used = {field.removeprefix("metadata: ") for m in messages if (field := _field(m))}
    assert used == {".".join(path) for path in META_FIELDS}


@pytest.mark.slow
def test_every_msgid_is_in_the_page(site: tuple[Path, list[Message]]) -> None:
    build, messages = site
    page = html.fromstring((build / "en" / "letter.en.html").read_bytes())
    body = page.xpath("string(//body)")
    for message in messages:
        place = WHERE.get(_field(message) or "")
        shown = " ".join(page.xpath(place)) if place else body
        for word in _words(message):
            assert word in shown, f"{message.site.kind} {message.msgid!r}: {word} not shown"


@pytest.mark.slow
def test_the_book_and_the_pdf_show_the_fields(site: tuple[Path, list[Message]]) -> None:
    build, messages = site
    by_kind: dict[str, list[str]] = {}
    for message in messages:
        by_kind.setdefault(_field(message) or "body", []).extend(_words(message))
    with zipfile.ZipFile(build / "en" / "letter.en.epub") as book:
        opf = book.read("EPUB/content.opf").decode("utf-8")
        xhtml = " ".join(
            "".join(etree.fromstring(book.read(n)).itertext())
            for n in book.namelist()
            if n.endswith(".xhtml")
        )
    pdf = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(build / "en" / "letter.en.pdf"), "-"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    for kind in ("metadata: subtitle", "metadata: abstract"):
        for word in by_kind[kind]:
            assert word in xhtml, f"EPUB: {kind} {word}"
            assert word.strip("‹›") in pdf, f"PDF: {kind} {word}"
    book_fields = {
        "metadata: description": r"<dc:description>(.*?)</dc:description>",
        "metadata: keywords": r"<dc:subject[^>]*>(.*?)</dc:subject>",
        "metadata: accessibility-summary": r'"schema:accessibilitySummary">(.*?)</meta>',
    }
    for kind, pattern in book_fields.items():
        found = " ".join(re.findall(pattern, opf, re.S))
        for word in by_kind[kind]:
            assert word in found, f"EPUB package: {kind} {word}"


def test_a_letter_without_sender_has_no_empty_letterhead_or_footer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("source").mkdir()
    Path("source/letter.da.md").write_text(
        "---\ntitle: Et brev\nlang: da\n---\n\nTekst.\n", encoding="utf-8"
    )
    assert main(["publish", "--locales", "none", "--format", "html"]) == 0
    page = html.fromstring(Path("build/da/letter.da.html").read_bytes())
    assert not page.xpath("//address"), "an empty letterhead"
    assert not page.xpath("//footer"), "an empty footer"
    assert "·" not in page.xpath("string(//body)")

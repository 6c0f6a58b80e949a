"""Footnotes and table captions on the third test letter, as each checker reads them.

Every format puts a footnote elsewhere: the web page in a list of notes at the end,
each with a link back; the EPUB in an ``aside`` (``doc-footnote``) at the end; the PDF
in a ``Note`` inside the paragraph that refers to it. Orca reads a note's reference
as a link of its own ("superscript", "link", "1" on the web page) and a captioned
table's caption twice (as the table's name, then as its caption). The reading-order,
structure and screen-reader checkers pass the published letter, and still fail a
footnote or a caption a reader cannot reach."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path
from typing import Any

import pytest
from lxml import html

from helpers import ROOT, add_third_letter, copy_project
from klpublish.__main__ import main
from klpublish.gate import orca, tools
from klpublish.gate.pdf_text import structure_blocks
from klpublish.gate.published import PublishedLetter, read_published
from klpublish.gate.reading_order import (
    note_segments,
    page_order,
    pdf_order,
    reading_segments,
    snapshot_text,
)
from klpublish.gate.run import _order_findings
from klpublish.gate.structure import (
    html_languages,
    pdf_structure,
    snapshot_parts,
    structure_problems,
)
from klpublish.project import Layout

LANGS = ("da", "ar", "en")
ADDRESS = (("Weidekampsgade 10", "da"), ("2300 København S", "da"))

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def third(tmp_path_factory: pytest.TempPathFactory) -> PublishedLetter:
    root = tmp_path_factory.mktemp("notes") / "project"
    copy_project(root)
    add_third_letter(root)
    with contextlib.chdir(root):
        source = ["--source", "source/third/third.da.md"]
        langs = [a for lang in LANGS for a in ("--lang", lang)]
        assert main(["publish", *source, *langs, "--no-index"]) == 0
        return read_published(Layout(Path("source/third/third.da.md")).absolute())


def _edited(source: Path, target: Path, xpath: str, edit: str) -> Path:
    """The page with the elements at ``xpath`` removed or hidden from screen readers."""
    page: Any = html.fromstring(source.read_bytes())
    for element in page.xpath(xpath):
        if edit == "remove":
            element.drop_tree()
        else:
            element.set("aria-hidden", "true")
    target.write_bytes(html.tostring(page, doctype="<!DOCTYPE html>", encoding="utf-8"))
    return target


@pytest.fixture(scope="module")
def snapshots(third: PublishedLetter, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    pages = [third.html[lang] for lang in LANGS]
    pages += [p for lang in LANGS for p in third.chapters(lang)]
    return tools.aria_snapshots(pages, ROOT)


# -- where the notes stand ---------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_notes_follow_the_closing_and_the_signatures(third: PublishedLetter, lang: str) -> None:
    """A letter ends with its closing and its signatures; its notes come after them,
    in the web page as in the EPUB, so a screen reader reads "Kind regards" where
    the letter ends and the notes as an appendix."""
    pages = {"html": third.html[lang], "epub": third.chapters(lang)[-1]}
    for fmt, page in pages.items():
        tree: Any = html.fromstring(page.read_bytes())
        article = tree.xpath("//article")[0] if fmt == "html" else tree.xpath("//body")[0]
        order = [
            "notes" if "footnotes" in (e.get("class") or "") else "closing"
            for e in article.iter()
            if e.get("class") in ("closing",) or (e.get("class") or "").startswith("footnotes")
        ]
        assert order == ["closing", "notes"], (fmt, order)


# -- reading order ----------------------------------------------------------------


def test_the_reading_order_passes_the_footnote_and_the_captioned_table(
    third: PublishedLetter, snapshots: dict[str, str]
) -> None:
    found = {
        (f.lang, f.fmt): f.problems + [f.error] * bool(f.error)
        for f in _order_findings(third, snapshots)
    }
    assert found == {(lang, fmt): [] for lang in LANGS for fmt in ("html", "epub", "pdf")}


def test_a_footnote_missing_from_a_page_fails_the_reading_order(
    third: PublishedLetter, tmp_path: Path
) -> None:
    doc = third.assessed["en"].doc
    assert doc is not None
    page = third.html["en"]
    gone = _edited(page, tmp_path / "gone.html", "//section[@id='footnotes']", "remove")
    snaps = tools.aria_snapshots([page, gone], ROOT)
    segments, notes = reading_segments(doc), note_segments(doc)
    assert len(notes) == 1
    assert page_order(segments, notes, snapshot_text(snaps[tools.page_key(str(page))])) == []
    problems = page_order(segments, notes, snapshot_text(snaps[tools.page_key(str(gone))]))
    assert problems == [f"footnote 1 ('{notes[0][:50]}') comes not at all"], problems


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_footnote_missing_from_the_pdf_fails_the_reading_order(
    third: PublishedLetter, lang: str
) -> None:
    doc = third.assessed[lang].doc
    assert doc is not None
    segments, notes = reading_segments(doc), note_segments(doc)
    blocks = structure_blocks(third.pdf[lang])
    rtl = lang == "ar"
    assert [kind for kind, _ in blocks].count("Note") == 1
    assert pdf_order(segments, notes, blocks, rtl) == []
    untagged = [b for b in blocks if b[0] != "Note"]
    problems = pdf_order(segments, notes, untagged, rtl)
    assert problems == [f"footnote 1 ('{notes[0][:50]}') is not in the structure tree"]
    swapped = list(segments)
    swapped[5], swapped[6] = swapped[6], swapped[5]  # the table's caption and a header
    assert any("earlier than expected" in p for p in pdf_order(swapped, notes, blocks, rtl))


# -- structure --------------------------------------------------------------------


def test_the_structure_has_one_note_per_footnote_in_every_format(
    third: PublishedLetter, snapshots: dict[str, str]
) -> None:
    for lang in LANGS:
        page = third.html[lang]
        mine = (snapshot_parts(snapshots[tools.page_key(str(page))]), html_languages(page))
        chapters = third.chapters(lang)
        book = (
            [p for c in chapters for p in snapshot_parts(snapshots[tools.page_key(str(c))])],
            [w for c in chapters for w in html_languages(c)],
        )
        pdf = pdf_structure(third.pdf[lang])
        assert structure_problems(mine, book, "EPUB") == [], lang
        assert structure_problems(mine, (pdf.parts, pdf.languages), "PDF") == [], lang
        assert mine[0].count("note") == 1 and "link" not in mine[0][:4], mine[0]
        assert any(p.endswith("captioned") for p in pdf.parts), pdf.parts


def test_a_note_reference_or_caption_missing_in_one_format_fails_the_structure(
    third: PublishedLetter, tmp_path: Path
) -> None:
    page = third.html["en"]
    no_ref = _edited(page, tmp_path / "no-ref.html", "//a[@role='doc-noteref']", "remove")
    no_caption = _edited(page, tmp_path / "no-caption.html", "//table/caption", "remove")
    snaps = tools.aria_snapshots([no_ref, no_caption], ROOT)
    pdf = pdf_structure(third.pdf["en"])
    for broken in (no_ref, no_caption):
        parts = snapshot_parts(snaps[tools.page_key(str(broken))])
        problems = structure_problems(
            (parts, html_languages(page)), (pdf.parts, pdf.languages), "PDF"
        )
        assert problems, broken.name
    parts = snapshot_parts(snaps[tools.page_key(str(no_ref))])
    assert "note" not in parts


# -- what Orca hears --------------------------------------------------------------


@pytest.fixture(scope="module")
def heard(third: PublishedLetter, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """One Orca session: the letter's web page in two languages and its EPUB chapter,
    and the English page broken three ways."""
    work = tmp_path_factory.mktemp("heard")
    en = third.html["en"]
    (chapter,) = third.chapters("da")
    pages = {
        "da": third.html["da"],
        "ar": third.html["ar"],
        "da.epub": chapter,
        "ref-silent": _edited(en, work / "a.html", "//a[@role='doc-noteref']", "hide"),
        "caption-silent": _edited(en, work / "b.html", "//table/caption", "hide"),
        "note-silent": _edited(en, work / "c.html", "//section[@id='footnotes']//p", "hide"),
    }
    listened = [orca.Page(p, work / "reports" / f"{n}.txt", ADDRESS) for n, p in pages.items()]
    with tempfile.TemporaryDirectory(prefix="klp-orca-") as session:
        found = orca.check_pages(listened, Path(session))
    return {name: found[path] for name, path in pages.items()}


@pytest.mark.orca
def test_orca_hears_the_footnote_and_the_captioned_table(heard: dict[str, list[str]]) -> None:
    good = ("da", "ar", "da.epub")
    assert {name: heard[name] for name in good} == {name: [] for name in good}


@pytest.mark.orca
def test_a_note_reference_caption_or_note_a_reader_does_not_hear_fails(
    heard: dict[str, list[str]],
) -> None:
    def missed(name: str, word: str) -> bool:
        return any(p.startswith("not heard") and word in p for p in heard[name])

    assert missed("ref-silent", "[1]"), heard["ref-silent"]
    assert missed("caption-silent", "Number of municipalities"), heard["caption-silent"]
    assert missed("note-silent", "mayors"), heard["note-silent"]

"""Language marks of Danish fallback text agree across the formats, and the structure
check compares the same thing from each: the language of each word all formats show.

A part a catalog leaves untranslated is shown in Danish and marked Danish: a span in the
HTML and the EPUB, ``/Lang`` on the structure element (or on the marked content, when the
PDF adds text of its own to the part, as "Abbildung 1:" before a caption). The check
reads each format's words with their languages and compares them word by word, so a
mark one format lost fails, and text only one format shows (a PDF's caption label, a
letterhead placed elsewhere) is no false alarm."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from lxml import etree

from klpublish.gate.page_text import Word
from klpublish.gate.pdf_text import element_text, marked_text, pdf_name, struct_elements
from klpublish.gate.published import PublishedLetter
from klpublish.gate.structure import (
    html_languages,
    pdf_structure,
    structure_problems,
)
from klpublish.gate.text_languages import document_words, language_differences, pdf_words
from test_fallback_structure import LANGS, publish


@pytest.fixture(scope="module")
def fallback(tmp_path_factory: pytest.TempPathFactory) -> PublishedLetter:
    """``letters/fallback``: a Danish fallback in each kind of part."""
    return publish(tmp_path_factory.mktemp("fallback") / "project", "fallback", True)


def danish(words: list[Word]) -> list[str]:
    return [w.text for w in words if w.lang.startswith("da")]


def book_words(letter: PublishedLetter, lang: str) -> list[Word]:
    return [w for chapter in letter.chapters(lang) for w in html_languages(chapter)]


@pytest.mark.slow
def test_each_kind_of_fallback_part_is_marked_alike_in_every_format(
    fallback: PublishedLetter,
) -> None:
    found = {}
    for lang in LANGS:
        html = html_languages(fallback.html[lang])
        with pikepdf.open(fallback.pdf[lang]) as pdf:
            in_pdf = pdf_words(pdf)
        found[lang] = language_differences(html, in_pdf, "PDF") + language_differences(
            html, book_words(fallback, lang), "EPUB"
        )
        if lang != "da":
            for word in ("bygger", "Hovedpunkter", "Skoler", "Fordelingen", "borgerne.", "alle"):
                assert word in danish(html) and word in danish(in_pdf), (lang, word)
    assert found == {lang: [] for lang in LANGS}


def _without_lang(pdf: pikepdf.Pdf, text: str) -> None:
    """The PDF with the language mark taken off the structure element that holds
    ``text`` (the renderer forgetting it)."""
    for element in struct_elements(pdf):
        if "/Lang" in element and text in _element_text(pdf, element):
            del element["/Lang"]
            return
    raise AssertionError(f"no structure element with a language holds {text!r}")


def _element_text(pdf: pikepdf.Pdf, element: pikepdf.Dictionary) -> str:
    return element_text(element, marked_text(pdf))


def _content_without_lang(pdf: pikepdf.Pdf) -> int:
    """The PDF with every language mark on marked content taken off; how many."""
    taken = 0
    for page in pdf.pages:
        instructions = list(pikepdf.parse_content_stream(page))
        for instruction in instructions:
            props = instruction.operands[1] if len(instruction.operands) > 1 else None
            marks = bytes(instruction.operator) == b"BDC" and isinstance(props, pikepdf.Dictionary)
            if marks and "/Lang" in props:
                del props["/Lang"]
                taken += 1
        page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
    return taken


@pytest.mark.slow
def test_a_pdf_whose_fallback_paragraph_lost_its_mark_fails(
    fallback: PublishedLetter, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.pdf"
    with pikepdf.open(fallback.pdf["de"]) as pdf:
        _without_lang(pdf, "Aftalen bygger")
        pdf.save(broken)
    html = (["h1"], html_languages(fallback.html["de"]))
    problems = structure_problems(html, (["h1"], pdf_structure(broken).languages), "PDF")
    assert problems == [
        # The note's number is a word of its own in every format (a link of its own)
        "language: 'Aftalen bygger på et tæt samarbejde mellom kommunerne og staten. 1' "
        "is in 'da' in the HTML, in 'de' in the PDF"
    ]


@pytest.mark.slow
def test_a_pdf_whose_figure_lost_its_mark_fails(fallback: PublishedLetter, tmp_path: Path) -> None:
    """A figure's words are its alternative text, in the language of its element."""
    broken = tmp_path / "broken.pdf"
    with pikepdf.open(fallback.pdf["tr"]) as pdf:
        figure = next(e for e in struct_elements(pdf) if pdf_name(e.S) == "Figure")
        holder = figure if "/Lang" in figure else figure.P
        del holder["/Lang"]
        pdf.save(broken)
    with pikepdf.open(broken) as pdf:
        problems = language_differences(html_languages(fallback.html["tr"]), pdf_words(pdf), "PDF")
    assert problems == [
        "'Kort over vejen til KL's hus i København' is in 'da' in the HTML, in 'tr' in the PDF"
    ]


@pytest.mark.slow
def test_a_pdf_whose_text_lost_its_mark_on_the_marked_content_fails(
    fallback: PublishedLetter, tmp_path: Path
) -> None:
    """Where the PDF marks a run inside a block of the page's language (the Danish
    address), the mark is on the marked content: without it, the run is in the
    page's language."""
    broken = tmp_path / "broken.pdf"
    with pikepdf.open(fallback.pdf["pl"]) as pdf:
        assert _content_without_lang(pdf) > 0
        pdf.save(broken)
    with pikepdf.open(broken) as pdf:
        problems = language_differences(html_languages(fallback.html["pl"]), pdf_words(pdf), "PDF")
    assert "'2300 København S' is in 'da' in the HTML, in 'pl' in the PDF" in problems


@pytest.mark.slow
def test_a_pdf_whose_caption_lost_its_mark_fails(fallback: PublishedLetter, tmp_path: Path) -> None:
    """An untranslated table caption is marked by its elements (the PDF adds no text of
    its own to it: captions are not numbered): without the marks it is in Polish."""
    broken = tmp_path / "broken.pdf"
    with pikepdf.open(fallback.pdf["pl"]) as pdf:
        caption = next(
            e for e in struct_elements(pdf) if pdf_name(e.S) == "Caption" and e.P.S == "/Table"
        )
        marked = [e for e in (caption.P, caption, *_under(caption)) if "/Lang" in e]
        assert marked
        for element in marked:
            del element["/Lang"]
        pdf.save(broken)
    with pikepdf.open(broken) as pdf:
        problems = language_differences(html_languages(fallback.html["pl"]), pdf_words(pdf), "PDF")
    assert "'Fordelingen af midlerne' is in 'da' in the HTML, in 'pl' in the PDF" in problems


def _under(element: Any) -> list[Any]:
    kids = element.get("/K")
    items = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
    found = [k for k in items if isinstance(k, pikepdf.Dictionary) and "/S" in k]
    return [e for k in found for e in (k, *_under(k))]


@pytest.fixture
def chapter(fallback: PublishedLetter) -> Iterator[tuple[Path, bytes]]:
    """The German EPUB's chapter, put back as it was after the test."""
    path = fallback.chapters("de")[0]
    kept = path.read_bytes()
    yield path, kept
    path.write_bytes(kept)


@pytest.mark.slow
def test_an_epub_whose_moved_recipient_lost_its_mark_fails(
    fallback: PublishedLetter, chapter: tuple[Path, bytes]
) -> None:
    """The EPUB puts the recipient after the title, the web page before it: the words
    are compared wherever each format has them."""
    path, kept = chapter
    tree = etree.fromstring(kept)
    recipient = tree.xpath("//*[local-name()='div'][@class='recipient']//*[@lang]")[0]
    for name in ("lang", "{http://www.w3.org/XML/1998/namespace}lang"):
        del recipient.attrib[name]
    path.write_bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))
    html = html_languages(fallback.html["de"])
    assert language_differences(html, book_words(fallback, "de"), "EPUB") == [
        "'Til alle kommunaldirektører' is in 'da' in the HTML, in 'de' in the EPUB"
    ]


@pytest.mark.slow
def test_the_epub_marks_each_part_in_both_attributes(fallback: PublishedLetter) -> None:
    """``xml:lang`` beside ``lang``: reading systems that go by XML's attribute alone
    know the fallback too."""
    for lang in LANGS[1:]:
        tree = etree.parse(str(fallback.chapters(lang)[0]))
        for element in tree.iter():
            if isinstance(element.tag, str) and element.get("lang"):
                assert element.get("{http://www.w3.org/XML/1998/namespace}lang") == element.get(
                    "lang"
                ), (lang, etree.tostring(element)[:80])
    assert document_words(fallback.chapters("de")[0])  # the chapter is read


def test_words_in_another_language_are_named_a_stretch_at_a_time() -> None:
    html = [Word(w, lang) for w, lang in (("Sehr", "de"), ("Vi", "da"), ("inviterer", "da"))]
    html += [Word("Abbildung", "de")]
    pdf = [Word("Sehr", "de-DE"), Word("Vi", "de"), Word("inviterer", "de")]
    assert language_differences(html, pdf, "PDF") == [
        "'Vi inviterer' is in 'da' in the HTML, in 'de' in the PDF"
    ]
    assert language_differences(html, [Word("Sehr", "de"), Word("Abbildung", "de")], "PDF") == []


def test_a_part_one_format_moves_is_compared_where_it_is() -> None:
    html = [Word(w, "da") for w in ["Til", "alle", "direktører"]]
    html += [Word(w, "de") for w in ["Neues", "vom", "Haushalt", "und", "mehr"]]
    epub = html[3:] + [Word(w.text, "de") for w in html[:3]]
    assert language_differences(html, epub, "EPUB") == [
        "'Til alle direktører' is in 'da' in the HTML, in 'de' in the EPUB"
    ]
    lone = [Word("Til", "de")]  # one word alone is no moved part: too easily the same by chance
    assert language_differences(html[:1] + html[3:], html[3:] + lone, "EPUB") == []

"""What the gate checks of one letter: its published outputs, read once, and its pages."""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from klpublish.build.assessment import Source, Translated, assess_languages
from klpublish.gate.tools import PageKind
from klpublish.letter.nodes import plain_text
from klpublish.letter.read import Letter, read_letter
from klpublish.locales import language_facts
from klpublish.project import Layout

INDEX = "(index)"
"""What the gate names as the letter of the index page, which shows every letter
(in brackets: no letter's name has them)."""


class CheckedPage(NamedTuple):
    """A page a browser shows, as the gate names it in its findings."""

    lang: str
    """The page's language."""
    fmt: str
    path: Path
    kind: PageKind
    letter: str
    """The letter the page shows (its name), or ``INDEX`` for the index page."""


@dataclass
class PublishedLetter:
    """One letter's published outputs, as the gate checks them."""

    layout: Layout
    letter: Letter
    assessed: dict[str, Source | Translated]
    html: dict[str, Path]
    epub: dict[str, Path]
    pdf: dict[str, Path]
    xhtml: dict[str, list[Path]]

    @property
    def langs(self) -> list[str]:
        return list(self.html)

    @property
    def pages(self) -> list[CheckedPage]:
        """Every page a browser shows: the HTML, and the EPUB's documents, each with its
        kind, which the layout tells: the HTML page and the EPUB's chapters hold the
        letter, the EPUB's other documents are navigation."""
        name = self.layout.name
        pages = [
            CheckedPage(lang, "html", path, "letter", name) for lang, path in self.html.items()
        ]
        for lang, files in self.xhtml.items():
            chapters = set(self.chapters(lang))
            pages += [
                CheckedPage(
                    lang, "epub", path, "letter" if path in chapters else "navigation", name
                )
                for path in files
            ]
        return pages

    def chapters(self, lang: str) -> list[Path]:
        """The EPUB's chapters, unpacked: the letter's text."""
        return self.layout.epub_chapters(lang) if lang in self.xhtml else []


def read_published(layout: Layout) -> PublishedLetter:
    letter = read_letter(layout.source)
    assessed = {
        k: a
        for k, a in assess_languages(letter, layout, 0.0).items()
        if isinstance(a, Source | Translated)
    }
    langs = [lang for lang in assessed if layout.output(lang, "html").is_file()]

    def present(fmt: str) -> dict[str, Path]:
        found = {lang: layout.output(lang, fmt) for lang in langs}
        return {lang: path for lang, path in found.items() if path.is_file()}

    epub = present("epub")
    xhtml = {lang: unpack_epub(book, layout.unpacked_epub(lang)) for lang, book in epub.items()}
    return PublishedLetter(layout, letter, assessed, present("html"), epub, present("pdf"), xhtml)


def index_page(layouts: list[Layout], lang: str) -> CheckedPage | None:
    """The index page, when one was written: navigation, in ``lang`` (the first
    letter's source language, which the index is written in)."""
    index = layouts[0].project.index_page
    return CheckedPage(lang, "html", index, "navigation", INDEX) if index.is_file() else None


def review_pages(layouts: list[Layout]) -> list[tuple[CheckedPage, Path]]:
    """Each letter's review pages (``klpublish review``) that were written, with where
    the screen reader's transcript of each goes. A reviewer may be blind too."""
    return [
        (
            CheckedPage(lang, "html", layout.review_page(lang), "letter", layout.name),
            layout.review_transcript(lang),
        )
        for layout in layouts
        for lang in layout.languages()
        if layout.review_page(lang).is_file()
    ]


def unpack_epub(book: Path, into: Path) -> list[Path]:
    """The EPUB's XHTML documents, unpacked for the browser-based checkers."""
    if into.exists():
        shutil.rmtree(into)
    with zipfile.ZipFile(book) as archive:
        archive.extractall(into)
    return sorted(into.rglob("*.xhtml"))


def known_parts(letter: PublishedLetter) -> tuple[tuple[str, str], ...]:
    """Texts of a letter's pages whose language is known beforehand: the sender's
    (Danish) address, and each language's name in the switcher, in that language."""
    sender = letter.letter.doc["meta"].get("sender", {"c": {}})["c"]
    address = [plain_text(a["c"]) for a in sender.get("address", {"c": []})["c"]]
    return (
        *((line, "da") for line in address),
        *((language_facts(c).name, c) for c in letter.langs),
    )

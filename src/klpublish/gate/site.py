"""What the gate checks of one letter: its published outputs, read once."""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from klpublish.build.assessment import Source, Translated, assess_languages
from klpublish.letter.nodes import plain_text
from klpublish.letter.read import Letter, read_letter
from klpublish.locales import language_facts
from klpublish.project import Layout


@dataclass
class Site:
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
    def pages(self) -> list[tuple[str, str, Path]]:
        """Every page a browser shows: the HTML, and the EPUB's documents."""
        return [
            *((lang, "html", p) for lang, p in self.html.items()),
            *((lang, "epub", p) for lang, files in self.xhtml.items() for p in files),
        ]

    def chapters(self, lang: str) -> list[Path]:
        return [p for p in self.xhtml.get(lang, []) if "/text/" in str(p)]


def read_site(layout: Layout) -> Site:
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
    unpacked = layout.project.reports / "epub" / layout.name
    xhtml = {lang: unpack_epub(book, unpacked / lang) for lang, book in epub.items()}
    return Site(layout, letter, assessed, present("html"), epub, present("pdf"), xhtml)


def unpack_epub(book: Path, into: Path) -> list[Path]:
    """The EPUB's XHTML documents, unpacked for the browser-based checkers."""
    if into.exists():
        shutil.rmtree(into)
    with zipfile.ZipFile(book) as archive:
        archive.extractall(into)
    return sorted(into.rglob("*.xhtml"))


def known_parts(site: Site) -> tuple[tuple[str, str], ...]:
    """Texts of a letter's pages whose language is known beforehand: the sender's
    (Danish) address, and each language's name in the switcher, in that language."""
    sender = site.letter.doc["meta"].get("sender", {"c": {}})["c"]
    address = [plain_text(a["c"]) for a in sender.get("address", {"c": []})["c"]]
    return (
        *((line, "da") for line in address),
        *((language_facts(c).name, c) for c in site.langs),
    )

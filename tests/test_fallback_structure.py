"""The cross-format structure check on a letter with Danish fallback text: the second
test letter, where translation memory cannot fill everything, published with no
translator's work, so that its first paragraph and its figure are Danish, marked Danish,
in seven languages. The check passes in all eight (it compares the language of each
word every format shows, see ``gate/text_languages.py``)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from helpers import ROOT, copy_project
from klpublish.__main__ import main
from klpublish.gate import tools
from klpublish.gate.published import PublishedLetter, read_published
from klpublish.gate.structure import (
    html_languages,
    pdf_structure,
    snapshot_parts,
    structure_problems,
)
from klpublish.project import Layout

LETTERS = Path(__file__).parent / "letters"
LANGS = ("da", "ar", "de", "en", "fa", "pl", "tr", "uk")
UNTRANSLATED = (
    "Aftalen bygger",  # a paragraph holding a footnote whose text is translated
    "Hovedpunkter",  # a heading
    "Bedre vilkår",  # a list item
    "Skoler",  # a table cell
    "Fordelingen",  # a table's caption
    "Det er en god",  # a paragraph of a block quote
    "Ældrepleje",  # a table cell and a definition list's term
    "2300",  # a line of a line block
    "Kort over",  # a figure's caption and its image's alternative text
    "Til alle",  # the recipient, before the title (after it in the EPUB)
    "Med venlig",  # the closing
)
"""The entries of ``letters/fallback`` left untranslated in every language: one of each
kind of part a letter has."""


def publish(root: Path, letter: str, translate: bool) -> PublishedLetter:
    """The project with ``letters/<letter>`` beside the shipped letter, updated (memory
    fills what the shipped letter's catalogs know) and published in every language.
    With ``translate``, every entry memory left empty is pseudo-translated (upper case),
    except ``UNTRANSLATED``."""
    copy_project(root)
    shutil.copy(ROOT / "babel.cfg", root / "babel.cfg")
    shutil.copytree(LETTERS / letter, root / "source" / letter)
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        assert main(["extract"]) == 0
        assert main(["update"]) == 0
        if translate:
            for lang in LANGS[1:]:
                pseudo_translate(root / "locale" / lang / "LC_MESSAGES" / f"{letter}.po", lang)
        assert main(["publish", "--threshold", "0"]) == 0
        layout = Layout(Path("source") / letter / f"{letter}.da.md").absolute()
        return read_published(layout)


def pseudo_translate(po: Path, lang: str) -> None:
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    for message in catalog:
        text = str(message.id)
        if not text:
            continue
        if text.lstrip("![").startswith(UNTRANSLATED):
            message.string = ""
        elif not message.string or message.fuzzy:
            message.string = text if re.search(r"[][()*`^<>]", text) else text.upper()
            message.flags.discard("fuzzy")
    with po.open("wb") as handle:
        write_po(handle, catalog, width=76)


@pytest.fixture(scope="module")
def second(tmp_path_factory: pytest.TempPathFactory) -> PublishedLetter:
    return publish(tmp_path_factory.mktemp("second") / "project", "second", False)


@pytest.mark.slow
def test_a_letter_with_a_danish_fallback_passes_the_structure_check_in_every_language(
    second: PublishedLetter,
) -> None:
    pages = [p.path for p in second.pages if p.fmt == "html" or p.kind == "letter"]
    snapshots = tools.aria_snapshots(pages, ROOT)

    def parts(page: Path) -> list[str]:
        return snapshot_parts(snapshots[tools.page_key(str(page))])

    found = {}
    for lang in LANGS:
        page = second.html[lang]
        html = (parts(page), html_languages(page))
        chapters = second.chapters(lang)
        book = (
            [part for chapter in chapters for part in parts(chapter)],
            [word for chapter in chapters for word in html_languages(chapter)],
        )
        pdf = pdf_structure(second.pdf[lang])
        found[lang] = {
            "EPUB": structure_problems(html, book, "EPUB"),
            "PDF": structure_problems(html, (pdf.parts, pdf.languages), "PDF"),
        }
        fallback = page.read_text("utf-8").count('<span lang="da">Vi inviterer hermed')
        assert fallback == (lang != "da"), lang  # not vacuous: the fallback is there
    assert found == {lang: {"EPUB": [], "PDF": []} for lang in LANGS}


@pytest.mark.slow
def test_the_second_letters_pages_are_letter_pages_with_the_h48_exemption(
    second: PublishedLetter,
) -> None:
    """The page kind comes from the layout, not from the file's name: the second
    letter's page and chapters keep pa11y's exemption for running text of addresses."""
    from klpublish.gate.tools import PA11Y_IGNORED, pa11y_urls

    kinds = {(p.lang, p.fmt, p.path.name): p.kind for p in second.pages}
    for lang in LANGS:
        assert kinds.pop((lang, "html", f"second.{lang}.html")) == "letter"
        assert kinds.pop((lang, "epub", "ch001.xhtml")) == "letter"
        assert kinds.pop((lang, "epub", "nav.xhtml")) == "navigation"
    assert kinds == {}
    letter_pages = [(p.path, p.kind) for p in second.pages if p.kind == "letter"]
    assert {tuple(u["ignore"]) for u in pa11y_urls(letter_pages)} == {PA11Y_IGNORED["letter"]}

"""What the content, language, figure and spoken-symbol checks do that no other test
pinned: each test here fails on a mutant that mutmut found surviving the checks'
own tests (``tests/mutation/README.md``), and says the behaviour a translator, an
operator or a reader would miss."""

from __future__ import annotations

import json
import locale
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from helpers import ROOT
from klpublish import pandoc
from klpublish.build.assessment import Source, Translated, assess_languages
from klpublish.build.content import check_content
from klpublish.catalogs.phrases import SUMMARY_TERMS, phrases_for
from klpublish.errors import CatalogError, Location, ToolError
from klpublish.gate import tools
from klpublish.gate.findings import Finding, GateReport, per_page_findings
from klpublish.gate.languages import language_findings
from klpublish.gate.page_text import words
from klpublish.gate.published import CheckedPage, read_published
from klpublish.gate.spoken_symbols import SpokenSymbols, read_symbols
from klpublish.gate.text_languages import document_words, language_differences
from klpublish.letter.figures import FigureText, captioned_images
from klpublish.letter.fonts import font_paths
from klpublish.letter.read import read_letter
from klpublish.letter.separate_alts import alts_given
from klpublish.project import Layout, Project, package_labels_po
from klpublish.render.pdf_figures import place_captions
from klpublish.translation.content import fold
from klpublish.translation.language_id import Block, Heard, language_problems, load_identifier

LETTER = Path("source/letter.da.md")
DE = Path("locale/de/LC_MESSAGES/letter.po")
DE_WORDS = Path("locale/de/LC_MESSAGES/klpublish.po")


def _edit(po: Path, lang: str, texts: dict[tuple[str | None, str], str]) -> None:
    """Entries of ``po`` given new texts, by (msgctxt, msgid), through Babel's parser;
    ``(None, "")`` is the header's text."""
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    for message in catalog:
        key = (message.context, str(message.id))
        if key in texts:
            message.string = texts[key]
    with po.open("wb") as handle:
        write_po(handle, catalog, width=76)


def _content(lang: str) -> list[str]:
    letter = read_letter(LETTER)
    layout = Layout(LETTER)
    found = assess_languages(letter, layout, 0.0)[lang]
    assert isinstance(found, Source | Translated), found.errors
    return [str(p) for p in check_content(letter, layout, found)]


# -- catalogs/phrases.py: the project's catalog of the layout's words --------------------


def _german_summary(text: str) -> None:
    with DE.open("rb") as handle:
        catalog = read_po(handle, locale="de")
    summary = next(m for m in catalog if any("accessibility-summary" in c for c in m.auto_comments))
    _edit(DE, "de", {(summary.context, str(summary.id)): text})


def _project_words(entries: dict[str, str]) -> None:
    shutil.copy(package_labels_po("de"), DE_WORDS)
    with DE_WORDS.open("rb") as handle:
        catalog = read_po(handle, locale="de")
    _edit(
        DE_WORDS,
        "de",
        {(m.context, str(m.id)): entries[str(m.context)] for m in catalog if m.context in entries},
    )


def test_a_translator_adds_a_summary_term_and_a_summary_that_names_it_passes(
    project: Path,
) -> None:
    """A summary naming headings and easy language names two characteristics once
    the project's catalog lists easy language; the package's list alone knows one."""
    _german_summary(
        "Jeder Abschnitt hat eine Überschrift, und der Brief ist auch in Leichter Sprache "
        "geschrieben."
    )
    found = _content("de")
    assert len(found) == 1 and "(14 word(s), 1 of the letter's" in found[0], found
    _project_words({SUMMARY_TERMS: "leichte sprache|leichter sprache"})
    assert _content("de") == []


def test_a_project_catalog_of_the_wrong_language_is_refused_at_its_header(
    project: Path,
) -> None:
    shutil.copy(package_labels_po("de"), DE_WORDS)
    text = DE_WORDS.read_text(encoding="utf-8").replace('"Language: de\\n"', '"Language: da\\n"')
    DE_WORDS.write_text(text, encoding="utf-8")
    line = text.splitlines().index('"Language: da\\n"') + 1
    with pytest.raises(CatalogError) as caught:
        phrases_for("de", Project(Path("locale")))
    assert str(caught.value).startswith(
        f"{DE_WORDS}:{line}: header says Language: da, but the file is in the 'de' directory"
    )


# -- gate/languages.py: an identifier that cannot load fails every page it was to judge --


@pytest.fixture
def broken_identifier(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """py3langid as an install gone bad leaves it: its import fails."""
    load_identifier.cache_clear()
    monkeypatch.setitem(sys.modules, "py3langid", None)
    monkeypatch.setitem(sys.modules, "py3langid.langid", None)
    yield
    load_identifier.cache_clear()


def test_the_language_check_fails_the_letter_when_the_identifier_cannot_load(
    project: Path, broken_identifier: None
) -> None:
    from klpublish.__main__ import main

    assert main(["publish", "--lang", "de", "--format", "html", "--no-index"]) == 0
    letter = read_published(Layout(LETTER))
    [finding] = language_findings([letter])
    assert (finding.checker, finding.letter, finding.lang, finding.fmt, finding.problems) == (
        "language",
        "letter",
        "de",
        "html",
        [],
    )
    assert finding.error.startswith("the language identifier (py3langid) could not load:")
    assert not finding.passed


# -- gate/findings.py: the table and the reports an operator reads ----------------------


def _rows(tmp_path: Path) -> list[CheckedPage]:
    return [
        CheckedPage("de", "html", tmp_path / "build" / "de" / "letter.de.html", "letter", "letter"),
        CheckedPage("da", "html", tmp_path / "build" / "da" / "letter.da.html", "letter", "letter"),
        CheckedPage("de", "html", tmp_path / "build" / "de" / "third.de.html", "third", "third"),
    ]


def test_each_page_s_finding_names_its_file(project: Path) -> None:
    rows = _rows(project)
    found = per_page_findings("vnu", rows, lambda pages: {})
    assert [f.file for f in found] == [
        "build/de/letter.de.html",
        "build/da/letter.da.html",
        "build/de/third.de.html",
    ]


def test_the_table_s_columns_line_up_on_the_left(project: Path) -> None:
    rows = _rows(project)
    found = per_page_findings("vnu", rows, lambda pages: {tools.page_key(str(rows[0].path)): []})
    found.append(Finding("content", "de", "html", "x", ["a", "b"], letter="third"))
    assert GateReport(found).table() == [
        "letter  lang  format  vnu     content",
        "letter  da    html    FAIL 1  -",
        "letter  de    html    pass 1  -",
        "third   de    html    FAIL 1  FAIL 2",
    ]


def test_the_reports_are_readable_json_with_the_letters_own_characters(
    project: Path,
) -> None:
    layout = Layout(LETTER)
    problem = "heading 'Overblik over året' has no letters"
    finding = Finding(
        "content", "da", "html", "build/da/letter.da.html", [problem], letter="letter"
    )
    layout.project.reports.mkdir(parents=True)
    GateReport([finding]).write(layout)
    text = layout.project.gate_report("content").read_text("utf-8")
    assert text.startswith('{\n  "checker": "content",\n  "results": [\n    {\n')
    assert f'"problems": [\n        "{problem}"\n      ]' in text
    assert json.loads(text) == {"checker": "content", "results": [asdict(finding)]}
    empty = json.loads(layout.project.gate_report("vnu").read_text("utf-8"))
    assert empty == {"checker": "vnu", "results": []}


# -- gate/spoken_symbols.py: Orca's names where a character stands inside a word ---------


SYMBOLS = Path(__file__).resolve().parents[1] / "src/klpublish/gate/orca_session/orca_symbols.py"


def _orca_table(locale: str, *style: str) -> SpokenSymbols:
    proc = subprocess.run(
        ["/usr/bin/python3", str(SYMBOLS), *style],
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "LANGUAGE": locale},
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return read_symbols(json.loads(proc.stdout))


def test_a_character_orca_names_between_two_words_is_said_between_them() -> None:
    danish = _orca_table("da")
    assert danish.say("Kongres·Kultur→Program") == "Kongres prik Kultur pil højre Program"


def test_orca_set_to_say_no_punctuation_names_nothing() -> None:
    """Orca's punctuation style "none" (3) names no character and no ellipsis."""
    silent = _orca_table("en", "3")
    assert silent.replaced == {} and silent.ellipsis is None
    assert silent.say("Vent... og se · her") == "Vent... og se · her"


def test_a_table_with_a_name_that_is_not_text_says_so() -> None:
    with pytest.raises(ToolError) as caught:
        read_symbols({"locale": "en", "replaced": {"·": 3}, "ellipsis": None})
    assert str(caught.value) == (
        "the Orca session recorded no usable table of names: a name that is not text"
    )


# -- letter/separate_alts.py: a paragraph of one word or one link is no figure -----------


def test_a_paragraph_of_one_word_or_one_link_is_not_taken_for_a_figure(tmp_path: Path) -> None:
    source = tmp_path / "letter.da.md"
    source.write_text(
        "---\ntitle: Kort til topmødet\nlang: da\ndate: 2018-02-01\n---\n\n"
        'Kære kommunalbestyrelser\n\n![Kort over salen](kort.png){alt="Tegning af salen"}\n\n'
        "Hilsen\n\n<https://www.kl.dk>\n\n![Kort over vejen](kort.png)\n",
        encoding="utf-8",
    )
    shutil.copy(Path(__file__).parent / "content-checks" / "kort.png", tmp_path / "kort.png")
    assert alts_given(read_letter(source)) == [True, False]


# -- translation/content.py -------------------------------------------------------------


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "source").mkdir()
    return tmp_path


SUMMARY = (
    "accessibility-summary: Brevet har en overskrift for hvert afsnit og en fast "
    "læserækkefølge, og det kan læses med skærmlæser.\n"
)


def _letter(body: str, front: str = SUMMARY) -> str:
    text = f"---\ntitle: Topmødet\nlang: da\ndate: 2018-02-01\n{front}---\n\n{body}"
    LETTER.write_text(text, encoding="utf-8")
    return text


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_a_vague_link_in_a_footnote_is_said_once_at_the_footnote(here: Path) -> None:
    text = _letter(
        "Programmet står på [KL's side om topmødet](https://www.kl.dk).[^1]\n\n"
        "[^1]: Tilmelding sker [her](https://www.kl.dk/tilmelding).\n"
    )
    found = _content("da")
    assert [p.partition(": ")[0] for p in found] == [f"{LETTER}:{_line_of(text, '[^1]:')}"]
    assert "link text 'her' does not say where the link leads" in found[0]


@pytest.mark.parametrize(
    ("summary", "quoted"),
    [
        (
            "Brevet er tilgængeligt for alle, og opfylder kravene i WCAG.",
            "Brevet er tilgængeligt for alle, og opfylder kravene i WCAG.",
        ),
        (
            "Brevet er tilgængeligt for alle, og opfylder kravene i WCAG 2",
            "Brevet er tilgængeligt for alle, og opfylder kravene i WCAG…",
        ),
    ],
)
def test_a_summary_is_quoted_whole_up_to_60_characters(
    here: Path, summary: str, quoted: str
) -> None:
    _letter("Kære kommunalbestyrelser\n", f"accessibility-summary: {summary}\n")
    [found] = _content("da")
    assert f"the accessibility summary {quoted!r} names too little" in found, found


def test_a_summary_in_a_language_without_the_list_cannot_pass(here: Path) -> None:
    _letter("Kære kommunalbestyrelser\n")
    from klpublish.__main__ import main

    assert main(["extract"]) == 0 and main(["init", "sw"]) == 0
    sw = Path("locale/sw/LC_MESSAGES/letter.po")
    summary = SUMMARY.partition(": ")[2].strip()
    _edit(sw, "sw", {(None, summary): "Barua ina vichwa."})
    found = _content("sw")
    assert (
        "locale/sw/LC_MESSAGES/klpublish.po: cannot judge the accessibility summary in 'sw': "
        'no catalog of the layout\'s words translates the entry with msgctxt "check-summary-terms"'
    ) in found[0], found


def test_an_alt_text_that_repeats_its_caption_is_told_what_to_write(here: Path) -> None:
    shutil.copy(Path(__file__).parent / "content-checks" / "kort.png", "source/kort.png")
    text = _letter('![Kort over salen](kort.png){alt="Kort over salen"}\n')
    assert _content("da") == [
        f"{LETTER}:{_line_of(text, '![Kort')}: the alt text of the image kort.png repeats the "
        "figure's caption 'Kort over salen': a screen reader says the same words twice and "
        "nothing of what the image shows; expected a description of the image (or, in the "
        "source, no alt attribute: then the caption is the alt text, read once)"
    ]


def test_a_summary_that_names_too_little_is_told_what_to_name(here: Path) -> None:
    text = _letter("Kære kommunalbestyrelser\n", "accessibility-summary: Tilgængelig.\n")
    assert _content("da") == [
        f"{LETTER}:{_line_of(text, 'accessibility-summary')}: the accessibility summary "
        "'Tilgængelig.' names too little (1 word(s), 0 of the letter's accessibility "
        "characteristics): expected at least 8 words naming at least 2, such as its headings, "
        "reading order, text alternatives or use with a screen reader, and any shortcoming; a "
        "claim such as 'accessible' says nothing (EPUB Accessibility 1.1; the terms are the "
        'layout catalog\'s "check-summary-terms")'
    ]


@pytest.mark.parametrize(
    ("lang", "text"), [("ar", "هُنا"), ("ar", "اِقرأ المزيد"), ("fa", "اینجا کلیک کنید")]
)
def test_a_vague_link_text_with_vowel_marks_is_still_vague(lang: str, text: str) -> None:
    """Arabic script may carry short-vowel marks (harakat) or not; the words are the same."""
    words = phrases_for(lang, Project(ROOT / "locale"))
    assert fold(text) in words.vague_links
    assert fold(text.replace("ی", "يِ")) in words.vague_links


@pytest.fixture
def ascii_locale() -> Iterator[None]:
    """The C locale's ASCII, as text files get on a machine whose locale is plain C
    when Python's UTF-8 coercion is turned off (PEP 538, 540)."""
    before = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")
    try:
        assert locale.getpreferredencoding(False) != "UTF-8"
        yield
    finally:
        locale.setlocale(locale.LC_CTYPE, before)


def test_the_reports_are_utf_8_under_an_ascii_locale(project: Path, ascii_locale: None) -> None:
    layout = Layout(LETTER)
    layout.project.reports.mkdir(parents=True)
    problem = "عنوان بلا حروف"
    GateReport([Finding("content", "ar", "html", "x", [problem], letter="letter")]).write(layout)
    assert problem in layout.project.gate_report("content").read_text("utf-8")


# -- letter/figures.py and translation/language_id.py: what a reader hears, said alike ---


@pytest.mark.parametrize(
    "markdown",
    [
        '![Kort over vejen[^1]](k.png){alt="Kort over vejen"}\n\n[^1]: Fra 2018.\n',
        '![Kort over vejen^[Fra 2018.]](k.png){alt="Kort over vejen"}\n',
    ],
)
def test_a_footnote_in_a_caption_is_no_part_of_what_is_read_once(markdown: str) -> None:
    """Pandoc's web page reads the caption once, as the alt text: the footnote is
    the caption's own segment, read where the notes are."""
    doc = pandoc.markdown_to_ast(markdown, "test", "markdown")
    (figure,) = captioned_images(doc["blocks"])
    assert figure.read_once
    page = pandoc.ast_to_bytes(doc, "html5", "test").decode()
    assert '<figcaption aria-hidden="true">' in page, page


def test_the_languages_a_block_may_be_in_are_listed_with_their_shares() -> None:
    heard = Heard((("da", 0.55), ("no", 0.4)))
    assert str(heard) == "Danish or Norwegian (da 55%, no 40%)"


@pytest.mark.parametrize("mark", ["nb", "nn", "no"])
def test_norwegian_marked_as_bokmal_or_nynorsk_is_judged_as_norwegian(mark: str) -> None:
    """py3langid knows "no" and "nn", not "nb": a Bokmål quote is judged as Norwegian,
    never reported as a language the identifier does not know."""
    quote = "Vi gleder oss til samarbeidet med kommunene i den nye perioden"
    text = f"Vi skriver: [{quote}]{{lang={mark}}}"
    inlines = pandoc.markdown_to_ast(text + "\n", "test", "markdown")["blocks"][0]["c"]
    block = Block(inlines, inlines, "", Location("source/letter.da.md", 9))
    assert [str(p) for p in language_problems([block], "da", load_identifier())] == []


def test_a_language_the_identifier_does_not_know_is_said_at_its_line() -> None:
    quote = "Qujanaq suleqatigiinnissatsinnut nutaamut ukiuni tulliuttuni sisamani"
    inlines = pandoc.markdown_to_ast(f"[{quote}]{{lang=kl}}\n", "test", "markdown")["blocks"][0][
        "c"
    ]
    block = Block(inlines, inlines, "", Location("source/letter.da.md", 9))
    assert [str(p) for p in language_problems([block], "da", load_identifier())] == [
        "source/letter.da.md:9: text marked kl: the language identifier does not know "
        "Kalaallisut, so its language is not checked"
    ]


# -- render/pdf_figures.py: a PDF whose figure is not the letter's is refused, and says so


TYPST_FIGURE = """#set document(title: "Vejen")
#set text(lang: "da")
= Vejen
#figure(image("vej.png", alt: "Kort over vejen"), caption: [Vejen fra stationen])
"""


def test_a_pdf_whose_figure_says_another_alt_text_is_refused(tmp_path: Path) -> None:
    import typst

    shutil.copy(Path(__file__).parent / "letters" / "figures" / "vej.png", tmp_path / "vej.png")
    pdf = typst.compile(  # type: ignore[call-overload]
        TYPST_FIGURE.encode("utf-8"),
        format="pdf",
        pdf_standards=["ua-1"],
        font_paths=[Path(p) for p in font_paths()],
        ignore_system_fonts=True,
        root=tmp_path,
    )
    placed = place_captions(pdf, [FigureText("Vejen fra stationen", "Kort over vejen")], "da")
    assert placed != pdf
    with pytest.raises(ToolError) as caught:
        place_captions(pdf, [FigureText("Vejen fra stationen", "Et kort")], "da: the PDF")
    assert str(caught.value) == (
        "da: the PDF: figure 1 says 'Kort over vejen', the letter 'Et kort'"
    )


# -- gate/text_languages.py: a stretch in another language is quoted, 12 words at most ---


TWELVE = "en to tre fire fem seks syv otte ni ti elleve tolv"


@pytest.mark.parametrize(
    ("count", "quoted"),
    [
        (12, "en to tre fire fem seks syv otte ni ti elleve tolv"),
        (13, "en to tre fire fem seks syv otte ni ti elleve tolv …"),
    ],
)
def test_a_stretch_marked_otherwise_in_the_pdf_is_quoted_up_to_12_words(
    count: int, quoted: str
) -> None:
    text = TWELVE if count == 12 else f"{TWELVE} tretten"
    found = language_differences(words(text, "da"), words(text, "de"), "PDF")
    assert found == [f"'{quoted}' is in 'da' in the HTML, in 'de' in the PDF"]


def test_the_letter_s_words_are_those_of_main_not_of_the_menu(tmp_path: Path) -> None:
    page = tmp_path / "letter.en.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><body><nav><a lang="da" href="x">Dansk</a></nav>'
        "<main><h1>Welcome</h1><p>Read on.</p></main><footer>KL 2018</footer></body></html>",
        encoding="utf-8",
    )
    assert [(w.text, w.lang) for w in document_words(page)] == [
        ("Welcome", "en"),
        ("Read", "en"),
        ("on.", "en"),
    ]

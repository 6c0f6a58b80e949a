"""The content checks (``translation.content``): what a translation can get wrong that
every other checker passed on main (``klpublish check`` exit 0), each found at the
``.po`` line (or source line) it came from, in every language through the layout's
catalogs; ``lint`` warns of them and the gate fails on them."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from helpers import ROOT
from klpublish.__main__ import main, run
from klpublish.build.assessment import Source, Translated, assess_languages
from klpublish.build.content import check_content
from klpublish.catalogs import labels
from klpublish.catalogs.phrases import SUMMARY_TERMS, VAGUE_LINKS, phrases_for
from klpublish.catalogs.po import load_catalog
from klpublish.gate.findings import CHECKERS
from klpublish.gate.published import read_published
from klpublish.gate.run import content_findings
from klpublish.letter.read import read_letter
from klpublish.project import Layout, Project, package_label_languages, package_labels_po
from klpublish.translation.content import Phrases, fold, has_letters, names_a_file

FIXTURES = Path(__file__).resolve().parent / "content-checks"
DE = Path("locale/de/LC_MESSAGES/letter.po")
SHOWN = "locale/de/LC_MESSAGES/letter.po"
LANGUAGES = ("da", "en", "de", "uk", "ar", "tr", "pl", "fa")


def _problems(lang: str, source: Path = Path("source/letter.da.md")) -> list[str]:
    """What the content checks find in ``lang``'s letter, each as ``path:line: message``."""
    letter = read_letter(source)
    layout = Layout(source)
    assessed = assess_languages(letter, layout, 0.0)
    found = assessed[lang]
    assert isinstance(found, Source | Translated), found.errors
    return [str(p) for p in check_content(letter, layout, found)]


def _edit_catalog(po: Path, lang: str, edit: Callable[[str, list[str]], str | None]) -> None:
    """The catalog edited through Babel's parser: ``edit(msgid, comments)`` gives an
    entry's new msgstr (None: keep it)."""
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    for message in catalog:
        if message.id:
            new = edit(str(message.id), list(message.auto_comments))
            if new is not None:
                message.string = new
    with po.open("wb") as handle:
        write_po(handle, catalog, width=76)


def _line(po: Path, lang: str, test: Callable[[str], bool]) -> int:
    """The line klpublish names for the entry whose msgid passes ``test``."""
    found = [m for m in load_catalog(po, lang) if m.id and test(str(m.id))]
    assert len(found) == 1, [m.id for m in found]
    return int(found[0].lineno)


# -- the shipped letter, and the shipped lists ------------------------------------------


def test_the_shipped_letter_passes_in_all_eight_languages(project: Path) -> None:
    letter = read_letter(Path("source/letter.da.md"))
    layout = Layout(Path("source/letter.da.md"))
    assessed = assess_languages(letter, layout, 0.0)
    assert set(LANGUAGES) <= set(assessed)
    for lang in LANGUAGES:
        found = assessed[lang]
        assert isinstance(found, Source | Translated), (lang, found.errors)
        assert check_content(letter, layout, found) == [], lang


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_both_lists(lang: str) -> None:
    words = phrases_for(lang, Project(ROOT / "locale"))
    assert len(words.vague_links) >= 10 and len(words.summary_terms) >= 10, lang
    assert fold("here") in phrases_for("en", Project(ROOT / "locale")).vague_links
    assert lang == labels.template_lang() or lang in package_label_languages()


@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        ("de", ["hier klicken", "Hier", "Klicken Sie hier!", "mehr", "Link", "diese Seite"]),
        ("en", ["click here", "here", "Read more", "link", "more", "this page"]),
        ("da", ["klik her", "her", "læs mere", "link", "mere", "denne side"]),
        ("pl", ["kliknij tutaj", "tutaj", "czytaj więcej", "link", "więcej", "ta strona"]),
        (
            "tr",
            [
                "buraya tıklayın",
                "BURAYA TIKLAYIN",
                "burada",
                "devamını oku",
                "bağlantı",
                "bu sayfa",
            ],
        ),
        ("uk", ["натисніть тут", "тут", "читати далі", "посилання", "більше", "ця сторінка"]),
        ("ar", ["انقر هنا", "هنا", "اقرأ المزيد", "رابط", "المزيد", "هذه الصفحة"]),
        (
            "fa",
            ["اینجا کلیک کنید", "اینجا", "این‌جا", "اينجا", "بیشتر بخوانید", "پیوند", "این صفحه"],
        ),
    ],
)
def test_each_language_lists_its_own_words_for_links_that_say_nothing(
    lang: str, texts: list[str]
) -> None:
    words = phrases_for(lang, Project(ROOT / "locale"))
    assert [t for t in texts if fold(t) not in words.vague_links] == []
    assert fold("Programmet for topmødet") not in words.vague_links


@pytest.mark.parametrize(
    ("text", "letters"),
    [
        (".", False),
        ("…", False),
        ("2018", False),
        ("٢٠١٨", False),
        ("— * —", False),
        ("Überblick", True),
        ("ملخص", True),
        ("Огляд", True),
        ("1. Indledning", True),
    ],
)
def test_letters_are_letters_of_any_script(text: str, letters: bool) -> None:
    assert has_letters(text) is letters


@pytest.mark.parametrize(
    ("alt", "src", "named"),
    [
        ("IMG_0042.png", "kort.png", True),
        ("IMG_0042", "IMG_0042.jpg", True),
        ("DSC01234", "billede.jpg", True),
        ("kort.png", "kort.png", True),
        ("billeder/kort.png", "billeder/kort.png", True),
        ("https://www.kl.dk/kort.png", "kort.png", True),
        ("www.kl.dk", "logo.png", True),
        ("kort-2018", "kort-2018.png", True),
        ("Kort", "kort.png", False),
        ("Kort over vejen til topmødet", "kort.png", False),
        ("KL's logo", "logo.png", False),
        ("1.000 deltagere", "kort.png", False),
    ],
)
def test_an_alt_text_that_names_a_file(alt: str, src: str, named: bool) -> None:
    assert names_a_file(alt, src) is named


# -- the misses of the issue, in a German translation of the shipped letter -------------


def _german(edit: Callable[[str, list[str]], str | None]) -> None:
    _edit_catalog(DE, "de", edit)


def test_a_heading_that_is_only_a_full_stop(project: Path) -> None:
    _german(lambda msgid, _: "." if msgid == "En stærk kommunal stemme" else None)
    line = _line(DE, "de", lambda m: m == "En stærk kommunal stemme")
    assert _problems("de") == [
        f"{SHOWN}:{line}: heading '.' has no letters: a screen-reader user moving by headings "
        "hears only that; expected words that say what follows (WCAG 2.4.6)"
    ]


def test_a_title_with_no_letters(project: Path) -> None:
    title = "Velkommen til det kommunalpolitiske arbejde og til KL"
    _german(lambda msgid, _: "— 2018 —" if msgid == title else None)
    line = _line(DE, "de", lambda m: m == title)
    found = _problems("de")
    assert len(found) == 1 and found[0].startswith(
        f"{SHOWN}:{line}: the title (the page's first heading) '— 2018 —' has no letters"
    )


def _links(first: str, second: str) -> Callable[[str, list[str]], str | None]:
    def edit(msgid: str, comments: list[str]) -> str | None:
        if "(https://www.kl.dk)" not in msgid:
            return None
        return (
            f"Folgen Sie dem KL auf Twitter und auf Facebook: [{first}]"
            f"(https://www.facebook.com/kommunerne), und den Newsletter gibt es [{second}]"
            "(https://www.kl.dk)."
        )

    return edit


def test_link_texts_hier_klicken_and_hier(project: Path) -> None:
    _german(_links("hier klicken", "hier"))
    line = _line(DE, "de", lambda m: "(https://www.kl.dk)" in m)
    found = _problems("de")
    assert [p.partition(": ")[0] for p in found] == [f"{SHOWN}:{line}"] * 2
    assert "link text 'hier klicken' does not say where the link leads" in found[0]
    assert "https://www.facebook.com/kommunerne" in found[0] and "WCAG 2.4.4, 2.4.9" in found[0]
    assert "link text 'hier' does not say where the link leads" in found[1]


def test_link_texts_with_no_letters(project: Path) -> None:
    _german(_links("»«", "2018"))
    found = _problems("de")
    assert len(found) == 2 and all("has no letters" in p for p in found), found
    assert "link text '»«' has no letters" in found[0]


def test_descriptive_link_texts_pass(project: Path) -> None:
    _german(_links("die Facebook-Seite des KL", "www.kl.dk"))
    assert _problems("de") == []


def _summary(text: str) -> Callable[[str, list[str]], str | None]:
    return lambda msgid, comments: (
        text if any("accessibility-summary" in c for c in comments) else None
    )


def test_an_accessibility_summary_that_names_too_little(project: Path) -> None:
    _german(_summary("Barrierefrei."))
    line = _line(DE, "de", lambda m: m.startswith("Brevet har en overskrift"))
    found = _problems("de")
    assert len(found) == 1 and found[0].startswith(
        f"{SHOWN}:{line}: the accessibility summary 'Barrierefrei.' names too little "
        "(1 word(s), 0 of the letter's accessibility characteristics)"
    ), found


@pytest.mark.parametrize(
    "summary",
    [
        # A claim, however long, names nothing a reader can use.
        "Dieses Dokument ist vollständig barrierefrei und erfüllt alle Anforderungen der WCAG 2.1.",
        # One characteristic is not a summary.
        "Der Brief ist barrierefrei gestaltet und kann mit einem Screenreader gelesen werden.",
        # Two characteristics, but a label rather than a sentence.
        "Überschriften, Screenreader.",
    ],
)
def test_a_generic_summary_fails(project: Path, summary: str) -> None:
    _german(_summary(summary))
    found = _problems("de")
    assert len(found) == 1 and "names too little" in found[0], found


def test_a_summary_that_says_what_is_there_passes(project: Path) -> None:
    _german(
        _summary(
            "Jeder Abschnitt hat eine Überschrift, und die Lesereihenfolge ist fest; "
            "der Brief kann vergrößert und mit einem Screenreader gelesen werden."
        )
    )
    assert _problems("de") == []


def test_lint_warns_of_each_at_its_line_and_the_language_is_still_published(
    project: Path,
) -> None:
    def edit(msgid: str, comments: list[str]) -> str | None:
        if msgid == "En stærk kommunal stemme":
            return "."
        return _summary("Barrierefrei.")(msgid, comments) or _links("hier klicken", "hier")(
            msgid, comments
        )

    _german(edit)
    heading = _line(DE, "de", lambda m: m == "En stærk kommunal stemme")
    summary = _line(DE, "de", lambda m: m.startswith("Brevet har en overskrift"))
    link = _line(DE, "de", lambda m: "(https://www.kl.dk)" in m)
    lines, code = run(["lint", "de"])
    assert code == 0, lines
    said = [x for x in lines if x.startswith(f"{SHOWN}:") and "warning" in x]
    for line, what in (
        (heading, "heading '.' has no letters"),
        (summary, "the accessibility summary 'Barrierefrei.' names too little"),
        (link, "link text 'hier klicken' does not say where the link leads"),
        (link, "link text 'hier' does not say where the link leads"),
    ):
        assert any(x.startswith(f"{SHOWN}:{line}: warning: {what}") for x in said), (what, said)


# -- the gate: a finding per format, naming the .po line --------------------------------


def test_the_gate_fails_each_format_at_the_po_line(project: Path) -> None:
    _german(
        lambda msgid, comments: (
            "."
            if msgid == "En stærk kommunal stemme"
            else _summary("Barrierefrei.")(msgid, comments)
        )
    )
    assert main(["publish", "--lang", "de", "--format", "html", "--no-index"]) == 0
    assert "content" in CHECKERS
    findings = content_findings(read_published(Layout(Path("source/letter.da.md"))))
    german = [f for f in findings if f.lang == "de"]
    assert [(f.checker, f.fmt, f.file) for f in german] == [
        ("content", "html", "build/de/letter.de.html")
    ]
    heading = _line(DE, "de", lambda m: m == "En stærk kommunal stemme")
    summary = _line(DE, "de", lambda m: m.startswith("Brevet har en overskrift"))
    assert [p.partition(": ")[0] for p in german[0].problems] == [
        f"{SHOWN}:{heading}",
        f"{SHOWN}:{summary}",
    ]
    assert not german[0].passed


def test_the_summary_is_the_html_and_epub_s_not_the_pdf_s(project: Path) -> None:
    _german(_summary("Barrierefrei."))
    letter = read_letter(Path("source/letter.da.md"))
    layout = Layout(Path("source/letter.da.md"))
    german = assess_languages(letter, layout, 0.0)["de"]
    assert isinstance(german, Translated)
    found = check_content(letter, layout, german)
    assert [p.formats for p in found] == [("html", "epub")]


def test_a_check_that_cannot_run_fails_every_format(project: Path) -> None:
    assert main(["publish", "--lang", "de", "--format", "html", "--no-index"]) == 0
    published = read_published(Layout(Path("source/letter.da.md")))
    german = published.assessed["de"]
    assert isinstance(german, Translated)
    # Segments whose origin is unknown cannot be judged: a failure, never a pass.
    published.assessed["de"] = dataclasses.replace(german, placed=())
    findings = [f for f in content_findings(published) if f.lang == "de"]
    assert findings and all(f.error and not f.passed for f in findings), findings
    assert "cannot tell where its text came from" in findings[0].error


# -- figures: one text read once, or an alt text of its own ---------------------------


GERMAN_FIGURES = {
    "Kort til topmødet": "Karte zum Gipfeltreffen",
    "Kære kommunalbestyrelser": "Liebe Gemeinderäte",
    "Kort over vejen til topmødet": "Karte des Wegs zum Gipfeltreffen",
    "![Kort over vejen til topmødet](kort.png)": "![Karte des Wegs zum Gipfeltreffen](kort.png)",
    "Kort over salen": "Karte des Saals",
    "![Tegning af salen med scenen forrest og udgange i begge sider](kort.png)": (
        "![Zeichnung des Saals mit der Bühne vorn und Ausgängen auf beiden Seiten](kort.png)"
    ),
    "Program": "Programm",
    "Programmet står på [KL's side om topmødet](https://www.kl.dk).": (
        "Das Programm steht auf [der Seite des KL zum Gipfeltreffen](https://www.kl.dk)."
    ),
}
SEPARATE_ALT = "![Tegning af salen med scenen forrest og udgange i begge sider](kort.png)"


def _figures_letter(text: str | None = None, **changes: str) -> None:
    """The figures fixture as this folder's only letter, with a German catalog
    (``GERMAN_FIGURES`` with ``changes``, by msgid) edited through Babel's parser."""
    Path("source").mkdir()
    shutil.copy(FIXTURES / "kort.png", "source/kort.png")
    letter = text or (FIXTURES / "figures.da.md").read_text(encoding="utf-8")
    Path("source/letter.da.md").write_text(letter, encoding="utf-8")
    assert main(["extract"]) == 0 and main(["init", "de"]) == 0
    strings = {**GERMAN_FIGURES, **{k.replace("_", " "): v for k, v in changes.items()}}
    _edit_catalog(DE, "de", lambda msgid, _: strings.get(msgid, ""))


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_one_text_for_caption_and_alt_passes_and_so_does_an_alt_of_its_own(here: Path) -> None:
    _figures_letter()
    assert _problems("da") == []
    assert _problems("de") == []


def test_a_translated_alt_text_that_repeats_its_caption(here: Path) -> None:
    _figures_letter()
    _edit_catalog(
        DE, "de", lambda m, _: "![Karte des Saals](kort.png)" if m == SEPARATE_ALT else None
    )
    line = _line(DE, "de", lambda m: m == SEPARATE_ALT)
    found = _problems("de")
    assert len(found) == 1 and found[0].startswith(
        f"{SHOWN}:{line}: the alt text of the image kort.png repeats the figure's caption "
        "'Karte des Saals'"
    ), found


def test_a_translated_alt_text_that_is_a_file_name(here: Path) -> None:
    _figures_letter()
    figure = "![Kort over vejen til topmødet](kort.png)"
    _edit_catalog(DE, "de", lambda m, _: "![IMG_0042.png](kort.png)" if m == figure else None)
    line = _line(DE, "de", lambda m: m == figure)
    assert _problems("de") == [
        f"{SHOWN}:{line}: the alt text of the image kort.png is 'IMG_0042.png', a file name "
        "or an address: a screen reader says it instead of what the image shows; expected "
        "a description of the image (WCAG 1.1.1)"
    ]


def _source_line(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_a_source_alt_attribute_that_repeats_the_caption_fails_in_every_language(
    here: Path,
) -> None:
    text = (FIXTURES / "figures.da.md").read_text(encoding="utf-8")
    text = text.replace(
        'alt="Tegning af salen med scenen forrest og udgange i begge sider"',
        'alt="Kort over salen"',
    )
    _figures_letter(text)
    line = _source_line(text, 'alt="Kort over salen"')
    found = _problems("da")
    assert len(found) == 1 and found[0].startswith(
        f"source/letter.da.md:{line}: the alt text of the image kort.png repeats the "
        "figure's caption 'Kort over salen'"
    ), found
    # The author gave the alt text apart: a faithful translation repeats it too.
    figure = "![Kort over salen](kort.png)"
    _edit_catalog(DE, "de", lambda m, _: "![Karte des Saals](kort.png)" if m == figure else None)
    entry = _line(DE, "de", lambda m: m == figure)
    found = _problems("de")
    assert len(found) == 1 and found[0].startswith(f"{SHOWN}:{entry}: the alt text"), found


def test_a_source_alt_text_that_is_a_file_name(here: Path) -> None:
    text = (FIXTURES / "figures.da.md").read_text(encoding="utf-8")
    text = text.replace("![Kort over vejen til topmødet](kort.png)", "![kort.png](kort.png)")
    _figures_letter(text)
    line = _source_line(text, "![kort.png](kort.png)")
    found = _problems("da")
    assert len(found) == 1 and found[0].startswith(
        f"source/letter.da.md:{line}: the alt text of the image kort.png is 'kort.png'"
    ), found


def test_a_source_heading_with_no_letters_is_said_at_its_source_line(here: Path) -> None:
    text = (FIXTURES / "figures.da.md").read_text(encoding="utf-8").replace("## Program", "## .")
    _figures_letter(text)
    line = _source_line(text, "## .")
    expected = f"source/letter.da.md:{line}: heading '.' has no letters"
    for lang in ("da", "de"):  # a segment with no letters has no entry: the source's
        found = _problems(lang)
        assert len(found) == 1 and found[0].startswith(expected), (lang, found)


def test_a_letter_without_a_summary(here: Path) -> None:
    text = (FIXTURES / "figures.da.md").read_text(encoding="utf-8")
    start = text.index("accessibility-summary")
    text = text[:start] + text[text.index("---", start) :]
    _figures_letter(text)
    found = _problems("da")
    assert len(found) == 1 and found[0].startswith(
        "source/letter.da.md:1: the letter has no accessibility-summary"
    ), found


# -- the lists are the translator's: extended, never weakened; missing, never passed ----


def _project_words(lang: str, key: str, text: str) -> None:
    """A project catalog of the layout's words for ``lang``: the package's, with
    ``text`` for the entry ``key``."""
    po = Path(f"locale/{lang}/LC_MESSAGES/klpublish.po")
    shutil.copy(package_labels_po(lang), po)
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    for message in catalog:
        if message.id and message.context == key:
            message.string = text
    with po.open("wb") as handle:
        write_po(handle, catalog, width=76)


def test_a_translator_extends_the_list_and_cannot_shorten_it(project: Path) -> None:
    _project_words("de", VAGUE_LINKS, "zur Seite")
    _german(_links("zur Seite", "hier"))
    found = _problems("de")
    assert len(found) == 2, found
    assert "'zur Seite' does not say" in found[0] and "'hier' does not say" in found[1]


def test_a_language_without_the_lists_cannot_pass(here: Path) -> None:
    _figures_letter()
    assert main(["init", "sw"]) == 0
    sw = Path("locale/sw/LC_MESSAGES/letter.po")
    _edit_catalog(
        sw, "sw", lambda m, _: "[ukurasa wa KL](https://www.kl.dk)" if "kl.dk" in m else None
    )
    found = _problems("sw")
    where = "locale/sw/LC_MESSAGES/klpublish.po"
    assert (
        f"{where}: cannot judge link texts in 'sw': no catalog of the layout's words"
        in " ".join(found)
    ), found
    assert any(f'msgctxt "{VAGUE_LINKS}"' in p for p in found)
    # Its summary fell back to Danish, judged by the Danish list: it passes.
    assert not any(SUMMARY_TERMS in p for p in found)


def test_phrases_are_one_per_line_and_forms_are_split_by_a_bar() -> None:
    words = Phrases.parse("xx", ["Hier klicken\n\n hier \n"], ["a|b\n\nc\na|b"], "x.po")
    assert words.vague_links == {"hier klicken", "hier"}
    assert words.summary_terms == (("a", "b"), ("c",))

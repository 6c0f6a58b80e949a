"""Languages from catalogs alone: the layout's words, language tags, headers,
and a language the package has never seen, added as a translator would."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
from babel.messages.pofile import read_po, write_po
from lxml import etree, html

from helpers import copy_project, epubcheck, pseudo_strings
from klpublish.__main__ import main, run
from klpublish.catalogs import labels
from klpublish.errors import Problem
from klpublish.letter.read import read_letter
from klpublish.project import PACKAGE as PACKAGE_ROOT
from klpublish.project import package_label_languages, package_labels_po
from klpublish.segments.messages import letter_messages
from klpublish.translation.checkers import numbers_kept
from klpublish.translation.pair import Pair

PACKAGE = PACKAGE_ROOT
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

NEW = "sw"
"""A language the package ships no words for: the test translates them."""
NEW_WORDS = {
    "skip-link": "Ruka hadi kwenye barua",
    "languages-menu": "Lugha",
    "date": "Tarehe",
    "case-id": "Nambari ya faili",
    "page-number": "Ukurasa {page} wa {total}",
    "contents": "Yaliyomo",
    "index-title": "Barua katika lugha zote",
    "index-intro": "Chagua lugha yako na muundo unaotaka kusoma barua.",
    "index-formats": "Miundo",
    "index-language": "Lugha",
    "index-letter-title": "Kichwa",
    "format-html": "Ukurasa wa wavuti (HTML)",
    "format-epub": "Kitabu pepe (EPUB 3)",
    "check-vague-link-texts": "bofya hapa\nhapa\nsoma zaidi\nzaidi\nkiungo\nukurasa huu",
    "check-summary-terms": (
        "kichwa|vichwa\nmpangilio wa kusoma\nmaandishi mbadala\nkisoma skrini\nkuza\nrangi"
    ),
    # "document-id" and "format-pdf" stay untranslated: they must show in
    # Danish, marked so.
}


def _catalog(path: Path, lang: str):  # type: ignore[no-untyped-def]
    with path.open("rb") as handle:
        return read_po(handle, locale=lang)


def _save(catalog, path: Path) -> None:  # type: ignore[no-untyped-def]
    with path.open("wb") as handle:
        write_po(handle, catalog, width=76)


def _effective_text(tree: etree._Element, root_lang: str) -> list[tuple[str, str]]:
    """(text, the language it is marked with) for every visible piece of text."""
    found: list[tuple[str, str]] = []

    def visit(el: etree._Element, lang: str) -> None:
        if not isinstance(el.tag, str):
            return
        name = etree.QName(el).localname
        own = el.get(XML_LANG) or el.get("lang") or lang
        if name not in ("style", "script", "head") and el.get("hidden") is None:
            if el.text and el.text.strip():
                found.append((el.text.strip(), own))
            for child in el:
                visit(child, own)
        if el.tail and el.tail.strip():
            found.append((el.tail.strip(), lang))

    visit(tree, root_lang)
    return found


@pytest.fixture(scope="module")
def new_language(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project where a translator added ``NEW`` with ``init``, a
    text editor (here: Babel) and ``publish``; no code changed."""
    root = copy_project(tmp_path_factory.mktemp("new"))
    mp = pytest.MonkeyPatch()
    mp.chdir(root)
    mp.setenv("SOURCE_DATE_EPOCH", "1515542400")
    try:
        assert main(["init", NEW]) == 0
        letter_po = root / "locale" / NEW / "LC_MESSAGES" / "letter.po"
        words_po = root / "locale" / NEW / "LC_MESSAGES" / "klpublish.po"
        assert words_po.is_file(), "init gives the translator the layout's words too"
        catalog = _catalog(letter_po, NEW)
        messages = letter_messages(read_letter(root / "source" / "letter.da.md"))
        for message, string in zip(messages, pseudo_strings(messages), strict=True):
            catalog.get(message.msgid, message.context).string = string
        _save(catalog, letter_po)
        words = _catalog(words_po, NEW)
        for message in words:
            if message.id and message.context in NEW_WORDS:
                message.string = NEW_WORDS[str(message.context)]
        _save(words, words_po)
        assert main(["publish"]) == 0
    finally:
        mp.undo()
    return root


EVERY_KEY = {str(m.context) for m in labels.catalog_template() if m.id}
assert set(labels.template_keys()) < EVERY_KEY


@pytest.mark.slow
def test_init_gives_every_layout_word_with_where_it_appears(new_language: Path) -> None:
    words = _catalog(new_language / "locale" / NEW / "LC_MESSAGES" / "klpublish.po", NEW)
    keys = {str(m.context) for m in words if m.id}
    assert keys == EVERY_KEY  # the review page's words too, as msgmerge would write them
    assert all(m.auto_comments for m in words if m.id), "each entry says where it appears"


@pytest.mark.slow
def test_new_language_html_has_no_unmarked_danish(new_language: Path) -> None:
    page = new_language / "build" / NEW / f"letter.{NEW}.html"
    tree = html.fromstring(page.read_bytes())
    assert tree.getroottree().getroot().get("lang") == NEW
    pieces = _effective_text(tree.find("body"), NEW)
    danish_words = {str(m.id) for m in labels.template() if m.id}
    for text, lang in pieces:
        if text in danish_words:
            assert lang == "da", f"{text!r} is Danish but marked {lang}"
    ours = {text for text, lang in pieces if lang == NEW}
    for key in ("skip-link", "date", "case-id"):
        assert NEW_WORDS[key] in ours, key
    assert ("Dok.-ID", "da") in pieces
    nav = tree.xpath("//nav")[0]
    assert nav.get("aria-label") == NEW_WORDS["languages-menu"] and nav.get("lang") == NEW
    # The letter's text: every word of the pseudo-translation is bracketed, and
    # what is not is data (names, numbers, addresses) or marked Danish.
    letter = " ".join(t for t, lang in pieces if lang == NEW and t not in NEW_WORDS.values())
    leftovers = re.sub(r"‹[^›]*›", " ", letter)
    words = set(re.findall(r"[^\W\d_]{4,}", leftovers))
    data = {"Martin", "Damm", "Kristian", "Wendelboe", "Januari", "facebook", "kommunerne"}
    names = {"Dansk", "Deutsch", "English", "Kiswahili", "العربية", "Українська"}
    assert words <= data | names, words - data - names


@pytest.mark.slow
def test_new_language_epub_and_pdf(new_language: Path) -> None:
    out = new_language / "build" / NEW
    with zipfile.ZipFile(out / f"letter.{NEW}.epub") as book:
        nav = etree.fromstring(book.read("EPUB/nav.xhtml"))
        chapter = etree.fromstring(book.read("EPUB/text/ch001.xhtml"))
        opf = book.read("EPUB/content.opf").decode()
    assert f"<dc:language>{NEW}</dc:language>" in opf
    assert (NEW_WORDS["contents"], NEW) in _effective_text(nav, NEW)
    texts = _effective_text(chapter, NEW)
    assert (NEW_WORDS["date"], NEW) in texts and ("Dato", NEW) not in texts
    assert ("Dok.-ID", "da") in texts
    text = subprocess.run(
        ["pdftotext", str(out / f"letter.{NEW}.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert re.search(r"Ukurasa 1 wa \d", text) and "Tarehe" in text
    assert "Side 1 af" not in text and "Dato" not in text
    # Two things are Danish: the postal address (a structure element) and the
    # label the catalog lacks (its marked content: a term's label in Typst).
    with pikepdf.open(out / f"letter.{NEW}.pdf") as pdf:
        elements = [
            obj
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Dictionary) and "/S" in obj and obj.get("/Lang") == "da"
        ]
        content = b"".join(
            stream.read_bytes()
            for page in pdf.pages
            for stream in (
                page.Contents if isinstance(page.Contents, pikepdf.Array) else [page.Contents]
            )
        )
    assert len(elements) + content.count(b"/Lang(da)") == 2, (elements, content.count(b"da"))


@pytest.mark.slow
def test_new_language_index_row(new_language: Path) -> None:
    index = html.fromstring((new_language / "build" / "index.html").read_bytes())
    row = index.xpath(f"//tbody/tr[@lang='{NEW}']")[0]
    links = row.xpath(".//a")
    assert [a.text_content() for a in links[:2]] == [
        NEW_WORDS["format-html"],
        NEW_WORDS["format-epub"],
    ]
    # The word the catalog lacks is Danish, and marked so.
    assert links[2].xpath("./span[@lang='da']/text()") == ["PDF (PDF/UA)"]
    assert row.xpath("./th/text()") == ["Kiswahili"]


@pytest.mark.slow
def test_status_and_lint_count_and_check_the_layout_words(new_language: Path) -> None:
    words_po = new_language / "locale" / NEW / "LC_MESSAGES" / "klpublish.po"
    text = words_po.read_text(encoding="utf-8")
    shown = f"locale/{NEW}/LC_MESSAGES/klpublish.po"
    lines = text.splitlines()
    msgstr = next(n for n, x in enumerate(lines, 1) if x.startswith('msgstr "Ukurasa {'))
    mp = pytest.MonkeyPatch()
    mp.chdir(new_language)
    try:
        found, code = run(["status"])
        row = next(line for line in found if line.startswith(f"{NEW} "))
        entries = len(labels.template_keys())
        # Every entry of the letter, and all the layout's words but two.
        assert re.search(rf"\s{26 + entries - 2}\s+0\s+2\s", row), row
        dropped = text.replace("Ukurasa {page} wa {total}", "Ukurasa {page}")
        # With the flag Babel writes, msgfmt itself refuses the lost placeholder ...
        words_po.write_text(dropped, encoding="utf-8")
        found, code = run(["lint", NEW])
        assert code == 1 and any(x.startswith(f"{shown}:{msgstr}: ") for x in found), found
        # ... and without it (an editor may drop flags), the layout's own check does.
        words_po.write_text(dropped.replace("#, python-brace-format\n", ""), encoding="utf-8")
        found, code = run(["lint", NEW])
        entry = msgstr - 2  # the msgid line, once the flag line above is gone
        problem = f"{shown}:{entry}: msgstr drops the placeholder {{total}}"
        assert code == 1 and problem in found, found
    finally:
        words_po.write_text(text, encoding="utf-8")
        mp.undo()


# -- the package's own catalogs ------------------------------------------------------


@pytest.mark.parametrize("lang", package_label_languages())
def test_shipped_layout_catalogs_are_complete_and_clean(lang: str) -> None:
    path = package_labels_po(lang)
    subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], check=True, timeout=30)
    words = labels.resolve_labels(lang)
    assert words.translated == words.total == len(labels.template_keys())
    catalog = _catalog(path, lang)
    assert not [m.id for m in catalog if m.id and m.fuzzy]
    for message in catalog:
        if message.id:
            assert labels.check_label(str(message.id), str(message.string)) == [], message.id


def test_no_layout_words_in_python_code() -> None:
    """The words are in catalogs: neither the Danish nor any translation is in code."""
    words = {str(m.id) for m in labels.template() if m.id}
    for lang in package_label_languages():
        words |= {str(m.string) for m in _catalog(package_labels_po(lang), lang) if m.id}
    words -= {"PDF (PDF/UA)"}  # the same in every language
    words -= {name for name, _ in labels.template().mime_headers}  # "Language", a PO header
    for path in PACKAGE.rglob("*.py"):
        code = path.read_text(encoding="utf-8")
        found = [w for w in words if f'"{w}"' in code or f"'{w}'" in code]
        assert not found, (path.name, found)
    for path in (PACKAGE / "templates").iterdir():
        code = path.read_text(encoding="utf-8")
        assert not [w for w in words if len(w) > 3 and w in code], path.name


# -- language codes -------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(("code", "tag"), [("pt_BR", "pt-BR"), ("sr_Latn", "sr-Latn")])
def test_outputs_carry_bcp47_tags(tmp_path: Path, code: str, tag: str) -> None:
    root = copy_project(tmp_path)
    mp = pytest.MonkeyPatch()
    mp.chdir(root)
    try:
        assert main(["init", code]) == 0
        assert main(["publish", "--lang", code, "--threshold", "0", "--no-index"]) == 0
    finally:
        mp.undo()
    out = root / "build" / code
    tree = html.fromstring((out / f"letter.{code}.html").read_bytes())
    assert tree.getroottree().getroot().get("lang") == tag
    assert tag in tree.xpath("//nav//a/@hreflang")
    epub = out / f"letter.{code}.epub"
    with zipfile.ZipFile(epub) as book:
        assert f"<dc:language>{tag}</dc:language>" in book.read("EPUB/content.opf").decode()
        chapter = etree.fromstring(book.read("EPUB/text/ch001.xhtml"))
    assert chapter.get(XML_LANG) == tag
    result = epubcheck(epub)
    assert result.valid, [m for m in result.messages if m.level in ("ERROR", "FATAL")]
    with pikepdf.open(out / f"letter.{code}.pdf") as pdf:
        # Typst takes a language and a region, no script: sr-Latn's PDF says "sr".
        assert str(pdf.Root.Lang) == tag.removesuffix("-Latn")


@pytest.mark.slow
@pytest.mark.parametrize("code", ["und", "mul", "zxx"])
def test_codes_that_name_no_language_are_refused(tmp_path: Path, code: str) -> None:
    root = copy_project(tmp_path)
    (root / "locale" / code / "LC_MESSAGES").mkdir(parents=True)
    (root / "locale" / "de" / "LC_MESSAGES" / "letter.po").rename(
        root / "locale" / code / "LC_MESSAGES" / "letter.po"
    )
    mp = pytest.MonkeyPatch()
    mp.chdir(root)
    try:
        lines, status = run(["publish", "--no-index"])
        assert status == 1
        assert any(x.strip().startswith(f"locale/{code}: '{code}' means") for x in lines), lines
        assert (root / "build" / "en" / "letter.en.html").is_file(), "others still built"
        with pytest.raises(Exception, match=f"'{code}' means"):
            run(["init", code])
    finally:
        mp.undo()


# -- headers and numbers ------------------------------------------------------------


def test_catalog_without_plural_forms_publishes_with_a_located_warning(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    po = root / "locale" / "de" / "LC_MESSAGES" / "letter.po"
    lines = po.read_text(encoding="utf-8").splitlines(keepends=True)
    po.write_text("".join(x for x in lines if "Plural-Forms" not in x), encoding="utf-8")
    subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)], check=True, timeout=30)
    language = next(n for n, x in enumerate(po.read_text().splitlines(), 1) if "Language:" in x)
    mp = pytest.MonkeyPatch()
    mp.chdir(root)
    try:
        found, status = run(["lint", "de"])
        assert status == 0
        assert f"locale/de/LC_MESSAGES/letter.po:{language}: warning: header has no " in (
            "\n".join(found)
        )
        assert main(["publish", "--lang", "de", "--format", "html", "--no-index"]) == 0
    finally:
        mp.undo()
    assert (root / "build" / "de" / "letter.de.html").is_file()


@pytest.mark.parametrize(
    ("source", "translation"),
    [("2018", "۲۰۱۸"), ("98 kommuner", "۹۸ شهرداری"), ("2018", "٢٠١٨"), ("1.000", "۱٬۰۰۰")],
)
def test_persian_and_arabic_digits_are_the_same_numbers(source: str, translation: str) -> None:
    numbers_kept(
        Pair(source, [{"t": "Str", "c": source}], translation, [{"t": "Str", "c": translation}])
    )


def test_the_digit_table_is_bounded_and_still_reads_every_digit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What ``numbers_kept`` remembers of the characters it met stays bounded; a
    character met after the bound is left as it is (not dropped), and a digit met
    after it still counts as the number it is."""
    from klpublish.translation import checkers

    monkeypatch.setattr(checkers, "_DIGITS", checkers._Digits(checkers._SEPARATORS))
    persian = range(0x06F0, 0x06FA)  # ۰ to ۹, met only after the bound
    for start in range(0, 0x110000, 0x1000):
        every = "".join(
            chr(c)
            for c in range(start, start + 0x1000)
            if (c < 0xD800 or c > 0xDFFF) and c not in persian
        )
        numbers_kept(Pair("1", [], "1", [{"t": "Str", "c": every}]))
    assert len(checkers._DIGITS) <= checkers.DIGITS_MOST + 1000  # the digits, and no more
    assert ord("一") not in checkers._DIGITS and ord("۲") not in checkers._DIGITS
    numbers_kept(Pair("2018", [{"t": "Str", "c": "2018"}], "۲۰۱۸", [{"t": "Str", "c": "۲۰۱۸"}]))
    with pytest.raises(Problem, match="drops the number 2018"):
        numbers_kept(Pair("2018", [{"t": "Str", "c": "2018"}], "۲۰۱۷", [{"t": "Str", "c": "۲۰۱۷"}]))
    with pytest.raises(Problem, match="drops the number 2018"):
        numbers_kept(
            Pair("2018", [{"t": "Str", "c": "2018"}], "20一18", [{"t": "Str", "c": "20一18"}])
        )


def test_update_gives_a_language_the_layout_words_it_lacks(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    mp = pytest.MonkeyPatch()
    mp.chdir(root)
    try:
        assert main(["init", NEW]) == 0
        words_po = root / "locale" / NEW / "LC_MESSAGES" / "klpublish.po"
        words = _catalog(words_po, NEW)
        next(m for m in words if m.context == "date").string = "Tarehe"
        _save(words, words_po)
        words_po.rename(tmp_path / "kept.po")
        assert main(["update"]) == 0
        # A language the package lacks gets the words to translate ...
        assert {str(m.context) for m in _catalog(words_po, NEW) if m.id} == EVERY_KEY
        # ... one it ships is left to the package, and a translation is kept.
        assert not (root / "locale" / "de" / "LC_MESSAGES" / "klpublish.po").exists()
        (tmp_path / "kept.po").replace(words_po)
        assert main(["update"]) == 0
        assert next(m for m in _catalog(words_po, NEW) if m.context == "date").string == "Tarehe"
    finally:
        mp.undo()


def test_reading_order_finds_a_link_early_in_a_sentence() -> None:
    """Turkish puts the link within the first words: the snapshot's role word
    ("link") must not come between them."""
    from klpublish.gate.reading_order import order_in_text, snapshot_text

    snapshot = """    - paragraph:
      - text: Ayrıca sizi KL’yi Twitter’da ve KL’nin
      - link "www.facebook.com/kommunerne":
        - /url: https://www.facebook.com/kommunerne
      - text: adresindeki Facebook sayfasında takip etmeye davet ediyoruz.
    - heading "Güçlü bir belediye sesi" [level=2]"""
    segments = [
        "Ayrıca sizi KL’yi Twitter’da ve KL’nin www.facebook.com/kommunerne adresindeki "
        "Facebook sayfasında takip etmeye davet ediyoruz.",
        "Güçlü bir belediye sesi",
    ]
    assert order_in_text(segments, snapshot_text(snapshot)) == []


def test_a_layout_catalog_leading_outside_locale_is_refused(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0\n", encoding="utf-8")
    (root / "locale" / "de" / "LC_MESSAGES" / "klpublish.po").symlink_to(secret)
    mp = pytest.MonkeyPatch()
    mp.chdir(root)
    try:
        lines, status = run(["publish", "--format", "html", "--no-index"])
    finally:
        mp.undo()
    assert status == 1
    text = "\n".join(lines)
    assert "locale/de/LC_MESSAGES/klpublish.po: leads outside locale/" in text, text
    assert "root:x" not in text
    assert (root / "build" / "en" / "letter.en.html").is_file(), "others still built"


@pytest.mark.parametrize("lang", ["ar", "fa", "en"])
def test_the_danish_address_has_a_paragraph_of_its_own(baseline: Path, lang: str) -> None:
    """The sender's address stays Danish, left to right: set inside a line of the
    page's own language (a right-to-left one), the bidirectional algorithm orders
    the name's brackets and the address's separators between the two, and the line
    reads out of order. In a block of its own it is one run, and it is marked."""
    tree = html.fromstring((baseline / "build" / lang / f"letter.{lang}.html").read_bytes())
    (footer,) = tree.xpath("//footer")
    danish = footer.xpath(".//*[@lang='da']")
    assert [(e.tag, e.get("dir")) for e in danish] == [("p", "ltr")]
    assert "Weidekampsgade 10" in danish[0].text_content()
    assert all(e.tag == "p" and not e.xpath("*") for e in footer), "nothing set inline"

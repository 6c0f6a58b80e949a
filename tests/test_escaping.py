"""A translator's or an author's text stays text in every output: in an HTML
attribute, in the page's text, in the index page, in the EPUB's XML and in the
PDF's Typst source and XMP metadata. Each case is published for real and the
value is read back from where it belongs, word for word, with nothing added
around it (the page's shape is that of the clean build)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import html as lxml_html

from helpers import ROOT, copy_project
from hostile import (
    EVERY_FIELD,
    Shape,
    epub_files,
    letter_project,
    publish,
    read_xml,
    set_labels,
    shapes,
    xmp_packet,
)

SCRIPT = "document.title=1"

# -- the two projects every case starts from, and their clean shapes ------------


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, dict[str, Shape]]]:
    """The shapes of the outputs of the shipped letter in German and of the
    every-field letter in Danish and in German, each language built alone, with
    nothing hostile in them."""
    root = tmp_path_factory.mktemp("clean")
    mp = pytest.MonkeyPatch()
    built: dict[str, dict[str, Shape]] = {}
    try:
        mp.chdir(copy_project(root / "shipped"))
        shutil.copy(ROOT / "babel.cfg", "babel.cfg")
        publish("de")
        built["shipped de"] = shapes(Path("build"), "de")
        for lang in ("da", "de"):
            (root / lang).mkdir()
            mp.chdir(root / lang)
            letter_project(Path(), _every_field(), {"de": GERMAN} if lang == "de" else {})
            publish(lang, "--threshold", "0")
            built[f"fields {lang}"] = shapes(Path("build"), lang)
    finally:
        mp.undo()
    yield built


def _same_shapes(lang: str, want: dict[str, Shape], *formats: str) -> None:
    """The outputs of ``lang`` in ``build`` have the shapes of ``want``; only
    ``formats`` (``html``, ``index``, ``epub``, ``xmp``) when given."""
    got = shapes(Path("build"), lang, formats=formats)
    if not formats or "epub" in formats:
        assert {k for k in got if k.startswith("epub:")} == {
            k for k in want if k.startswith("epub:")
        }, "the book's files differ from the clean build's"
    for key, shape in got.items():
        assert shape == want[key], f"{key}: elements or attributes differ from the clean build"


GERMAN = {
    "KL": "KL",
    "brev": "Brief",
    "Velkomstbrev fra KL efter kommunalvalget": "Willkommensbrief von KL nach der Wahl",
}
"""The every-field letter's German catalog: its keywords and description."""


def _every_field(**fields: str) -> str:
    """The every-field letter, with ``fields`` (``key: value`` lines of YAML,
    a key with dots for a nested field) replaced."""
    text = EVERY_FIELD.read_text(encoding="utf-8")
    for key, value in fields.items():
        old = {
            "title": "title: Velkommen til KL",
            "subtitle": "subtitle: Et brev til de nye kommunalbestyrelser",
            "recipient": "recipient: Til alle kommunalbestyrelsesmedlemmer",
            "sender.name": "  name: KL – Kommunernes Landsforening",
            "sender.address": "    - Weidekampsgade 10",
            "sender.web": "  web: https://www.kl.dk",
            "case-id": "case-id: SAG-2017-06094",
            "document-id": 'document-id: "2435847"',
            "closing": "closing: Venlig hilsen",
            "signatories.name": "  - name: Martin Damm",
            "signatories.role": "    role: Formand",
            "abstract": "abstract: KL byder velkommen og fortæller kort om sit arbejde.",
            "description": "description: Velkomstbrev fra KL efter kommunalvalget",
            "keywords": "keywords: [KL, brev]",
            "author": "author: [Martin Damm]",
            "accessibility-summary": "accessibility-summary: Brevet har en overskrift",
        }[key]
        assert old in text, key
        start = text.index(old)
        end = text.index("\n", start)
        text = text[:start] + value + text[end:]
    return text


def _yaml(value: str) -> str:
    """``value`` as a double-quoted YAML scalar."""
    import json

    return json.dumps(value, ensure_ascii=False)


def _page(path: str) -> lxml_html.HtmlElement:
    return lxml_html.document_fromstring(Path(path).read_bytes())


def _one(page: lxml_html.HtmlElement, xpath: str) -> str:
    found = page.xpath(xpath)
    assert len(found) == 1, f"{xpath}: {len(found)} matches"
    node = found[0]
    return str(node) if isinstance(node, str) else str(node.text_content())


# -- the cases -----------------------------------------------------------


LABEL_IN_ATTRIBUTE = {
    "issue: focus runs a script": f'Sprachen" tabindex="0" autofocus onfocus="{SCRIPT}"',
    "issue: runs on load": (
        f'Sprachen" style="content-visibility:auto" oncontentvisibilityautostatechange="{SCRIPT}'
    ),
    "single quotes": f"Sprachen' onfocus='{SCRIPT}' x='",
    "closes the tag": f'Sprachen"><script>{SCRIPT}</script><nav x="',
    "a newline": f'Sprachen\n" onfocus="{SCRIPT}',
    "javascript:": f"javascript:{SCRIPT}",
    "entities": "Sprachen&quot; onfocus=&quot;x&quot; &amp; &lt;b&gt; &#34;",
    "right to left": f'لغات\u200f" dir="ltr" onfocus="{SCRIPT}',
}


@pytest.mark.slow
@pytest.mark.parametrize("value", LABEL_IN_ATTRIBUTE.values(), ids=LABEL_IN_ATTRIBUTE.keys())
def test_a_label_stays_inside_its_attribute(
    project: Path, clean: dict[str, dict[str, Shape]], value: str
) -> None:
    """The menu's name (``aria-label``) from a German catalog of layout words."""
    set_labels(project, "de", lambda m: value if m.context == "languages-menu" else None)
    publish("de", "--format", "html", "--no-index")
    page = _page("build/de/letter.de.html")
    (nav,) = page.xpath("//nav")
    assert sorted(nav.attrib) == ["aria-label", "lang"]
    assert nav.get("aria-label") == value
    _same_shapes("de", clean["shipped de"], "html")


@pytest.mark.slow
def test_translated_keywords_make_no_redirect(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's redirect: ``keywords: [KL, brev]`` translated in German."""
    monkeypatch.chdir(tmp_path)
    strings = {**GERMAN, "KL": ".5;url=https://example.org/", "brev": 'x" http-equiv="refresh'}
    letter_project(tmp_path, _every_field(), {"de": strings})
    publish("de", "--threshold", "0", "--no-index")
    page = _page("build/de/letter.de.html")
    assert _one(page, "//meta[@name='keywords']/@content") == (
        '.5;url=https://example.org/, x" http-equiv="refresh'
    )
    assert page.xpath("//meta[@http-equiv]") == []
    with_opf = epub_files(Path("build/de/letter.de.epub"))
    opf = read_xml(with_opf["EPUB/content.opf"])
    subjects = opf.xpath(
        "//dc:subject/text()", namespaces={"dc": "http://purl.org/dc/elements/1.1/"}
    )
    assert subjects == [".5;url=https://example.org/", 'x" http-equiv="refresh']


@pytest.mark.slow
def test_an_authors_keyword_with_a_quote_stays_in_its_attribute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean: dict[str, dict[str, Shape]]
) -> None:
    monkeypatch.chdir(tmp_path)
    keyword = 'KL" http-equiv="refresh'
    letter_project(tmp_path, _every_field(keywords=f"keywords: [{_yaml(keyword)}, brev]"), {})
    publish("da", "--format", "html", "--no-index")
    page = _page("build/da/letter.da.html")
    assert _one(page, "//meta[@name='keywords']/@content") == f"{keyword}, brev"
    _same_shapes("da", clean["fields da"], "html")


# -- the layout's other words: page text, index page, book, PDF -----------------


def _text_label(key: str) -> str:
    return f'{key}" onfocus="{SCRIPT}" </dt><script>{SCRIPT}</script> & &amp; <img src=x onerror=x>'


TEXT_LABELS = {
    "skip-link": "//a[@class='skip']",
    "date": "//dl[@class='reference']/dt[1]",
    "case-id": "//dl[@class='reference']/dt[2]",
    "document-id": "//dl[@class='reference']/dt[3]",
}


@pytest.mark.slow
def test_labels_in_the_page_text_stay_text(
    project: Path, clean: dict[str, dict[str, Shape]]
) -> None:
    set_labels(
        project, "de", lambda m: _text_label(str(m.context)) if m.context in TEXT_LABELS else None
    )
    publish("de", "--format", "html", "--no-index")
    page = _page("build/de/letter.de.html")
    for key, xpath in TEXT_LABELS.items():
        assert _one(page, xpath) == _text_label(key), key
    _same_shapes("de", clean["shipped de"], "html")


INDEX_LABELS = {
    "index-title": "//title",
    "index-intro": "//main/p[1]",
    "index-formats": "//caption",
    "index-language": "//thead//th[1]",
    "index-letter-title": "//thead//th[2]",
    "format-html": "//tbody//td[2]/a",
    "format-epub": "//tbody//td[3]/a",
    "format-pdf": "//tbody//td[4]/a",
}


def _index_page(lang: str, title: str) -> lxml_html.HtmlElement:
    """The index page in ``lang``, made by ``render_index`` as ``publish`` makes
    it for a letter whose source is in ``lang`` (the shipped letters' is Danish,
    whose words come from the template, not from a catalog)."""
    import datetime as dt

    from klpublish.catalogs.labels import Label
    from klpublish.project import Layout
    from klpublish.render.index import LetterEntry, render_index

    layout = Layout(Path("source/letter.da.md"), Path("locale"), Path("build"))
    entry = LetterEntry(layout, Label(title, lang), dt.date(2018, 1, 10), (lang,))
    return lxml_html.document_fromstring(render_index([entry], layout, lang))


@pytest.mark.slow
def test_the_index_pages_words_stay_text(project: Path) -> None:
    publish("de")
    clean_page = _index_page("de", "Willkommen")
    set_labels(
        project, "de", lambda m: _text_label(str(m.context)) if m.context in INDEX_LABELS else None
    )
    title = f'Willkommen" onfocus="{SCRIPT}" <h2>x</h2> &'
    page = _index_page("de", title)
    for key, xpath in INDEX_LABELS.items():
        assert _one(page, xpath) == _text_label(key), key
    assert _one(page, "//h1") == _text_label("index-title")
    assert _one(page, "//h2") == title
    assert shapes_of(page) == shapes_of(clean_page)


def shapes_of(page: lxml_html.HtmlElement) -> list[tuple[str, tuple[str, ...]]]:
    return [(str(e.tag), tuple(sorted(e.attrib))) for e in page.iter() if isinstance(e.tag, str)]


XHTML = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}


@pytest.mark.slow
def test_the_books_contents_label_stays_text(
    project: Path, clean: dict[str, dict[str, Shape]]
) -> None:
    value = f'Inhalt" epub:type="cover" onfocus="{SCRIPT}" <a href="x">y</a> & \' \n z'
    set_labels(project, "de", lambda m: value if m.context == "contents" else None)
    publish("de", "--format", "epub", "--no-index")
    nav = read_xml(epub_files(Path("build/de/letter.de.epub"))["EPUB/nav.xhtml"])
    assert nav.xpath("string(//x:h1[@id='toc-title'])", namespaces=XHTML) == value
    assert _found(nav, "//x:a[@epub:type='toc']") == [" ".join(value.split())]
    _same_shapes("de", clean["shipped de"], "epub")


def _pdf_text(path: str) -> str:
    import subprocess

    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", path, "-"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout


@pytest.mark.slow
def test_the_page_number_label_is_a_typst_string(
    project: Path, clean: dict[str, dict[str, Shape]]
) -> None:
    """The footer's words go into Typst code as a string literal."""
    value = 'Seite {page} von {total}") + text(size: 30pt)[#read("/etc/passwd")] + (" \\ "'
    set_labels(project, "de", lambda m: value if m.context == "page-number" else None)
    publish("de", "--format", "pdf", "--no-index")
    footers = re.findall(r"Seite \d von \d.*", _pdf_text("build/de/letter.de.pdf"))
    assert footers, "no footer"
    for footer in footers:
        assert re.sub(r"^Seite \d von \d", "Seite {page} von {total}", footer) == value
    _same_shapes("de", clean["shipped de"], "xmp")


# -- every front-matter field, from the author --------------------------------

HOSTILE_FIELD = f'Prøve " onfocus="{SCRIPT}" x=\'y\' & <img src=x onerror=x javascript:{SCRIPT}'
"""Markdown that stays one plain text: pandoc reads each field's value as Markdown."""

DC = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "opf": "http://www.idpf.org/2007/opf",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
}

FIELDS: dict[str, tuple[str, dict[str, str]]] = {
    # field: (YAML line, {output: xpath where the value shows})
    "title": (
        f"title: {_yaml(HOSTILE_FIELD)}",
        {
            "html": "//h1",
            "html title": "//title",
            "opf": "//dc:title",
            "xmp": "//dc:title//rdf:li",
        },
    ),
    "subtitle": (f"subtitle: {_yaml(HOSTILE_FIELD)}", {"html": "//p[@class='subtitle']"}),
    "recipient": (f"recipient: {_yaml(HOSTILE_FIELD)}", {"html": "//p[@class='recipient']"}),
    "sender.name": (
        f"  name: {_yaml(HOSTILE_FIELD)}",
        {"html": "//p[@class='org']", "xmp": "//dc:creator//rdf:li"},
    ),
    "sender.address": (f"    - {_yaml(HOSTILE_FIELD)}", {"html": "//address/p[2]/text()[1]"}),
    "case-id": (f"case-id: {_yaml(HOSTILE_FIELD)}", {"html": "//dl/dd[2]"}),
    "document-id": (f"document-id: {_yaml(HOSTILE_FIELD)}", {"html": "//dl/dd[3]"}),
    "closing": (f"closing: {_yaml(HOSTILE_FIELD)}", {"html": "//div[@class='closing']/p[1]"}),
    "signatories.name": (f"  - name: {_yaml(HOSTILE_FIELD)}", {"html": "//p[@class='name']"}),
    "signatories.role": (f"    role: {_yaml(HOSTILE_FIELD)}", {"html": "//p[@class='role']"}),
    "abstract": (f"abstract: {_yaml(HOSTILE_FIELD)}", {"html": "//div[@class='abstract']"}),
    "description": (
        f"description: {_yaml(HOSTILE_FIELD)}",
        {"html": "//meta[@name='description']/@content", "opf": "//dc:description"},
    ),
    "author": (
        f"author: [{_yaml(HOSTILE_FIELD)}]",
        {"html": "//meta[@name='author']/@content", "opf": "//dc:creator"},
    ),
    "accessibility-summary": (
        f"accessibility-summary: {_yaml(HOSTILE_FIELD)}",
        {
            "html": "//p[@class='accessibility-summary']",
            "opf": "//opf:meta[@property='schema:accessibilitySummary']",
        },
    ),
}


def _found(root: lxml_html.HtmlElement, xpath: str) -> list[str]:
    found = root.xpath(xpath, namespaces=DC)
    return [" ".join((n if isinstance(n, str) else "".join(n.itertext())).split()) for n in found]


@pytest.mark.slow
@pytest.mark.parametrize("field", FIELDS)
def test_every_field_stays_text_in_every_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean: dict[str, dict[str, Shape]], field: str
) -> None:
    line, where = FIELDS[field]
    monkeypatch.chdir(tmp_path)
    letter_project(tmp_path, _every_field(**{field: line}), {})
    publish("da", "--no-index")
    roots = {
        "html": _page("build/da/letter.da.html"),
        "opf": read_xml(epub_files(Path("build/da/letter.da.epub"))["EPUB/content.opf"]),
        "xmp": read_xml(xmp_packet(Path("build/da/letter.da.pdf"))),
    }
    for place, xpath in where.items():
        assert HOSTILE_FIELD in _found(roots[place.split()[0]], xpath), (place, xpath)
    _same_shapes("da", clean["fields da"], "html", "epub", "xmp")


@pytest.mark.slow
def test_the_senders_web_address_is_an_escaped_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean: dict[str, dict[str, Shape]]
) -> None:
    web = "https://example.org/a?b=1&c=%22x%22;d=(e)#f"
    monkeypatch.chdir(tmp_path)
    letter_project(tmp_path, _every_field(**{"sender.web": f"  web: {web}"}), {})
    publish("da", "--no-index")
    assert _one(_page("build/da/letter.da.html"), "//address/a/@href") == web
    _same_shapes("da", clean["fields da"], "html", "epub", "xmp")


@pytest.mark.slow
def test_a_translated_description_stays_in_its_attribute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean: dict[str, dict[str, Shape]]
) -> None:
    value = 'Willkommensbrief" name="refresh" http-equiv="refresh" x=\'y\' & <b'
    strings = {**GERMAN, "Velkomstbrev fra KL efter kommunalvalget": value}
    monkeypatch.chdir(tmp_path)
    letter_project(tmp_path, _every_field(), {"de": strings})
    publish("de", "--threshold", "0", "--no-index")
    assert _one(_page("build/de/letter.de.html"), "//meta[@name='description']/@content") == value
    opf = read_xml(epub_files(Path("build/de/letter.de.epub"))["EPUB/content.opf"])
    assert _found(opf, "//dc:description") == [value]
    _same_shapes("de", clean["fields de"], "html", "epub", "xmp")


# -- the writers themselves, and the templates that use them ---------------------


def test_an_attribute_value_is_escaped_for_either_quote() -> None:
    from klpublish.render.escape import html_attribute

    assert html_attribute("a\"b'c<d>e&f") == "a&quot;b&#x27;c&lt;d&gt;e&amp;f"


@pytest.mark.parametrize(
    ("given", "written"),
    [
        ("https://www.kl.dk", "https://www.kl.dk"),
        ("letter.de.html", "letter.de.html"),
        ('a b"c<d>', "a%20b%22c%3Cd%3E"),
        ("https://x.org/%22?a=1&b='c'#d", "https://x.org/%22?a=1&b='c'#d"),
        ("https://x.org/æ", "https://x.org/%C3%A6"),
    ],
)
def test_a_link_keeps_to_a_urls_characters(given: str, written: str) -> None:
    from klpublish.render.escape import url

    assert url(given) == written


@pytest.mark.parametrize(
    "given", ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "file:///etc"]
)
def test_a_link_outside_the_web_is_refused(given: str) -> None:
    from klpublish.errors import ToolError
    from klpublish.render.escape import url

    with pytest.raises(ToolError, match="not a web address"):
        url(given)


@pytest.mark.parametrize("given", ['de" onload="x', "de x", "", "rtl;", "-de", "de\n"])
def test_a_language_tag_is_a_token(given: str) -> None:
    from klpublish.errors import ToolError
    from klpublish.render.escape import token

    with pytest.raises(ToolError, match="not a language tag"):
        token(given)
    assert token("pt-BR") == "pt-BR" and token("rtl") == "rtl"


def test_a_typst_string_holds_any_text() -> None:
    from klpublish.render.escape import typst_string

    assert typst_string('a"b\\c\nd#e') == '"a\\"b\\\\c d#e"'


TEMPLATES = ROOT / "src" / "klpublish" / "templates"


def test_the_web_page_template_puts_only_escaped_values_into_attributes() -> None:
    """Every ``name="$...$"`` of ``letter.html`` is an ``attr`` value."""
    template = (TEMPLATES / "letter.html").read_text(encoding="utf-8")
    values = re.findall(r'=\s*"([^"]*\$[^"]*)"', template)
    assert values, "the pattern finds no attribute"
    for value in values:
        for variable in re.findall(r"\$([^$]*)\$", value):
            assert re.fullmatch(r"attr\.[\w.-]+", variable), value


def test_attribute_ready_values_never_reach_typst() -> None:
    """They are raw HTML, made for the web page only (``render_html``)."""
    assert "attr." not in (TEMPLATES / "letter.typ").read_text(encoding="utf-8")
    package = ROOT / "src" / "klpublish"
    makers = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "page_attributes(" in path.read_text(encoding="utf-8")
    )
    assert makers == ["render/context.py", "render/html.py"]

"""`klpublish publish`: every language, every format, checked with real tools.
EPUBCheck on every EPUB of the run's baseline is run once, by the gate, in
tests/test_gate.py's first test: each book costs seconds of Java."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
from babel.messages.pofile import read_po, write_po
from lxml import etree, html

from helpers import ROOT, copy_published, epubcheck
from klpublish.__main__ import main
from klpublish.letter.nodes import plain_text
from klpublish.letter.read import read_letter
from klpublish.segments.messages import letter_messages

LANGS = ["da", "ar", "de", "en", "fa", "pl", "tr", "uk"]
RTL = {"ar", "fa"}
FORMATS = ["html", "epub", "pdf"]
EPOCH = "1515542400"


@pytest.fixture(scope="module")
def built(baseline: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One build of the real letter, as ``make publish`` does it (a copy of the
    run's baseline: the tests below publish again in it)."""
    return copy_published(baseline, tmp_path_factory.mktemp("site")) / "build"


def page(built: Path, lang: str) -> html.HtmlElement:
    return html.fromstring((built / lang / f"letter.{lang}.html").read_bytes())


def xp(tree: etree._Element, path: str, lang: str) -> list[etree._Element]:
    found: list[etree._Element] = tree.xpath(path)
    assert found, f"letter.{lang}.html: nothing matches {path}"
    return found


def test_every_language_and_format_is_built(built: Path) -> None:
    for lang in LANGS:
        for fmt in FORMATS:
            path = built / lang / f"letter.{lang}.{fmt}"
            assert path.is_file() and path.stat().st_size > 1000, path
            assert path.stat().st_mode & 0o044 == 0o044, f"{path} is not world-readable"
    assert (built / "index.html").is_file()


@pytest.mark.parametrize("lang", LANGS)
def test_html_structure(built: Path, lang: str) -> None:
    tree = page(built, lang)
    root = tree.getroottree().getroot()
    assert root.get("lang") == lang
    assert root.get("dir") == ("rtl" if lang in RTL else "ltr")
    assert xp(tree, "//head/title", lang)[0].text_content().strip()
    for landmark in ("header", "main", "footer"):
        assert len(xp(tree, f"//{landmark}", lang)) == 1, landmark
    assert len(xp(tree, "//h1", lang)) == 1
    levels = [int(h.tag[1]) for h in tree.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels))
    assert xp(tree, "//header//address", lang)
    assert xp(tree, "//time[@datetime='2018-01-10']", lang)
    links = xp(tree, "//nav//a", lang)
    assert sorted(a.get("lang") for a in links) == sorted(LANGS)
    assert all(a.get("hreflang") == a.get("lang") for a in links)
    current = [a for a in links if a.get("aria-current") == "page"]
    assert [a.get("lang") for a in current] == [lang]
    # Self-contained: no scripts, no outside styles, fonts or images.
    assert not tree.xpath("//script | //link[@rel='stylesheet'] | //img[starts-with(@src,'http')]")
    assert "@import" not in etree.tostring(tree, encoding="unicode")
    assert xp(tree, "//a[@class='skip'][@href='#letter']", lang)


def _text_outside_danish(tree: html.HtmlElement) -> str:
    parts: list[str] = []

    def visit(el: etree._Element) -> None:
        if el.get("lang") == "da" or el.tag in ("style", "script", "title"):
            if el.tail:
                parts.append(el.tail)
            return
        if el.text:
            parts.append(el.text)
        for child in el:
            visit(child)
        if el.tail:
            parts.append(el.tail)

    visit(tree.find("body"))
    return " ".join(" ".join(parts).split())


@pytest.mark.parametrize("lang", [x for x in LANGS if x != "da"])
def test_no_unmarked_danish(built: Path, lang: str) -> None:
    text = _text_outside_danish(page(built, lang))
    letter = read_letter(ROOT / "source" / "letter.da.md")
    messages = letter_messages(letter)
    # Metadata holds a proper name (the sender's) that a translation may keep.
    names = {plain_text(m.site.inlines) for m in messages if m.site.is_meta}
    for message in messages:
        danish = " ".join(plain_text(message.site.inlines).split())
        if len(danish) > 12 and danish not in names:
            assert danish not in text, danish
    for label in ("Dato", "Sags-ID", "Dok.-ID", "Gå til brevet", "Sprog"):
        assert not re.search(rf"\b{re.escape(label)}\b", text), label


def test_labels_and_dates_in_the_page_language(built: Path) -> None:
    expected = {
        "en": ("10 January 2018", "Case ID"),
        "de": ("10. Januar 2018", "Aktenzeichen"),
        "uk": ("10 січня 2018", "Номер справи"),
        "ar": ("10 يناير 2018", "رقم الملف"),
        # Persian digits, CLDR's default for Persian (see locales.LanguageFacts.digits).
        "fa": ("۱۰ ژانویه ۲۰۱۸", "شمارهٔ پرونده"),
        "pl": ("10 stycznia 2018", "Numer sprawy"),
        "tr": ("10 Ocak 2018", "Dosya numarası"),
        "da": ("10. januar 2018", "Sags-ID"),
    }
    for lang, (date, label) in expected.items():
        text = page(built, lang).text_content()
        assert date in text and label in text, lang


def test_index_lists_every_language_and_format(built: Path) -> None:
    tree = html.fromstring((built / "index.html").read_bytes())
    rows = tree.xpath("//tbody/tr")
    assert sorted(r.get("lang") for r in rows) == sorted(LANGS)
    hrefs = set(tree.xpath("//tbody//a/@href"))
    assert hrefs == {f"{lang}/letter.{lang}.{fmt}" for lang in LANGS for fmt in FORMATS}
    assert tree.xpath("//tr[@lang='ar'][@dir='rtl']/th")[0].text == "العربية"
    assert len(tree.xpath("//h1")) == 1
    sizes = [s.text for s in tree.xpath("//span[@class='size']")]
    assert all(re.search(r"\d\xa0kB", s) for s in sizes), sizes
    assert any(re.search(r"[۰-۹]\xa0kB", s) for s in sizes), "Persian sizes in Persian digits"


# -- EPUB -------------------------------------------------------------------------


def epub_files(built: Path, lang: str) -> dict[str, bytes]:
    with zipfile.ZipFile(built / lang / f"letter.{lang}.epub") as book:
        assert book.namelist()[0] == "mimetype"
        assert book.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        return {name: book.read(name) for name in book.namelist()}


@pytest.mark.parametrize("lang", LANGS)
def test_epub_metadata_and_documents(built: Path, lang: str) -> None:
    files = epub_files(built, lang)
    opf = etree.fromstring(files["EPUB/content.opf"])
    ns = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
    assert opf.xpath("//dc:language/text()", namespaces=ns) == [lang]
    props = {m.get("property"): m.text for m in opf.xpath("//opf:meta[@property]", namespaces=ns)}
    assert props["dcterms:conformsTo"] == "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
    assert props["schema:accessibilityHazard"] == "none"
    summary = props["schema:accessibilitySummary"]
    if lang == "en":
        assert summary.startswith("The letter has a heading for each section")
    spine = opf.xpath("//opf:spine", namespaces=ns)[0]
    assert spine.get("page-progression-direction") == ("rtl" if lang in RTL else None)
    for name, data in files.items():
        if name.endswith(".xhtml"):
            doc = etree.fromstring(data)
            title = doc.findtext(
                "{http://www.w3.org/1999/xhtml}head/{http://www.w3.org/1999/xhtml}title"
            )
            assert title and not re.fullmatch(r"ch\d+\.xhtml", title), (name, title)
            assert doc.get("dir") == ("rtl" if lang in RTL else "ltr")
            assert doc.get("lang") == lang
    nav = files["EPUB/nav.xhtml"].decode()
    assert "Table of Contents" not in nav or lang == "en"


# -- PDF --------------------------------------------------------------------------


def struct_types(pdf: pikepdf.Pdf) -> list[str]:
    from klpublish.gate.pdf_text import struct_elements

    return [str(e.S) for e in struct_elements(pdf)]


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_is_tagged_pdf_ua(built: Path, lang: str) -> None:
    with pikepdf.open(built / lang / f"letter.{lang}.pdf") as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == lang
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
            assert xmp.get("dc:title")
        types = struct_types(pdf)
        assert types.count("/H1") == 1 and types.count("/H2") == 3 and "/P" in types, types
        with pdf.open_outline() as outline:
            titles = [item.title for item in outline.root]
            assert len(titles) == 1 and len(outline.root[0].children) == 3, titles
        for page_ in pdf.pages:
            content = page_.Contents.read_bytes() if "/Contents" in page_ else b""
            assert b"/Artifact" in content, "running header/footer are not artifacts"
            for _, font in page_.Resources.Font.items():
                descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                descriptor = descendant.FontDescriptor
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                assert "/ToUnicode" in font


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_never_breaks_an_address_inside(built: Path, lang: str) -> None:
    """Split after "facebook." an address reads as two; in right-to-left text
    its halves would land at opposite ends of two lines."""
    out = subprocess.run(
        ["pdftotext", "-layout", str(built / lang / f"letter.{lang}.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert any("www.facebook.com/kommunerne" in line for line in out.splitlines())


def test_pdf_text_in_reading_order(built: Path) -> None:
    out = subprocess.run(
        ["pdftotext", str(built / "en" / "letter.en.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    order = [
        "KL – Local Government Denmark",
        "To all members",
        "Welcome to your work",
        "Case ID",
        "Dear municipal councils",
        "A strong municipal voice",
        "Kind regards",
        "Chief Executive",
    ]
    positions = [out.index(s) for s in order]
    assert positions == sorted(positions), positions


# -- behaviour ----------------------------------------------------------------------


def test_second_publish_rewrites_nothing(
    built: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(built.parent)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    before = {p: p.stat().st_mtime_ns for p in built.rglob("*") if p.is_file()}
    capsys.readouterr()
    assert main(["publish"]) == 0
    assert "wrote" not in capsys.readouterr().out
    after = {p: p.stat().st_mtime_ns for p in built.rglob("*") if p.is_file()}
    assert after == before


@pytest.mark.slow
def test_two_clean_builds_are_identical(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second build runs on two workers: parallel and serial give the same bytes."""
    monkeypatch.chdir(built.parent)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert main(["publish", "--jobs", "2", "--out", str(tmp_path / "again")]) == 0
    for path in built.rglob("*"):
        if path.is_file():
            other = tmp_path / "again" / path.relative_to(built)
            assert other.read_bytes() == path.read_bytes(), path


def _written(out: str) -> set[str]:
    """The letters a publish run wrote (the index page aside)."""
    return {
        line.split()[1]
        for line in out.splitlines()
        if line.startswith("wrote build/") and not line.endswith("index.html")
    }


@pytest.mark.slow
def test_changed_catalog_rebuilds_only_its_language(
    published_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = published_project
    po = project / "locale" / "de" / "LC_MESSAGES" / "letter.po"
    po.write_text(
        po.read_text(encoding="utf-8").replace("Wir freuen uns auf", "Wir freuen uns sehr auf"),
        encoding="utf-8",
    )
    assert main(["publish", "--jobs", "2"]) == 0
    assert _written(capsys.readouterr().out) == {f"build/de/letter.de.{fmt}" for fmt in FORMATS}
    assert "Wir freuen uns sehr auf" in (project / "build/de/letter.de.html").read_text("utf-8")
    # A deleted or altered output is made again, and only it.
    (project / "build/en/letter.en.pdf").unlink()
    (project / "build/uk/letter.uk.html").write_text("edited by hand", encoding="utf-8")
    assert main(["publish", "--jobs", "2"]) == 0
    assert _written(capsys.readouterr().out) == {
        "build/en/letter.en.pdf",
        "build/uk/letter.uk.html",
    }


def test_verdict_change_rebuilds_every_language_switcher(
    published_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = published_project
    assert main(["publish", "--format", "html"]) == 0
    assert "de" in page(project / "build", "en").xpath("//nav//a/@lang")
    capsys.readouterr()
    po = project / "locale" / "de" / "LC_MESSAGES" / "letter.po"
    _edit_catalog(po, lambda catalog: [setattr(m, "string", "") for m in catalog if m.id])
    assert main(["publish", "--format", "html"]) == 0
    written = _written(capsys.readouterr().out)
    assert written == {f"build/{lang}/letter.{lang}.html" for lang in LANGS if lang != "de"}
    assert "de" not in page(project / "build", "en").xpath("//nav//a/@lang")


def test_failing_language_fails_on_every_run(
    published_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its verdict is remembered, but the error is said again until it is fixed."""
    po = published_project / "locale" / "en" / "LC_MESSAGES" / "letter.po"

    def edit(catalog: object) -> None:
        for message in catalog:  # type: ignore[attr-defined]
            if message.id.startswith("Vi glæder os"):
                message.string = "<script>alert(1)</script>"

    _edit_catalog(po, edit)
    for _ in range(2):
        assert main(["publish", "--format", "html"]) == 1
        err = capsys.readouterr().err
        assert "en: not published, earlier outputs left as they were" in err
        assert "locale/en/LC_MESSAGES/letter.po:" in err


def test_jobs_must_be_a_positive_number(capsys: pytest.CaptureFixture[str]) -> None:
    for bad in ("0", "-1", "two"):
        with pytest.raises(SystemExit) as exc:
            main(["publish", "--jobs", bad])
        assert exc.value.code == 2
        assert "expected a positive number or 'auto'" in capsys.readouterr().err


def _edit_catalog(po: Path, edit: object) -> None:
    with po.open("rb") as handle:
        catalog = read_po(handle)
    edit(catalog)  # type: ignore[operator]
    with po.open("wb") as handle:
        write_po(handle, catalog)


@pytest.mark.slow
def test_untranslated_and_fuzzy_fall_back_to_marked_danish(project: Path) -> None:
    po = project / "locale" / "en" / "LC_MESSAGES" / "letter.po"

    def edit(catalog: object) -> None:
        for message in catalog:  # type: ignore[attr-defined]
            if message.id.startswith("Vi glæder os"):
                message.string = ""
            if message.id.startswith("En stærk kommunal"):
                message.flags.add("fuzzy")

    _edit_catalog(po, edit)
    assert main(["publish", "--lang", "en"]) == 0
    tree = page(project / "build", "en")
    danish = [el.text_content() for el in tree.xpath("//main//*[@lang='da']")]
    assert "Vi glæder os til samarbejdet i den nye valgperiode." in danish
    assert "En stærk kommunal stemme" in danish
    assert tree.xpath("//h2/span[@lang='da']")
    with pikepdf.open(project / "build" / "en" / "letter.en.pdf") as pdf:
        from klpublish.gate.pdf_text import struct_elements

        assert "da" in {str(e.Lang) for e in struct_elements(pdf) if "/Lang" in e}


def test_language_below_threshold_is_not_published(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    po = project / "locale" / "de" / "LC_MESSAGES" / "letter.po"

    def edit(catalog: object) -> None:
        for n, message in enumerate(catalog):  # type: ignore[arg-type]
            if n % 2:
                message.string = ""

    _edit_catalog(po, edit)
    assert main(["publish", "--format", "html"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"de: not published: \d+% translated, below the 80% threshold", out)
    assert not (project / "build" / "de").exists()
    nav = page(project / "build", "en").xpath("//nav//a/@lang")
    assert "de" not in nav


PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d7"
    "63f8cfc000000301010018dd8db00000000049454e44ae426082"
)


@pytest.mark.slow
@pytest.mark.parametrize(
    "name", ["lists", "tables", "notes-quotes", "blocks-misc", "headings-paragraphs"]
)
def test_any_pandoc_letter_publishes(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tables, footnotes, nested lists, block quotes, images with alt text."""
    monkeypatch.chdir(tmp_path)
    Path("source").mkdir()
    shutil.copy(ROOT / "tests" / "corpus" / f"{name}.md", "source/letter.da.md")
    for image in ("logo.png", "ikon.png"):
        Path("source", image).write_bytes(PNG_1PX)
    raw = "```{=html}\n<div>rå html oversættes ikke</div>\n```\n"
    text = Path("source/letter.da.md").read_text(encoding="utf-8")
    if raw in text:  # a letter may not hold raw HTML (SECURITY.md): publish the rest
        assert main(["publish", "--locales", "none"]) == 1
        Path("source/letter.da.md").write_text(text.replace(raw, ""), encoding="utf-8")
    assert main(["publish", "--locales", "none"]) == 0
    out = Path("build/da")
    tree = html.fromstring((out / "letter.da.html").read_bytes())
    assert len(tree.xpath("//h1")) == 1
    assert not tree.xpath("//img[not(@alt) or @alt='']")
    assert not tree.xpath("//img[not(starts-with(@src, 'data:'))]"), "images must be embedded"
    result = epubcheck(out / "letter.da.epub")
    assert result.valid and not [m for m in result.messages if m.level != "INFO"]
    from klpublish.gate.pdf_rules import check_pdf

    assert check_pdf(out / "letter.da.pdf") == []
    with pikepdf.open(out / "letter.da.pdf") as pdf:
        types = struct_types(pdf)
    if name == "lists":
        assert "/L" in types and "/LI" in types, types
    if name == "tables":
        assert "/Table" in types and "/TH" in types and "/TD" in types, types
    if name == "blocks-misc":
        assert "/Figure" in types, types

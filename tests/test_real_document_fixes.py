"""What real documents showed (issue 22, findings 3, 4 and 7), each case from the
document that showed it, cut down:

3. text a reader would see is extracted, or the letter is refused at its line:
   ``key: value`` lines between two ``---`` in the body (pandoc's second YAML
   block), ``%`` lines right after the front matter (pandoc's title block);
4. what lint accepts, publish renders, and what publish would refuse, lint says
   at its line: links to a heading (a table of contents) work in HTML, EPUB and
   PDF in every language; a link to no place, an empty link, a TeX command
   texmath does not know are refused;
7. an error names the line pandoc read the refused thing from, not the first
   line holding its text (an escaped ``\\<td>``, an image shown twice), and
   raw TeX is quoted as written (``\\ifstrequal``, not what it expands to).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath

import pikepdf
import polib
import pytest
from lxml import etree

from helpers import PNG, epubcheck
from klpublish.__main__ import main
from klpublish.catalogs.po import load_catalog

HEAD = "---\ntitle: Borgermøde\nlang: da\ndate: 2021-09-14\n---\n\n"
"""A letter's first six lines: its body goes on from line 7."""


def _letter(root: Path, body: str, name: str = "moede") -> Path:
    source = root / "source"
    source.mkdir(exist_ok=True)
    path = source / f"{name}.da.md"
    path.write_text(HEAD + body, encoding="utf-8")
    (source / "kort.png").write_bytes(PNG)
    return path


def _said(capsys: pytest.CaptureFixture[str]) -> str:
    out = capsys.readouterr()
    return out.out + out.err


def _refused_alike(capsys: pytest.CaptureFixture[str], where: str, said: str) -> None:
    """``lint`` and ``publish`` (HTML alone: the refusal is the source's) both
    refuse the letter, at ``where``, saying ``said``."""
    capsys.readouterr()
    assert main(["lint", "da"]) == 1
    linted = _said(capsys)
    assert f"{where}: {said}" in linted, linted
    assert main(["publish", "--lang", "da", "--format", "html", "--no-index"]) == 1
    published = _said(capsys)
    assert f"{where}: {said}" in published, published
    assert not Path("build/da/moede.da.html").exists()


def _translate(po: Path, change: dict[str, str]) -> None:
    """Every msgstr its msgid with the words of ``change`` replaced."""
    catalog = polib.pofile(str(po))
    for entry in catalog:
        text = entry.msgid
        for old, new in change.items():
            text = text.replace(old, new)
        entry.msgstr = text
    catalog.save()


# -- 3. text published that was never extracted ---------------------------------------

META_BLOCK = "Vi inviterer til borgermøde.\n\n---\nTidspunkt: tirsdag kl. 19\nSted: Rådhuset\n---\n"
REFUSED_BLOCK = "lines between two '---' lines are a YAML metadata block to pandoc"


@pytest.mark.parametrize(
    ("body", "line"),
    [
        (META_BLOCK + "\nAlle er velkomne.\n", 9),
        (META_BLOCK.replace("---\n", "...\n").replace("...\nTid", "---\nTid"), 9),
        ("---\nTidspunkt: tirsdag kl. 19\n---\n\nAlle er velkomne.\n", 7),
        ("Alle er velkomne.\n\n---\ntitle: Et andet brev\n---\n", 9),
        ("Alle er velkomne.\n\n---\nTidspunkt: [tirsdag\n---\n", 9),
        ("```\n\n---\nkode: x\n---\n```\n\n---\nSted: Rådhuset\n---\n", 14),
    ],
    ids=[
        "two-fields",
        "closed-with-dots",
        "first-in-body",
        "a-second-title",
        "bad-yaml",
        "after-code",
    ],
)
def test_a_yaml_block_in_the_body_is_refused_at_its_line(
    body: str,
    line: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Pandoc takes the block for metadata that no reader sees (and a ``title``
    in it for the letter's), while klpublish published it in Danish in every
    language with lint and status at 100 %. Extract warns at its line, lint,
    publish and status refuse it there, and say what to write; the template's
    title is the front matter's."""
    _letter(tmp_path, body)
    _letter(tmp_path, "Et andet brev.\n", "andet")
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    assert main(["extract"]) == 0
    warned = _said(capsys)
    assert f"source/moede.da.md:{line}: warning: {REFUSED_BLOCK}" in warned, warned
    assert "expected a definition list" in warned
    msgids = [e.msgid for e in polib.pofile("locale/moede.pot")]
    assert "Borgermøde" in msgids and "Et andet brev" not in msgids
    _refused_alike(capsys, f"source/moede.da.md:{line}", REFUSED_BLOCK)
    assert Path("build/da/andet.da.html").is_file()  # the other letter is built
    assert main(["status"]) == 1
    assert f"source/moede.da.md:{line}: {REFUSED_BLOCK}" in _said(capsys)


@pytest.mark.parametrize(
    "body",
    [
        "Vi inviterer.\n\n---\n\nTidspunkt: tirsdag kl. 19\\\nSted: Rådhuset\n\n---\n\nAlle.\n",
        "Vi inviterer.\n\nTidspunkt\n:   tirsdag kl. 19\n\nSted\n:   Rådhuset\n",
        "Vi inviterer.\n\n---\n- Tidspunkt: tirsdag kl. 19\n- Sted: Rådhuset\n---\n\nAlle.\n",
        "Tidspunkt: tirsdag, Sted: Rådhuset.\n\n```\n---\nkode: x\n---\n```\n",
    ],
    ids=["rules-and-line-breaks", "definition-list", "not-a-mapping", "in-code"],
)
def test_what_to_write_instead_is_extracted_and_published(
    body: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """What the refusal says to write, and ``---`` lines pandoc does not take
    for metadata: each text of the page is a msgid, and an English translation
    of every msgid leaves no Danish word on the English page."""
    _letter(tmp_path, body)
    monkeypatch.chdir(tmp_path)
    assert main(["extract"]) == 0
    assert main(["init", "en"]) == 0
    assert "warning" not in _said(capsys)
    _translate(Path("locale/en/LC_MESSAGES/moede.po"), {"Tidspunkt": "Time", "Sted": "Place"})
    assert main(["publish", "--format", "html", "--no-index"]) == 0, _said(capsys)
    danish = Path("build/da/moede.da.html").read_text(encoding="utf-8")
    english = Path("build/en/moede.en.html").read_text(encoding="utf-8")
    assert "Tidspunkt" in danish and "Rådhuset" in danish
    assert "Tidspunkt" not in english and "Time" in english


def test_percent_lines_after_the_front_matter_are_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``%`` lines right after the front matter got a msgid and were dropped from
    every output (pandoc read them as a title block when the body was read
    alone): they are text, as pandoc shows them after front matter, published
    and translated."""
    path = _letter(tmp_path, "")
    path.write_text(
        HEAD.rstrip("\n") + "\n% Tidspunkt: tirsdag kl. 19\n% Sted: Rådhuset\n\nAlle.\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    assert main(["extract"]) == 0 and main(["init", "en"]) == 0
    msgids = [e.msgid for e in polib.pofile("locale/moede.pot")]
    assert any("Tidspunkt" in m and "Rådhuset" in m for m in msgids), msgids
    _translate(Path("locale/en/LC_MESSAGES/moede.po"), {"Tidspunkt": "Time", "Sted": "Place"})
    assert main(["publish", "--format", "html", "--no-index"]) == 0, _said(capsys)
    assert "% Tidspunkt: tirsdag kl. 19" in Path("build/da/moede.da.html").read_text("utf-8")
    assert "% Time: tirsdag kl. 19" in Path("build/en/moede.en.html").read_text("utf-8")


# -- 4. what lint accepts, publish renders -----------------------------------------------

REPORT = """\
Indhold: [Baggrund](#baggrund), [Resultater](#resultater), [Bilag](#bilag) og
[bilagets tekst](#bilaget).

## Baggrund

Tekst om baggrunden. Se [resultaterne](#resultater).

## Resultater

Tekst om resultaterne. Se [baggrunden](#baggrund).

## Økonomi

[]{#økonomi-tal}Tallene står her. Se [økonomien](#økonomi) og [tallene](#økonomi-tal).

## [Nøgletal]{#noegletal}

Se [nøgletallene](#noegletal).

# Bilag

[]{#bilaget}Bilaget står her. Tilbage til [indholdet](#indhold).

::: {#indhold}
Slut.
:::
"""
"""A report with a table of contents, and a chapter (level 1) that pandoc's
EPUB writer puts in a file of its own. Under that chapter's heading, an empty
span's id (and one of Danish letters under a heading): Typst gave the heading's
label to it. A heading whose text is a span with an id: Typst took the span's
label for the heading's whole title and refused the heading as empty."""

INTERNAL_LINKS = 10


def _epub_links(book: Path) -> list[tuple[str, str, set[str]]]:
    """Each link to a place in the book: the document it is in, its target, and
    the ids of the document it leads to."""
    found = []
    with zipfile.ZipFile(book) as archive:
        pages = {
            n: etree.fromstring(archive.read(n)) for n in archive.namelist() if n.endswith(".xhtml")
        }
    ids = {name: set(tree.xpath("//@id")) for name, tree in pages.items()}
    for name, tree in pages.items():
        if name.endswith("nav.xhtml"):
            continue
        for href in tree.xpath("//*[local-name()='a']/@href"):
            if "#" in href and not href.startswith(("http", "mailto")):
                file, _, place = href.partition("#")
                target = str(PurePosixPath(name).parent / file) if file else name
                found.append((name, place, ids.get(target, set())))
    return found


@pytest.mark.slow
def test_links_to_headings_work_in_every_format_and_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A table of contents: in Danish and in English (whose headings pandoc
    would give other ids), each link leads to its place in the page, in the
    book across the chapters pandoc splits (EPUBCheck passes) and in the PDF,
    where each is a tagged Link to a destination the PDF names."""
    _letter(tmp_path, REPORT)
    monkeypatch.chdir(tmp_path)
    assert main(["extract"]) == 0 and main(["init", "en"]) == 0
    english = {"Baggrund": "Background", "Resultater": "Results", "Bilag": "Annex"}
    _translate(Path("locale/en/LC_MESSAGES/moede.po"), english)
    capsys.readouterr()
    assert main(["lint", "en"]) == 0, _said(capsys)
    assert main(["publish", "--no-index"]) == 0, _said(capsys)
    targets = {"baggrund", "resultater", "bilag", "bilaget", "indhold", "økonomi", "økonomi-tal"}
    targets |= {"noegletal"}
    for lang in ("da", "en"):
        page = Path(f"build/{lang}/moede.{lang}.html").read_text(encoding="utf-8")
        assert set(re.findall(r'href="#([^"]+)"', page)) - {"letter"} == targets
        assert targets <= set(re.findall(r'id="([^"]+)"', page))
        book = Path(f"build/{lang}/moede.{lang}.epub")
        links = _epub_links(book)
        assert {place for _, place, _ in links} == targets
        assert all(place in ids for _, place, ids in links), links
        checked = epubcheck(book)
        assert checked.valid, checked.messages
        pdf = pikepdf.open(f"build/{lang}/moede.{lang}.pdf")
        names = pdf.Root.Names.Dests.Names
        named = {str(names[i]) for i in range(0, len(names), 2)}
        dests = [a.Dest for p in pdf.pages for a in p.get("/Annots", []) if a.Subtype == "/Link"]
        pages = {page.obj.objgen for page in pdf.pages}
        # A heading's is a named destination (of ASCII), the others a place on a page.
        resolved = [
            str(d) in named
            if isinstance(d, pikepdf.Name | pikepdf.String)
            else d[0].objgen in pages
            for d in dests
        ]
        assert len(dests) == INTERNAL_LINKS and all(resolved), (dests, named)
        assert {"baggrund", "resultater", "bilag"} <= {str(d) for d in dests}
        tagged = [
            kid.Obj.Dest
            for element in _struct_elements(pdf.Root.StructTreeRoot)
            if element.S == "/Link"
            for kid in _kids(element)
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"
        ]
        assert len(tagged) == len(dests)
    assert "Background" in Path("build/en/moede.en.html").read_text(encoding="utf-8")


def _kids(element: pikepdf.Dictionary) -> list[object]:
    kids = element.get("/K")
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _struct_elements(root: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    found, stack = [], _kids(root)
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Dictionary) and "/S" in item:
            found.append(item)
            stack.extend(_kids(item))
    return found


NO_PLACE = "names no place in the letter: expected "


def test_a_link_to_no_place_in_the_front_matter_is_refused_at_its_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The abstract is shown above the body, and its links lead into it."""
    path = _letter(tmp_path, "## Baggrund\n\nTekst.\n")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("date:", "abstract: Se [baggrunden](#bagrund).\ndate:"), "utf-8")
    monkeypatch.chdir(tmp_path)
    _refused_alike(capsys, "source/moede.da.md:4", f"link #bagrund {NO_PLACE}#baggrund, the id")
    path.write_text(text.replace("date:", "abstract: Se [baggrunden](#baggrund).\ndate:"), "utf-8")
    assert main(["publish", "--lang", "da", "--format", "html", "--no-index"]) == 0


@pytest.mark.parametrize(
    ("body", "line", "said"),
    [
        (
            "Se [Mangler](#mangler).\n\n## Baggrund\n",
            7,
            f"link #mangler {NO_PLACE}the id pandoc gives a heading",
        ),
        (
            "Se [indledningen](#1-indledning).\n\n## 1. Indledning\n",
            7,
            f"link #1-indledning {NO_PLACE}#indledning, the id",
        ),
        ("Tekst.\n\nSe [toppen](#).\n", 9, f"link # {NO_PLACE}"),
        (
            "```{#kode}\nx = 1\n```\n\nSe [koden](#kode).\n",
            11,
            "link #kode names a code block, which the PDF cannot lead to: expected the id on a div",
        ),
        (
            "Tekst.\n\n## Letter\n\nTekst.\n",
            9,
            "the id 'letter' is the page's own (the skip link leads to it)",
        ),
        (
            "## Bilag\n\nTekst.\n\n[Bilaget]{#bilag} står her.\n",
            11,
            "the id 'bilag' is given twice (a heading's text gives its id too): expected another",
        ),
        (
            "Et [tomt link]() her.\n",
            7,
            "link () has no address: expected [text](https://...), [text](#heading-id), or the "
            "text without brackets",
        ),
        (
            "Parret $(x, y)$ er ikke\n$\\tuple{x,y}$.\n",
            8,
            "formula $\\tuple{x,y}$ is not TeX math that every format can show (\\tuple: not a "
            "LaTeX math command): expected LaTeX math commands, or the formula written as text",
        ),
    ],
    ids=[
        "no-such-id",
        "another-tool-s-id",
        "empty-fragment",
        "code-block-id",
        "layout-id",
        "id-twice",
        "empty-link",
        "tex-macro",
    ],
)
def test_what_publish_would_refuse_lint_says_at_its_line(
    body: str,
    line: int,
    said: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Each passed lint and failed Typst in every format (a dangling label, an
    empty URL, TeX left as text); the last two published HTML that led nowhere
    or showed the TeX."""
    _letter(tmp_path, body)
    monkeypatch.chdir(tmp_path)
    _refused_alike(capsys, f"source/moede.da.md:{line}", said)


@pytest.mark.slow
def test_formulas_texmath_reads_are_published_and_a_translation_s_are_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A formula of LaTeX math is published in every format; a translation that
    writes a formula texmath cannot read is refused by lint at its entry, as
    publish refuses it, and the other formulas of the translation pass."""
    _letter(tmp_path, "Halvdelen er $\\frac{1}{2}$ og $\\text{pris}_1$.\n")
    monkeypatch.chdir(tmp_path)
    assert main(["extract"]) == 0 and main(["init", "en"]) == 0
    po = Path("locale/en/LC_MESSAGES/moede.po")
    _translate(po, {"Halvdelen er": "Half is", "\\text{pris}": "\\text{price}"})
    capsys.readouterr()
    assert main(["lint", "en"]) == 0, _said(capsys)
    assert main(["publish", "--no-index"]) == 0, _said(capsys)
    assert Path("build/en/moede.en.pdf").is_file()
    _translate(po, {"Halvdelen er": "Half is", "\\frac{1}{2}": "\\tuple{1}{2}"})
    entry = next(e for e in load_catalog(po) if "frac" in str(e.id))
    capsys.readouterr()
    assert main(["lint", "en"]) == 1
    said = _said(capsys)
    assert (
        f"{po}:{entry.lineno}: msgstr has a formula that is not TeX math every format can show: "
        "$\\tuple{1}{2}$"
    ) in said, said


# -- 7. errors point at the line pandoc read the refused thing from ---------------------

ESCAPED_FIRST = "Tabel:\n\n\\<td>første\n\nTekst.\n\nMere tekst.\n\nAndet <td>her</td> og.\n"
RAW_HTML = "raw HTML is not allowed in a letter"


@pytest.mark.parametrize(
    ("body", "line", "said"),
    [
        (
            'Tekst.\n\n```{=typst}\n#read("x")\n```\n',
            10,
            'raw Typst is not allowed in a letter (#read("x")): write it in Markdown, with no '
            "{=format} mark",
        ),
        (ESCAPED_FIRST, 15, f"{RAW_HTML} (<td>)"),
        ("Skriv `<td>` i koden.\n\nOg <td> her.\n", 9, f"{RAW_HTML} (<td>)"),
        (
            "Skriv `<div>x</div>` her.\n\n| a |\n|---|\n| <div>x</div> |\n",
            11,
            f"{RAW_HTML} (<div>x</div>)",
        ),
        (
            "Skriv `<script>x</script>` aldrig.\n\n| <script>x</script>\n",
            9,
            f"{RAW_HTML} (<script>",
        ),
        (
            "Kort:\n\n![Kort over vejen](kort.png)\n\nTekst.\n\n![](kort.png)\n",
            13,
            "image kort.png has no alt text",
        ),
        (
            "Skriv `[x](javascript:y)` aldrig.\n\nSe [her](javascript:y).\n",
            9,
            "link javascript:y is not allowed",
        ),
        (
            "Skriv `{onclick=x}` aldrig.\n\n[Her]{onclick=x} står det.\n",
            9,
            "attribute 'onclick' is not allowed",
        ),
        ("Se Baggrund her.\n\n#### Baggrund\n", 9, "heading 'Baggrund' is level 4"),
        (
            "Tekst om TRUE.\n\nOg \\ifstrequal{\\var}{ja}{TRUE}{FALSE} her.\n",
            9,
            "raw LaTeX is not allowed in a letter (\\ifstrequal{\\var}{ja}{TRUE}{FALSE}): write "
            "it in Markdown, or put a second backslash before it (\\\\ifstrequal) to show it "
            "as text",
        ),
    ],
    ids=[
        "typst-block",
        "escaped-then-raw",
        "code-then-raw",
        "code-then-in-a-cell",
        "code-then-dropped",
        "image-twice",
        "link-in-code-first",
        "attribute-in-code-first",
        "heading-text-before",
        "tex-macro-expanded",
    ],
)
def test_an_error_names_the_line_of_what_it_refuses(
    body: str,
    line: int,
    said: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """After the author escaped the line an error named, the error named it
    again: the first line holding the text was searched. Each is the line the
    refused node is read from."""
    _letter(tmp_path, body)
    monkeypatch.chdir(tmp_path)
    _refused_alike(capsys, f"source/moede.da.md:{line}", said)

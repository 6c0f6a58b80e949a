"""The gate's three-letter project (``helpers.three_letter_project``): the shipped
letter, the second test letter and the third, published together. The third is
published in every language from its stored catalogs, Polish with one paragraph
left in Danish and marked so, and it holds what the gate is to prove right: a
figure whose caption differs from its alt text, a table with a header row, a
footnote, a quote and a list of links. The index names each letter's table
after its letter."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from lxml import html

from helpers import ROOT, third_catalogs, three_letter_project
from klpublish.__main__ import main
from klpublish.gate import tools

LANGS = ("ar", "da", "de", "en", "fa", "pl", "tr", "uk")
TITLES = [
    "Invitation til KL's Kommunalpolitiske Topmøde",
    "Kommunekontaktrådene – kommunernes stemme i regionerne",
    "Velkommen til det kommunalpolitiske arbejde og til KL",
]
"""The letters' titles, newest first, as the index (in Danish) shows them."""
UNTRANSLATED = "Efter kommunalvalget bliver de fem kommunekontaktråd"
"""The start of the paragraph the Polish catalog leaves in Danish."""

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def three(baseline: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = three_letter_project(tmp_path_factory.mktemp("three") / "project", baseline)
    with contextlib.chdir(root):
        assert main(["publish"]) == 0
    return root


def page(root: Path, lang: str, name: str = "third") -> html.HtmlElement:
    return html.parse(str(root / "build" / lang / f"{name}.{lang}.html")).getroot()


def test_the_stored_catalogs_are_as_update_leaves_them(
    three: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stored = third_catalogs()
    assert sorted(stored) == sorted(set(LANGS) - {"da"})
    with contextlib.chdir(three):
        assert main(["update"]) == 0
    said = capsys.readouterr().out
    for lang, po in stored.items():
        assert f"locale/{lang}/LC_MESSAGES/third.po: not changed" in said
        assert (three / "locale" / lang / "LC_MESSAGES" / "third.po").read_bytes() == (
            po.read_bytes()
        ), lang


def test_the_third_letter_is_published_in_every_language_and_format(three: Path) -> None:
    made = sorted(str(p.relative_to(three / "build")) for p in three.glob("build/*/third.*"))
    assert made == [
        f"{lang}/third.{lang}.{fmt}" for lang in LANGS for fmt in ("epub", "html", "pdf")
    ]


def test_polish_shows_its_untranslated_paragraph_in_danish_marked_danish(
    three: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    [words] = page(three, "pl").xpath(f"//main//text()[starts-with(., '{UNTRANSLATED}')]")
    assert words.getparent().xpath("ancestor-or-self::*[@lang][1]/@lang") == ["da"]
    assert UNTRANSLATED not in page(three, "de").text_content()
    with contextlib.chdir(three):
        assert main(["status", "--json"]) == 0
    rows = [r for r in json.loads(capsys.readouterr().out) if r["letter"] == "third"]
    below = {r["lang"]: (r["untranslated"], r["published"]) for r in rows if r["percent"] < 100}
    assert below == {"pl": (1, True)}
    assert all(r["published"] for r in rows)


def test_the_third_letter_holds_a_figure_a_table_a_footnote_a_quote_and_links(
    three: Path,
) -> None:
    english = page(three, "en")
    [image] = english.xpath("//main//figure/img")
    caption = english.xpath("string(//main//figure/figcaption)")
    assert image.get("alt").startswith("Bar chart:") and caption.startswith("Distribution")
    [table] = english.xpath("//main//table")
    assert table.xpath("string(caption)") == "Number of municipalities in each region"
    assert table.xpath("thead/tr/th/text()") == ["Region", "Municipalities"]
    assert len(table.xpath("tbody/tr")) == 5
    assert english.xpath("//main//*[@role='doc-endnotes']//li")
    assert english.xpath("string(//main//blockquote)").strip().startswith("KL is at its strongest")
    links = english.xpath("//main//ul/li/a/@href")
    assert links == [
        "https://www.kl.dk/kkr/",
        "https://www.kl.dk/om-kl/politisk-organisation/",
        "https://www.kl.dk/nyhedsbrev/",
    ]


def test_each_letter_s_table_on_the_index_is_named_after_the_letter(three: Path) -> None:
    index = three / "build" / "index.html"
    # What a screen-reader user moving from table to table hears: each table's name.
    [tree] = tools.aria_snapshots([index], ROOT).values()
    named = [line.strip() for line in tree.splitlines() if line.strip().startswith("- table ")]
    assert named == [f'- table "{title}":' for title in TITLES], tree
    sections = html.parse(str(index)).getroot().xpath("//main/section")
    assert [s.xpath("string(h2)") for s in sections] == TITLES
    for section in sections:
        [table] = section.xpath(".//table")
        assert table.get("aria-labelledby") == section.xpath("string(h2/@id)")
        assert table.xpath("string(caption)") == "Formater"  # its description


def test_the_gate_names_the_letter_of_every_page_and_finding(three: Path) -> None:
    from klpublish.gate.published import INDEX, index_page, read_published
    from klpublish.gate.run import _order_findings, _structure_findings
    from klpublish.letters import letter_layouts

    with contextlib.chdir(three):
        layouts, _ = letter_layouts([], Path("locale"), Path("build"))
        letters = [read_published(layout.absolute()) for layout in layouts]
        index = index_page([layout.absolute() for layout in layouts], letters[0].letter.lang)
    assert [letter.layout.name for letter in letters] == ["letter", "second", "third"]
    for letter in letters:
        assert {page.letter for page in letter.pages} == {letter.layout.name}
    assert index is not None and (index.letter, index.lang) == (INDEX, "da")
    third = letters[2]
    found = _order_findings(third, {}) + _structure_findings(
        "pl", third.html["pl"], (None, []), third.pdf["pl"], {}, letter="third"
    )
    assert [(f.letter, f.lang, f.fmt) for f in found if f.lang == "pl"] == [
        ("third", "pl", "pdf"),
        ("third", "pl", "pdf"),
    ]
    assert {f.letter for f in found} == {"third"}


@pytest.mark.parametrize("lang", ["da", "en", "de", "uk", "ar", "tr", "pl", "fa"])
def test_the_table_s_caption_is_inside_its_table_in_every_pdf(three: Path, lang: str) -> None:
    """Typst puts a scaled table in a Div of its own, with the Caption beside it (seen
    in German); the caption is then moved into the Table, as in every other language."""
    import pikepdf

    with pikepdf.open(three / "build" / lang / f"third.{lang}.pdf") as pdf:
        stack = [pdf.Root.StructTreeRoot]
        tables = []
        while stack:
            node = stack.pop()
            kids = node.get("/K")
            items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
            for kid in items:
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    if kid.S == "/Table":
                        tables.append(kid)
                    stack.append(kid)
        assert len(tables) == 1
        first = tables[0].K[0]
        assert first.S == "/Caption" and first.P.objgen == tables[0].objgen

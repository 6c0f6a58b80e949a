"""The review page shows what translators wrote, and a translator's file is untrusted:
no text of a ``.po`` file (a msgstr, a previous msgid, a comment, a label) becomes
markup on the page. And each state a segment can be in is shown as what it is."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from lxml import html

from helpers import copy_project
from klpublish.__main__ import run
from klpublish.catalogs.po import serialise
from klpublish.project import package_labels_po
from klpublish.render.review_text import inert, render_fragments

DE = Path("locale/de/LC_MESSAGES/letter.po")
SCRIPT = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def _edit(path: Path, change: Callable[[Catalog], None], lang: str = "de") -> None:
    catalog = read_po(io.BytesIO(path.read_bytes()), locale=lang)
    change(catalog)
    path.write_bytes(serialise(catalog))  # writes ``#|`` as GNU gettext does


def _entry(catalog: Catalog, start: str) -> Message:
    return next(m for m in catalog if m.id and str(m.id).startswith(start))


def _page(root: Path, lang: str = "de") -> Any:
    return html.fromstring((root / "build" / "review" / f"letter.{lang}.html").read_bytes())


def _row(page: Any, danish: str) -> Any:
    return next(
        row
        for row in page.xpath("//section[contains(@class, 'row')]")
        if danish in row.xpath("string(.//dd[1])")
    )


def _inert(page: Any) -> None:
    """No script, no handler, no link but to the web or the page itself, no id twice."""
    assert not page.xpath("//script | //img | //iframe | //object | //style[not(parent::head)]")
    handlers = [(e.tag, a) for e in page.iter() for a in e.attrib if a.lower().startswith("on")]
    assert not handlers, handlers
    hrefs = page.xpath("//@href")
    assert all(h.startswith(("https://", "http://", "#")) for h in hrefs), hrefs
    ids = page.xpath("//@id")
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = copy_project(tmp_path)
    monkeypatch.chdir(root)
    return root


def test_translators_text_never_becomes_markup(project: Path) -> None:
    def hostile(catalog: Catalog) -> None:
        _entry(catalog, "Kære").string = f"Liebe {SCRIPT} Gemeinderäte"
        closing = _entry(catalog, "Venlig hilsen")
        closing.user_comments = [f"note {SCRIPT}"]
        title = _entry(catalog, "Velkommen til")
        title.string = "[Willkommen](javascript:alert(3)){#segment-1 .vh onclick=x}"
        first = _entry(catalog, "Først og fremmest")
        first.flags.add("fuzzy")
        first.previous_id = [f"Først {SCRIPT} </del><del>x"]

    _edit(project / DE, hostile)
    said, code = run(["review", "de"])
    assert code == 0, said
    page = _page(project)
    _inert(page)
    text = " ".join(page.text_content().split())
    assert "<script>alert(1)</script>" in text  # shown, as text
    assert f"note {SCRIPT}" in text
    diff = _row(page, "Først og fremmest")
    deleted = [" ".join(d.text_content().split()) for d in diff.iter("del")]
    assert deleted == [f"slettet: {SCRIPT} </del><del>x"], deleted


def test_a_projects_label_is_text_too(project: Path) -> None:
    """The reviewer's words come from the layout's catalogs; a project may override them."""
    words = project / "locale" / "de" / "LC_MESSAGES" / "klpublish.po"
    words.write_bytes(package_labels_po("de").read_bytes())

    def hostile(catalog: Catalog) -> None:
        for m in catalog:
            if m.context == "review-intro":
                m.string = f"Lies {SCRIPT}"
            if m.context == "review-row":
                m.string = "Segment {number}: {state} <b onclick=x>"

    _edit(words, hostile)
    said, code = run(["review", "--ui", "de", "de"])
    assert code == 0, said
    page = _page(project)
    _inert(page)
    assert page.get("lang") == "de"
    assert f"Lies {SCRIPT}" in page.text_content()
    assert page.xpath("//h2")[0].text_content() == "Übersicht"


def test_states_untranslated_and_memory(project: Path) -> None:
    def states(catalog: Catalog) -> None:
        _entry(catalog, "Kære").string = ""
        exact = _entry(catalog, "Venlig hilsen")
        exact.user_comments = ["memory: exact match from locale/de/LC_MESSAGES/other.po:12"]
        near = _entry(catalog, "Formand")
        near.flags.add("fuzzy")
        near.previous_id = ["Formanden"]
        near.user_comments = ["memory: near match (85%) from locale/de/LC_MESSAGES/other.po:40"]

    _edit(project / DE, states)
    said, code = run(["review", "de"])
    assert code == 0, said
    page = _page(project)
    untranslated = _row(page, "Kære kommunalbestyrelser")
    assert "untranslated" in untranslated.get("class")
    assert untranslated.xpath(".//p[@class='fallback'][@lang='da']")[0].text_content() == (
        "Kære kommunalbestyrelser"
    )
    memory = _row(page, "Venlig hilsen")
    assert "memory" in memory.get("class").split()
    assert "Samme danske tekst, oversat i locale/de/LC_MESSAGES/other.po:12" in (
        memory.text_content()
    )
    near = _row(page, "Formand")
    assert "fuzzy" in near.get("class").split()
    said_near = " ".join(near.xpath("string(.//div[dt='Fra oversættelseshukommelsen']/dd)").split())
    assert said_near == "Lignende dansk tekst (85 %), oversat i locale/de/LC_MESSAGES/other.po:40"
    counts = [" ".join(li.text_content().split()) for li in page.xpath("//ul[@class='counts']/li")]
    assert "Ikke oversat: 1" in counts and "Oversat fra oversættelseshukommelsen: 1" in counts


def test_a_broken_catalog_fails_its_language_alone(project: Path) -> None:
    po = project / DE
    lines = po.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(n for n, line in enumerate(lines) if line.startswith('msgstr "') and n > 20)
    lines[at] = 'msgstr "Broken\n'
    po.write_text("".join(lines), encoding="utf-8")
    said, code = run(["review"])
    assert code == 1
    # msgfmt names the line after the unterminated string.
    where = f"  de: no review page: {DE}:{at + 2}: msgfmt: end-of-line within string"
    assert any(line.startswith(where) for line in said), "\n".join(said)
    assert not (project / "build" / "review" / "letter.de.html").exists()
    assert (project / "build" / "review" / "letter.ar.html").is_file()
    assert (project / "build" / "review" / "letter.en.html").is_file()


def test_an_unknown_language_is_said(project: Path) -> None:
    said, code = run(["review", "xx"])
    assert code == 1 and any("no letter has a catalog for xx" in line for line in said), said


# -- the segment's text, made inert for the page ---------------------------------------


def _said_as_image(alt: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"t": "Str", "c": "IMAGE:"}, *alt]


def test_a_segments_ids_classes_and_handlers_are_dropped() -> None:
    attr = ["segment-1", ["vh"], [["lang", "en"], ["onclick", "x"], ["style", "color:red"]]]
    span = {"t": "Span", "c": [attr, [{"t": "Str", "c": "KL"}]]}
    assert inert([span], _said_as_image) == [
        {"t": "Span", "c": [["", [], [["lang", "en"]]], [{"t": "Str", "c": "KL"}]]}
    ]


def test_a_link_off_the_web_is_its_text() -> None:
    text = [{"t": "Str", "c": "bilag"}]
    for url in ("bilag.pdf", "javascript:alert(1)", "file:///etc/passwd"):
        link = {"t": "Link", "c": [["", [], []], text, [url, ""]]}
        assert inert([link], _said_as_image) == [{"t": "Span", "c": [["", [], []], text]}]
    web = {"t": "Link", "c": [["", [], []], text, ["https://www.kl.dk", "t"]]}
    assert inert([web], _said_as_image) == [
        {"t": "Link", "c": [["", [], []], text, ["https://www.kl.dk", ""]]}
    ]


def test_an_image_is_its_alternative_text_and_raw_markup_is_code() -> None:
    alt = [{"t": "Str", "c": "Kort"}]
    image = {"t": "Image", "c": [["", [], []], alt, ["kort.png", ""]]}
    raw = {"t": "RawInline", "c": ["html", "<b>x</b>"]}
    assert inert([image, raw], _said_as_image) == [
        {"t": "Span", "c": [["", [], []], [{"t": "Str", "c": "IMAGE:"}, *alt]]},
        {"t": "Code", "c": [["", [], []], "<b>x</b>"]},
    ]
    html_out = render_fragments([inert([image, raw], _said_as_image)], "a test")
    assert html_out == ["<span>IMAGE:Kort</span><code>&lt;b&gt;x&lt;/b&gt;</code>"], html_out


def test_a_strikeout_is_not_the_pages_deletion_mark() -> None:
    struck = {"t": "Strikeout", "c": [{"t": "Str", "c": "gammel"}]}
    assert render_fragments([inert([struck], _said_as_image)], "a test") == [
        '<span class="struck">gammel</span>'
    ]

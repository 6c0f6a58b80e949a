"""What Orca hears of a figure: the image with its alternative text, then the caption,
each once; a caption that says what the alternative text says, once. The screen-reader
checker passes the published figures (caption == alt and caption != alt, left to right
and right to left, web page and EPUB) and fails pages that break the rule. One Orca
session reads every page (a session takes seconds to start)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from lxml import html

from figure_letters import SECOND, caption_and_alt, publish_figure_letters
from klpublish.gate import orca
from klpublish.gate.page_text import page_words, parse_page, repeated_captions
from klpublish.gate.published import unpack_epub
from klpublish.gate.screen_reader import check_listening
from klpublish.gate.spoken_symbols import NOTHING

ADDRESS = (("Weidekampsgade 10", "da"), ("2300 København S", "da"))
SECOND_EN = SECOND["en"]["Kort over vejen til Aalborg Kongres & Kultur Center"]
SECOND_AR = SECOND["ar"]["Kort over vejen til Aalborg Kongres & Kultur Center"]


def _edited(source: Path, target: Path, xpath: str, attribute: str, value: str | None) -> Path:
    page: Any = html.fromstring(source.read_bytes())
    for element in page.xpath(xpath):
        if value is None:
            element.attrib.pop(attribute, None)
        else:
            element.set(attribute, value)
    target.write_bytes(html.tostring(page, doctype="<!DOCTYPE html>", encoding="utf-8"))
    return target


@dataclass
class Heard:
    problems: dict[str, list[str]]
    said: dict[str, str]
    """What Orca said on each page (its transcript)."""


@pytest.fixture(scope="module")
def heard(tmp_path_factory: pytest.TempPathFactory) -> Heard:
    work = tmp_path_factory.mktemp("heard")
    build = publish_figure_letters(work / "project")
    (chapter,) = [
        p for p in unpack_epub(build / "en" / "figures.en.epub", work / "book") if "text" in p.parts
    ]
    broken = work / "broken"
    broken.mkdir()
    pages = {
        "second.en": build / "en" / "second.en.html",
        "second.ar": build / "ar" / "second.ar.html",
        "figures.en": build / "en" / "figures.en.html",
        "figures.ar": build / "ar" / "figures.ar.html",
        "figures.en.epub": chapter,
        # The rule broken three ways: a differing caption hidden, an image whose alt is
        # not spoken, a repeated caption shown to the screen reader.
        "caption-hidden": _edited(
            build / "en" / "figures.en.html",
            broken / "a.html",
            "//figcaption",
            "aria-hidden",
            "true",
        ),
        "alt-silent": _edited(
            build / "en" / "second.en.html",
            broken / "b.html",
            "//figure/img",
            "aria-hidden",
            "true",
        ),
        "caption-twice": _edited(
            build / "en" / "second.en.html", broken / "c.html", "//figcaption", "aria-hidden", None
        ),
    }
    reports = work / "reports"
    listened = [orca.Page(path, reports / f"{name}.txt", ADDRESS) for name, path in pages.items()]
    # A short folder: the speech server's socket lies under it (107 bytes at most).
    with tempfile.TemporaryDirectory(prefix="klp-orca-") as session:
        found = orca.check_pages(listened, Path(session))
    return Heard(
        {name: found[path] for name, path in pages.items()},
        {name: (reports / f"{name}.txt").read_text("utf-8") for name in pages},
    )


@pytest.mark.slow
@pytest.mark.orca
def test_the_published_figures_pass_and_each_text_is_heard_once(heard: Heard) -> None:
    good = ("second.en", "second.ar", "figures.en", "figures.ar", "figures.en.epub")
    assert {name: heard.problems[name] for name in good} == {name: [] for name in good}
    assert heard.said["second.en"].count(SECOND_EN) == 1, heard.said["second.en"]
    assert heard.said["second.ar"].count(SECOND_AR) == 1, heard.said["second.ar"]
    for name, lang in (("figures.en", "en"), ("figures.ar", "ar"), ("figures.en.epub", "en")):
        caption, alt = caption_and_alt(lang)
        said = heard.said[name]
        assert (said.count(alt), said.count(caption)) == (1, 1), said
        assert said.index(alt) < said.index(caption), said  # the image, then its caption


@pytest.mark.slow
@pytest.mark.orca
def test_a_figure_that_breaks_the_rule_fails(heard: Heard) -> None:
    caption, _ = caption_and_alt("en")
    assert any(
        p.startswith("not heard") and caption.split()[-1] in p
        for p in heard.problems["caption-hidden"]
    ), heard.problems["caption-hidden"]
    assert any(
        p.startswith("not heard") and "Map of the way" in p for p in heard.problems["alt-silent"]
    ), heard.problems["alt-silent"]
    assert heard.said["caption-twice"].count(SECOND_EN) == 2, heard.said["caption-twice"]
    assert any("is heard twice" in p for p in heard.problems["caption-twice"]), heard.problems[
        "caption-twice"
    ]


# -- the comparison's rule, on markup alone ---------------------------------------------

IMAGE = '<img src="k.png" alt="Kort over vejen">'


@pytest.mark.parametrize(
    ("figure", "expected", "repeated"),
    [
        # pandoc's figure whose caption is its alt: the words once, as the image's
        (f'{IMAGE}<figcaption aria-hidden="true">Kort over <em>vejen</em></figcaption>', 1, 0),
        # the caption shown too: twice, and named as read twice
        (f"{IMAGE}<figcaption>Kort over vejen</figcaption>", 2, 1),
        # a hidden caption that says something else is text a reader misses
        (f'{IMAGE}<figcaption aria-hidden="true">Vejen mod syd</figcaption>', 1, 0),
        # a hidden caption beside an image hidden from everyone is not said as its alt
        (
            '<img src="k.png" alt="Kort over vejen" hidden>'
            '<figcaption aria-hidden="true">Kort over vejen</figcaption>',
            1,
            0,
        ),
    ],
)
def test_a_hidden_caption_counts_as_heard_only_when_it_is_the_alt(
    figure: str, expected: int, repeated: int
) -> None:
    root = parse_page(f"<html><body><figure>{figure}</figure></body></html>".encode(), False)
    text = " ".join(w.key for w in page_words(root))
    assert text.count("kort over vejen") == expected, text
    assert len(repeated_captions(root)) == repeated
    if "syd" in figure:
        assert "mod syd" in text  # expected on the page, so "not heard" when not said


def test_the_screen_reader_check_names_a_caption_heard_twice() -> None:
    """What Orca said on a page whose caption repeats the alt beside it (as recorded in
    the session above): every word heard, and the check still says it was heard twice."""
    root = parse_page(
        b'<html lang="da"><body><figure><img src="k.png" alt="Kort over vejen">'
        b"<figcaption>Kort over vejen</figcaption></figure></body></html>",
        False,
    )
    said = ["Page has 0 landmarks, 0 headings, 0 links.", "figure", "Kort over vejen", "image"]
    said += ["Kort over vejen", "caption", "leaving figure."]
    record = {
        "said": [{"text": text, "lang": "da"} for text in said],
        "runs": [{"text": "Kort over vejen", "lang": "da"}] * 2,
    }
    assert check_listening(root, record, NOTHING) == [
        "a figure's caption repeats its image's alt and both are read: "
        "'Kort over vejen' is heard twice"
    ]

"""What a reader gets from a letter in one language, judged segment by segment:
headings and link texts with words in them, link texts that say where they lead,
alt texts that describe an image (not its file name, not its caption again), and
an accessibility summary that says something.

These judge the translated letter as it is published (a translation where one was
used, the source's text where it fell back), so each finding is said where it is
mended: the translation's catalog entry (``.po`` line), or the letter's source
line. The words they need (which link texts say nothing, what an accessibility
summary names) are each language's, from the layout's catalogs (see
``catalogs.phrases``); a language without them cannot be judged, and says so.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from klpublish.errors import Location, TranslationError
from klpublish.letter.nodes import Inlines, Node, nodes, plain_text
from klpublish.project import FORMATS
from klpublish.segments.walk import sites_of
from klpublish.translation.translate import Placed

SUMMARY_KIND = "metadata: accessibility-summary"
HEADING_KINDS = {"heading": "heading", "metadata: title": "the title (the page's first heading)"}
MIN_SUMMARY_WORDS = 8
"""A sentence or two, not a label: every shipped translation of the summary has 22 or more."""
MIN_SUMMARY_TERMS = 2
"""Characteristics the summary names, from the language's list (``check-summary-terms``)."""
SUMMARY_FORMATS = ("html", "epub")
"""Where a reader meets the summary: the page's footer and the book's metadata."""


class ContentProblem(TranslationError):
    """What these checks find: a warning of ``lint``, a failure of the gate in the
    formats that show it."""

    def __init__(self, message: str, location: Location, formats: Sequence[str] = FORMATS):
        super().__init__(message, location)
        self.formats = tuple(formats)


@dataclass(frozen=True)
class Phrases:
    """One language's words for these checks, folded (see :func:`fold`); an empty
    list is one no catalog gives in that language."""

    lang: str
    vague_links: frozenset[str]
    """Link texts that say nothing of where the link leads, each a whole link text."""
    summary_terms: tuple[tuple[str, ...], ...]
    """Accessibility characteristics an accessibility summary may name, each with its forms."""
    where: str
    """The catalog that gives them, or would: where a missing list is added."""

    @classmethod
    def parse(cls, lang: str, vague: Sequence[str], terms: Sequence[str], where: str) -> Phrases:
        """From the catalogs' texts: one phrase per line; a term's forms separated by ``|``."""
        links = {fold(line) for text in vague for line in text.splitlines()}
        found: dict[tuple[str, ...], None] = {}
        for text in terms:
            for line in text.splitlines():
                forms = tuple(dict.fromkeys(f for f in map(fold, line.split("|")) if f))
                if forms:
                    found[forms] = None
        return cls(lang, frozenset(links - {""}), tuple(found), where)


_SPELLINGS = str.maketrans(
    {"\u200c": None, "\u200d": None, "\u00ad": None, "ي": "ی", "ك": "ک", "ı": "i"}
)
"""Joiners and soft hyphens out; Arabic yeh and kaf as Persian writes them (a
Persian text typed on an Arabic keyboard is the same text); Turkish dotless i as
i, since casefolding makes ``I`` an ``i`` (``TIKLAYIN`` is ``tıklayın``)."""


def fold(text: str) -> str:
    """Text as these checks compare it: case, accents and vowel marks, joiners and
    punctuation do not count (``Hier klicken!`` is ``hier klicken``, ``هُنا`` is ``هنا``)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_SPELLINGS))
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(re.sub(r"[\W_]+", " ", bare).split())


def has_letters(text: str) -> bool:
    """Whether ``text`` holds a letter of any script (Unicode's categories L*)."""
    return any(ch.isalpha() for ch in text)


def _own_nodes(inlines: Inlines) -> Iterator[Node]:
    """The segment's own nodes: a footnote's are its own segment's."""
    for node in nodes(inlines, skip=lambda n: n["t"] == "Note"):
        if node["t"] != "Note":
            yield node


@dataclass(frozen=True)
class Page:
    """One language's letter, as these checks see it."""

    lang: str
    source_lang: str
    placed: Sequence[Placed]
    phrases: Mapping[str, Phrases]
    """The words of the page's language and of the source's (the fallback's)."""

    def lang_of(self, placed: Placed) -> str:
        return self.lang if placed.translated else self.source_lang


def heading_problems(page: Page) -> Iterator[ContentProblem]:
    for placed in page.placed:
        what = HEADING_KINDS.get(placed.site.kind)
        text = plain_text(placed.inlines)
        if what is not None and not has_letters(text):
            yield ContentProblem(
                f"{what} {text.strip()!r} has no letters: a screen-reader user moving by "
                "headings hears only that; expected words that say what follows (WCAG 2.4.6)",
                placed.where,
            )


def link_problems(page: Page) -> Iterator[ContentProblem]:
    """Link texts with no letters, or in the language's list of texts that say
    nothing (WCAG 2.4.4, and 2.4.9: a screen reader lists links by their text alone)."""
    unjudged: set[str] = set()
    for placed in page.placed:
        for node in _own_nodes(placed.inlines):
            if node["t"] != "Link":
                continue
            text = plain_text(node["c"][1]).strip()
            if not has_letters(text):
                yield ContentProblem(
                    f"link text {text!r} has no letters: expected words that say where the "
                    f"link to {node['c'][2][0]} leads (WCAG 2.4.4)",
                    placed.where,
                )
                continue
            phrases = page.phrases[page.lang_of(placed)]
            if not phrases.vague_links:
                if phrases.lang not in unjudged:
                    unjudged.add(phrases.lang)
                    yield _unjudged(phrases, "link texts", "check-vague-link-texts")
            elif fold(text) in phrases.vague_links:
                yield ContentProblem(
                    f"link text {text!r} does not say where the link leads: a screen-reader "
                    f"user who lists the links hears only {text!r} (WCAG 2.4.4, 2.4.9); "
                    f"expected the name of what {node['c'][2][0]} shows",
                    placed.where,
                )


def _unjudged(phrases: Phrases, what: str, key: str) -> ContentProblem:
    return ContentProblem(
        f"cannot judge {what} in '{phrases.lang}': no catalog of the layout's words "
        f'translates the entry with msgctxt "{key}" into it: expected its list here',
        Location(phrases.where, 0),
    )


_FILE_NAME = re.compile(r"\S+\.[^\W\d_][^\W_]{1,4}")
_ADDRESS = re.compile(r"(?i)([a-z][a-z0-9+.-]*://|www\.|mailto:|data:)\S*")
_CAMERA = re.compile(r"(?i)(img|dsc[nf]?|dcim|pxl|mvimg|gopr|scan|screenshot)[_-]?\d{2,}\S*")
"""The names cameras, phones and scanners give their pictures."""


def names_a_file(alt: str, src: str) -> bool:
    """Whether an alt text is a file name, an address or the image's own ``src``
    (``IMG_0042.png``, ``https://...``, ``IMG_0042`` for ``IMG_0042.jpg``), rather
    than words a reader can use. A one-word alt that is a plain word (``Kort``
    for ``kort.png``) is a word."""
    alt = alt.strip()
    if " " not in alt and any(p.fullmatch(alt) for p in (_FILE_NAME, _ADDRESS, _CAMERA)):
        return True
    name = PurePosixPath(unquote(urlsplit(src).path)).name
    stem = name.rpartition(".")[0] or name
    same = {fold(src), fold(name)}
    if any(not (ch.isalpha() or ch.isspace()) for ch in stem):
        same.add(fold(stem))
    return fold(alt) in same - {""}


def file_name_alt_problems(page: Page) -> Iterator[ContentProblem]:
    for placed in page.placed:
        for node in _own_nodes(placed.inlines):
            if node["t"] == "Image":
                alt, src = plain_text(node["c"][1]), node["c"][2][0]
                if names_a_file(alt, src):
                    yield ContentProblem(
                        f"the alt text of the image {src} is {alt.strip()!r}, a file name or an "
                        "address: a screen reader says it instead of what the image shows; "
                        "expected a description of the image (WCAG 1.1.1)",
                        placed.where,
                    )


@dataclass(frozen=True)
class Figure:
    """A figure of the source letter: the segments of its caption and of its image."""

    caption: tuple[int, ...]
    body: tuple[int, ...]
    alt_given: bool
    """Whether the source gives the image an alt text apart from its caption."""


def figures_of(doc: Node, alts_given: Sequence[bool]) -> list[Figure]:
    """The source's figures, in document order, each with its segments (by the
    walk's index); ``alts_given`` says, for each, whether the author wrote an
    ``alt`` attribute (see ``letter.separate_alts``). A figure whose caption and
    alt text differ in the source gives its alt text apart in any case."""
    index = {id(site.inlines): site.index for site in sites_of(doc)}
    found = [n for n in nodes(doc["blocks"]) if n["t"] == "Figure"]
    if len(found) != len(alts_given):
        raise ValueError(
            f"cannot tell the figures' alt texts from their captions: {len(found)} figure(s), "
            f"{len(alts_given)} read apart"
        )
    figures = []
    for figure, given in zip(found, alts_given, strict=True):
        _, (_, caption), body = figure["c"]
        caption_ids = tuple(index[id(b["c"])] for b in caption if id(b.get("c")) in index)
        body_ids = tuple(index[id(b["c"])] for b in body if id(b.get("c")) in index)
        text = " ".join(plain_text(b["c"]) for b in caption if b["t"] in ("Plain", "Para"))
        alts = [plain_text(n["c"][1]) for n in nodes(body) if n["t"] == "Image"]
        differs = any(fold(alt) != fold(text) for alt in alts)
        figures.append(Figure(caption_ids, body_ids, given or differs))
    return figures


def caption_alt_problems(page: Page, figures: Sequence[Figure]) -> Iterator[ContentProblem]:
    """An alt text given apart from the caption that only repeats it. ``![X](f.png)``
    is one text for both by design (read once), and passes."""
    by_site = {placed.site.index: placed for placed in page.placed}
    for figure in figures:
        if not figure.alt_given:
            continue
        caption = " ".join(plain_text(by_site[i].inlines) for i in figure.caption if i in by_site)
        for i in figure.body:
            placed = by_site.get(i)
            images = [] if placed is None else _own_nodes(placed.inlines)
            for node in images:
                alt = plain_text(node["c"][1]) if node["t"] == "Image" else ""
                if alt.strip() and fold(alt) == fold(caption):
                    assert placed is not None
                    yield ContentProblem(
                        f"the alt text of the image {node['c'][2][0]} repeats the figure's "
                        f"caption {caption.strip()!r}: a screen reader says the same words "
                        "twice and nothing of what the image shows; expected a description "
                        "of the image (or, in the source, no alt attribute: then the caption "
                        "is the alt text, read once)",
                        placed.where,
                    )


def summary_problems(page: Page, letter_path: str) -> Iterator[ContentProblem]:
    """The accessibility summary, by the rule of EPUB Accessibility 1.1 (``schema:
    accessibilitySummary``: a human-readable summary of the publication's accessibility
    and its known deficiencies; Techniques META-005: not a restatement of a claim):
    at least :data:`MIN_SUMMARY_WORDS` words naming at least :data:`MIN_SUMMARY_TERMS`
    characteristics from the language's list. "Barrierefrei." names none."""
    summaries = [p for p in page.placed if p.site.kind == SUMMARY_KIND]
    if not summaries:
        yield ContentProblem(
            "the letter has no accessibility-summary in its front matter: expected a sentence "
            "or two on what makes it accessible (headings, reading order, text alternatives)",
            Location(letter_path, 1),
            SUMMARY_FORMATS,
        )
    for placed in summaries:
        phrases = page.phrases[page.lang_of(placed)]
        if not phrases.summary_terms:
            yield _unjudged(phrases, "the accessibility summary", "check-summary-terms")
            continue
        text = plain_text(placed.inlines)
        words = sum(1 for word in text.split() if has_letters(word))
        folded = fold(text)
        named = sum(1 for forms in phrases.summary_terms if any(f in folded for f in forms))
        if words < MIN_SUMMARY_WORDS or named < MIN_SUMMARY_TERMS:
            yield ContentProblem(
                f"the accessibility summary {_short(text)!r} names too little ({words} word(s), "
                f"{named} of the letter's accessibility characteristics): expected at least "
                f"{MIN_SUMMARY_WORDS} words naming at least {MIN_SUMMARY_TERMS}, such as its "
                "headings, reading order, text alternatives or use with a screen reader, and "
                "any shortcoming; a claim such as 'accessible' says nothing (EPUB "
                'Accessibility 1.1; the terms are the layout catalog\'s "check-summary-terms")',
                placed.where,
                SUMMARY_FORMATS,
            )


def _short(text: str, most: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1] + "…"


def content_problems(
    page: Page, figures: Sequence[Figure], letter_path: str
) -> list[ContentProblem]:
    """Every check's findings on one language's letter, in the order they are said."""
    found: dict[tuple[str, Location], ContentProblem] = {}
    for problem in (
        *heading_problems(page),
        *link_problems(page),
        *file_name_alt_problems(page),
        *caption_alt_problems(page, figures),
        *summary_problems(page, letter_path),
    ):
        found.setdefault((problem.message, problem.location or Location("", 0)), problem)
    return list(found.values())

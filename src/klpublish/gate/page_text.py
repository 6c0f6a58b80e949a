"""What a page holds for a reader who sees it: its visible words in order, each with its
language; its landmarks, headings and links; its title (read from the markup with lxml).

Visible means not removed by the ``hidden`` attribute, ``display: none`` or
``visibility: hidden`` in the element's own style; a style sheet rule that hides an
element is not seen here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from lxml import etree, html

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SKIPPED = {"head", "script", "style", "template", "noscript"}
INLINE = {
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark",
    "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr",
}  # fmt: skip
"""Elements that do not break a word: ``Kommune<em>rnes</em>`` is one word on screen."""
LANDMARK_ROLES = {
    "banner", "navigation", "main", "contentinfo", "complementary", "region", "form", "search",
    # DPUB-ARIA (EPUB): landmarks by their own name
    "doc-toc", "doc-index", "doc-pagelist", "doc-acknowledgments", "doc-afterword",
    "doc-appendix", "doc-bibliography", "doc-chapter", "doc-conclusion", "doc-credits",
    "doc-endnotes", "doc-epilogue", "doc-errata", "doc-foreword", "doc-glossary",
    "doc-introduction", "doc-part", "doc-preface", "doc-prologue",
}  # fmt: skip
SECTIONING = {"article", "aside", "main", "nav", "section"}
LINK_ROLES = {"link", "doc-noteref", "doc-backlink", "doc-biblioref", "doc-glossref"}
"""ARIA's link role and the DPUB-ARIA roles that are links (a footnote's reference and
its link back): each one a link a screen reader counts and reads."""
NOTE_LINKS = {"doc-noteref", "doc-backlink"}
"""Links that stand against a word on screen (``område.<sup>1</sup>``) but that a
screen reader reads as a link of their own, apart from the word."""


@dataclass(frozen=True)
class Word:
    text: str
    lang: str

    @property
    def key(self) -> str:
        return normal(self.text)


@dataclass(frozen=True)
class Summary:
    landmarks: int
    headings: int
    links: int

    def __str__(self) -> str:
        return f"{self.landmarks} landmarks, {self.headings} headings, {self.links} links"


def normal(word: str) -> str:
    """A word as compared: case folded, without punctuation at either end."""
    edge = 0
    while edge < len(word) and unicodedata.category(word[edge])[0] in "PS":
        edge += 1
    end = len(word)
    while end > edge and unicodedata.category(word[end - 1])[0] in "PS":
        end -= 1
    return unicodedata.normalize("NFC", word[edge:end]).casefold()


def words(text: str, lang: str = "") -> list[Word]:
    return [Word(w, lang) for w in text.split() if normal(w)]


def _local(element: Any) -> str:
    tag = element.tag
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _hidden(element: Any) -> bool:
    style = re.sub(r"\s+", "", (element.get("style") or "").lower())
    return (
        _local(element) in SKIPPED
        or element.get("hidden") is not None
        or "display:none" in style
        or "visibility:hidden" in style
    )


def _aria_hidden(element: Any) -> bool:
    return (element.get("aria-hidden") or "").strip().lower() == "true"


def _repeats_alt(caption: Any) -> bool:
    """A figure's caption that says what an image of its figure says in ``alt``."""
    figure = caption.getparent()
    if _local(caption) != "figcaption" or figure is None or _local(figure) != "figure":
        return False
    said = [w.key for w in words("".join(caption.itertext()))]
    alts = [
        [w.key for w in words(image.get("alt") or "")]
        for image in figure.iter()
        if _local(image) == "img" and not _hidden(image)
    ]
    return bool(said) and said in alts


def said_as_alt(element: Any) -> bool:
    """A figure's caption hidden from screen readers (``aria-hidden``) because it says
    what its image's ``alt`` says: its words are heard once, as the image's
    (``letter.figures``; pandoc writes such a caption). Any other hidden text that a
    sighted reader sees is text a screen-reader user misses."""
    return _aria_hidden(element) and _repeats_alt(element)


def repeated_captions(root: Any) -> list[str]:
    """Figures whose caption says what the image's ``alt`` says, both exposed to a
    screen reader, which then reads the text twice (``letter.figures``: once)."""
    return [
        f"a figure's caption repeats its image's alt and both are read: "
        f"'{' '.join(caption.itertext()).strip()[:60]}' is heard twice"
        for caption in _visible(body(root))
        if _repeats_alt(caption) and not _aria_hidden(caption)
    ]


def parse_page(data: bytes, xhtml: bool) -> Any:
    if xhtml:
        return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    return html.document_fromstring(data)


def _lang_of(element: Any, inherited: str) -> str:
    return str(element.get(XML_LANG) or element.get("lang") or inherited)


def body(root: Any) -> Any:
    for element in root.iter():
        if _local(element) == "body":
            return element
    return root


def inherited_lang(element: Any) -> str:
    """The language an element's text is in: its own mark, or its nearest ancestor's."""
    while element is not None:
        lang = _lang_of(element, "")
        if lang:
            return lang
        element = element.getparent()
    return ""


def page_words(
    root: Any,
    say: Callable[[str], str] | None = None,
    scope: Any = None,
) -> list[Word]:
    """The page's visible words in document order, each with its language.

    A visible element is one a sighted reader sees: not ``hidden``, not
    ``display: none`` or ``visibility: hidden`` in its style. ``aria-hidden`` text
    is visible, so a reader who cannot see it misses it, unless it is a figure's
    caption that says what the image's ``alt`` says (``said_as_alt``).

    ``say`` turns each stretch of text between spaces into what a screen reader sends
    for it (see ``spoken_symbols``) before it is cut into words; ``scope`` is the
    element read (the body when none)."""
    pieces: list[tuple[str, str]] = []

    def walk(element: Any, lang: str) -> None:
        lang = _lang_of(element, lang)
        name = _local(element)
        breaks = name not in INLINE or (element.get("role") or "").strip() in NOTE_LINKS
        if breaks:
            pieces.append((" ", lang))
        if name == "img" and element.get("alt"):
            pieces.append((f" {element.get('alt')} ", lang))
        if name == "br":
            pieces.append((" ", lang))
        if name == "li" and _local(element.getparent()) == "ol":
            # The number shown before an item of a numbered list, which Orca reads too.
            siblings = [e for e in element.getparent() if _local(e) == "li"]
            pieces.append((f" {siblings.index(element) + 1}. ", lang))
        pieces.append((element.text or "", lang))
        for child in element:
            if isinstance(child.tag, str) and not _hidden(child) and not said_as_alt(child):
                walk(child, lang)
            pieces.append((child.tail or "", lang))
        if breaks:
            pieces.append((" ", lang))

    start = body(root) if scope is None else scope
    walk(start, inherited_lang(start))
    return _joined(pieces, say)


def _joined(pieces: list[tuple[str, str]], say: Callable[[str], str] | None) -> list[Word]:
    """The words of the pieces of text: a word can span an inline element
    (``Kommune<em>rnes</em>``), so the pieces are joined first."""
    found: list[Word] = []
    current, current_lang = "", ""

    def flush() -> None:
        if current:
            found.extend(words(say(current) if say else current, current_lang))

    for text, lang in pieces:
        for part in re.split(r"(\s+)", text):
            if not part:
                continue
            if part.isspace():
                flush()
                current = ""
            else:
                current_lang = lang if not current else current_lang
                current += part
    flush()
    return found


def _in_sectioning(element: Any) -> bool:
    parent = element.getparent()
    while parent is not None:
        if _local(parent) in SECTIONING:
            return True
        parent = parent.getparent()
    return False


def page_summary(root: Any) -> Summary:
    """Landmarks, headings and links as a screen reader counts them (visible ones only)."""
    landmarks = headings = links = 0
    for element in _visible(body(root)):
        name, role = _local(element), (element.get("role") or "").strip()
        named = bool(element.get("aria-label") or element.get("aria-labelledby"))
        if role:
            landmarks += role in LANDMARK_ROLES and (role not in ("region", "form") or named)
            headings += role == "heading"
            links += role in LINK_ROLES
            continue
        landmarks += (
            name in ("nav", "main", "aside")
            or (name in ("header", "footer") and not _in_sectioning(element))
            or (name in ("section", "form") and named)
        )
        headings += bool(re.fullmatch(r"h[1-6]", name))
        links += name == "a" and element.get("href") is not None
    return Summary(landmarks, headings, links)


def _visible(element: Any) -> Iterator[Any]:
    yield element
    for child in element:
        if isinstance(child.tag, str) and not _hidden(child):
            yield from _visible(child)


def page_title(root: Any) -> str:
    for element in root.iter():
        if _local(element) == "title":
            return " ".join("".join(element.itertext()).split())
    return ""

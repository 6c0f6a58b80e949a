"""Segment text on the review page as the reader sees it: inlines written as HTML by
pandoc (which escapes every character of text), every fragment of a page in one
request. The fragments are made inert first: no identifier or class of the letter's
or the translator's (they would clash with the page's own), images as their text."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

from lxml import html as lxml_html

from klpublish import pandoc
from klpublish.errors import ToolError
from klpublish.letter.nodes import Inlines, Node
from klpublish.segments.markdown import API_VERSION
from klpublish.segments.walk import note_ref_number

KEPT_ATTRIBUTES = ("lang", "dir")
"""What an element of a segment keeps of its attributes: its language."""


class Html(str):
    """HTML made by a writer that escaped every value in it: the only kind of
    string the review page puts into its markup as it stands."""


ImageText = Callable[[Inlines], Inlines]
"""An image as the review page shows it: its alternative text, labelled."""


def _attr(attr: list[Any]) -> list[Any]:
    return ["", [], [kv for kv in attr[2] if kv[0] in KEPT_ATTRIBUTES]]


def _web(url: str) -> bool:
    return url.lower().startswith(("https://", "http://"))


def inert(inlines: Inlines, image: ImageText) -> Inlines:
    """``inlines`` for the review page: attributes cut to a language, images as
    their alternative text, a footnote as its number, links only to the web."""
    out: Inlines = []
    for node in inlines:
        out.extend(_inert(node, image))
    return out


def _inert(node: Node, image: ImageText) -> Inlines:
    kind = node.get("t")
    content: Any = node.get("c")
    if kind == "Image":
        return [{"t": "Span", "c": [_attr(content[0]), image(inert(content[1], image))]}]
    if kind == "Note":
        number = note_ref_number(node)
        mark = {"t": "Str", "c": str(number) if number is not None else "*"}
        return [{"t": "Superscript", "c": [mark]}]
    if kind == "Link":
        attr, inner, (url, _title) = content
        if not _web(url):
            return [{"t": "Span", "c": [_attr(attr), inert(inner, image)]}]
        return [{"t": "Link", "c": [_attr(attr), inert(inner, image), [url, ""]]}]
    if kind in ("Span", "Code"):
        inner = content[1]
        return [
            {"t": kind, "c": [_attr(content[0]), inner if kind == "Code" else inert(inner, image)]}
        ]
    if kind == "Strikeout":
        # pandoc writes it as <del>, which the review page keeps for its word diff.
        return [{"t": "Span", "c": [["", ["struck"], []], inert(content, image)]}]
    if kind in ("RawInline", "Math"):
        return [{"t": "Code", "c": [["", [], []], str(content[1])]}]
    if kind == "Quoted":
        return [{"t": kind, "c": [content[0], inert(content[1], image)]}]
    if kind == "Cite":
        return inert(content[1], image)
    if isinstance(content, list) and content and isinstance(content[0], dict):
        return [{"t": kind, "c": inert(content, image)}]
    return [node]


def render_fragments(fragments: Sequence[Inlines], what: str) -> list[Html]:
    """Each fragment as HTML (inline content), in one pandoc request."""
    if not fragments:
        return []
    blocks = [
        {"t": "Div", "c": [[f"f{n}", [], []], [{"t": "Plain", "c": list(inlines)}]]}
        for n, inlines in enumerate(fragments)
    ]
    doc = {"pandoc-api-version": API_VERSION, "meta": {}, "blocks": blocks}
    out = pandoc.ast_to_text(doc, "html5", what, options={"wrap_text": "wrap-none"})
    found = {
        str(div.get("id")): div
        for div in lxml_html.fragments_fromstring(out)
        if not isinstance(div, str) and div.tag == "div"
    }
    if len(found) != len(fragments):
        raise ToolError(f"pandoc wrote {len(found)} fragments of {len(fragments)} for {what}")
    return [_inner(found[f"f{n}"]) for n in range(len(fragments))]


def _inner(element: Any) -> Html:
    """An element's content, serialised by lxml (which escapes its text)."""
    parts = [html.escape(element.text or "", quote=False)]
    parts += [lxml_html.tostring(child, encoding="unicode") for child in element]
    return Html("".join(parts).strip())

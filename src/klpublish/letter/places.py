"""Links to a place in the letter (``[Baggrund](#baggrund)``, a table of
contents) and the formulas of a letter, as every output can show them.

A place is an id: pandoc gives each heading one made from its text (``##
Baggrund`` is ``#baggrund``), and ``{#id}`` names a heading, a div, a span, a
figure or a table. Those are the ids all three writers keep (HTML, EPUB, whose
chapters pandoc links across, and Typst, which labels them): a code block's,
a code span's, an image's or a link's id the PDF drops, and a link to a place
no id names is a dead link on the page and a Typst error. The ids are the
source's in every language: a translation changes a heading's text, never its
id, so ``#baggrund`` leads to the English "Background" too.

A formula is TeX that pandoc's texmath turns into MathML and Typst; a command
it does not know (``\\tuple``) leaves the TeX as text on the page and breaks
the PDF.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from urllib.parse import unquote

from klpublish import pandoc
from klpublish.errors import Location, SourceError
from klpublish.letter.nodes import Node, iter_nodes

PLACES = {"Header": 1, "Div": 0, "Span": 0, "Figure": 0, "Table": 0}
"""The nodes whose id a link may name, and where their attributes are."""

UNPLACED = {
    "CodeBlock": "a code block",
    "Code": "a code span",
    "Image": "an image",
    "Link": "a link",
}
"""Nodes with ids that the PDF drops, by their name in a message."""

LAYOUT_IDS = frozenset({"letter"})
"""Ids the page's layout gives (``<main id="letter">``, the skip link's target)."""

Where = Callable[..., Location]
"""``markup.located``'s: ``where(None, needle, node, same)``."""


def _id(node: Node) -> str | None:
    """The id of a node that has attributes."""
    at = PLACES.get(node["t"], 0 if node["t"] in UNPLACED else None)
    return None if at is None else str(node["c"][at][0])


def _ids(doc: Node) -> tuple[dict[str, Node], dict[str, str]]:
    """The ids a link may name (with their node), and the others with the kind
    of node they are on."""
    places: dict[str, Node] = {}
    others: dict[str, str] = {}
    for node in iter_nodes(doc["blocks"]):
        t = node["t"]
        if t in PLACES and node["c"][PLACES[t]][0]:
            places.setdefault(node["c"][PLACES[t]][0], node)
        elif t in UNPLACED and node["c"][0][0]:
            others.setdefault(node["c"][0][0], UNPLACED[t])
    return places, others


def _check_unique(doc: Node, where: Where) -> None:
    """Refuse an id given twice (``{#bilag}``, and a heading ``Bilag`` whose id
    pandoc makes): a page or book with two is invalid, and a link to it
    ambiguous. Located at the second."""
    seen: set[str] = set()
    for node in iter_nodes(doc["blocks"]):
        if not (given := _id(node)):
            continue
        if given in seen:
            raise SourceError(
                f"the id '{given}' is given twice (a heading's text gives its id too): "
                f"expected another, e.g. {{#{given}-2}}",
                where(None, f"#{given}", node, lambda n, i=given: _id(n) == i),
            )
        seen.add(given)


def check_places(doc: Node, where: Where) -> None:
    """Refuse, at its line, a link to a place in the letter that no heading,
    div, span, figure or table names, an id given twice, and an id the layout
    gives already."""
    _check_unique(doc, where)
    places, others = _ids(doc)
    for taken in sorted((set(places) | set(others)) & LAYOUT_IDS):
        # Written {#letter}, or made by pandoc from a heading's text.
        raise SourceError(
            f"the id '{taken}' is the page's own (the skip link leads to it): expected "
            f"another, e.g. {{#{taken}-1}} after the heading",
            where(None, f"#{taken}", places.get(taken), lambda n, i=taken: _id(n) == i),
        )
    for field, node in _links_to_places(doc):
        url = str(node["c"][2][0])
        name = unquote(url[1:])
        if name in places:
            continue
        if name in others:
            said = f"names {others[name]}, which the PDF cannot lead to"
            expected = "the id on a div around it (::: {#" + name + "} ... :::)"
        else:
            said = "names no place in the letter"
            near = difflib.get_close_matches(name, sorted(places), n=3, cutoff=0.5)
            ids = ", ".join(f"#{p}" for p in near)
            expected = (f"{ids}, " if ids else "") + "the id pandoc gives a heading "
            expected += "(its text in lowercase, - for spaces, leading numbers dropped), "
            expected += "or {#id} after the heading"
        place = where(field, url, node, lambda n, u=url: n["t"] == "Link" and n["c"][2][0] == u)
        raise SourceError(f"link {url} {said}: expected {expected}", place)


def _links_to_places(doc: Node) -> Iterator[tuple[str | None, Node]]:
    """Each link to a place in the letter, with the front matter field it is in
    (None in the body): the abstract's lead into the body too."""
    for field, value in [*doc["meta"].items(), (None, doc["blocks"])]:
        for node in iter_nodes(value):
            if node["t"] == "Link" and str(node["c"][2][0]).startswith("#"):
                yield field, node


_MATHML = {"html_math_method": "mathml", "wrap_text": "wrap-none"}


def unreadable_formulas(formulas: list[Node], version: list[int], what: str) -> list[str]:
    """The TeX of each formula that texmath cannot read (pandoc then keeps it as
    text, and Typst fails on it), in the order given."""
    if not formulas:
        return []
    paragraphs = [{"t": "Para", "c": [formula]} for formula in formulas]
    doc = {"pandoc-api-version": version, "meta": {}, "blocks": paragraphs}
    html = pandoc.ast_to_text(doc, "html5", what, options=_MATHML)
    written = re.findall(r"<p>(.*?)</p>", html, re.DOTALL)
    return [
        str(formula["c"][1])
        for formula, out in zip(formulas, written, strict=True)
        if "<math" not in out
    ]


def _unknown_commands(tex: str, version: list[int], what: str) -> list[str]:
    """The commands of ``tex`` texmath does not know, each tried alone with two
    arguments (what ``\\frac`` takes; one that takes fewer reads the rest as text)."""
    commands = [c for c in dict.fromkeys(re.findall(r"\\[A-Za-z]+", tex)) if c not in _PAIRED]
    tried = [{"t": "Math", "c": [{"t": "InlineMath"}, f"{c}{{a}}{{b}}"]} for c in commands]
    unknown = set(unreadable_formulas(tried, version, what))
    return [c for c in commands if f"{c}{{a}}{{b}}" in unknown]


_PAIRED = frozenset({"\\left", "\\right", "\\middle", "\\begin", "\\end"})
"""Commands that mean nothing without their partner: never tried alone."""


def _unreadable_nodes(formulas: list[Node], version: list[int], what: str) -> list[Node]:
    unreadable = set(unreadable_formulas(formulas, version, what))
    return [formula for formula in formulas if formula["c"][1] in unreadable]


def check_formulas(doc: Node, where: Where, what: str) -> None:
    """Refuse, at its line, the first formula texmath cannot read."""
    formulas = [node for node in iter_nodes(doc["blocks"]) if node["t"] == "Math"]
    version = doc["pandoc-api-version"]
    for formula in _unreadable_nodes(formulas, version, what):
        tex = str(formula["c"][1])
        unknown = _unknown_commands(tex, version, what)
        which = f" ({', '.join(unknown)}: not a LaTeX math command)" if unknown else ""
        raise SourceError(
            f"formula ${tex[:60]}$ is not TeX math that every format can show{which}: "
            "expected LaTeX math commands, or the formula written as text",
            where(None, tex, formula, lambda n, t=tex: n["t"] == "Math" and n["c"][1] == t),
        )


def formula_problem(source: list[Node], translation: list[Node]) -> str | None:
    """What is wrong with the formulas a translation wrote apart from its
    source's (a translator may put words in ``\\text{...}``): the first that
    texmath cannot read; None when there is none."""
    own = {str(node["c"][1]) for node in source if node["t"] == "Math"}
    new = [node for node in translation if node["t"] == "Math" and str(node["c"][1]) not in own]
    if not new:
        return None
    version = pandoc.markdown_to_ast("", "a translation")["pandoc-api-version"]
    for tex in unreadable_formulas(new, version, "a translation"):
        return f"msgstr has a formula that is not TeX math every format can show: ${tex[:60]}$"
    return None

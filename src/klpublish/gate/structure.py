"""The same structure in every format: heading levels, lists and their item
counts, definition lists, tables with their header cells and caption, footnotes, figures with their
alternative text, links, from the title (H1) on; and the language of each word of the
letter (``text_languages``).

HTML and EPUB are read from Chromium's accessibility tree (Playwright's
``ariaSnapshot``) and, for languages, which that tree does not show, from the
documents' ``lang`` attributes; the PDF from its tag tree and marked content."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf

from klpublish.gate.page_text import Word
from klpublish.gate.pdf_text import pdf_name
from klpublish.gate.text_languages import document_words, language_differences, pdf_words


@dataclass
class RoleNode:
    """One node of a page's accessibility tree, as Playwright's snapshot says it."""

    role: str
    name: str = ""
    attrs: str = ""
    children: list[RoleNode] = field(default_factory=list)
    url: str = ""


_LINE = re.compile(
    r'^(?P<indent>\s*)- (?P<role>[a-z]+)(?: "(?P<name>(?:[^"\\]|\\.)*)")?'
    r"(?: \[(?P<attrs>[^\]]*)\])?"
)


_URL = re.compile(r'^\s*- /url: "?(?P<url>[^"]*)"?\s*$')

_QUOTED_KEY = re.compile(r"^(?P<head>\s*- )'(?P<key>(?:[^']|'')*)'(?P<tail>.*)$")


def unquoted(line: str) -> str:
    """A line of an ariaSnapshot with its key as written: Playwright puts a key that
    YAML would misread (a name holding ``: ``, say an image's alternative text
    "Map: from the station") in single quotes, each ``'`` in it doubled."""
    match = _QUOTED_KEY.match(line)
    if not match:
        return line
    key = match["key"].replace("''", "'")
    return f"{match['head']}{key}{match['tail']}"


def parse_snapshot(snapshot: str) -> RoleNode:
    """Playwright's ariaSnapshot YAML as a tree of roles."""
    root = RoleNode("root")
    stack: list[tuple[int, RoleNode]] = [(-1, root)]
    for line in snapshot.splitlines():
        url = _URL.match(line)
        if url:
            stack[-1][1].url = url["url"]
            continue
        match = _LINE.match(unquoted(line))
        if not match:
            continue  # other properties
        indent = len(match["indent"])
        node = RoleNode(match["role"], match["name"] or "", match["attrs"] or "")
        while stack[-1][0] >= indent:
            stack.pop()
        stack[-1][1].children.append(node)
        stack.append((indent, node))
    return root


def _level(attrs: str) -> int:
    match = re.search(r"level=(\d)", attrs)
    return int(match[1]) if match else 0


NOTE_REF = re.compile(r"^#fn\d+$")
BACK_LINK = re.compile(r"^#fnref\d+$")
"""Pandoc's footnote links: a note's reference (``<a href="#fn1" role="doc-noteref">``)
and, on the web page, the note's link back to it (``role="doc-backlink"``)."""


def _is_notes(node: RoleNode) -> bool:
    """Footnotes, where a page puts them: the EPUB's ``aside`` (``doc-footnote``, a
    complementary landmark), the web page's list of notes with links back."""
    return node.role == "complementary" or (
        node.role == "list" and any(BACK_LINK.match(n.url) for n in _walk(node))
    )


def _html_parts(node: RoleNode) -> Iterator[str]:
    kids = node.children
    i = 0
    while i < len(kids):
        kid = kids[i]
        if _is_notes(kid):
            i += 1
            continue
        if kid.role in ("term", "definition"):
            j = i
            while j < len(kids) and kids[j].role in ("term", "definition"):
                j += 1
            yield f"terms {sum(k.role == 'term' for k in kids[i:j])}"
            for k in kids[i:j]:
                yield from _html_parts(k)
            i = j
            continue
        if kid.role == "heading":
            yield f"h{_level(kid.attrs)}"
        elif kid.role == "list":
            yield f"list {sum(k.role == 'listitem' for k in kid.children)}"
        elif kid.role == "table":
            rows = [n for n in _walk(kid) if n.role == "row"]
            cells = [len(r.children) for r in rows]
            heads = sum(n.role in ("columnheader", "rowheader") for n in _walk(kid))
            captioned = " captioned" if any(n.role == "caption" for n in kid.children) else ""
            yield f"table {len(rows)}x{max(cells, default=0)} th {heads}{captioned}"
        elif kid.role == "img":
            yield f"figure {kid.name}"
        elif kid.role == "link" and NOTE_REF.match(kid.url):
            yield "note"
        elif kid.role == "link" and not BACK_LINK.match(kid.url):
            yield "link"
        if kid.role != "table":
            yield from _html_parts(kid)
        if kid.role == "figure" and kid.name:
            # A figure is named by its caption (HTML-AAM), which is read after the
            # image, or is the image's alternative text itself (``letter.figures``).
            yield "caption"
        i += 1


def _walk(node: RoleNode) -> Iterator[RoleNode]:
    for kid in node.children:
        yield kid
        yield from _walk(kid)


def from_title(parts: Sequence[str]) -> list[str]:
    """The parts from the title (the first H1) on."""
    return list(parts[parts.index("h1") :]) if "h1" in parts else list(parts)


def _notes_parts(node: RoleNode) -> Iterator[str]:
    """The parts inside the page's footnotes, each note's in turn (a web page's list
    of notes is how it holds them, not a list of the letter's)."""
    for kid in node.children:
        if _is_notes(kid):
            for note in kid.children if kid.role == "list" else [kid]:
                yield from _html_parts(note)
        else:
            yield from _notes_parts(kid)


def snapshot_parts(snapshot: str) -> list[str]:
    """The structure of an HTML or XHTML page's accessibility tree, in order: a
    ``note`` where a footnote is referred to, and what the footnotes hold after
    everything else, as every format's reader can read them apart from the text."""
    tree = parse_snapshot(snapshot)
    main = next((n for n in _walk(tree) if n.role == "main"), tree)
    return [*_html_parts(main), *_notes_parts(main)]


def html_languages(page: Path) -> list[Word]:
    """The letter's words in an HTML page or an EPUB document, each with its language
    (see ``text_languages``)."""
    return document_words(page)


@dataclass
class PdfStructure:
    parts: list[str]
    languages: list[Word]
    """The letter's words, each with its language (see ``text_languages``)."""


def pdf_structure(path: Path) -> PdfStructure:
    """The structure of a PDF's tag tree from its title (H1) on, and its words: a
    ``note`` where a footnote is referred to, and what the footnotes (``Note``) hold
    after everything else, as in ``snapshot_parts``."""
    with pikepdf.open(path) as pdf:
        parts: list[str] = []
        noted: list[str] = []
        seen_title = False

        def visit(node: Any, into: list[str]) -> None:
            nonlocal seen_title
            if isinstance(node, pikepdf.Array):
                for kid in node:
                    visit(kid, into)
                return
            if not isinstance(node, pikepdf.Dictionary) or "/S" not in node:
                return
            kind = pdf_name(node.S)
            seen_title = seen_title or kind == "H1"
            if _is_note_label(node, kind):
                # In the text, the note's reference; in the Note, its number.
                if seen_title and into is parts:
                    parts.append("note")
                return
            if kind == "Note":
                visit(node.get("/K"), noted)
                return
            if seen_title:
                into.extend(_pdf_part(node, kind))
            visit(node.get("/K"), into)

        visit(pdf.Root.StructTreeRoot.get("/K"), parts)
        return PdfStructure(parts + noted, pdf_words(pdf))


def _is_note_label(node: Any, kind: str) -> bool:
    """A label that is a link, outside a list item: Typst's footnote number."""
    parent = node.get("/P")
    in_item = isinstance(parent, pikepdf.Dictionary) and pdf_name(parent.get("/S")) == "LI"
    return kind == "Lbl" and not in_item and any(pdf_name(k.S) == "Link" for k in _kids(node))


def _kids(node: Any) -> list[Any]:
    kids = node.get("/K")
    items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    return [k for k in items if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def _descendants(node: Any) -> Iterator[Any]:
    for kid in _kids(node):
        yield kid
        yield from _descendants(kid)


def _attribute(node: Any, key: str) -> str:
    attrs = node.get("/A")
    for attr in list(attrs) if isinstance(attrs, pikepdf.Array) else [attrs]:
        if isinstance(attr, pikepdf.Dictionary) and key in attr:
            return pdf_name(attr[key])
    return ""


def _pdf_part(node: Any, kind: str) -> list[str]:
    if len(kind) == 2 and kind[0] == "H" and kind[1].isdigit():
        return [f"h{kind[1]}"]
    if kind == "L":
        items = sum(pdf_name(k.S) == "LI" for k in _kids(node))
        # Typst tags a terms list (a definition list) as an unnumbered list whose
        # items are label and body: the PDF's form of <dl>.
        numbering = _attribute(node, "/ListNumbering")
        return [f"{'terms' if numbering == 'None' else 'list'} {items}"]
    if kind == "Table":
        rows = [d for d in _descendants(node) if pdf_name(d.S) == "TR"]
        cells = [sum(pdf_name(c.S) in ("TH", "TD") for c in _kids(r)) for r in rows]
        heads = sum(pdf_name(d.S) == "TH" for d in _descendants(node))
        captioned = " captioned" if any(pdf_name(k.S) == "Caption" for k in _kids(node)) else ""
        return [f"table {len(rows)}x{max(cells, default=0)} th {heads}{captioned}"]
    if kind == "Figure":
        return [f"figure {node.get('/Alt', '')}"]
    if kind == "Caption" and _captions_a_figure(node):
        return ["caption"]
    if kind == "Link":
        return ["link"]
    return []


def _captions_a_figure(caption: Any) -> bool:
    """The caption is a figure's: inside the Figure, or beside it in its group."""
    parent = caption.get("/P")
    if not isinstance(parent, pikepdf.Dictionary) or "/S" not in parent:
        return False
    return pdf_name(parent.S) == "Figure" or any(
        pdf_name(kid.S) == "Figure" for kid in _kids(parent)
    )


def compare(name: str, parts: Sequence[str], other: str, others: Sequence[str]) -> list[str]:
    """Problems, where two formats' structures differ."""
    problems = []
    matcher = difflib.SequenceMatcher(a=list(parts), b=list(others), autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            continue
        mine = ", ".join(parts[a0:a1]) or "nothing"
        theirs = ", ".join(others[b0:b1]) or "nothing"
        where = f"after {parts[a0 - 1]!r} (part {a0})" if a0 else "at the start"
        problems.append(f"{where}: {name} has {mine}, {other} has {theirs}")
    return problems


Structure = tuple[list[str], list[Word]]
"""A format's parts, and its words each with its language."""


def structure_problems(html: Structure, other: Structure, fmt: str) -> list[str]:
    """Where a format's (parts, words with their languages) differ from the HTML's."""
    problems = compare("the HTML", from_title(html[0]), f"the {fmt}", from_title(other[0]))
    problems += [f"language: {p}" for p in language_differences(html[1], other[1], fmt)]
    return problems

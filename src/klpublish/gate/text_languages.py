"""The language of each word of a letter, as each format marks it, compared across
formats.

The HTML page and the EPUB's chapters mark languages with ``lang`` (``xml:lang``) on
elements, the PDF with ``/Lang`` on structure elements and on marked content. Each is
read here as the letter's words in order, each with the language its mark gives it
(a word no mark covers is in the document's language). Two formats are then compared
word by word: every word both show must be in the same language in both. A mark that
one format lost, or that covers more or less text in one (a whole paragraph against a
span inside it), shows as words in another language; text only one format shows (the
PDF's "Figure 1:" label before a caption, a letterhead placed elsewhere) is no word
of the comparison.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pikepdf

from klpublish.gate.page_text import Word, page_words, parse_page, words
from klpublish.gate.pdf_text import marked_text, pdf_name

SHOWN = 5
"""Differences named per comparison; more are counted."""


def primary(tag: str) -> str:
    """A language tag's language (``de-DE`` and ``de_DE`` are ``de``), lower case."""
    return tag.replace("_", "-").split("-")[0].lower()


def _local(element: Any) -> str:
    return str(element.tag).rsplit("}", 1)[-1].lower() if isinstance(element.tag, str) else ""


def document_words(page: Path) -> list[Word]:
    """The letter's words in an HTML page or an EPUB content document, each with its
    language: those of ``<main>`` (the body when there is none; the web page's
    navigation and footer are no part of the letter), alternative texts included."""
    root = parse_page(page.read_bytes(), page.suffix == ".xhtml")
    scope = next((e for e in root.iter() if _local(e) == "main"), None)
    return page_words(root, scope=scope)


def _marked_langs(pdf: pikepdf.Pdf) -> dict[tuple[int, int], str]:
    """The language a marked-content sequence states (``/Lang`` in its properties)."""
    found: dict[tuple[int, int], str] = {}
    page: Any
    for page in pdf.pages:
        for instruction in pikepdf.parse_content_stream(page):
            operands: Any = instruction.operands
            if bytes(instruction.operator) == b"BDC" and len(operands) > 1:
                props = operands[1]
                if isinstance(props, pikepdf.Dictionary) and "/MCID" in props and "/Lang" in props:
                    found[(page.objgen[0], int(props.MCID))] = str(props.Lang)
    return found


def pdf_words(pdf: pikepdf.Pdf) -> list[Word]:
    """The words of a tagged PDF in the order of its structure tree, each with its
    language: its marked content's ``/Lang``, else its nearest structure element's,
    else the document's. A figure's words are its ``/Alt``."""
    texts = marked_text(pdf)
    langs = _marked_langs(pdf)
    found: list[Word] = []

    def visit(node: Any, page: Any, lang: str) -> None:
        if isinstance(node, pikepdf.Array):
            for kid in node:
                visit(kid, page, lang)
            return
        is_dict = isinstance(node, pikepdf.Dictionary)
        if isinstance(node, int) or (is_dict and pdf_name(node.get("/Type")) == "MCR"):
            if is_dict:
                page = node.get("/Pg", page)
            key = (page.objgen[0], int(node if isinstance(node, int) else node.MCID))
            if page is not None:
                found.extend(words(texts.get(key, ""), langs.get(key, lang)))
            return
        if not is_dict or "/S" not in node:
            return
        lang = str(node.get("/Lang", lang))
        if pdf_name(node.S) == "Figure" and "/Alt" in node:
            found.extend(words(str(node.Alt), lang))
            return
        visit(node.get("/K"), node.get("/Pg", page), lang)

    tree = pdf.Root.get("/StructTreeRoot")
    if tree is not None:
        visit(tree.get("/K"), None, str(pdf.Root.get("/Lang", "")))
    return found


def _aligned(first: Sequence[Word], second: Sequence[Word]) -> list[tuple[int, int]]:
    """Pairs of indexes of the same word in both, in ``first``'s order: the words in
    order, then, among those left, stretches of two words or more that moved (a part
    one format puts elsewhere, as the EPUB puts the title before the recipient)."""

    def matched(a: Sequence[int], b: Sequence[int], least: int) -> list[tuple[int, int]]:
        matcher = difflib.SequenceMatcher(
            None, [first[i].key for i in a], [second[j].key for j in b], autojunk=False
        )
        return [
            (a[x + n], b[y + n])
            for x, y, size in matcher.get_matching_blocks()
            if size >= least
            for n in range(size)
        ]

    pairs = matched(range(len(first)), range(len(second)), 1)
    left_a = sorted(set(range(len(first))) - {i for i, _ in pairs})
    left_b = sorted(set(range(len(second))) - {j for _, j in pairs})
    return sorted(pairs + matched(left_a, left_b, 2))


def _quote(items: Sequence[Word], most: int = 12) -> str:
    text = " ".join(w.text for w in items[:most])
    return f"{text} …" if len(items) > most else text


def language_differences(html: Sequence[Word], other: Sequence[Word], fmt: str) -> list[str]:
    """The words both show that ``other`` (the EPUB or the PDF) has in another language
    than the HTML, a stretch at a time."""
    stretches: list[tuple[list[int], str, str]] = []
    last: tuple[int, int] = (-2, -2)
    for i, j in _aligned(html, other):
        mine, theirs = primary(html[i].lang), primary(other[j].lang)
        if mine == theirs:
            continue
        same = stretches and stretches[-1][1:] == (mine, theirs)
        if same and last == (i - 1, j - 1):
            stretches[-1][0].append(i)
        else:
            stretches.append(([i], mine, theirs))
        last = (i, j)
    problems = [
        f"'{_quote([html[i] for i in where])}' is in '{mine or '(none)'}' in the HTML, "
        f"in '{theirs or '(none)'}' in the {fmt}"
        for where, mine, theirs in stretches[:SHOWN]
    ]
    if len(stretches) > SHOWN:
        problems.append(f"(and {len(stretches) - SHOWN} more stretches in another language)")
    return problems

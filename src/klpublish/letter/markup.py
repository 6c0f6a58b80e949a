"""What a letter's body may hold beyond text (see SECURITY.md): no raw HTML,
Typst or LaTeX, only harmless attributes, links and images as ``targets.py``
allows them. Each refusal names its line."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from klpublish import pandoc
from klpublish.errors import Location, SourceError
from klpublish.letter.nodes import Node, iter_nodes
from klpublish.letter.policy import TargetError, Use, judge, load_image, spellings

ATTRIBUTES = {
    "lang": r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*",
    "dir": r"ltr|rtl|auto",
    "width": r"\d{1,4}(\.\d{1,2})?(px|%|em|cm|mm|in)?",
    "height": r"\d{1,4}(\.\d{1,2})?(px|%|em|cm|mm|in)?",
}
"""Attributes a letter may set (``{lang=en}``), and the values each may take:
anything else (``onclick``, ``style``, ``src``) would reach the HTML as it stands."""

_ATTR_AT = {
    "Header": 1,
    "Div": 0,
    "Span": 0,
    "CodeBlock": 0,
    "Code": 0,
    "Link": 0,
    "Image": 0,
    "Table": 0,
    "Figure": 0,
}

_FORMAT_NAMES = {
    "html": "HTML",
    "html5": "HTML",
    "typst": "Typst",
    "tex": "LaTeX",
    "latex": "LaTeX",
}


_RAW_HINT = "write it in Markdown, or put a backslash before < to show it as text"


def _nodes(doc: Node) -> Iterator[tuple[str | None, Node]]:
    """Each node, with the front matter field it is in (None in the body)."""
    for key, value in doc["meta"].items():
        for node in iter_nodes(value):
            yield key, node
    for node in iter_nodes(doc["blocks"]):
        yield None, node


def check_body(doc: Node, folder: Path, where: Any) -> None:
    """Raise ``SourceError`` for the first thing a letter may not hold.
    ``where(field, needle)`` gives the ``Location`` of a piece of the letter."""
    for field, node in _nodes(doc):
        t = node["t"]
        if t in ("RawBlock", "RawInline"):
            fmt, content = node["c"]
            name = _FORMAT_NAMES.get(str(fmt).lower(), str(fmt))
            first = next((line.strip() for line in str(content).splitlines() if line.strip()), "")
            hint = (
                "for a line break, end the line with a backslash"
                if re.fullmatch(r"<br\s*/?>", first, re.IGNORECASE)
                else _RAW_HINT
            )
            raise SourceError(
                f"raw {name} is not allowed in a letter ({first[:60]}): {hint}",
                where(field, first),
            )
        if t in _ATTR_AT:
            _check_attributes(node["c"][_ATTR_AT[t]], field, where)
        if t in ("Link", "Image") and field is not None:  # the body's: check_structure
            check_target(node, folder, where(field, node["c"][2][0]))


def check_target(node: Node, folder: Path, where: Location) -> None:
    """A link's or image's target as ``targets.py`` allows it, refused at ``where``."""
    url = node["c"][2][0]
    try:
        if node["t"] == "Link":
            judge(url, Use.LINK)
        else:
            load_image(url, folder)
    except TargetError as exc:
        raise SourceError(f"{node['t'].lower()} {url} {exc}", where) from exc


_AS_TEXT = "-raw_html-native_divs-native_spans"
"""Pandoc's reader extensions that read HTML tags (a ``<div>`` becomes a div
even with raw HTML off): without them, every tag is text."""


def check_nothing_dropped(
    path: str, lines: list[str], body_start: int, doc: Node, reader: str, where: Any
) -> None:
    """Refuse HTML that pandoc read and dropped without a trace: a block tag
    where only inlines may stand (``| <script>...</script>`` in a line block, a
    table cell, a footnote, a link's text) leaves no raw node for
    :func:`check_body` to refuse. Read again with raw HTML off, the letter shows
    each tag as text; a tag the first reading lacks was dropped (or made a div
    or span), and is refused at its line like any raw HTML."""
    if not any("<" in line for line in lines):
        return
    head = pandoc.markdown_to_ast("\n".join(lines[:body_start]) + "\n", path, f"{reader}{_AS_TEXT}")
    body = pandoc.markdown_to_ast(
        "\n".join(lines[body_start:]), path, f"{reader}{_AS_TEXT}-yaml_metadata_block"
    )
    as_read = Counter(_tag_words(doc))
    for field, word in _tag_words({**body, "meta": head["meta"]}):
        if as_read[(field, word)] > 0:
            as_read[(field, word)] -= 1
            continue
        raise SourceError(
            f"raw HTML is not allowed in a letter ({word[:60]}): {_RAW_HINT}", where(field, word)
        )


def _tag_words(doc: Node) -> Iterator[tuple[str | None, str]]:
    """Each piece of text holding a ``<``, with the front matter field it is in."""
    for field, node in _nodes(doc):
        if node["t"] == "Str" and "<" in node["c"]:
            yield field, str(node["c"])


def _check_attributes(attr: list[Any], field: str | None, where: Any) -> None:
    for key, value in attr[2]:
        pattern = ATTRIBUTES.get(key)
        if pattern is None:
            raise SourceError(
                f"attribute '{key}' is not allowed in a letter: expected only "
                f"{', '.join(ATTRIBUTES)} (and ids and classes)",
                where(field, f"{key}="),
            )
        if not re.fullmatch(pattern, value):
            raise SourceError(
                f"attribute {key}={value!r} is not a {key} value", where(field, f"{key}=")
            )


def located(path: str, lines: list[str], body_start: int, key_line: Any) -> Any:
    """The ``where`` of ``check_body`` for a letter's lines."""

    def where(field: str | None, needle: str) -> Location:
        if field is not None:
            return Location(path, key_line(field))
        for spelling in spellings(needle) if needle else ():
            for number, line in enumerate(lines[body_start:], start=body_start + 1):
                if spelling in line:
                    return Location(path, number)
        return Location(path, body_start + 1)

    return where

"""What a letter's body may hold beyond text (see SECURITY.md): no raw HTML,
Typst or LaTeX, only harmless attributes, links and images as ``targets.py``
allows them. Each refusal names its line."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from klpublish import pandoc
from klpublish.errors import Location, SourceError
from klpublish.letter.body import BODY_READER
from klpublish.letter.nodes import Node, iter_nodes
from klpublish.letter.policy import TargetError, Use, judge, load_image, spellings
from klpublish.letter.source_lines import Same, nth_line, occurrence, tex_command

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
_TEX_HINT = "write it in Markdown, or put a second backslash before it ({shown}) to show it as text"
"""``{shown}``: the command with its backslash doubled (``\\\\ifstrequal``)."""
_OTHER_HINT = "write it in Markdown, with no {=format} mark"
"""A raw block or span marked for one output (```` ```{=typst} ````)."""
_RAW = ("RawBlock", "RawInline")


def _nodes(doc: Node) -> Iterator[tuple[str | None, Node]]:
    """Each node, with the front matter field it is in (None in the body)."""
    for key, value in doc["meta"].items():
        for node in iter_nodes(value):
            yield key, node
    for node in iter_nodes(doc["blocks"]):
        yield None, node


def check_body(doc: Node, folder: Path, where: Any, lines: list[str] | None = None) -> None:
    """Raise ``SourceError`` for the first thing a letter may not hold.
    ``where(field, needle)`` gives the ``Location`` of a piece of the letter
    (see :func:`located`); ``lines`` are the letter's, to quote a TeX command
    as it was written."""
    for field, node in _nodes(doc):
        t = node["t"]
        if t in _RAW:
            _refuse_raw(field, node, where, lines or [])
        if t in _ATTR_AT:
            _check_attributes(node, field, where)
        if t in ("Link", "Image") and field is not None:  # the body's: check_structure
            check_target(node, folder, where(field, node["c"][2][0]))


def _first_line(node: Node) -> str:
    return next((line.strip() for line in str(node["c"][1]).splitlines() if line.strip()), "")


def _refuse_raw(field: str | None, node: Node, where: Any, lines: list[str]) -> None:
    fmt = str(node["c"][0]).lower()
    name = _FORMAT_NAMES.get(fmt, fmt)
    first = _first_line(node)
    place = where(
        field,
        first,
        node,
        lambda n: n["t"] in _RAW and str(n["c"][0]).lower() == fmt and _first_line(n) == first,
    )
    shown, hint = first, _RAW_HINT
    if re.fullmatch(r"<br\s*/?>", first, re.IGNORECASE):
        hint = "for a line break, end the line with a backslash"
    elif name == "LaTeX":
        # Pandoc gives what a macro expands to (``FALSE``): the author wrote the command.
        written = lines[place.line - 1] if field is None and 0 < place.line <= len(lines) else ""
        shown = tex_command(written) or first
        command = re.match(r"\\[A-Za-z@]+", shown)
        hint = _TEX_HINT.format(shown="\\" + command.group(0)) if command else _OTHER_HINT
    elif name != "HTML":
        hint = _OTHER_HINT
    raise SourceError(f"raw {name} is not allowed in a letter ({shown[:60]}): {hint}", place)


def check_target(node: Node, folder: Path, where: Location | Callable[[], Location]) -> None:
    """A link's or image's target as ``targets.py`` allows it, refused at
    ``where`` (a callable is asked only then: locating reads the letter again)."""
    url = node["c"][2][0]
    try:
        if node["t"] == "Link":
            judge(url, Use.LINK)
        else:
            load_image(url, folder)
    except TargetError as exc:
        place = where if isinstance(where, Location) else where()
        raise SourceError(f"{node['t'].lower()} {url or '()'} {exc}", place) from exc


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
        "\n".join(lines[body_start:]),
        path,
        f"{reader}{_AS_TEXT}-yaml_metadata_block-pandoc_title_block",
    )
    as_read = Counter((field, str(node["c"])) for field, node in _tag_words(doc))
    for field, node in _tag_words({**body, "meta": head["meta"]}):
        word = str(node["c"])
        if as_read[(field, word)] > 0:
            as_read[(field, word)] -= 1
            continue
        place = where(
            field,
            word,
            node,
            lambda n, w=word: n["t"] == "Str" and n["c"] == w,
            reader=f"{reader}{_AS_TEXT}-yaml_metadata_block-pandoc_title_block",
            blocks=body["blocks"],
        )
        raise SourceError(f"raw HTML is not allowed in a letter ({word[:60]}): {_RAW_HINT}", place)


def _tag_words(doc: Node) -> Iterator[tuple[str | None, Node]]:
    """Each piece of text holding a ``<``, with the front matter field it is in."""
    for field, node in _nodes(doc):
        if node["t"] == "Str" and "<" in node["c"]:
            yield field, node


def _check_attributes(node: Node, field: str | None, where: Any) -> None:
    attr = node["c"][_ATTR_AT[node["t"]]]
    for key, value in attr[2]:
        pattern = ATTRIBUTES.get(key)
        if pattern is not None and re.fullmatch(pattern, value):
            continue
        place = where(
            field,
            f"{key}=",
            node,
            lambda n, pair=[key, value]: n["t"] in _ATTR_AT and pair in n["c"][_ATTR_AT[n["t"]]][2],
        )
        if pattern is None:
            raise SourceError(
                f"attribute '{key}' is not allowed in a letter: expected only "
                f"{', '.join(ATTRIBUTES)} (and ids and classes)",
                place,
            )
        raise SourceError(f"attribute {key}={value!r} is not a {key} value", place)


def _holding(lines: list[str], needle: str, end: int, start: int, *, last: bool = True) -> int:
    """The last (else the first) of the 1-based lines ``start..end`` holding
    ``needle`` as the letter may spell it; ``end`` (else ``start``) when none does."""
    numbers = range(end, start - 1, -1) if last else range(start, end + 1)
    for number in numbers:
        if any(spelling in lines[number - 1] for spelling in spellings(needle) if needle):
            return number
    return end if last else start


def located(
    path: str, lines: list[str], body_start: int, key_line: Any, doc: Node | None = None
) -> Any:
    """The ``where`` of ``check_body`` for a letter's lines: ``where(field,
    needle)`` is a front matter field's line, or the first body line holding
    ``needle``; given the body ``node`` that is refused and ``same``, which tells
    the nodes of its kind, it is the line pandoc reads that node from
    (``source_lines.py``: not an escaped copy nor an earlier one), read with
    ``reader`` (the reading ``node`` comes from; ``doc``'s by default)."""

    def where(
        field: str | None,
        needle: str,
        node: Node | None = None,
        same: Same | None = None,
        reader: str = BODY_READER,
        blocks: list[Node] | None = None,
    ) -> Location:
        if field is not None:
            return Location(path, key_line(field))
        among = blocks if blocks is not None else (doc["blocks"] if doc else None)
        if node is not None and same is not None and among is not None:
            n = occurrence(among, node, same)
            line = nth_line(lines, body_start, path, reader, same, n)
            if line is not None:
                # The reading holds a block once its last line is read: its
                # needle stands on that line or above it, below the node before.
                before = nth_line(lines, body_start, path, reader, same, n - 1) if n else None
                return Location(path, _holding(lines, needle, line, before or body_start + 1))
        return Location(path, _holding(lines, needle, len(lines), body_start + 1, last=False))

    return where

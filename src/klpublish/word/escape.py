"""The author's words kept as words in the letter's Markdown: pandoc's Markdown
writer leaves a few texts as they are that its reader takes for syntax (a
paragraph of ``---`` or ``- - -`` a rule, a line of ``---`` or ``===`` after a
soft return a heading's underline, ``::: {.x}`` a fenced div, ``&amp;`` or
``&#65;`` a character reference). Each such character is written
backslash-escaped, as a raw Markdown inline, which the reader takes back as the
character itself."""

from __future__ import annotations

import re
from typing import Any

from klpublish import pandoc

LINE_START = "-=:"
"""Characters that begin a rule, a setext underline or a fenced div at a line's start."""
_AMPERSAND = re.compile(r"(&)")
WRITER = "markdown-smart-raw_html"
"""As the letter is read (``letter/read.py``): the text's own typography, unchanged."""


def _escaped(char: str) -> dict[str, Any]:
    return {"t": "RawInline", "c": ["markdown", "\\" + char]}


def _pieces(text: str, line_start: bool) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if line_start and text[:1] in LINE_START:
        out.append(_escaped(text[0]))
        text = text[1:]
    for piece in _AMPERSAND.split(text):
        if piece == "&":
            out.append(_escaped("&"))
        elif piece:
            out.append({"t": "Str", "c": piece})
    return out


def escape_text(node: Any) -> Any:
    """``node`` (a pandoc AST or part of one) with its text escaped where the
    writer leaves syntax. A list's first item counts as a line's start (an
    escape too many reads back as the same character)."""
    if isinstance(node, list):
        out: list[Any] = []
        line_start = True
        for item in node:
            if isinstance(item, dict) and item.get("t") == "Str":
                out.extend(_pieces(str(item["c"]), line_start))
            else:
                out.append(escape_text(item))
            line_start = isinstance(item, dict) and item.get("t") == "LineBreak"
        return out
    if isinstance(node, dict):
        if node.get("t") in ("Code", "CodeBlock", "RawInline", "RawBlock", "Math"):
            return node  # written verbatim by the writer, read back as such
        return {key: escape_text(value) for key, value in node.items()}
    return node


def front_matter_markdown(fields: dict[str, Any], api_version: Any, what: str) -> dict[str, Any]:
    """``fields`` with each text written as Markdown that reads back as that
    text: a front matter's values are Markdown to the letter (a title
    ``*fed* & co`` would be read as emphasis, ``&amp;`` as ``&``)."""

    def written(value: Any) -> Any:
        if isinstance(value, str):
            inlines = escape_text([{"t": "Str", "c": value}])
            doc = {
                "pandoc-api-version": api_version,
                "meta": {},
                "blocks": [{"t": "Plain", "c": inlines}],
            }
            text = pandoc.ast_to_text(doc, WRITER, what, options={"columns": 100_000})
            return text.strip("\n")
        if isinstance(value, list):
            return [written(item) for item in value]
        if isinstance(value, dict):
            return {key: written(item) for key, item in value.items()}
        return value

    return {key: value if key == "lang" else written(value) for key, value in fields.items()}

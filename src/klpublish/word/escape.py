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

LINE_START = "-=:"
"""Characters that begin a rule, a setext underline or a fenced div at a line's start."""
_AMPERSAND = re.compile(r"(&)")


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

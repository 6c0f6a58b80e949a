"""How a letter's body is read: the one reading extraction and publishing share,
and the metadata a body may not hold.

Pandoc reads the front matter alone and the body with no metadata of its own.
Read as one document, a block of ``key: value`` lines between two ``---`` lines
in the body is a second YAML metadata block (shown nowhere, and its ``title``
replaces the letter's), and ``%`` lines opening the body are pandoc's title
block when the body is read alone: text the author wrote that no reader would
see. In the body the ``%`` lines are text, as pandoc shows them after front
matter; a block pandoc would take as metadata is refused at its line
(:func:`check_no_metadata`), with what to write instead.
"""

from __future__ import annotations

import re

import yaml

from klpublish import pandoc
from klpublish.errors import Location, SourceError, ToolError
from klpublish.letter.nodes import Node, soft_breaks_to_spaces

READER = "markdown-smart-citations"
"""Smart punctuation off: the source's own typography reaches the msgid unchanged.
Citations off: a letter cites nothing, and pandoc's citation parser is
exponential in nested brackets (25 ``[`` on a line never finish)."""

BODY_READER = f"{READER}-yaml_metadata_block-pandoc_title_block"
"""The body of a letter with front matter: its text is all text."""

_INSTEAD = (
    "expected a definition list (the name on its own line, ':   ' and the value on the "
    "next), lines ending with a backslash, or a blank line before and after each '---' for a rule"
)


def read_ast(lines: list[str], body_start: int, path: str) -> Node:
    """The letter's AST: the front matter (``lines[:body_start]``) read alone, for
    its metadata, and the body with :data:`BODY_READER`. Line wrapping in the
    source is not content: normalised once, here."""
    head = pandoc.markdown_to_ast("\n".join(lines[:body_start]) + "\n", path, READER)
    blocks = pandoc.markdown_to_ast("\n".join(lines[body_start:]), path, BODY_READER)
    doc: Node = soft_breaks_to_spaces({**blocks, "meta": head["meta"]})
    return doc


def _openings(lines: list[str], body_start: int) -> list[int]:
    """The body lines (0-based) that could open a YAML block as pandoc reads one:
    ``---`` after a blank line (or first), a line of text after it, outside
    fenced code."""
    found, fence = [], ""
    for n in range(body_start, len(lines)):
        line = lines[n]
        if marker := re.match(r"\s{0,3}(`{3,}|~{3,})", line):
            if not fence:
                fence = marker.group(1)
            elif marker.group(1).startswith(fence):
                fence = ""
            continue
        opens = line.rstrip() == "---" and (n == body_start or not lines[n - 1].strip())
        if not fence and opens and n + 1 < len(lines) and lines[n + 1].strip():
            found.append(n)
    return found


def _is_mapping(lines: list[str], opening: int) -> bool:
    """Whether the lines after ``opening`` up to a closing ``---`` or ``...`` are
    a YAML mapping (what pandoc takes as metadata), or YAML it cannot read."""
    for end in range(opening + 1, len(lines)):
        if lines[end].rstrip() in ("---", "..."):
            try:
                return isinstance(yaml.safe_load("\n".join(lines[opening + 1 : end])), dict)
            except yaml.YAMLError:
                return True
    return False


def check_no_metadata(lines: list[str], body_start: int, path: str, body: Node) -> None:
    """Refuse a block of the body that pandoc, reading the letter as one
    document, takes as metadata (``body``: the body as :func:`read_ast` read it)."""
    openings = _openings(lines, body_start)
    if not openings:
        return
    text = "\n".join(lines[body_start:])
    try:
        as_one = pandoc.markdown_to_ast(text, path, f"{READER}-pandoc_title_block")
        taken = bool(as_one["meta"]) or soft_breaks_to_spaces(as_one)["blocks"] != body["blocks"]
    except ToolError:
        taken = True  # YAML pandoc cannot read: pandoc refuses the whole letter
    if not taken:
        return
    line = next((n for n in openings if _is_mapping(lines, n)), openings[0])
    raise SourceError(
        "lines between two '---' lines are a YAML metadata block to pandoc, which no "
        f"reader would see: {_INSTEAD}",
        Location(path, line + 1),
    )

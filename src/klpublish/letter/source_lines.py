"""The line of the letter a node of its body comes from.

Pandoc's Markdown reader keeps no positions, and the text of a node is no
guide to its line: ``\\<td>`` on line 9 holds the text ``<td>`` as the raw tag
on line 15 does, a picture is named on every line that shows it, and pandoc
gives ``\\ifstrequal{a}{b}{TRUE}{FALSE}`` as the raw TeX ``FALSE``. So the body
is read again by the same reader, a growing number of lines at a time (a
binary search, a dozen readings for a thousand lines, only when a letter is
refused): the node is the n-th of its kind in the letter, and its line is the
first whose reading holds n of them. Pandoc, not a search, says what is an
escape, code, or the node.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from klpublish import pandoc
from klpublish.letter.nodes import Node, iter_nodes

Same = Callable[[Node], bool]
"""Whether a node is one of the kind being located."""


def occurrence(blocks: list[Node], node: Node, same: Same) -> int:
    """How many nodes ``same`` takes stand before ``node`` (itself, by identity)
    in document order."""
    count = 0
    for other in iter_nodes(blocks):
        if other is node:
            return count
        count += same(other)
    return count


def nth_line(
    lines: list[str], body_start: int, path: str, reader: str, same: Same, n: int
) -> int | None:
    """The 1-based line on which the ``n``-th (from 0) node ``same`` takes in
    the body stands; None when the whole body, read again, has no such node."""

    def count(end: int) -> int:
        doc = pandoc.markdown_to_ast("\n".join(lines[body_start:end]), path, reader)
        return sum(1 for other in iter_nodes(doc["blocks"]) if same(other))

    low, high = body_start + 1, len(lines)
    if high < low or count(high) <= n:
        return None
    while low < high:
        middle = (low + high) // 2
        low, high = (low, middle) if count(middle) > n else (middle + 1, high)
    return low


_COMMAND = re.compile(r"(?<!\\)(?:\\\\)*(\\[A-Za-z@]+\*?)")


def tex_command(line: str) -> str | None:
    """The first TeX command written on ``line`` (not escaped) with its braced
    arguments, as the author wrote it: ``\\ifstrequal{\\x}{ja}{TRUE}{FALSE}``."""
    found = _COMMAND.search(line)
    if found is None:
        return None
    end = found.end(1)
    while end < len(line) and line[end] in "{[":
        closing = {"{": "}", "[": "]"}[line[end]]
        depth, at = 0, end
        while at < len(line):
            depth += line[at] == line[end]
            depth -= line[at] == closing
            at += 1
            if depth == 0:
                break
        if depth:
            break
        end = at
    return line[found.start(1) : end]

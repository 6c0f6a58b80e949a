"""The Pandoc AST as Python data: its node types and the one visitor every stage reads it with.

Below everything that reads a letter (the letter's own checks, the segments'
walk, the renderers and the gate), so that none of them imports another for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

Node = dict[str, Any]
Inlines = list[Node]
Blocks = list[Node]

LEAVES = frozenset({"Str", "Code", "Math", "RawInline"})
"""The nodes that hold text themselves (a ``Math`` node's is its formula)."""
SPACES = frozenset({"Space", "SoftBreak", "LineBreak"})
"""The nodes that read as a space."""


def nodes(value: Any, skip: Callable[[Node], bool] | None = None) -> Iterator[Node]:
    """Every AST node under ``value``, depth first in document order; the
    children of a node for which ``skip`` says yes are not visited.

    A stack, not recursion: a hostile letter may nest deeper than Python's
    recursion limit, and a yield costs the same at any depth."""
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if "t" in item:
                yield item
                if skip is not None and skip(item):
                    continue
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))


def copy_tree(value: Any) -> Any:
    """A copy of a Pandoc AST value, its dicts and lists new (its strings and
    numbers never change in place). Several times faster than ``copy.deepcopy``,
    which keeps a memo for objects shared between places: a parsed AST shares none.
    Recursive, as ``deepcopy`` is, at one frame per level instead of two."""
    if isinstance(value, dict):
        return {key: copy_tree(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copy_tree(item) for item in value]
    return value


def iter_nodes(value: Any) -> Iterator[Node]:
    """Every AST node under ``value`` (depth first, document order)."""
    return nodes(value)


def plain_text(inlines: Inlines) -> str:
    """The readable text of inlines (Str contents, alt texts, code), in order:
    not a note's text (it is a segment of its own), not a link's target."""
    return nodes_and_text(inlines, enter_note=lambda note: False)[1]


_LEFT_NOTE = object()
"""Put on the walk's stack under a note's children: met again, the note is left."""


def nodes_and_text(inlines: Inlines, enter_note: Callable[[Node], bool]) -> tuple[list[Node], str]:
    """Every node under ``inlines`` in document order, a note's only where
    ``enter_note`` says so, and their readable text (``plain_text``'s, which
    holds no note's words): one walk for the checks, which read both."""
    found: list[Node] = []
    text: list[str] = []
    notes = 0  # how many notes the walk is inside
    stack: list[Any] = [inlines]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            kind = item.get("t")
            if kind is not None:
                found.append(item)
                if notes == 0 and kind in LEAVES:
                    content = item["c"]
                    text.append(content if isinstance(content, str) else str(content[-1]))
                elif notes == 0 and kind in SPACES:
                    text.append(" ")
                elif kind == "Note":
                    if not enter_note(item):
                        continue
                    notes += 1
                    stack.append(_LEFT_NOTE)
            stack.extend(reversed(list(item.values())))
        elif item is _LEFT_NOTE:
            notes -= 1
    return found, "".join(text)


def soft_breaks_to_spaces(value: Any) -> Any:
    """Line wrapping in the source is not content: a SoftBreak is a Space."""
    if isinstance(value, dict):
        if value.get("t") == "SoftBreak":
            return {"t": "Space"}
        return {k: soft_breaks_to_spaces(v) for k, v in value.items()}
    if isinstance(value, list):
        return [soft_breaks_to_spaces(v) for v in value]
    return value

"""A figure's caption in the PDF's tag tree, placed as the reader meets it.

Typst tags a figure of one image with a caption as a ``Div`` holding the ``Caption``
first and then the image's ``Figure`` (with its ``/Alt``). A screen reader follows the
tag tree, so it would read the caption before the image it captions, and, where the
caption says what the alternative text says, the same text twice. Here the tree is
set to the rule every format follows (``letter.figures``):

- caption and alternative text differ: the ``Figure``, then its ``Caption`` after it,
  side by side in the ``Div``, which the PDF Association's Tagged PDF Best Practice
  Guide recommends for ISO 32000-1 (the caption after the figure it captions);
- they say the same: the ``Caption`` inside the ``Figure``. A ``Figure``'s ``/Alt`` is
  read in place of everything the element holds (ISO 32000-1, 14.9.3), so the text is
  read once, and the tree still holds the caption as a ``Caption``.

A table's caption belongs inside its ``Table`` (ISO 32000-1, 14.8.4.3.4: the Caption
is the table's first or last kid). Typst puts it there, except when it puts a scaled
table in a ``Div`` of its own: then the ``Caption`` stands beside that ``Div`` and is
moved into the ``Table``, so every language's PDF says the same thing.

Nothing else of the file changes; a letter without such figures or tables is not opened.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from typing import Any

from klpublish.errors import ToolError
from klpublish.letter.figures import FigureText


def _name(value: Any) -> str:
    return str(value)[1:] if str(value).startswith("/") else str(value)


def _kids(element: Any) -> list[Any]:
    import pikepdf

    kids = element.get("/K")
    return list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]


def _elements(node: Any) -> Iterator[Any]:
    """Structure elements under ``node`` in document order (a stack, not recursion)."""
    import pikepdf

    stack = list(reversed(_kids(node)))
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Dictionary) and "/S" in item:
            yield item
            stack.extend(reversed(_kids(item)))


def _structure_kids(element: Any) -> list[Any]:
    return [k for k in _kids(element) if hasattr(k, "get") and "/S" in k]


def _lone_figure(element: Any, kind: str = "Figure") -> Any:
    """The Figure (or other ``kind``) that ``element`` is, or that it alone holds
    through Divs (Typst puts a Div around what it scales to the text's width)."""
    while _name(element.S) == "Div":
        kids = _kids(element)  # all kids: a Div with content of its own is kept
        if len(kids) != 1 or not hasattr(kids[0], "get") or "/S" not in kids[0]:
            return None
        element = kids[0]
    return element if _name(element.S) == kind else None


def _captioned(root: Any) -> list[tuple[Any, Any, Any]]:
    """(group, caption, figure) of each Div that Typst made of a Caption and a Figure."""
    found = []
    for element in _elements(root):
        kids = _structure_kids(element)
        if _name(element.S) != "Div" or len(kids) != 2 or _name(kids[0].S) != "Caption":
            continue
        figure = _lone_figure(kids[1])
        if figure is not None:
            figure.P = element
            found.append((element, kids[0], figure))
    return found


def _squeezed(text: str) -> str:
    return " ".join(text.split())


def _tables_own_captions(root: Any) -> None:
    """Each table Caption that stands beside its table's Div, moved into the Table."""
    import pikepdf

    for element in list(_elements(root)):
        kids = _structure_kids(element)
        if _name(element.S) != "Div" or len(kids) != 2 or _name(kids[0].S) != "Caption":
            continue
        table = _lone_figure(kids[1], "Table")
        if table is None:
            continue
        caption = kids[0]
        table.K = pikepdf.Array([caption, *_kids(table)])
        caption.P = table
        table.P = element
        element.K = pikepdf.Array([table])


def place_captions(
    pdf: bytes, figures: Sequence[FigureText], what: str, *, tables: bool = False
) -> bytes:
    """``pdf`` (Typst's) with each captioned figure's tags as the rule says; ``figures``
    are the letter's figures of one image with a caption, in order; ``tables``: the
    letter has a table with a caption. A PDF whose figures are not those is an error,
    never a file tagged by guess."""
    if not figures and not tables:
        return pdf
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        root = document.Root.get("/StructTreeRoot")
        if root is not None:
            _tables_own_captions(root)
        groups = _captioned(root) if root is not None else []
        if len(groups) != len(figures):
            raise ToolError(
                f"{what}: Typst tagged {len(groups)} captioned figure(s), "
                f"the letter has {len(figures)}"
            )
        for n, ((group, caption, figure), text) in enumerate(
            zip(groups, figures, strict=True), start=1
        ):
            alt = _squeezed(str(figure.get("/Alt", "")))
            if alt != _squeezed(text.alt):
                raise ToolError(f"{what}: figure {n} says {alt!r}, the letter {text.alt!r}")
            if text.read_once:
                figure.K = pikepdf.Array([*_kids(figure), caption])
                caption.P = figure
                group.K = pikepdf.Array([figure])
            else:
                group.K = pikepdf.Array([figure, caption])
        out = io.BytesIO()
        # The file's identifier from its content: the same letter gives the same bytes.
        document.save(out, deterministic_id=True)
        return out.getvalue()

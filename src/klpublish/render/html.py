"""The HTML page: one self-contained file per language."""

from __future__ import annotations

from pathlib import Path

from klpublish import pandoc
from klpublish.letter.nodes import Node
from klpublish.project import package_template
from klpublish.render.context import page_attributes
from klpublish.render.guard import Guarded, guard


def render_html(doc: Node | Guarded, letter_folder: str) -> bytes:
    """The page; its images are embedded as ``data:`` URIs read by ``guard``, so
    pandoc reads no file and fetches nothing. Every attribute value the template
    writes comes from ``page_attributes``, escaped for its place."""
    css = package_template("letter.css").read_text(encoding="utf-8")
    safe = guard(doc, Path(letter_folder), "HTML").inline
    # Made after the guard, which refuses raw HTML anywhere in the document.
    page = {**safe, "meta": {**safe["meta"], "attr": page_attributes(safe["meta"])}}
    return pandoc.ast_to_bytes(
        page,
        "html5",
        "HTML",
        {"variables": {"css": css}, "wrap_text": "wrap-none", "section_divs": True},
        template=str(package_template("letter.html")),
    )

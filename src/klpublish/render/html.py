"""The HTML page: one self-contained file per language."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .. import pandoc
from ..segments import Node
from .guard import with_data_uris


def template_path(name: str) -> str:
    return str(resources.files("klpublish") / "templates" / name)


def render_html(doc: Node, letter_folder: str) -> bytes:
    """The page; its images are embedded as ``data:`` URIs read by ``guard``, so
    pandoc reads no file and fetches nothing."""
    css = (resources.files("klpublish") / "templates" / "letter.css").read_text(encoding="utf-8")
    safe = with_data_uris(doc, Path(letter_folder), "HTML")
    return pandoc.ast_to_bytes(
        safe,
        "html5",
        "HTML",
        {"variables": {"css": css}, "wrap_text": "wrap-none", "section_divs": True},
        template=template_path("letter.html"),
    )

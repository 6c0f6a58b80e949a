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
    html = pandoc.ast_to_bytes(
        page,
        "html5",
        "HTML",
        {"variables": {"css": css}, "wrap_text": "wrap-none", "section_divs": True},
        template=str(package_template("letter.html")),
    )
    return notes_after_closing(html)


_NOTES = b'<section id="footnotes" class="footnotes footnotes-end-of-document" role="doc-endnotes">'
_CLOSING = b'<div class="closing">'
_ARTICLE_END = b"</article>"


def notes_after_closing(html: bytes) -> bytes:
    """The page with the letter's notes after its closing and signatures, where
    the EPUB and a printed letter have them: pandoc ends ``$body$`` with the notes,
    and the template can only set the closing after it, so a screen reader would
    read the notes before "Kind regards". Pandoc writes this opening tag only for
    its own notes (a heading's section carries its ``level`` class), and the notes
    hold no section, so the first ``</section>`` closes them."""
    start = html.rfind(_NOTES)
    if start < 0:
        return html
    end = html.index(b"</section>", start) + len(b"</section>")
    after = html[end:].lstrip(b"\n")
    if not after.startswith(_CLOSING):
        return html
    notes = html[start:end]
    rest = html[:start] + after
    close = rest.index(_ARTICLE_END, start)
    return rest[:close] + notes + b"\n" + rest[close:]

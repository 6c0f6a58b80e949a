"""``build/index.html``: every published language and format, each row in its
own language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from importlib import resources

from babel.numbers import format_decimal

from ..layout import Layout
from ..locales import language_facts

FORMAT_KEYS = ("html", "epub", "pdf")


def _size(num_bytes: int, lang: str) -> str:
    return f"{format_decimal(round(num_bytes / 1024, 1), locale=lang)} kB"


def index_row(layout: Layout, code: str) -> str:
    """One language's row: its name and a link to each format there is, in
    that language. Made where the language is built: it loads the locale."""
    facts = language_facts(code)
    cells = []
    for fmt in FORMAT_KEYS:
        path = layout.output(code, fmt)
        if not path.is_file():
            cells.append("<td></td>")
            continue
        href = layout.link_from_index(code, fmt)
        label = escape(facts.labels[fmt])
        size = escape(_size(path.stat().st_size, code))
        cells.append(
            f'<td><a href="{escape(href)}" hreflang="{code}" type="{_mime(fmt)}">{label}</a>'
            f' <span class="size">({size})</span></td>'
        )
    return (
        f'<tr lang="{code}" dir="{facts.direction}"><th scope="row">{escape(facts.name)}</th>'
        + "".join(cells)
        + "</tr>"
    )


def render_index(
    layout: Layout, langs: Sequence[str], page_lang: str, rows: Mapping[str, str] | None = None
) -> bytes:
    """``rows``: rows already made for some languages (see ``index_row``)."""
    page = language_facts(page_lang)
    templates = resources.files("klpublish") / "templates"
    css = (templates / "letter.css").read_text(encoding="utf-8")
    index_css = (templates / "index.css").read_text(encoding="utf-8")
    made = rows or {}
    body = [made[code] if code in made else index_row(layout, code) for code in langs]
    labels = page.labels
    head = "".join(
        f'<th scope="col">{escape(x)}</th>' for x in (labels["language"], "HTML", "EPUB", "PDF")
    )
    return f"""<!DOCTYPE html>
<html lang="{page.code}" dir="{page.direction}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(labels["index-title"])}</title>
<style>
{css}
{index_css}
</style>
</head>
<body>
<div class="page">
<main>
<h1>{escape(labels["index-title"])}</h1>
<p>{escape(labels["index-intro"])}</p>
<table class="formats">
<caption>{escape(labels["formats"])}</caption>
<thead><tr>{head}</tr></thead>
<tbody>
{chr(10).join(body)}
</tbody>
</table>
</main>
</div>
</body>
</html>
""".encode()


def _mime(fmt: str) -> str:
    return {"html": "text/html", "epub": "application/epub+zip", "pdf": "application/pdf"}[fmt]

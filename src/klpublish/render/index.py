"""``build/index.html``: every published language and format, each row in its
own language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from importlib import resources

from ..labels import Label, Labels, project_labels
from ..layout import Layout
from ..locales import LanguageFacts, bcp47, language_facts

FORMAT_KEYS = ("html", "epub", "pdf")


def _size(num_bytes: int, facts: LanguageFacts) -> str:
    """The file's size in the language's own number style and digits; the unit
    symbol is the same in every language CLDR knows."""
    return f"{facts.decimal(round(num_bytes / 1024, 1))}\u00a0kB"


def _word(label: Label, facts: LanguageFacts) -> str:
    """A label, marked with its language where it is not the row's own."""
    words = escape(label.text)
    if label.lang == facts.code:
        return words
    return f'<span lang="{bcp47(label.lang)}">{words}</span>'


def index_row(layout: Layout, code: str, labels: Labels) -> str:
    """One language's row: its name and a link to each format there is, in
    that language. Made where the language is built: it loads the locale."""
    facts = language_facts(code)
    tag = facts.tag
    cells = []
    for fmt in FORMAT_KEYS:
        path = layout.output(code, fmt)
        if not path.is_file():
            cells.append("<td></td>")
            continue
        href = layout.link_from_index(code, fmt)
        label = _word(labels[f"format-{fmt}"], facts)
        size = escape(_size(path.stat().st_size, facts))
        cells.append(
            f'<td><a href="{escape(href)}" hreflang="{tag}" type="{_mime(fmt)}">{label}</a>'
            f' <span class="size">({size})</span></td>'
        )
    return (
        f'<tr lang="{tag}" dir="{facts.direction}"><th scope="row">{escape(facts.name)}</th>'
        + "".join(cells)
        + "</tr>"
    )


def render_index(
    layout: Layout, langs: Sequence[str], page_lang: str, rows: Mapping[str, str] | None = None
) -> bytes:
    """``rows``: rows already made for some languages (see ``index_row``)."""
    templates = resources.files("klpublish") / "templates"
    css = (templates / "letter.css").read_text(encoding="utf-8")
    index_css = (templates / "index.css").read_text(encoding="utf-8")
    made = rows or {}
    body = [
        made[code]
        if code in made
        else index_row(layout, code, project_labels(code, layout.labels_catalog(code)))
        for code in langs
    ]
    labels = project_labels(page_lang, layout.labels_catalog(page_lang))
    title = labels["index-title"]
    page = language_facts(title.lang)
    head = "".join(
        f'<th scope="col">{_word(labels[key], page)}</th>'
        for key in ("index-language", *(f"format-{fmt}" for fmt in FORMAT_KEYS))
    )
    return f"""<!DOCTYPE html>
<html lang="{page.tag}" dir="{page.direction}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title.text)}</title>
<style>
{css}
{index_css}
</style>
</head>
<body>
<div class="page">
<main>
<h1>{escape(title.text)}</h1>
<p>{_word(labels["index-intro"], page)}</p>
<table class="formats">
<caption>{_word(labels["index-formats"], page)}</caption>
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

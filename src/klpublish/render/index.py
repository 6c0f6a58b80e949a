"""``build/index.html``: every published letter, newest first, and for each its
languages and formats, each row in its own language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape

from babel import Locale, UnknownLocaleError

from klpublish.catalogs.labels import Label, Labels, project_labels
from klpublish.locales import LanguageFacts, language_facts
from klpublish.project import Layout, package_template
from klpublish.render.escape import html_attribute as attr
from klpublish.render.escape import url

FORMAT_KEYS = ("html", "epub", "pdf")


@dataclass(frozen=True)
class LetterEntry:
    """One letter on the index page."""

    layout: Layout
    title: Label
    """The letter's title in its own (source) language."""
    date: dt.date | None
    langs: tuple[str, ...]
    """Its published languages, the source language first."""
    titles: Mapping[str, Label] = field(default_factory=dict)
    """Its title in each language that has one (see ``translated_title``)."""
    rows: Mapping[str, str] = field(default_factory=dict)
    """Rows already made for some languages (see ``index_row``)."""


def translated_title(text: str, lang: str, source: Label) -> Label:
    """A language's title, as the index shows it: an untranslated one is the
    source's, and is marked as being in the source's language."""
    return source if not text or text == source.text else Label(text, lang)


def _size(num_bytes: int, facts: LanguageFacts) -> str:
    """The file's size in the language's own number style and digits; the unit
    symbol is the same in every language CLDR knows."""
    return f"{facts.decimal(round(num_bytes / 1024, 1))}\u00a0kB"


def _word(label: Label, facts: LanguageFacts, *, escaped: bool = False) -> str:
    """A label, marked with its language where it is not the row's own; ``escaped``:
    its text is HTML already."""
    words = label.text if escaped else escape(label.text)
    if label.lang == facts.code:
        return words
    facts_of_label = language_facts(label.lang)
    return (
        f'<span lang="{attr(facts_of_label.tag)}" dir="{attr(facts_of_label.direction)}">'
        f"{words}</span>"
    )


def index_row(layout: Layout, code: str, labels: Labels, title: Label) -> str:
    """One language's row: its name, the letter's title, and a link to each format
    there is, in that language. Made where the language is built: it loads the locale."""
    facts = language_facts(code)
    tag = attr(facts.tag)
    cells = [f"<td>{_word(title, facts)}</td>"]
    for fmt in FORMAT_KEYS:
        path = layout.output(code, fmt)
        if not path.is_file():
            cells.append("<td></td>")
            continue
        href = layout.link_from_index(code, fmt)
        label = _word(labels[f"format-{fmt}"], facts)
        size = escape(_size(path.stat().st_size, facts))
        cells.append(
            f'<td><a href="{attr(url(href))}" hreflang="{tag}" type="{attr(_mime(fmt))}">'
            f"{label}</a>"
            f' <span class="size">({size})</span></td>'
        )
    return (
        f'<tr lang="{tag}" dir="{attr(facts.direction)}"><th scope="row">{escape(facts.name)}</th>'
        + "".join(cells)
        + "</tr>"
    )


def newest_first(entries: Sequence[LetterEntry]) -> list[LetterEntry]:
    """By date, newest first; undated letters last, then by name."""
    return sorted(
        entries,
        key=lambda e: (e.date is None, -(e.date.toordinal() if e.date else 0), e.layout.name),
    )


def _letter(entry: LetterEntry, labels: Labels, page: LanguageFacts) -> str:
    layout = entry.layout
    rows = [
        entry.rows[code]
        if code in entry.rows
        else index_row(
            layout,
            code,
            project_labels(code, layout.project.labels_catalog(code)),
            entry.titles.get(code, entry.title),
        )
        for code in entry.langs
    ]
    head = "".join(
        f'<th scope="col">{_word(labels[key], page)}</th>'
        for key in ("index-language", "index-letter-title", *(f"format-{f}" for f in FORMAT_KEYS))
    )
    # The table is named after its letter (by its heading), so that a screen-reader
    # user moving from table to table hears which letter's formats each one holds;
    # the caption, then not the name, is its description (HTML-AAM).
    heading_id = attr(f"letter-{layout.name}")
    date = (
        f'<p class="date"><time datetime="{attr(entry.date.isoformat())}">'
        f"{escape(page.long_date(entry.date))}</time></p>"
        if entry.date
        else ""
    )
    return f"""<section aria-labelledby="{heading_id}">
<h2 id="{heading_id}">{_word(entry.title, page)}</h2>
{date}
<table class="formats" aria-labelledby="{heading_id}">
<caption>{_word(labels["index-formats"], page)}</caption>
<thead><tr>{head}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
</section>"""


def render_index(entries: Sequence[LetterEntry], locales: Layout, page_lang: str) -> bytes:
    """The page, in ``page_lang`` (the first letter's source language), with the
    layout's words from ``locales``'s catalogs."""
    css = package_template("letter.css").read_text(encoding="utf-8")
    index_css = package_template("index.css").read_text(encoding="utf-8")
    labels = project_labels(page_lang, locales.project.labels_catalog(page_lang))
    title = labels["index-title"]
    page = language_facts(title.lang)
    letters = "\n".join(_letter(e, labels, page) for e in newest_first(entries) if e.langs)
    reviews = _reviews(newest_first(entries), locales, page_lang)
    return f"""<!DOCTYPE html>
<html lang="{attr(page.tag)}" dir="{attr(page.direction)}">
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
{letters}
{reviews}
</main>
</div>
</body>
</html>
""".encode()


def _reviews(entries: Sequence[LetterEntry], locales: Layout, page_lang: str) -> str:
    """Links to the review pages there are (``klpublish review``), for reviewers, in
    the index's language; none: nothing."""
    labels = project_labels(page_lang, locales.project.labels_catalog(page_lang), review=True)
    page = language_facts(page_lang)
    title = labels["review-title"]
    items = []
    for entry in entries:
        layout = entry.layout
        for lang in layout.languages():
            if not layout.review_page(lang).is_file():
                continue
            try:
                name = Locale.parse(lang).get_display_name(Locale.parse(page_lang)) or lang
            except (ValueError, UnknownLocaleError):  # a folder's name, never checked as a code
                continue
            heading = _word(entry.title, page)
            text = (
                escape(title.text).replace("{title}", heading).replace("{language}", escape(name))
            )
            href = attr(url(layout.review_link_from_index(lang)))
            said = _word(Label(text, title.lang), page, escaped=True)
            items.append(f'<li><a href="{href}">{said}</a></li>')
    if not items:
        return ""
    return f"""<section aria-labelledby="reviews">
<h2 id="reviews">{_word(labels["review-index"], page)}</h2>
<p>{_word(labels["review-index-intro"], page)}</p>
<ul>
{chr(10).join(items)}
</ul>
</section>"""


def _mime(fmt: str) -> str:
    return {"html": "text/html", "epub": "application/epub+zip", "pdf": "application/pdf"}[fmt]

"""``build/review/<name>.<lang>.html``: a letter's Danish and one translation side by
side, segment by segment, for a reviewer who never opens a ``.po`` file.

Each segment is a section under its own heading (``Segment 12: Fuzzy``), numbered in
the letter's order, holding one description list: the Danish, the translation (each
in its own language and direction), then what a reviewer needs beside them. A
screen-reader user moves from segment to segment by heading; the printed page keeps
each segment whole. Every value is escaped here, for its place; segment text comes
from pandoc (``review_text``). The page's own words are the ``review-*`` entries of the
layout's catalogs, in the reviewer's language (``--ui``)."""

from __future__ import annotations

import math
import re
from html import escape

from babel import Locale
from babel.numbers import format_decimal, format_percent

from klpublish.catalogs.labels import Label, Labels
from klpublish.errors import Severity
from klpublish.letter.nodes import Inlines
from klpublish.locales import bcp47, language_facts
from klpublish.project import package_template
from klpublish.render.escape import html_attribute as attr
from klpublish.render.review_diff import Spoken, diff_html
from klpublish.render.review_model import ReviewPage, Row, Said, State, Term
from klpublish.render.review_text import Html, ImageText

_PLACEHOLDER = re.compile(r"\{([a-z]+)\}")


class Words:
    """The page's words in the reviewer's language ``ui``: each label escaped, marked
    with its language where that is not the page's, its placeholders filled."""

    def __init__(self, labels: Labels, ui: str) -> None:
        self.labels = labels
        self.ui = ui
        self.locale = Locale.parse(ui)

    def __call__(self, key: str, **values: Html) -> Html:
        label = self.labels[f"review-{key}"]
        pieces = _PLACEHOLDER.split(label.text)
        out = [
            values.get(piece, escape(f"{{{piece}}}")) if n % 2 else escape(piece, quote=False)
            for n, piece in enumerate(pieces)
        ]
        return self.marked(label, Html("".join(out)))

    def marked(self, label: Label, inner: Html) -> Html:
        if label.lang == self.ui:
            return inner
        facts = language_facts(label.lang)
        return Html(f'<span lang="{attr(facts.tag)}" dir="{attr(facts.direction)}">{inner}</span>')

    def text(self, key: str) -> str:
        """A label as plain text (for the page's ``<title>``)."""
        return self.labels[f"review-{key}"].text

    def language(self, lang: str) -> str:
        """A language's name in the reviewer's language (``tysk``)."""
        return Locale.parse(lang).get_display_name(self.locale) or lang

    def percent(self, value: float) -> Html:
        # Rounded down: 79.6 % must not read as the 80 % a threshold asks for.
        return Html(escape(format_percent(math.floor(value) / 100, locale=self.locale)))

    def number(self, value: int) -> Html:
        return Html(escape(format_decimal(value, locale=self.locale)))

    @property
    def spoken(self) -> Spoken:
        inserted, deleted = self.labels["review-inserted"], self.labels["review-deleted"]
        return Spoken(inserted.text, deleted.text, bcp47(inserted.lang))


def _in(lang: str, inner: str, tag: str = "span") -> Html:
    facts = language_facts(lang)
    return Html(f'<{tag} lang="{attr(facts.tag)}" dir="{attr(facts.direction)}">{inner}</{tag}>')


def _code(value: str) -> Html:
    """A file name and line. Not ``<code>``: in code, Orca names every ``/`` and ``.``."""
    return Html(f'<span class="path" dir="ltr">{escape(value, quote=False)}</span>')


def _capital(name: str) -> str:
    return name[:1].upper() + name[1:]


def _title(page: ReviewPage, say: Words) -> tuple[str, Html]:
    """The page's title as text (``<title>``) and as HTML (its heading)."""
    language = say.language(page.lang)
    text = say.text("title").replace("{title}", page.title).replace("{language}", language)
    heading = say(
        "title",
        title=_in(page.source_lang, escape(page.title, quote=False)),
        language=Html(escape(language, quote=False)),
    )
    return text, heading


def _publishing(page: ReviewPage, say: Words) -> str:
    key = "published" if page.published else "not-published"
    lines = [say(key, percent=say.percent(page.percent), threshold=say.percent(page.threshold))]
    if page.errors:
        lines.append(say("errors", count=say.number(page.errors)))
    return "\n".join(f"<p>{line}</p>" for line in lines)


def _said(found: Said, say: Words) -> Html:
    """A finding: its kind in the reviewer's words, its message as the checks say it
    (in English), where it is fixed."""
    kind = say("error" if found.severity is Severity.ERROR else "warning")
    where = f" ({_code(found.where)})" if found.where else ""
    return Html(f"<strong>{kind}</strong> {_in('en', escape(found.message, quote=False))}{where}")


def _summary(page: ReviewPage, say: Words) -> str:
    counts = "\n".join(
        f"<li>{say('state-' + state.value)}: {say.number(page.count(state))}</li>"
        for state in State
    )
    attention = [
        f'<li><a href="#{attr(row.anchor)}">{_row_name(row, say)}</a></li>'
        for row in page.rows
        if row.needs_attention
    ]
    jumps = (
        f'<ul class="attention">\n{chr(10).join(attention)}\n</ul>'
        if attention
        else f"<p>{say('attention-none')}</p>"
    )
    whole = ""
    if page.findings:
        items = "\n".join(f"<li>{_said(f, say)}</li>" for f in page.findings)
        whole = f"<h3>{say('catalog-findings')}</h3>\n<ul>\n{items}\n</ul>"
    return f"""<h2>{say("summary")}</h2>
<h3>{say("publishing")}</h3>
{_publishing(page, say)}
<h3>{say("states")}</h3>
<ul class="counts">
{counts}
</ul>
<h3>{say("attention")}</h3>
{jumps}
{whole}"""


def _row_name(row: Row, say: Words) -> Html:
    return say("row", number=say.number(row.number), state=say("state-" + row.state.value))


def _item(label: Html, value: str, lang: str = "", extra: str = "") -> str:
    where = ""
    if lang:
        facts = language_facts(lang)
        where = f' lang="{attr(facts.tag)}" dir="{attr(facts.direction)}"'
    return f"<div{extra}><dt>{label}</dt><dd{where}>{value}</dd></div>"


def _term(term: Term, page: ReviewPage, say: Words) -> Html:
    source = _in(page.source_lang, escape(term.source, quote=False))
    targets = _in(page.lang, escape(" / ".join(term.targets), quote=False))
    if not term.compared:
        return say("term-open", term=source, targets=targets)
    if term.used is not None:
        return say("term-used", term=source, target=_in(page.lang, escape(term.used, quote=False)))
    return say("term-missing", term=source, targets=targets)


def _block(lang: str, inner: str, kind: str) -> str:
    """A paragraph in ``lang``, which sets its own direction (and so its alignment)."""
    facts = language_facts(lang)
    return (
        f'<p class="{attr(kind)}" lang="{attr(facts.tag)}" dir="{attr(facts.direction)}">'
        f"{inner}</p>"
    )


def _translation(row: Row, page: ReviewPage, say: Words) -> str:
    """What the reader of the translation gets, and a translation that is not used."""
    if row.translation is not None:
        return f"<p>{row.translation}</p>"
    source = say.language(page.source_lang)
    parts = [
        _block(say.ui, say("reader-gets", language=Html(escape(source))), "note"),
        _block(page.source_lang, row.source, "fallback"),
    ]
    if row.unused is not None:
        parts += [_block(say.ui, say("unused"), "note"), f'<p class="unused">{row.unused}</p>']
    return "\n".join(parts)


def _notes(row: Row, page: ReviewPage, say: Words) -> list[str]:
    items = []
    if row.diff:
        changes = diff_html(row.diff, say.spoken)
        items.append(_item(say("changed"), f"<p>{changes}</p>", page.source_lang))
    if row.memory is not None:
        where = _code(row.memory.where)
        said = (
            say("memory-exact", origin=where)
            if row.memory.ratio is None
            else say("memory-near", ratio=say.percent(100 * row.memory.ratio), origin=where)
        )
        items.append(_item(say("memory"), said))
    if row.terms:
        terms = "".join(f"<li>{_term(t, page, say)}</li>" for t in row.terms)
        items.append(_item(say("glossary"), f"<ul>{terms}</ul>"))
    if row.findings:
        found = "".join(f"<li>{_said(f, say)}</li>" for f in row.findings)
        items.append(_item(say("findings"), f"<ul>{found}</ul>"))
    for comment in row.comments:
        items.append(_item(say("translator-comment"), escape(comment, quote=False), page.lang))
    # Quoted as the template says it: alone, a word such as "Figure" would be taken
    # for the screen reader's own word for a figure.
    items.append(_item(say("about"), f"“{escape(row.about, quote=False)}”", "en"))
    fix = _code(row.fix) if row.fix else say("not-in-catalog")
    items.append(_item(say("fix"), fix))
    items.append(_item(say("source"), _code(row.source_line)))
    return items


def _row(row: Row, page: ReviewPage, say: Words) -> str:
    texts = [
        _item(
            Html(escape(_capital(say.language(page.source_lang)))),
            f"<p>{row.source}</p>",
            page.source_lang,
            ' class="text"',
        ),
        _item(
            Html(escape(_capital(say.language(page.lang)))),
            _translation(row, page, say),
            page.lang,
            ' class="text"',
        ),
    ]
    body = "\n".join([*texts, *_notes(row, page, say)])
    return f"""<section class="row {attr(row.state.value)}" id="{attr(row.anchor)}">
<h3>{_row_name(row, say)}</h3>
<dl>
{body}
</dl>
</section>"""


def render_review(page: ReviewPage, labels: Labels, ui: str) -> bytes:
    """The page, in the reviewer's language ``ui``."""
    say = Words(labels, ui)
    facts = language_facts(ui)
    css = package_template("letter.css").read_text(encoding="utf-8")
    review_css = package_template("review.css").read_text(encoding="utf-8")
    title, heading = _title(page, say)
    rows = "\n".join(_row(row, page, say) for row in page.rows)
    return f"""<!DOCTYPE html>
<html lang="{attr(facts.tag)}" dir="{attr(facts.direction)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>
{css}
{review_css}
</style>
</head>
<body class="review">
<div class="page">
<main>
<h1>{heading}</h1>
<p>{say("intro")}</p>
<p>{say("catalog", file=_code(page.po))}</p>
{_summary(page, say)}
<h2>{say("segments")}</h2>
{rows}
</main>
</div>
</body>
</html>
""".encode()


def image_text(labels: Labels) -> ImageText:
    """An image on the review page: its alternative text, after the reviewer's
    word for an image, in the reviewer's language."""
    label = labels["review-image"]
    before, _, after = label.text.partition("{text}")
    facts = language_facts(label.lang)
    mark = ["", [], [["lang", facts.tag], ["dir", facts.direction]]]

    def said(text: str) -> Inlines:
        return [{"t": "Span", "c": [mark, [{"t": "Str", "c": text}]]}] if text else []

    return lambda alt: [*said(before), *alt, *said(after)]

"""One language's review page as data (``render.review_model``): each segment of the
letter in its order, with its entry of the catalog, what the checks found at that
entry (the assessment's, the same as ``lint`` says), the glossary's terms, and its
text as the reader sees it (``render.review_text``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from babel.messages.catalog import Catalog
from babel.messages.catalog import Message as Entry

from klpublish.build.assessment import Refused, Translated
from klpublish.catalogs.glossary import read_glossary, terms_held, uses_form
from klpublish.catalogs.glossary_terms import Glossary
from klpublish.catalogs.memory_origin import origin_of, translator_comments
from klpublish.catalogs.po import parse_catalog, read_catalog
from klpublish.errors import KlpublishError, Severity, TranslationError, display_path
from klpublish.letter import budgets
from klpublish.letter.nodes import Inlines, iter_nodes, plain_text
from klpublish.letter.read import Letter
from klpublish.project import Layout
from klpublish.render.review_diff import word_diff
from klpublish.render.review_model import Row, Said, State, Term
from klpublish.render.review_text import Html, ImageText, inert, render_fragments
from klpublish.segments import markdown
from klpublish.segments.messages import Message
from klpublish.segments.walk import notes_in
from klpublish.translation.translate import sanitise

Assessed = Translated | Refused


@dataclass
class Entries:
    """One language's catalog and what was found in it, by the entry's line."""

    po: str
    catalog: Catalog
    found: dict[int, list[Said]]
    glossary: Glossary | None

    def entry(self, message: Message) -> Entry | None:
        return self.catalog.get(message.msgid, message.context)

    def line(self, message: Message) -> int | None:
        entry = self.entry(message)
        return entry.lineno if entry is not None and entry.lineno else None


def findings(assessed: Assessed, po: str) -> tuple[dict[int, list[Said]], list[Said]]:
    """The assessment's errors and warnings by the line of ``po`` they are at, and
    those at no line of it (its header, the layout's words, a glossary)."""
    errors = assessed.located if isinstance(assessed, Refused) else ()
    said = [(e, Severity.ERROR) for e in errors] + [
        (w, Severity.WARNING) for w in assessed.warnings
    ]
    by_line: dict[int, list[Said]] = {}
    elsewhere = []
    for problem, severity in said:
        where = problem.location
        one = Said(severity, problem.message, str(where) if where is not None else "")
        if where is not None and where.path == po and where.line:
            by_line.setdefault(where.line, []).append(one)
        else:
            elsewhere.append(one)
    return by_line, elsewhere


def read_entries(layout: Layout, lang: str, assessed: Assessed) -> tuple[Entries, list[Said]]:
    """The catalog, read as every command reads it; a broken one raises."""
    po = display_path(layout.po_path(lang))
    catalog = parse_catalog(read_catalog(layout.catalog(lang)), po, locale=lang)
    by_line, elsewhere = findings(assessed, po)
    glossary = None
    try:
        path = layout.project.glossary(lang)
        glossary = read_glossary(path, display_path(path), lang) if path is not None else None
    except (KlpublishError, OSError):
        pass  # the assessment says why (``check_glossary``), among ``elsewhere``
    return Entries(po, catalog, by_line, glossary), elsewhere


def state_of(entry: Entry | None, errors: bool, used: bool) -> State:
    if entry is None or not entry.string:
        return State.UNTRANSLATED
    if entry.fuzzy:
        return State.FUZZY
    if errors or not used:
        return State.ERROR
    return State.MEMORY if origin_of(entry.user_comments) is not None else State.TRANSLATED


def terms(glossary: Glossary | None, message: Message, entry: Entry | None) -> tuple[Term, ...]:
    if glossary is None:
        return ()
    translation = str(entry.string) if entry is not None and entry.string else ""
    if budgets.length_problem(message.msgid, translation) is not None:
        translation = ""  # refused as too long: no words to weigh
    found = []
    for held in terms_held(glossary, message.msgid):
        if not held.targets:
            continue
        targets = tuple(t.text for t in held.targets)
        used = next(
            (t for t in targets if translation and uses_form(t, translation, glossary.lang)), None
        )
        found.append(Term(held.source[0].text, targets, used, bool(translation)))
    return tuple(found)


@dataclass(frozen=True)
class Texts:
    """What pandoc reads for one page: the translations not used, and the Danish
    each fuzzy one was made for (``#|``), by row."""

    unused: dict[int, str | Inlines]
    previous: dict[int, str]


def _unused_and_previous(
    letter: Letter, messages: Sequence[Message], entries: Entries, used: set[int]
) -> Texts:
    """Each translation the catalog holds but the reader does not get, read as the
    letter's translations are (within the same budgets), and the previous Danish
    of each fuzzy entry, as plain text; a text that cannot be read stays as written."""
    reader = markdown.reader_for({n["t"] for n in iter_nodes(letter.doc)})
    wanted: list[tuple[str, int, int, str]] = []  # kind, row, notes, text
    for n, m in enumerate(messages):
        entry = entries.entry(m)
        if entry is None or not entry.string or m.site.index in used:
            continue
        notes = len(notes_in(m.site.inlines))
        text = str(entry.string)
        if budgets.translation_problem(m.msgid, text, reader) is None:
            wanted.append(("unused", n, notes, text))
        if entry.fuzzy and entry.previous_id:
            wanted.append(("previous", n, notes, str(entry.previous_id[0])))
    try:
        read = markdown.parse([w[3] for w in wanted], [w[2] for w in wanted], entries.po, reader)
    except markdown.ReadTimedOut:
        read = [TranslationError("not read in time") for _ in wanted]
    unused: dict[int, str | Inlines] = {}
    previous: dict[int, str] = {}
    for (kind, n, _, text), inlines in zip(wanted, read, strict=True):
        if kind == "unused":
            source = messages[n].site.inlines
            unused[n] = sanitise(inlines, source) if isinstance(inlines, list) else text
        else:
            previous[n] = plain_text(inlines) if isinstance(inlines, list) else text
    for n, m in enumerate(messages):  # what the budgets refused before reading
        entry = entries.entry(m)
        if entry is not None and entry.string and m.site.index not in used:
            unused.setdefault(n, str(entry.string))
    return Texts(unused, previous)


@dataclass(frozen=True)
class Rendered:
    """Each row's texts as HTML: the Danish, the translation used, the one not used."""

    source: list[Html]
    translation: dict[int, Html]
    unused: dict[int, Html]


def _rendered(
    messages: Sequence[Message], placed: dict[int, Inlines], texts: Texts, image: ImageText, po: str
) -> Rendered:
    """Every text of the page through pandoc at once; one it could not read, as written."""
    fragments = [inert(sanitise(m.site.inlines, m.site.inlines), image) for m in messages]
    used = [n for n, m in enumerate(messages) if m.site.index in placed]
    fragments += [inert(placed[messages[n].site.index], image) for n in used]
    readable = {n: text for n, text in texts.unused.items() if isinstance(text, list)}
    fragments += [inert(text, image) for text in readable.values()]
    html = render_fragments(fragments, f"the review page of {po}")
    count = len(messages)
    unused = {
        n: Html(escape(t, quote=False)) for n, t in texts.unused.items() if isinstance(t, str)
    }
    unused.update({n: html[count + len(used) + k] for k, n in enumerate(readable)})
    return Rendered(html[:count], {n: html[count + k] for k, n in enumerate(used)}, unused)


def make_rows(
    letter: Letter,
    messages: Sequence[Message],
    entries: Entries,
    assessed: Assessed,
    image: ImageText,
) -> list[Row]:
    """The page's rows, in the letter's order."""
    placed = {p.site.index: p.inlines for p in assessed.placed if p.translated}
    texts = _unused_and_previous(letter, messages, entries, set(placed))
    html = _rendered(messages, placed, texts, image, entries.po)
    rows = []
    for n, m in enumerate(messages):
        entry = entries.entry(m)
        line = entries.line(m)
        found = tuple(entries.found.get(line, [])) if line else ()
        errors = any(f.severity is Severity.ERROR for f in found)
        previous = texts.previous.get(n)
        comments = list(entry.user_comments) if entry is not None else []
        rows.append(
            Row(
                number=n + 1,
                state=state_of(entry, errors, m.site.index in placed),
                source=html.source[n],
                translation=html.translation.get(n),
                unused=html.unused.get(n),
                about=m.comment,
                source_line=f"{letter.path}:{m.line}",
                fix=f"{entries.po}:{line}" if line else None,
                diff=tuple(word_diff(previous, plain_text(m.site.inlines))) if previous else (),
                memory=origin_of(comments),
                terms=terms(entries.glossary, m, entry),
                findings=found,
                comments=tuple(translator_comments(comments)),
            )
        )
    return rows

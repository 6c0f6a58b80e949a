"""Rebuild the letter in another language from its catalog, through the same walk.

Untranslated, fuzzy and unusable entries fall back to the source text, marked
with the source language so that readers and screen readers know.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from babel.messages.catalog import Catalog

from klpublish.errors import Location, TranslationError, located
from klpublish.letter import budgets
from klpublish.letter.nodes import Inlines, Node, iter_nodes
from klpublish.letter.policy import NODE_USES, TargetError, Use, judge
from klpublish.letter.read import Letter
from klpublish.letter.reading_cost import estimate
from klpublish.segments import markdown
from klpublish.segments.locate import locate
from klpublish.segments.messages import Message, letter_messages
from klpublish.segments.walk import Site, notes_in, sites_of, walk
from klpublish.translation.checkers import check_pair
from klpublish.translation.pair import Pair


@dataclass(frozen=True)
class Placed:
    """What the reader gets at one segment, and where it is mended: a translation
    as used, at its catalog entry, or the source's own text, at its line."""

    site: Site
    inlines: Inlines
    where: Location
    translated: bool
    """False: the source's text, in the source's language (a fallback)."""


@dataclass
class Outcome:
    """What happened to each segment of one language's letter."""

    translated: int = 0
    untranslated: int = 0
    fuzzy: int = 0
    problems: list[TranslationError] = field(default_factory=list)
    """Errors: the segment fell back to the source, and the language is not published."""
    warnings: list[TranslationError] = field(default_factory=list)
    placed: list[Placed] = field(default_factory=list)
    """Every segment of the translated letter, in the walk's order."""

    @property
    def total(self) -> int:
        return self.translated + self.untranslated + self.fuzzy + self.failed

    @property
    def failed(self) -> int:
        """Segments whose translation was refused (at most one problem counted each)."""
        return len({str(p.location) for p in self.problems})

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


def mark_language(inlines: Inlines, lang: str) -> Inlines:
    """``inlines`` marked as being in ``lang``. An image alone (a figure's) carries the
    mark itself: wrapped in a span, it would no longer be the figure's image, and
    pandoc would then show its caption to screen readers beside an alternative text
    that says the same (``letter.figures``)."""
    if len(inlines) == 1 and inlines[0]["t"] == "Image":
        (ident, classes, attrs), description, target = inlines[0]["c"]
        marked = [*(kv for kv in attrs if kv[0] != "lang"), ["lang", lang]]
        return [{"t": "Image", "c": [[ident, classes, marked], description, target]}]
    return [{"t": "Span", "c": [["", [], [["lang", lang]]], inlines]}]


def _readable(
    messages: list[Message], catalog: Catalog, po_path: str, reader: str, outcome: Outcome
) -> dict[int, tuple[str, int]]:
    """Each segment's translation to read, with its entry's line (by site);
    those refused before reading (see ``budgets``), alone or with the catalog's
    others, go to ``outcome``."""
    wanted: dict[int, tuple[str, int]] = {}
    sources: dict[int, tuple[str, str]] = {}
    for m in messages:
        entry = catalog.get(m.msgid, m.context)
        if entry is None or not entry.string or entry.fuzzy:
            continue
        line = entry.lineno or 0
        problem = budgets.translation_problem(m.msgid, str(entry.string), reader)
        if problem is None:
            wanted[m.site.index] = (str(entry.string), line)
            sources[m.site.index] = (m.msgid, str(entry.string))
        else:
            outcome.problems.append(TranslationError(problem, Location(po_path, line)))
    for index, problem in budgets.catalog_problems(sources, reader).items():
        _, line = wanted.pop(index)
        outcome.problems.append(TranslationError(problem, Location(po_path, line)))
    return wanted


def _timed_out(
    exc: markdown.ReadTimedOut, texts: list[tuple[str, int]], po_path: str
) -> TranslationError:
    """The deadline passed on translations read together: name their lines,
    the costliest by the estimate first (see ``reading_cost``)."""
    read = sorted((texts[i] for i in exc.texts), key=lambda t: -estimate(t[0]).total)
    lines = [line for _, line in read]
    which = (
        "this msgstr"
        if len(lines) == 1
        else f"the msgstrs at lines {', '.join(map(str, lines))} together (costliest first)"
    )
    return TranslationError(
        f"pandoc took more than {exc.seconds:g} s reading {which} and was stopped: look for "
        "deeply nested brackets or markup",
        Location(po_path, lines[0] if lines else 0),
    )


Read = tuple[str, Inlines | TranslationError]
"""A translation as written, and as pandoc read it (or why it could not)."""


def _read(
    letter: Letter, messages: list[Message], catalog: Catalog, po_path: str, outcome: Outcome
) -> dict[int, Read]:
    """Each segment's translation read in one pandoc request (by site); those
    refused before reading go to ``outcome``."""
    reader = markdown.reader_for({n["t"] for n in iter_nodes(letter.doc)})
    found = _readable(messages, catalog, po_path, reader, outcome)
    order = sorted(found)
    notes = {m.site.index: len(notes_in(m.site.inlines)) for m in messages}
    try:
        parsed = markdown.parse(
            [found[i][0] for i in order], [notes[i] for i in order], po_path, reader
        )
    except markdown.ReadTimedOut as exc:
        raise _timed_out(exc, [found[i] for i in order], po_path) from exc
    return {i: (found[i][0], result) for i, result in zip(order, parsed, strict=True)}


def _chosen(
    message: Message, read: Read | None, catalog: Catalog, where: Location, outcome: Outcome
) -> Inlines | None:
    """The segment's translation if it may be used, else None; either way
    counted in ``outcome``, with what the checks found at its entry (``where``)."""
    entry = catalog.get(message.msgid, message.context)
    source = message.site.inlines
    text, inlines = read if read is not None else ("", None)
    if isinstance(inlines, list):
        errors, warnings = located(check_pair(Pair(message.msgid, source, text, inlines)), where)
        outcome.problems += errors
        outcome.warnings += warnings
        if not errors:
            outcome.translated += 1
            return sanitise(inlines, source)
    elif isinstance(inlines, TranslationError):
        outcome.problems.append(TranslationError(inlines.message, where))
    elif entry is not None and entry.string and entry.fuzzy:
        outcome.fuzzy += 1
    else:
        outcome.untranslated += 1
    return None


def translate_letter(
    letter: Letter, catalog: Catalog, po_path: str, messages: list[Message] | None = None
) -> tuple[Node, Outcome]:
    """The letter's AST in the catalog's language, and how each segment fared.

    ``messages`` are the letter's own (``letter_messages``), when the caller has them."""
    if messages is None:
        messages = letter_messages(letter)
    outcome = Outcome()
    results = _read(letter, messages, catalog, po_path, outcome)
    by_site = {m.site.index: m for m in messages}
    lines: list[int] = []

    def source_line(site: Site) -> Location:
        message = by_site.get(site.index)
        if message is not None:
            return Location(letter.path, message.line)
        if not lines:  # a segment with no letters has no message, nor its line
            lines.extend(locate(sites_of(letter.doc), letter.lines, letter.body_start))
        return Location(letter.path, lines[site.index])

    def choose(site: Site) -> Inlines | None:
        message = by_site.get(site.index)
        if message is not None:
            entry = catalog.get(message.msgid, message.context)
            where = Location(po_path, entry.lineno if entry is not None and entry.lineno else 0)
            found = _chosen(message, results.get(site.index), catalog, where, outcome)
            if found is not None:
                outcome.placed.append(Placed(site, found, where, True))
                return found
        outcome.placed.append(Placed(site, site.inlines, source_line(site), False))
        # An empty segment (nothing to translate) stays as it is, unmarked.
        return None if message is None else mark_language(site.inlines, letter.lang)

    doc, _ = walk(letter.doc, choose)
    return doc, outcome


def source_placed(letter: Letter) -> list[Placed]:
    """Every segment of the letter in its own language, at its source line."""
    sites = sites_of(letter.doc)
    lines = locate(sites, letter.lines, letter.body_start)
    return [
        Placed(site, site.inlines, Location(letter.path, line), False)
        for site, line in zip(sites, lines, strict=True)
    ]


def safe_target(url: str, use: Use = Use.LINK) -> bool:
    """Whether the policy (``targets.judge``) allows ``url`` as ``use``."""
    try:
        judge(url, use)
    except TargetError:
        return False
    return True


def sanitise(inlines: Inlines, source: Inlines) -> Inlines:
    """Make translated inlines inert: links and images only to safe targets, and
    attributes only as the source segment had them (no ``onclick``, no ``style``)."""
    allowed_attrs = [n["c"][0] for n in iter_nodes(source) if n["t"] in _ATTR_NODES]

    def visit(value: Any) -> Any:
        if isinstance(value, list):
            out: list[Any] = []
            for item in value:
                out.extend(visit_node(item) if isinstance(item, dict) else [visit(item)])
            return out
        return value

    def visit_node(node: Node) -> list[Node]:
        t = node.get("t")
        c: Any = node.get("c")
        if t in ("Link", "Image"):
            attr, content, (url, title) = c
            if not safe_target(url, NODE_USES[t]):
                return visit(content) if t == "Link" else [{"t": "Str", "c": _alt(content)}]
            c = [_attr(attr), visit(content), [url, title]]
            return [{"t": t, "c": c}]
        if t in ("Span", "Code"):
            return [{"t": t, "c": [_attr(c[0]), visit(c[1])]}]
        if t in ("RawInline",):
            return [{"t": "Str", "c": str(c[1])}]
        if isinstance(c, list):
            return [{"t": t, "c": visit(c)}]
        return [node]

    def _attr(attr: list[Any]) -> list[Any]:
        return attr if attr in allowed_attrs else ["", [], []]

    result: Inlines = visit(inlines)
    return result


_ATTR_NODES = ("Link", "Image", "Span", "Code")


def _alt(content: Inlines) -> str:
    from klpublish.letter.nodes import plain_text

    return plain_text(content)

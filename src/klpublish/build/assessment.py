"""Each language translated and checked once, with an explicit verdict.

A language is in exactly one state: the source itself, translated and
publishable, below the completeness threshold, refused (a broken catalog or
translation errors), or known only from the build cache. Each state holds what
is true of it and nothing else, so a caller never has to guess what a missing
field means.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from babel.messages.catalog import Catalog

from klpublish.build import cache
from klpublish.build.need import EveryLanguage, Need
from klpublish.build.workers import Shared, Workers, shared_value
from klpublish.catalogs.labels import project_labels
from klpublish.catalogs.po import check_header, parse_catalog, read_catalog
from klpublish.errors import KlpublishError, Location, TranslationError, display_path
from klpublish.letter.fonts import catalog_problems
from klpublish.letter.nodes import Node
from klpublish.letter.read import Letter
from klpublish.locales import language_facts
from klpublish.project import Layout, check_lang_code
from klpublish.segments.messages import Message, letter_messages
from klpublish.translation.translate import Placed, translate_letter

EVERY_LANGUAGE = EveryLanguage()


@dataclass(frozen=True)
class Counts:
    """How a catalog's entries for the letter stand."""

    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    obsolete: int = 0


@dataclass(frozen=True)
class Verdict:
    """What every state knows: the language, its name (in itself, or its code
    when the code is not a language), how much is translated, and the
    build-cache key of its inputs (see ``cache.verdict_key``)."""

    lang: str
    name: str
    percent: float
    key: str

    @property
    def publishable(self) -> bool:
        return False

    @property
    def errors(self) -> tuple[str, ...]:
        return ()

    @property
    def warnings(self) -> tuple[TranslationError, ...]:
        return ()

    @property
    def note(self) -> str:
        return ""


@dataclass(frozen=True)
class Source(Verdict):
    doc: Node

    @property
    def publishable(self) -> bool:
        return True


@dataclass(frozen=True)
class Translated(Verdict):
    doc: Node
    counts: Counts
    found: tuple[TranslationError, ...]
    """Warnings: worth a look, not a reason to hold the language back."""
    placed: tuple[Placed, ...] = ()
    """Each segment as the reader gets it, and where it came from (see ``content``)."""

    @property
    def publishable(self) -> bool:
        return True

    @property
    def warnings(self) -> tuple[TranslationError, ...]:
        return self.found


@dataclass(frozen=True)
class BelowThreshold(Verdict):
    counts: Counts
    threshold: float

    @property
    def note(self) -> str:
        return (
            f"not published: {self.percent:.0f}% translated, below the "
            f"{self.threshold:.0f}% threshold"
        )


@dataclass(frozen=True)
class Refused(Verdict):
    """The catalog could not be read, or its translations have errors."""

    counts: Counts
    problems: tuple[str, ...]
    found: tuple[TranslationError, ...] = ()
    located: tuple[KlpublishError, ...] = ()
    """The errors said in ``problems``, each with its place (the review page's rows)."""
    placed: tuple[Placed, ...] = ()
    """Each segment as the reader would get it (see ``Translated.placed``)."""

    @property
    def errors(self) -> tuple[str, ...]:
        return self.problems

    @property
    def warnings(self) -> tuple[TranslationError, ...]:
        return self.found


@dataclass(frozen=True)
class Cached(Verdict):
    """Not translated in this run: the verdict of an earlier run on the same inputs."""

    was_publishable: bool

    @property
    def publishable(self) -> bool:
        return self.was_publishable


Assessment = Source | Translated | BelowThreshold | Refused | Cached


def document(assessment: Assessment) -> Node:
    """The letter in the assessed language; only a publishable state has one."""
    if not isinstance(assessment, Source | Translated):
        raise TypeError(f"{assessment.lang}: no document in state {type(assessment).__name__}")
    return assessment.doc


def count_entries(catalog: Catalog, template_ids: Collection[tuple[str, str | None]]) -> Counts:
    translated = fuzzy = 0
    for key in template_ids:
        message = catalog.get(*key)
        if message is not None and message.string:
            if message.fuzzy:
                fuzzy += 1
            else:
                translated += 1
    untranslated = len(template_ids) - translated - fuzzy
    return Counts(translated, fuzzy, untranslated, len(catalog.obsolete))


@dataclass(frozen=True)
class Job:
    """What every task of one run needs."""

    letter: Letter
    layout: Layout
    threshold: float
    messages: list[Message]
    glossary: bool = True
    """Whether to weigh the glossary: its warnings are for lint and status only."""
    languages: bool = True
    """Whether to ask which language each block reads as (``language_id``): for
    lint, status and the gate, not for publishing."""


def verdict_keys(letter: Letter, layout: Layout, threshold: float, need: Need) -> dict[str, str]:
    """The verdict key of each language ``need`` wants (the source language's too, first)."""
    source = cache.source_digest(letter)
    others = (lang for lang in layout.languages() if lang != letter.lang and need.wanted(lang))
    langs = [letter.lang, *others]
    return {lang: cache.verdict_key(source, layout, lang, threshold) for lang in langs}


def assess_languages(
    letter: Letter,
    layout: Layout,
    threshold: float,
    need: Need = EVERY_LANGUAGE,
    messages: list[Message] | None = None,
    workers: Workers | None = None,
    job: Shared | None = None,
) -> dict[str, Assessment]:
    """Translate and check each language ``need`` wants, once; the source language
    comes first. A verdict ``need`` lets come from the build cache is taken from
    there when its inputs have not changed (see ``need``).
    ``job`` is what the translating tasks share (the letter and its ``messages``);
    it is made from the other arguments when not given.
    """
    keys = verdict_keys(letter, layout, threshold, need)
    name = language_facts(letter.lang).name
    found: dict[str, Assessment] = {
        letter.lang: Source(letter.lang, name, 100.0, keys[letter.lang], letter.doc)
    }
    todo = []
    for lang, key in keys.items():
        if lang == letter.lang:
            continue
        known = None if need.fresh(lang) else cache.cached_verdict(layout, lang, key)
        if known is None:
            todo.append(lang)
        else:
            percent, publishable, cached_name = known
            found[lang] = Cached(lang, cached_name, percent, key, publishable)
    if todo and job is None:
        messages = messages or letter_messages(letter)  # one pandoc run for every language
        job = Shared(Job(letter, layout, threshold, messages))
    for assessment in assess_many(job, [(lang, keys[lang]) for lang in todo], workers):
        found[assessment.lang] = assessment
        cache.remember_verdict(
            layout,
            assessment.lang,
            assessment.key,
            assessment.percent,
            assessment.publishable,
            assessment.name,
        )
    return {lang: found[lang] for lang in keys}


def assess_many(
    job: Shared | None, langs: Sequence[tuple[str, str]], workers: Workers | None
) -> list[Assessment]:
    """``langs``: (language, its verdict key) pairs."""
    if not langs:
        return []
    assert job is not None
    tasks = [(job, *pair) for pair in langs]
    return (workers or Workers(1)).map(_assess_task, tasks, _task_name)


def _task_name(task: tuple[Shared, str, str]) -> str:
    return f"language {task[1]} (translating and checking it)"


def _assess_task(task: tuple[Shared, str, str]) -> Assessment:
    shared, lang, key = task
    job: Job = shared_value(shared)
    return assess_one(
        job.letter,
        job.layout,
        lang,
        key,
        job.threshold,
        job.messages,
        job.glossary,
        job.languages,
    )


def assess_one(
    letter: Letter,
    layout: Layout,
    lang: str,
    key: str,
    threshold: float,
    messages: list[Message],
    glossary: bool = True,
    languages: bool = True,
) -> Assessment:
    try:
        check_lang_code(lang, Location(display_path(layout.project.language_folder(lang)), 0))
        # Read once: the bytes checked (msgfmt, header) are the bytes used.
        data = read_catalog(layout.catalog(lang))
        catalog = parse_catalog(data, display_path(layout.po_path(lang)), locale=lang)
        words = project_labels(lang, layout.project.labels_catalog(lang))
    except KlpublishError as exc:
        return Refused(lang, lang, 0.0, key, Counts(), (str(exc),), located=(exc,))
    name = language_facts(lang).name
    ids = list(dict.fromkeys((m.msgid, m.context) for m in messages))
    letter_counts = count_entries(catalog, ids)
    # The layout's words are entries too: the reader sees them (see ``labels``).
    counts = Counts(
        letter_counts.translated + words.translated,
        letter_counts.fuzzy + words.fuzzy,
        letter_counts.untranslated + words.total - words.translated - words.fuzzy,
        letter_counts.obsolete,
    )
    total = len(ids) + words.total
    percent = 100.0 * counts.translated / total if total else 100.0
    if percent < threshold:
        return BelowThreshold(lang, name, percent, key, counts, threshold)
    po = display_path(layout.po_path(lang))
    try:
        doc, outcome = translate_letter(letter, catalog, po, messages)
    except KlpublishError as exc:  # a translation pandoc could not read in time, say
        return Refused(lang, name, percent, key, counts, (str(exc),), located=(exc,))
    header = check_header(data, po, lang)
    warnings = (
        *(TranslationError(w.message, w.location) for w in header),
        *outcome.warnings,
        *words.warnings,
        *(_glossary_warnings(layout, lang, catalog, ids, po) if glossary else ()),
        *(_language_warnings(outcome.placed, lang, po, letter.lang) if languages else ()),
    )
    # Characters no font of the PDF has: refused here, so lint and status say so too.
    errors = (*outcome.problems, *words.problems, *catalog_problems(catalog, ids, po))
    if errors:
        said = tuple(str(e) for e in errors)
        placed = tuple(outcome.placed)
        return Refused(lang, name, percent, key, counts, said, warnings, errors, placed)
    return Translated(lang, name, percent, key, doc, counts, warnings, tuple(outcome.placed))


# Warnings only lint and status ask for: publish does not import their modules
# (the glossary's TBX reader and stemmer, the language identifier).


def _glossary_warnings(
    layout: Layout, lang: str, catalog: Catalog, ids: list[tuple[str, str | None]], po: str
) -> list[TranslationError]:
    from klpublish.catalogs.glossary import check_glossary

    return check_glossary(layout, lang, catalog, ids, po)


def _language_warnings(
    placed: Sequence[Placed], lang: str, po: str, source_lang: str
) -> list[TranslationError]:
    from klpublish.translation.language_id import language_warnings

    return language_warnings(placed, lang, po, source_lang)

"""Publishing: every language, every format, and the index page.

Each language is parsed and translated once, then written in each format, on as
many cores as ``jobs`` allows. Only what changed is redone (see ``build_cache``).
A language that fails leaves its earlier outputs as they were; the others go on.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog

from . import build_cache
from .catalog import load_catalog
from .errors import KlpublishError, Location, display_path
from .extract import Message, letter_messages
from .fileio import remove_stale_temporaries, write_if_changed
from .layout import Layout, check_lang_code
from .locales import language_facts
from .render.context import Alternate, RenderContext, with_context
from .segments import Node
from .source import Letter, letter_date, read_letter
from .translate import Outcome, translate_letter
from .workers import Workers

FORMATS = ("html", "epub", "pdf")
DEFAULT_THRESHOLD = 80.0


@dataclass
class LanguageResult:
    lang: str
    percent: float = 0.0
    published: bool = False
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    note: str = ""


@dataclass
class Report:
    languages: list[LanguageResult] = field(default_factory=list)
    publishable: list[str] = field(default_factory=list)
    """Every language that can be published, wanted in this run or not (for the index)."""

    @property
    def failed(self) -> list[LanguageResult]:
        return [r for r in self.languages if r.errors]


def catalog_completeness(catalog: Catalog, template_ids: set[tuple[str, str | None]]) -> float:
    """Share of the template's entries with a usable (non-fuzzy) translation."""
    if not template_ids:
        return 100.0
    done = sum(
        1
        for key in template_ids
        if (m := catalog.get(*key)) is not None and m.string and not m.fuzzy
    )
    return 100.0 * done / len(template_ids)


def output_path(out: Path, lang: str, fmt: str) -> Path:
    return out / lang / f"letter.{lang}.{fmt}"


def renderer(fmt: str) -> Callable[[Node, RenderContext, Letter], bytes]:
    from .render import epub, html, pdf

    return {
        "html": lambda doc, ctx, letter: html.render_html(doc, str(Path(letter.path).parent)),
        "epub": epub.render_epub,
        "pdf": pdf.render_pdf,
    }[fmt]


def output_epoch(letter_date: dt.date | None) -> int:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return int(epoch)
    if letter_date is None:
        return 0
    return int(dt.datetime.combine(letter_date, dt.time(), dt.UTC).timestamp())


@dataclass
class Assessment:
    """One language, translated and checked: whether it can be published."""

    lang: str
    doc: Node | None
    outcome: Outcome | None
    percent: float
    errors: list[str]
    note: str = ""
    catalog: Catalog | None = None
    known_publishable: bool | None = None
    """From the cache, for a language that was not translated in this run."""

    @property
    def publishable(self) -> bool:
        if self.known_publishable is not None:
            return self.known_publishable
        return self.doc is not None and not self.errors and not self.note


def verdict_keys(letter: Letter, layout: Layout, threshold: float) -> dict[str, str]:
    """Each language's verdict key (the source language's too, first)."""
    source = build_cache.source_digest(letter)
    langs = [letter.lang, *(lang for lang in layout.languages() if lang != letter.lang)]
    return {lang: build_cache.verdict_key(source, layout, lang, threshold) for lang in langs}


def assess_languages(
    letter: Letter,
    layout: Layout,
    threshold: float,
    need: Collection[str] | None = None,
    messages: list[Message] | None = None,
    workers: Workers | None = None,
) -> dict[str, Assessment]:
    """Translate and check each language once; the source language comes first.

    With ``need``, only those languages are sure to be translated: the others'
    verdicts (for the language switcher) come from the build cache when their
    inputs have not changed, so N languages built one by one cost N checks, not N².
    """
    keys = verdict_keys(letter, layout, threshold)
    del keys[letter.lang]
    found = {letter.lang: _assess_source(letter)}
    todo = []
    for lang, key in keys.items():
        known = None
        if need is not None and lang not in need:
            known = build_cache.cached_verdict(layout, lang, key)
        if known is None:
            todo.append(lang)
        else:
            found[lang] = Assessment(lang, None, None, known[0], [], known_publishable=known[1])
    if todo and messages is None:
        messages = letter_messages(letter)  # one pandoc run for every language
    for assessment in _assess_many(letter, layout, threshold, todo, messages or [], workers):
        found[assessment.lang] = assessment
        build_cache.remember_verdict(
            layout,
            assessment.lang,
            keys[assessment.lang],
            assessment.percent,
            assessment.publishable,
        )
    order = [letter.lang, *keys]
    return {lang: found[lang] for lang in order}


@dataclass(frozen=True)
class _Shared:
    """What forked workers inherit instead of reading it again."""

    letter: Letter
    layout: Layout
    threshold: float
    messages: list[Message]


_shared: _Shared | None = None


def _assess_many(
    letter: Letter,
    layout: Layout,
    threshold: float,
    langs: Sequence[str],
    messages: list[Message],
    workers: Workers | None,
) -> list[Assessment]:
    global _shared
    _shared = _Shared(letter, layout, threshold, messages)
    if workers is None:
        return [_assess_shared(lang) for lang in langs]
    return workers.map(_assess_shared, langs)


def _assess_shared(lang: str) -> Assessment:
    assert _shared is not None
    s = _shared
    assessment = _assess_one(s.letter, s.layout, lang, s.threshold, s.messages)
    if multiprocessing.parent_process() is not None:
        assessment.catalog = None  # the parent needs the verdict, not the catalog
    return assessment


def _assess_source(letter: Letter) -> Assessment:
    return Assessment(letter.lang, letter.doc, None, 100.0, [])


def _assess_one(
    letter: Letter, layout: Layout, lang: str, threshold: float, messages: list[Message]
) -> Assessment:
    try:
        check_lang_code(lang, Location(display_path(layout.locales / lang), 0))
        catalog = load_catalog(layout.po_path(lang), locale=lang)
    except KlpublishError as exc:
        return Assessment(lang, None, None, 0.0, [str(exc)])
    percent = catalog_completeness(catalog, {(m.msgid, m.context) for m in messages})
    if percent < threshold:
        note = f"not published: {percent:.0f}% translated, below the {threshold:.0f}% threshold"
        return Assessment(lang, None, None, percent, [], note, catalog)
    po = display_path(layout.po_path(lang))
    doc, outcome = translate_letter(letter, catalog, po, messages)
    errors = [str(p) for p in outcome.problems]
    return Assessment(lang, doc, outcome, percent, errors, catalog=catalog)


def publish(
    layout: Layout,
    langs: Sequence[str] = (),
    formats: Sequence[str] = FORMATS,
    threshold: float = DEFAULT_THRESHOLD,
    progress: Callable[[str], None] = lambda line: None,
    jobs: int = 1,
) -> Report:
    """Write each wanted language's outputs whose inputs changed since the last run.

    A language is translated only when it has to be: its catalog changed, its
    outputs are out of date, or it failed before (to report why again).
    """
    letter = read_letter(layout.source)
    source_lang = check_lang_code(letter.lang, Location(letter.path, letter.key_line("lang")))
    date = letter_date(letter) if "date" in letter.meta else None
    with Workers(jobs) as workers:
        messages = letter_messages(letter)
        assessed = assess_languages(letter, layout, threshold, (), messages, workers)
        for lang in langs:
            if lang not in assessed:
                raise KlpublishError(
                    f"no catalog for '{lang}': expected {display_path(layout.po_path(lang))}"
                )
        wanted = [lang for lang in assessed if not langs or lang in langs]
        alternates = [
            Alternate(code, language_facts(code).name, f"../{code}/letter.{code}.html", False)
            for code, a in assessed.items()
            if a.publishable
        ]
        # Only a publishable language gets a context: a bad language code has none.
        ready = [lang for lang in wanted if assessed[lang].publishable]
        contexts = {
            lang: RenderContext(
                facts=language_facts(lang),
                date=date,
                alternates=tuple(
                    Alternate(a.code, a.name, a.html, a.code == lang) for a in alternates
                ),
                identifier=f"urn:klpublish:{Path(letter.path).stem}:{lang}",
                source_lang=source_lang,
                epoch=output_epoch(date),
            )
            for lang in ready
        }
        verdicts = verdict_keys(letter, layout, threshold)
        keys = {
            lang: {
                fmt: build_cache.output_key(verdicts[lang], repr(contexts[lang]), fmt)
                for fmt in formats
            }
            for lang in ready
        }
        current = {
            lang: lang in ready
            and all(
                build_cache.output_current(
                    layout, lang, fmt, key, output_path(layout.out, lang, fmt)
                )
                for fmt, key in keys[lang].items()
            )
            for lang in wanted
        }
        # Known only from the cache: translate now if it is to be written, or to
        # say again why it cannot be.
        again = [
            lang
            for lang in wanted
            if assessed[lang].doc is None and not (assessed[lang].publishable and current[lang])
        ]
        for a in _assess_many(letter, layout, threshold, again, messages, workers):
            assessed[a.lang] = a
        todo = [lang for lang in ready if assessed[lang].publishable and not current[lang]]
        jobs_in = [(assessed[lang].doc, contexts[lang], tuple(formats)) for lang in todo]
        rendered = dict(zip(todo, workers.map(_render_shared, jobs_in), strict=True))
    report = Report(publishable=[lang for lang, a in assessed.items() if a.publishable])
    for lang in wanted:
        assessment = assessed[lang]
        result = LanguageResult(lang, assessment.percent, errors=list(assessment.errors))
        result.note = assessment.note
        report.languages.append(result)
        if assessment.outcome is not None:
            for warning in assessment.outcome.warnings:
                progress(f"warning: {warning}")
        if not assessment.publishable:
            continue
        if lang not in rendered:
            result.unchanged = [output_path(layout.out, lang, fmt) for fmt in formats]
            for path in result.unchanged:
                progress(f"up to date {display_path(path)}")
            result.published = True
            continue
        outputs = rendered[lang]
        if isinstance(outputs, str):
            result.errors.append(outputs)
            continue
        # Written only once every format rendered: a failure leaves the old files.
        remove_stale_temporaries(layout.out / lang, "letter.")
        for fmt, data in outputs.items():
            path = output_path(layout.out, lang, fmt)
            changed = write_if_changed(path, data)
            (result.written if changed else result.unchanged).append(path)
            progress(f"{'wrote' if changed else 'unchanged'} {display_path(path)}")
        build_cache.remember_outputs(
            layout, lang, {fmt: (keys[lang][fmt], data) for fmt, data in outputs.items()}
        )
        result.published = True
    return report


RenderJob = tuple[Node | None, RenderContext, tuple[str, ...]]


def _render_shared(job: RenderJob) -> dict[str, bytes] | str:
    """One language in every format, or the error that stopped it."""
    assert _shared is not None
    doc, ctx, formats = job
    assert doc is not None
    try:
        prepared = with_context(doc, ctx)
        return {fmt: renderer(fmt)(prepared, ctx, _shared.letter) for fmt in formats}
    except KlpublishError as exc:
        return str(exc)


def published_languages(layout: Layout, threshold: float = DEFAULT_THRESHOLD) -> list[str]:
    """The source language, then every language that passes the threshold and checks."""
    letter = read_letter(layout.source)
    verdicts = assess_languages(letter, layout, threshold, need=())
    return [a.lang for a in verdicts.values() if a.publishable]


def write_index(
    layout: Layout, threshold: float = DEFAULT_THRESHOLD, langs: Sequence[str] | None = None
) -> tuple[Path, bool]:
    """``langs``: the publishable languages, source first, when the caller knows them."""
    from .render.index import render_index

    if langs is None:
        langs = published_languages(layout, threshold)
    present = [code for code in langs if (layout.out / code).is_dir()]
    path = layout.out / "index.html"
    return path, write_if_changed(path, render_index(layout.out, present, langs[0]))

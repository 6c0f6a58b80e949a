"""Publishing one letter: every language, every format.

Each language is parsed and translated once, then written in each format, on as
many cores as ``jobs`` allows. Only what changed is redone (see ``build_cache``).
A language that fails leaves its earlier outputs as they were; the others go on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from klpublish.build import cache, record
from klpublish.build.assessment import (
    Assessment,
    Cached,
    Job,
    assess_languages,
    assess_many,
    document,
)
from klpublish.build.need import TheseAndCachedVerdicts
from klpublish.build.output_folder import claim
from klpublish.build.report import LanguageResult, Report, Wanted, output_epoch
from klpublish.build.workers import Shared, Workers, shared_value
from klpublish.catalogs.label import Label
from klpublish.errors import KlpublishError, Location, display_path
from klpublish.fileio import build_lock, remove_stale_temporaries, write_all_if_changed, write_error
from klpublish.letter.fill_in import fill_in_warnings
from klpublish.letter.nodes import Node
from klpublish.letter.read import Letter, letter_date, read_letter
from klpublish.project import Layout, check_lang_code
from klpublish.render.context import Alternate, RenderContext, plain_meta, with_context
from klpublish.render.guard import Guarded, guard
from klpublish.segments.messages import letter_messages


def renderer(fmt: str) -> Callable[[Guarded, RenderContext, Letter], bytes]:
    from klpublish.render import epub, html, pdf

    return {
        "html": lambda doc, ctx, letter: html.render_html(doc, str(Path(letter.path).parent)),
        "epub": epub.render_epub,
        "pdf": pdf.render_pdf,
    }[fmt]


EVERYTHING = Wanted()


def publish(
    layout: Layout,
    wanted: Wanted = EVERYTHING,
    progress: Callable[[str], None] = lambda line: None,
    workers: Workers | None = None,
) -> Report:
    """Write each wanted language's outputs whose inputs changed since the last run.

    A language is translated only when it has to be: its catalog changed, its
    outputs are out of date, or it failed before (to report why again).
    One run at a time writes an output folder (``build_lock``), and only a
    folder klpublish made (``output_folder.claim``).
    """
    known = record.recorded(layout, wanted, progress)
    if known is not None:
        return known
    letter = read_letter(layout.source)
    for warning in fill_in_warnings(letter.path, letter.text):
        progress(warning)
    claim(layout.out)
    with build_lock(layout.out):
        images = record.images_of(letter.doc)
        date = letter_date(letter) if "date" in letter.meta else None
        inputs = record.inputs_digest(
            layout, letter.text.encode("utf-8"), images, letter.lang, output_epoch(date)
        )
        report = _publish(_Run.of(letter, layout, wanted, progress, workers or Workers(1)))
        report.inputs = inputs
        every = [letter.lang, *(lang for lang in layout.languages() if lang != letter.lang)]
        facts = record.publish_facts(report, images, letter.lang, every)
        record.remember(layout, record.LETTER, wanted.threshold, inputs, facts)
        return report


@dataclass(frozen=True)
class _Run:
    """One letter's publish run: what it is asked, what does the work, and what
    every language's outputs share."""

    letter: Letter
    layout: Layout
    wanted: Wanted
    progress: Callable[[str], None]
    workers: Workers
    source_lang: str
    date: dt.date | None
    job: Shared

    @classmethod
    def of(
        cls,
        letter: Letter,
        layout: Layout,
        wanted: Wanted,
        progress: Callable[[str], None],
        workers: Workers,
    ) -> _Run:
        where = Location(letter.path, letter.key_line("lang"))
        source_lang = check_lang_code(letter.lang, where)
        date = letter_date(letter) if "date" in letter.meta else None
        messages = letter_messages(letter)
        job = Shared(
            Job(letter, layout, wanted.threshold, messages, glossary=False, languages=False)
        )
        return cls(letter, layout, wanted, progress, workers, source_lang, date, job)


def _publish(run: _Run) -> Report:
    layout, wanted = run.layout, run.wanted
    verdicts = TheseAndCachedVerdicts()
    assessed = assess_languages(
        run.letter, layout, wanted.threshold, verdicts, workers=run.workers, job=run.job
    )
    missing = [lang for lang in wanted.langs if lang not in assessed]
    if missing and not wanted.missing_ok:
        expected = display_path(layout.po_path(missing[0]))
        raise KlpublishError(f"no catalog for '{missing[0]}': expected {expected}")
    langs = [lang for lang in assessed if not wanted.langs or lang in wanted.langs]
    # Only a publishable language gets a context: a bad language code has none.
    contexts = _contexts(run, assessed, [lang for lang in langs if assessed[lang].publishable])
    keys = {
        lang: {fmt: cache.output_key(assessed[lang].key, repr(ctx), fmt) for fmt in wanted.formats}
        for lang, ctx in contexts.items()
    }
    current = {lang for lang, made in keys.items() if _current(layout, lang, made)}
    # Known only from the cache: translate now if it is to be written, or to
    # say again why it cannot be.
    again = [
        (lang, a.key)
        for lang in langs
        if isinstance(a := assessed[lang], Cached) and not (a.publishable and lang in current)
    ]
    for a in assess_many(run.job, again, run.workers):
        assessed[a.lang] = a
    todo = [lang for lang in contexts if assessed[lang].publishable and lang not in current]
    rendered = _render(run, {lang: (document(assessed[lang]), contexts[lang]) for lang in todo})
    report = Report(
        layout,
        letter_title(run.letter),
        run.date,
        publishable=[lang for lang, a in assessed.items() if a.publishable],
    )
    for lang in langs:
        outputs = rendered.get(lang, UP_TO_DATE)
        report.languages.append(_result(run, assessed[lang], outputs, keys.get(lang, {})))
        if isinstance(outputs, Written) and report.languages[-1].published:
            report.index_rows[lang] = outputs.index_row
    return report


def _current(layout: Layout, lang: str, keys: dict[str, str]) -> bool:
    """Whether every output of ``lang`` is the file last written for its key."""
    return all(
        cache.output_current(layout, lang, fmt, key, layout.output(lang, fmt))
        for fmt, key in keys.items()
    )


def _render(run: _Run, todo: dict[str, tuple[Node, RenderContext]]) -> dict[str, Rendered]:
    """Each language's outputs made and written, on as many cores as ``workers`` has."""
    tasks = [(run.job, doc, ctx, run.wanted.formats, run.layout) for doc, ctx in todo.values()]
    made = run.workers.map(_render_task, tasks, _render_name)
    return dict(zip(todo, made, strict=True))


def _contexts(
    run: _Run, assessed: dict[str, Assessment], ready: list[str]
) -> dict[str, RenderContext]:
    """What each language's outputs depend on besides its text, for those in ``ready``."""
    alternates = [
        Alternate(code, a.name, run.layout.link_between(code, "html"), False)
        for code, a in assessed.items()
        if a.publishable
    ]
    return {
        lang: RenderContext(
            lang=lang,
            date=run.date,
            alternates=tuple(Alternate(a.code, a.name, a.html, a.code == lang) for a in alternates),
            identifier=f"urn:klpublish:{Path(run.letter.path).stem}:{lang}",
            source_lang=run.source_lang,
            epoch=output_epoch(run.date),
            labels_po=str(run.layout.project.labels_catalog(lang) or ""),
        )
        for lang in ready
    }


def _result(
    run: _Run, assessment: Assessment, outputs: Rendered, keys: dict[str, str]
) -> LanguageResult:
    """What became of one language, said as it is recorded in the build cache."""
    layout, progress, lang = run.layout, run.progress, assessment.lang
    result = LanguageResult(
        lang, assessment.percent, errors=list(assessment.errors), note=assessment.note
    )
    for warning in assessment.warnings:
        progress(f"warning: {warning}")
    if not assessment.publishable:
        return result
    if isinstance(outputs, UpToDate):
        result.unchanged = [layout.output(lang, fmt) for fmt in run.wanted.formats]
        for path in result.unchanged:
            progress(f"up to date {display_path(path)}")
        result.published = True
        return result
    if isinstance(outputs, RenderFailed):
        result.errors.append(outputs.error)
        return result
    for fmt, (changed, _) in outputs.files.items():
        path = layout.output(lang, fmt)
        (result.written if changed else result.unchanged).append(path)
        progress(f"{'wrote' if changed else 'unchanged'} {display_path(path)}")
    cache.remember_outputs(
        layout,
        lang,
        {fmt: (keys[fmt], digest) for fmt, (_, digest) in outputs.files.items()},
        outputs.title,
    )
    result.published = True
    return result


@dataclass(frozen=True)
class Written:
    """One language's outputs, made and written."""

    files: dict[str, tuple[bool, str]]
    """Format: (whether the file changed, SHA-256 of what it holds)."""
    index_row: str
    title: str
    """The letter's title in this language, as the index shows it."""


@dataclass(frozen=True)
class RenderFailed:
    """The error that stopped one language's outputs; its earlier files stay."""

    error: str


@dataclass(frozen=True)
class UpToDate:
    """Every output of the language was already as its inputs make it: not made again."""


UP_TO_DATE = UpToDate()
Rendered = Written | RenderFailed | UpToDate

RenderTask = tuple[Shared, Node, RenderContext, tuple[str, ...], Layout]


def _render_name(task: RenderTask) -> str:
    return f"language {task[2].lang} (writing its outputs)"


def _render_task(task: RenderTask) -> Written | RenderFailed:
    shared, doc, ctx, formats, layout = task
    letter = shared_value(shared).letter
    try:
        prepared = with_context(doc, ctx)
        # Checked and copied once for every format (see ``guard``).
        safe = guard(prepared, Path(letter.path).parent, formats[0].upper())
        outputs = {fmt: renderer(fmt)(safe, ctx, letter) for fmt in formats}
    except KlpublishError as exc:
        return RenderFailed(str(exc))
    # Written only once every format rendered: a failure leaves the old files.
    files = {}
    try:
        remove_stale_temporaries(layout.output_dir(ctx.lang), layout.output_name(ctx.lang, ""))
        paths = {fmt: layout.output(ctx.lang, fmt) for fmt in outputs}
        changed = write_all_if_changed({paths[fmt]: data for fmt, data in outputs.items()})
        for fmt, data in outputs.items():
            files[fmt] = (changed[paths[fmt]], hashlib.sha256(data).hexdigest())
    except OSError as exc:  # read-only, full, no permission: this language fails
        return RenderFailed(write_error(exc, layout.output_dir(ctx.lang)))
    from klpublish.render.index import index_row, translated_title

    title = plain_meta(prepared["meta"].get("title"))
    label = translated_title(title, ctx.lang, letter_title(letter))
    return Written(files, index_row(layout, ctx.lang, ctx.labels, label), title)


def letter_title(letter: Letter) -> Label:
    return Label(plain_meta(letter.doc["meta"].get("title")), letter.lang)

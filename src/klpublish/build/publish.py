"""Publishing: every language, every format, and the index page.

Each language is parsed and translated once, then written in each format, on as
many cores as ``jobs`` allows. Only what changed is redone (see ``build_cache``).
A language that fails leaves its earlier outputs as they were; the others go on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from klpublish.build import cache
from klpublish.build.assessment import (
    Assessment,
    Cached,
    Job,
    assess_languages,
    assess_many,
    document,
)
from klpublish.build.output_folder import claim
from klpublish.build.workers import Shared, Workers, shared_value
from klpublish.catalogs.labels import Label
from klpublish.errors import KlpublishError, Location, display_path
from klpublish.fileio import (
    build_lock,
    remove_stale_temporaries,
    write_all_if_changed,
    write_error,
    write_if_changed,
)
from klpublish.letter.nodes import Node
from klpublish.letter.read import Letter, letter_date, read_letter
from klpublish.project import DEFAULT_THRESHOLD, FORMATS, Layout, check_lang_code
from klpublish.render.context import Alternate, RenderContext, plain_meta, with_context
from klpublish.segments.messages import letter_messages

if TYPE_CHECKING:
    from klpublish.render.index import LetterEntry


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
    """What became of one letter."""

    layout: Layout
    title: Label
    """The letter's title in its own language."""
    date: dt.date | None = None
    languages: list[LanguageResult] = field(default_factory=list)
    publishable: list[str] = field(default_factory=list)
    """Every language that can be published, wanted in this run or not (for the index)."""
    index_rows: dict[str, str] = field(default_factory=dict)
    """The index page's rows for the languages built in this run."""

    @property
    def failed(self) -> list[LanguageResult]:
        return [r for r in self.languages if r.errors]


def renderer(fmt: str) -> Callable[[Node, RenderContext, Letter], bytes]:
    from klpublish.render import epub, html, pdf

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


def publish(
    layout: Layout,
    langs: Sequence[str] = (),
    formats: Sequence[str] = FORMATS,
    threshold: float = DEFAULT_THRESHOLD,
    progress: Callable[[str], None] = lambda line: None,
    workers: Workers | None = None,
    missing_ok: bool = False,
) -> Report:
    """Write each wanted language's outputs whose inputs changed since the last run.

    A wanted language the letter has no catalog for is an error, unless
    ``missing_ok`` (publishing several letters, some of which lack it).

    A language is translated only when it has to be: its catalog changed, its
    outputs are out of date, or it failed before (to report why again).
    One run at a time writes an output folder (``build_lock``), and only a
    folder klpublish made (``output_folder.claim``).
    """
    letter = read_letter(layout.source)
    claim(layout.out)
    with build_lock(layout.out):
        return _publish(letter, layout, langs, formats, threshold, progress, workers, missing_ok)


def _publish(
    letter: Letter,
    layout: Layout,
    langs: Sequence[str],
    formats: Sequence[str],
    threshold: float,
    progress: Callable[[str], None],
    workers: Workers | None,
    missing_ok: bool,
) -> Report:
    source_lang = check_lang_code(letter.lang, Location(letter.path, letter.key_line("lang")))
    date = letter_date(letter) if "date" in letter.meta else None
    workers = workers or Workers(1)
    job = Shared(Job(letter, layout, threshold, letter_messages(letter), glossary=False))
    assessed = assess_languages(letter, layout, threshold, (), workers=workers, job=job)
    for lang in langs:
        if lang not in assessed and not missing_ok:
            raise KlpublishError(
                f"no catalog for '{lang}': expected {display_path(layout.po_path(lang))}"
            )
    wanted = [lang for lang in assessed if not langs or lang in langs]
    alternates = [
        Alternate(code, a.name, layout.link_between(code, "html"), False)
        for code, a in assessed.items()
        if a.publishable
    ]
    # Only a publishable language gets a context: a bad language code has none.
    ready = [lang for lang in wanted if assessed[lang].publishable]
    contexts = {
        lang: RenderContext(
            lang=lang,
            date=date,
            alternates=tuple(Alternate(a.code, a.name, a.html, a.code == lang) for a in alternates),
            identifier=f"urn:klpublish:{Path(letter.path).stem}:{lang}",
            source_lang=source_lang,
            epoch=output_epoch(date),
            labels_po=str(layout.project.labels_catalog(lang) or ""),
        )
        for lang in ready
    }
    keys = {
        lang: {
            fmt: cache.output_key(assessed[lang].key, repr(contexts[lang]), fmt) for fmt in formats
        }
        for lang in ready
    }
    current = {
        lang: lang in ready
        and all(
            cache.output_current(layout, lang, fmt, key, layout.output(lang, fmt))
            for fmt, key in keys[lang].items()
        )
        for lang in wanted
    }
    # Known only from the cache: translate now if it is to be written, or to
    # say again why it cannot be.
    again = [
        lang
        for lang in wanted
        if isinstance(assessed[lang], Cached) and not (assessed[lang].publishable and current[lang])
    ]
    for a in assess_many(job, [(lang, assessed[lang].key) for lang in again], workers):
        assessed[a.lang] = a
    todo = [lang for lang in ready if assessed[lang].publishable and not current[lang]]
    tasks: list[RenderTask] = [
        (job, document(assessed[lang]), contexts[lang], tuple(formats), layout) for lang in todo
    ]
    rendered = dict(zip(todo, workers.map(_render_task, tasks), strict=True))
    report = Report(
        layout,
        letter_title(letter),
        date,
        publishable=[lang for lang, a in assessed.items() if a.publishable],
    )
    for lang in wanted:
        result = _result(
            layout, assessed[lang], formats, rendered.get(lang), keys.get(lang), progress
        )
        report.languages.append(result)
        if lang in rendered and result.published:
            report.index_rows[lang] = rendered[lang].index_row
    return report


def _result(
    layout: Layout,
    assessment: Assessment,
    formats: Sequence[str],
    outputs: Rendered | None,
    keys: dict[str, str] | None,
    progress: Callable[[str], None],
) -> LanguageResult:
    """What became of one language, said as it is recorded in the build cache."""
    lang = assessment.lang
    result = LanguageResult(
        lang, assessment.percent, errors=list(assessment.errors), note=assessment.note
    )
    for warning in assessment.warnings:
        progress(f"warning: {warning}")
    if not assessment.publishable:
        return result
    if outputs is None:  # every output was up to date
        result.unchanged = [layout.output(lang, fmt) for fmt in formats]
        for path in result.unchanged:
            progress(f"up to date {display_path(path)}")
        result.published = True
        return result
    if outputs.error:
        result.errors.append(outputs.error)
        return result
    for fmt, (changed, _) in outputs.files.items():
        path = layout.output(lang, fmt)
        (result.written if changed else result.unchanged).append(path)
        progress(f"{'wrote' if changed else 'unchanged'} {display_path(path)}")
    assert keys is not None
    cache.remember_outputs(
        layout,
        lang,
        {fmt: (keys[fmt], digest) for fmt, (_, digest) in outputs.files.items()},
        outputs.title,
    )
    result.published = True
    return result


@dataclass(frozen=True)
class Rendered:
    """One language's outputs, made and written, or the error that stopped them."""

    files: dict[str, tuple[bool, str]] = field(default_factory=dict)
    """Format: (whether the file changed, SHA-256 of what it holds)."""
    index_row: str = ""
    title: str = ""
    """The letter's title in this language, as the index shows it."""
    error: str = ""


RenderTask = tuple[Shared, Node, RenderContext, tuple[str, ...], Layout]


def _render_task(task: RenderTask) -> Rendered:
    shared, doc, ctx, formats, layout = task
    letter = shared_value(shared).letter
    try:
        prepared = with_context(doc, ctx)
        outputs = {fmt: renderer(fmt)(prepared, ctx, letter) for fmt in formats}
    except KlpublishError as exc:
        return Rendered(error=str(exc))
    # Written only once every format rendered: a failure leaves the old files.
    files = {}
    try:
        remove_stale_temporaries(layout.output_dir(ctx.lang), layout.output_name(ctx.lang, ""))
        paths = {fmt: layout.output(ctx.lang, fmt) for fmt in outputs}
        changed = write_all_if_changed({paths[fmt]: data for fmt, data in outputs.items()})
        for fmt, data in outputs.items():
            files[fmt] = (changed[paths[fmt]], hashlib.sha256(data).hexdigest())
    except OSError as exc:  # read-only, full, no permission: this language fails
        return Rendered(error=write_error(exc, layout.output_dir(ctx.lang)))
    from klpublish.render.index import index_row, translated_title

    title = plain_meta(prepared["meta"].get("title"))
    label = translated_title(title, ctx.lang, letter_title(letter))
    return Rendered(files, index_row(layout, ctx.lang, ctx.labels, label), title)


def letter_title(letter: Letter) -> Label:
    return Label(plain_meta(letter.doc["meta"].get("title")), letter.lang)


def published_languages(
    layout: Layout, threshold: float = DEFAULT_THRESHOLD, letter: Letter | None = None
) -> list[str]:
    """The source language, then every language that passes the threshold and checks."""
    letter = letter or read_letter(layout.source)
    verdicts = assess_languages(letter, layout, threshold, need=())
    return [a.lang for a in verdicts.values() if a.publishable]


def index_entry(
    layout: Layout, threshold: float = DEFAULT_THRESHOLD, report: Report | None = None
) -> LetterEntry:
    """What the index says of one letter: with the ``report`` of the publish run just
    done, its verdicts and rows; otherwise what the catalogs and the build cache say."""
    from klpublish.render.index import LetterEntry, translated_title

    if report is None:
        letter = read_letter(layout.source)
        date = letter_date(letter) if "date" in letter.meta else None
        report = Report(layout, letter_title(letter), date)
        report.publishable = published_languages(layout, threshold, letter)
    present = tuple(
        code
        for code in report.publishable
        if any(layout.output(code, fmt).is_file() for fmt in FORMATS)
    )
    titles = {
        code: translated_title(cache.output_title(layout, code), code, report.title)
        for code in present
    }
    return LetterEntry(layout, report.title, report.date, present, titles, report.index_rows)


def write_index(
    layouts: Sequence[Layout],
    threshold: float = DEFAULT_THRESHOLD,
    reports: Sequence[Report] = (),
) -> tuple[Path, bool, list[str]]:
    """The index of every letter in ``layouts``; a letter with a ``report`` from the
    publish run just done is shown as that run left it. A letter that cannot be read
    is left out, and its error returned: the other letters are still listed."""
    from klpublish.render.index import render_index

    claim(layouts[0].out)  # before the verdicts, which the build cache records there
    done = {r.layout.name: r for r in reports}
    entries = []
    problems = []
    for layout in layouts:
        try:
            entries.append(index_entry(layout, threshold, done.get(layout.name)))
        except KlpublishError as exc:
            problems.append(f"{layout.name}: not on the index: {exc}")
    path = layouts[0].project.index_page
    if not entries:
        return path, False, problems
    first = entries[0]
    return (
        path,
        write_if_changed(path, render_index(entries, first.layout, first.title.lang)),
        problems,
    )

"""The build stage's commands, ``publish``, ``index``, ``status`` and ``lint``: each a
request that acts on every letter it names and gives the lines to say and the exit
code. How one letter's outcome is said, and many letters', is ``layout.Letters``'
one rule; the modules that do the work are imported when a command runs, after the
workers have started (see ``publish_letters``)."""

from __future__ import annotations

import contextlib
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from klpublish.build.output_folder import claim
from klpublish.errors import KlpublishError, display_path
from klpublish.letters import Letters
from klpublish.project import Layout

if TYPE_CHECKING:
    from klpublish.build.assessment import Assessment
    from klpublish.build.report import Report, Wanted
    from klpublish.build.status import LanguageStatus

Said = tuple[list[str], int]
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Scope:
    """Where a command finds its letters, their catalogs and their outputs."""

    sources: tuple[Path, ...]
    """The letters named (none: every letter in the source folder)."""
    locales: Path
    out: Path

    def letters(self) -> Letters:
        return Letters.given(self.sources, self.locales, self.out)


@dataclass(frozen=True)
class PublishRequest:
    scope: Scope
    langs: tuple[str, ...]
    """Only these languages (none: every one)."""
    formats: tuple[str, ...]
    threshold: float
    index: bool
    """Whether to write the index page too."""
    jobs: int

    def run(self, progress: Progress) -> Said:
        return publish_letters(self, progress)


@dataclass(frozen=True)
class IndexRequest:
    scope: Scope
    threshold: float

    def run(self, progress: Progress) -> Said:
        from klpublish.build.index_page import index_layouts, write_index

        letters = self.scope.letters()
        path, changed, problems = write_index(index_layouts(letters.layouts), self.threshold)
        problems += [f"not on the index: {exc}" for exc in letters.refused]
        said = [f"{'wrote' if changed else 'unchanged'} {display_path(path)}", *problems]
        return said, 1 if problems else 0


@dataclass(frozen=True)
class StatusRequest:
    scope: Scope
    threshold: float
    least: float | None
    """A language translated less than this fails the command (``--min``)."""
    json: bool

    def run(self, progress: Progress) -> Said:
        return status_letters(self)


@dataclass(frozen=True)
class LintRequest:
    scope: Scope
    langs: tuple[str, ...]
    """Only these languages are translated and checked (none: every one)."""

    def run(self, progress: Progress) -> Said:
        return lint_letters(self)


def _failed(lines: list[str], failed: list[str]) -> Said:
    return ([*lines, "failed:", *failed], 1) if failed else (lines, 0)


def publish_letters(request: PublishRequest, progress: Progress) -> Said:
    from klpublish.build.report import Wanted

    letters = request.scope.letters()
    wanted = Wanted(request.langs, request.formats, request.threshold, letters.several)
    known = _recorded(letters, wanted)
    stale = len(letters.layouts) - len(known)
    if not stale:  # nothing to do: no worker, no pandoc, no renderer
        reports, lines, failed = _published(letters, lambda one: known[one.name](progress))
    else:
        jobs = request.jobs
        reports, lines, failed = _publish_each(letters, wanted, jobs, stale, known, progress)
    built = {r.lang for report in reports for r in report.languages}
    # With one letter, a language it has no catalog for has failed the run already.
    missing = [lang for lang in request.langs if lang not in built]
    if missing:
        failed.append(f"  no letter has a catalog for {', '.join(missing)}")
    if request.index and reports:
        from klpublish.build.index_page import index_layouts, write_index

        # A letter that failed to publish has already said why.
        published = [r.layout for r in reports]
        listed = [
            o for o in index_layouts(letters.layouts) if o in published or o not in letters.layouts
        ]
        path, changed, problems = write_index(listed, request.threshold, reports)
        lines.append(f"{'wrote' if changed else 'unchanged'} {display_path(path)}")
        failed += [f"  {problem}" for problem in problems]
    return _failed(lines, failed)


Known = dict[str, Callable[[Progress], "Report"]]


def _recorded(letters: Letters, wanted: Wanted) -> Known:
    """The report of each letter that has nothing to do, as the build's records
    have it (see ``record``); what each would say is said when asked."""
    from klpublish.build.record import recorded

    known = {}
    for one in letters.layouts:
        said: list[str] = []
        report = recorded(one, wanted, said.append)
        if report is not None:
            known[one.name] = _replay(report, said)
    return known


def _replay(report: Report, said: list[str]) -> Callable[[Progress], Report]:
    def replay(progress: Progress) -> Report:
        for line in said:
            progress(line)
        return report

    return replay


def _publish_each(
    letters: Letters, wanted: Wanted, jobs: int, stale: int, known: Known, progress: Progress
) -> tuple[list[Report], list[str], list[str]]:
    """Each letter published; ``stale`` of them have work to do, the others are ``known``."""
    from klpublish.build.workers import Workers, auto_jobs

    # Workers and pandoc start first, and get going while Python imports the rest;
    # no more workers than languages (the source's, and one per catalog).
    every = letters.layouts[0].project.project_languages()
    langs = len(wanted.langs) or len(every) + 1
    with Workers(min(jobs or auto_jobs(stale * langs), langs)) as workers:
        from klpublish.build import cache
        from klpublish.pandoc import engine

        if workers.jobs > 1:
            # A worker's first work, while this process reads the letter: the
            # package's digest for the records (waited for no longer than making it
            # here would take on a slow machine), then what its tasks will need.
            cache.hand_code_digest(workers.aside(cache.code_digest, HANDED_DIGEST_SECONDS))
            workers.aside(partial(_warm_up, tuple(wanted.langs or every)), 0)  # not awaited
        engine()
        from klpublish.build.publish import publish

        def each(one: Layout) -> Report:
            if one.name in known:
                return known[one.name](progress)
            return publish(one, wanted, progress, workers)

        return _published(letters, each)


WARM_TIME = {"SOURCE_DATE_EPOCH": "0"}
"""The warm-up's writers run at a fixed time, as the renderers do."""

HANDED_DIGEST_SECONDS = 30.0
"""Seconds this process waits for a worker's ``code_digest`` before making it itself
(a worker makes it in 30 ms)."""

WARM_MARKDOWN = """# A warm start {#start}

A *paragraph* with **strong** words, a [link](#start) and a note.[^1]

- a list
- of two

> A quote.

[^1]: The note.
"""
"""Markdown enough to wake most of pandoc's reader (a new pandoc took 45 ms over its
first letter, 9 ms after)."""


def _warm_pandoc() -> None:
    """Pandoc's reader and writers woken, in this process's engine."""
    from klpublish import pandoc

    what = "a warm-up"
    # A warm-up that fails changes nothing: the request after it says what is wrong.
    # The writers run as the renderers run them: in an empty folder, at a fixed time.
    with contextlib.suppress(Exception), tempfile.TemporaryDirectory() as empty:
        doc = pandoc.markdown_to_ast(WARM_MARKDOWN, what)
        for writer in ("html5", "epub3", "typst"):
            pandoc.ast_to_bytes(
                doc, writer, what, standalone=writer == "epub3", env=WARM_TIME, cwd=empty
            )


def _warm_up(languages: tuple[str, ...]) -> None:
    """A worker's first task, on a core that waits while this process reads the
    letter: what its next tasks would otherwise wait for. Besides what every worker
    starts with (``workers.warm_up``): the assessment's modules, pandoc's reader and
    writers, each language's Babel data, and Typst's fonts."""
    from klpublish.build import publish  # noqa: F401  (the tasks' own modules)
    from klpublish.locales import language_facts
    from klpublish.render.pdf import warm_typst

    _warm_pandoc()
    for code in languages:
        # A code Babel does not know is its task's error to report, not this one's.
        with contextlib.suppress(Exception):
            language_facts(code)
    warm_typst()


def _published(
    letters: Letters, publish: Callable[[Layout], Report]
) -> tuple[list[Report], list[str], list[str]]:
    """Each letter published: the reports, the lines to say, and those of what failed."""
    kept = "not published, earlier outputs left as they were"
    failed = [
        line
        for exc in letters.refused
        for line in (f"  {exc.location}: not published", f"    {exc}")
    ]
    reports, lines = [], []
    for one, done in letters.each(publish):
        if isinstance(done, KlpublishError):
            failed += [f"  {one.name}: {kept}", f"    {done}"]
            continue
        reports.append(done)
        lines += [letters.named(one, f"{r.lang}: {r.note}") for r in done.languages if r.note]
        for result in done.failed:
            failed.append(f"  {letters.named(one, result.lang)}: {kept}")
            failed.extend(f"    {error}" for error in result.errors)
    return reports, lines, failed


def status_letters(request: StatusRequest) -> Said:
    from klpublish.build.status import collect_status, format_table

    letters = request.scope.letters()
    claim(letters.out)  # the build cache records each verdict there
    lines: list[str] = []
    found: list[dict[str, object]] = []
    below: list[tuple[Layout, LanguageStatus]] = []
    failed = [str(exc) for exc in letters.refused]
    least = request.least
    for one, rows in letters.each(lambda one: collect_status(one, request.threshold)):
        if isinstance(rows, KlpublishError):
            failed.append(str(rows))
            continue
        below += [
            (one, r) for r in rows if least is not None and not r.source and r.percent < least
        ]
        found += [{"letter": one.name, **r.as_dict()} for r in rows]
        heading = letters.heading(one)
        lines += [*([""] if lines and heading else []), *heading, *format_table(rows)]
    if request.json:
        lines = [json.dumps(found, ensure_ascii=False, indent=2)]
    lines.extend(
        letters.named(one, f"{r.lang}: {r.percent:.0f}% is below --min {least:.0f}%")
        for one, r in below
    )
    return [*lines, *failed], 1 if below or failed else 0


def lint_letters(request: LintRequest) -> Said:
    from klpublish.build.assessment import assess_languages
    from klpublish.build.content import content_lines
    from klpublish.build.need import only
    from klpublish.letter.fill_in import fill_in_warnings
    from klpublish.letter.read import read_letter

    letters = request.scope.letters()
    claim(letters.out)  # the build cache records each verdict there
    need = only(request.langs)

    def assess(one: Layout) -> tuple[str, dict[str, Assessment], tuple[list[str], int]]:
        letter = read_letter(one.source)
        assessed = assess_languages(letter, one, threshold=0.0, need=need)
        # What the gate fails on, said here as warnings (see ``build.content``).
        source = not request.langs or letter.lang in request.langs
        content, failed = content_lines(letter, one, assessed, source)
        return letter.lang, assessed, (fill_in_warnings(letter.path, letter.text) + content, failed)

    lines = [str(exc) for exc in letters.refused]
    errors = len(letters.refused)
    # A language is known by its catalogs, even a broken letter's (whose own error
    # is then what to say), and by being a letter's own.
    known = {lang for one in letters.layouts for lang in one.languages()}
    for _, done in letters.each(assess):
        if isinstance(done, KlpublishError):
            lines.append(str(done))
            errors += 1
            continue
        source, assessed, (content, failed) = done
        known.add(source)
        errors += _lint_lines([a for lang, a in assessed.items() if lang != source], lines)
        lines += content
        errors += failed
    unknown = [lang for lang in request.langs if lang not in known]
    if unknown:
        raise KlpublishError(f"no catalog for {', '.join(unknown)} under {request.scope.locales}")
    lines.append(f"{errors} error(s)" if errors else "no errors")
    return lines, 1 if errors else 0


def _lint_lines(assessed: list[Assessment], lines: list[str]) -> int:
    """Each language's errors and warnings added to ``lines``; how many were errors."""
    from klpublish.catalogs.glossary import GlossaryEntrySkipped, GlossaryUnreadable
    from klpublish.translation.language_id import NoIdentifier

    errors = 0
    for a in assessed:
        lines.extend(a.errors)
        errors += len(a.errors)
        for w in a.warnings:
            if isinstance(w, NoIdentifier):
                # A check that could not run fails: said once, for every catalog.
                said = f"error: {w.message}"
            elif isinstance(w, GlossaryUnreadable):
                said = f"{w.location}: glossary not used: {w.message}"
            elif isinstance(w, GlossaryEntrySkipped):
                said = f"{w.location}: warning: {w.message}"
                if said not in lines:  # a line of the glossary, shared by every letter
                    lines.append(said)
                continue
            else:
                lines.append(f"{w.location}: warning: {w.message}")
                continue
            if said not in lines:  # one file of the translator's, shared by every letter
                lines.append(said)
                errors += 1
    return errors

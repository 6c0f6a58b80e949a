"""The index page: which letters it lists, and what it says of each, from the
publish run just done or from the catalogs and the build cache."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from klpublish.build import cache
from klpublish.build.assessment import assess_languages
from klpublish.build.need import TheseAndCachedVerdicts
from klpublish.build.output_folder import claim
from klpublish.build.publish import Report, letter_title
from klpublish.errors import KlpublishError
from klpublish.fileio import write_if_changed
from klpublish.letter.read import Letter, letter_date, read_letter
from klpublish.letters import scan_letters
from klpublish.project import DEFAULT_THRESHOLD, FORMATS, SOURCES, Layout

if TYPE_CHECKING:
    from klpublish.render.index import LetterEntry


def index_layouts(layouts: Sequence[Layout]) -> list[Layout]:
    """The letters the index lists: those a command acts on, and every other letter
    in the source folder that has outputs in the output folder."""
    names = {one.name for one in layouts}
    others = [layouts[0].for_letter(source) for source in scan_letters(SOURCES)[0]]
    return [*layouts, *(o for o in others if o.name not in names and o.has_outputs())]


def published_languages(
    layout: Layout, threshold: float = DEFAULT_THRESHOLD, letter: Letter | None = None
) -> list[str]:
    """The source language, then every language that passes the threshold and checks."""
    letter = letter or read_letter(layout.source)
    verdicts = assess_languages(letter, layout, threshold, TheseAndCachedVerdicts())
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

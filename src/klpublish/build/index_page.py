"""The index page: which letters it lists, and what it says of each, from the
publish run just done or from the catalogs and the build cache."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from klpublish.build import cache, record
from klpublish.build.output_folder import claim
from klpublish.build.report import Report
from klpublish.errors import KlpublishError
from klpublish.fileio import write_if_changed, write_record
from klpublish.letters import scan_letters
from klpublish.project import DEFAULT_THRESHOLD, FORMATS, SOURCES, Layout

if TYPE_CHECKING:
    from klpublish.letter.read import Letter
    from klpublish.render.index import LetterEntry

# The readers and the page's writer are imported where they are used: an index
# that nothing changed is known from the build's records (see ``record``).


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
    from klpublish.build.assessment import assess_languages
    from klpublish.build.need import TheseAndCachedVerdicts
    from klpublish.letter.read import read_letter

    letter = letter or read_letter(layout.source)
    verdicts = assess_languages(letter, layout, threshold, TheseAndCachedVerdicts())
    return [a.lang for a in verdicts.values() if a.publishable]


def index_entry(
    layout: Layout, threshold: float = DEFAULT_THRESHOLD, report: Report | None = None
) -> LetterEntry:
    """What the index says of one letter: with the ``report`` of the publish run just
    done, its verdicts and rows; otherwise what the catalogs and the build cache say."""
    from klpublish.render.index import LetterEntry, translated_title

    facts = record.current(layout, record.LETTER, threshold) if report is None else None
    if facts is not None:
        report = record.report_of(layout, facts, [])
    if report is None:
        from klpublish.build.publish import letter_title
        from klpublish.letter.read import letter_date, read_letter

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
    claim(layouts[0].out)  # before the verdicts, which the build cache records there
    done = {r.layout.name: r for r in reports}
    path = layouts[0].project.index_page
    key = _index_key(layouts, threshold, done)
    known = cache.load_record(layouts[0].project.index_record)
    if key is not None and known.get("key") == key and known.get("sha256") == record.sha256(path):
        return path, False, []
    entries = []
    problems = []
    for layout in layouts:
        try:
            entries.append(index_entry(layout, threshold, done.get(layout.name)))
        except KlpublishError as exc:
            problems.append(f"{layout.name}: not on the index: {exc}")
    if not entries:
        return path, False, problems
    from klpublish.render.index import render_index

    first = entries[0]
    page = render_index(entries, first.layout, first.title.lang)
    changed = write_if_changed(path, page)
    if key is not None and not problems:
        facts = {"key": key, "sha256": hashlib.sha256(page).hexdigest()}
        write_record(layouts[0].project.index_record, json.dumps(facts).encode())
    return path, changed, problems


def _index_key(layouts: Sequence[Layout], threshold: float, done: dict[str, Report]) -> str | None:
    """What the index page is made from, when every letter's inputs are known from
    a record (see ``record``): each letter's inputs and the size of each output."""
    parts: list[object] = [threshold]
    for layout in layouts:
        report = done.get(layout.name)
        if report is None or not report.inputs:
            facts = record.current(layout, record.LETTER, threshold)
            if facts is None:
                return None
            report = record.report_of(layout, facts, [])
        sizes = [
            [code, fmt, path.stat().st_size if (path := layout.output(code, fmt)).is_file() else -1]
            for code in report.publishable
            for fmt in FORMATS
        ]
        # The review pages there are: the index links each (``klpublish review``).
        reviews = [code for code in layout.languages() if layout.review_page(code).is_file()]
        parts.append([layout.name, report.inputs, sizes, reviews])
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()

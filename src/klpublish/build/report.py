"""What a publish run is asked of a letter, and what became of it: light, so that
a run with nothing to do answers from the build's records (``record``) without
loading the readers and writers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from klpublish.project import DEFAULT_THRESHOLD, FORMATS, Layout
from klpublish.settings import source_date_epoch

if TYPE_CHECKING:
    from klpublish.catalogs.label import Label


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
    inputs: str = ""
    """The digest of the inputs the run read (see ``record.inputs_digest``)."""

    @property
    def failed(self) -> list[LanguageResult]:
        return [r for r in self.languages if r.errors]


@dataclass(frozen=True)
class Wanted:
    """What a run asks of one letter."""

    langs: tuple[str, ...] = ()
    """Only these languages (none: every one)."""
    formats: tuple[str, ...] = FORMATS
    threshold: float = DEFAULT_THRESHOLD
    missing_ok: bool = False
    """A wanted language the letter has no catalog for is left out, not an error
    (several letters are published, and some lack it)."""


def output_epoch(letter_date: dt.date | None) -> int:
    """The time stamp written into outputs: ``SOURCE_DATE_EPOCH``, else the letter's
    date, so that the same inputs always give the same bytes."""
    epoch = source_date_epoch()
    if epoch is not None:
        return epoch
    if letter_date is None:
        return 0
    return int(dt.datetime.combine(letter_date, dt.time(), dt.UTC).timestamp())

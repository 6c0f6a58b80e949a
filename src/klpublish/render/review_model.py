"""What the review page shows of one language of one letter: made by the build
(``build.review_page``), written by ``render.review``."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from klpublish.catalogs.memory_origin import Origin
from klpublish.errors import Severity
from klpublish.render.review_diff import Change
from klpublish.render.review_text import Html


class State(StrEnum):
    """Where a segment stands, for the reader: each is one of the page's counts."""

    TRANSLATED = "translated"
    MEMORY = "memory"
    """Translated from memory, as found: no translator has changed it since."""
    FUZZY = "fuzzy"
    UNTRANSLATED = "untranslated"
    ERROR = "error"
    """Translated, but refused by a check: the reader gets the Danish."""

    @property
    def label(self) -> str:
        return f"review-state-{self.value}"


@dataclass(frozen=True)
class Term:
    """A glossary term the Danish holds."""

    source: str
    targets: tuple[str, ...]
    used: str | None
    """The allowed translation the translation uses; None when it uses none."""
    compared: bool
    """Whether there is a translation to look in."""


@dataclass(frozen=True)
class Said:
    """A check's finding, where it is fixed."""

    severity: Severity
    message: str
    where: str


@dataclass(frozen=True)
class Row:
    number: int
    state: State
    source: Html
    """The Danish, as the reader of the letter in Danish sees it."""
    translation: Html | None
    """The translation the reader gets; None: the reader gets the Danish."""
    unused: Html | None
    """A translation the catalog holds that is not used (fuzzy, or refused)."""
    about: str
    """What the segment is, as the template says it (English: ``Heading, level 2``)."""
    source_line: str
    fix: str | None
    """``locale/de/LC_MESSAGES/letter.po:LINE``; None: not in the catalog yet."""
    diff: tuple[Change, ...] = ()
    memory: Origin | None = None
    terms: tuple[Term, ...] = ()
    findings: tuple[Said, ...] = ()
    comments: tuple[str, ...] = ()

    @property
    def anchor(self) -> str:
        return f"segment-{self.number}"

    @property
    def needs_attention(self) -> bool:
        return self.state is not State.TRANSLATED or bool(self.findings)


@dataclass(frozen=True)
class ReviewPage:
    name: str
    title: str
    """The letter's title, in its own language."""
    source_lang: str
    lang: str
    po: str
    percent: float
    threshold: float
    errors: int
    """Errors that keep the language from being published."""
    rows: tuple[Row, ...]
    findings: tuple[Said, ...] = ()
    """What the checks found that no row holds (the header, the layout's words)."""

    @property
    def published(self) -> bool:
        return self.percent >= self.threshold and not self.errors

    def count(self, state: State) -> int:
        return sum(row.state is state for row in self.rows)

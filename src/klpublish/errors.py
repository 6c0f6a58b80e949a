"""Error types. Every error can carry the place it is about (``path:line``);
a :class:`Problem` a check finds in a text gets its place from :func:`located`."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


@dataclass(frozen=True, order=True)
class Location:
    """A place in a file: ``path`` as shown to users, ``line`` counted from 1."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


class KlpublishError(Exception):
    """An error a user can act on: says where and what was expected."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class SourceError(KlpublishError):
    """The Markdown letter or its front matter is not usable."""


class CatalogError(KlpublishError):
    """A .pot or .po file is broken or does not fit the source."""


class ToolError(KlpublishError):
    """An external tool (pandoc, typst, msgfmt) failed; keeps its stderr."""


class TranslationError(KlpublishError):
    """One translated segment cannot be used as it stands."""


class Severity(StrEnum):
    """What a problem costs: an error refuses the text (a translation falls back
    to the source, a letter is not published); a warning is said, the text used."""

    ERROR = "error"
    WARNING = "warning"


class Problem(Exception):
    """What a check found in a text, before it has a place: the checkers raise
    it (see ``checks``), and :func:`located` says it at its ``path:line``."""

    def __init__(self, message: str, severity: Severity = Severity.ERROR) -> None:
        super().__init__(message)
        self.message = message
        self.severity = severity


def located(
    problems: Iterable[Problem], where: Location
) -> tuple[list[TranslationError], list[TranslationError]]:
    """``problems`` said at ``where``: the errors, and the warnings, in order."""
    found = list(problems)
    return (
        [TranslationError(p.message, where) for p in found if p.severity is Severity.ERROR],
        [TranslationError(p.message, where) for p in found if p.severity is Severity.WARNING],
    )


class SettingError(KlpublishError):
    """A variable of the environment holds a value klpublish cannot use: a usage
    error, like a bad option, so the command exits 2."""


def display_path(path: Path) -> str:
    """A path relative to the working directory when it lies under it. Symbolic
    links are not followed: the path shown is the one the user gave, never the
    place a link leads to."""
    try:
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)

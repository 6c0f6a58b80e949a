"""Which letters a command acts on: those named, or every one in ``source/``, each
known by its name, and the file whose name makes no letter (or repeats one) apart."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from klpublish.errors import CatalogError, KlpublishError, Location, display_path
from klpublish.project import (
    DOMAIN,
    LETTER_SUFFIX,
    SOURCES,
    Layout,
    Project,
    letter_files,
    letter_name,
)

T = TypeVar("T")


def find_letters(folder: Path = SOURCES) -> list[Path]:
    """Every letter in ``folder`` (see ``scan_letters``); a file whose name makes
    no letter is an error."""
    found, refused = scan_letters(folder)
    if refused:
        raise refused[0]
    return found


def scan_letters(folder: Path = SOURCES) -> tuple[list[Path], list[CatalogError]]:
    """Every letter in ``folder``: each ``<name>.da.md`` there, or in a folder of its
    own (``<name>/<name>.da.md``, with the files it uses beside it). The first letter
    (``letter.da.md``) comes first, the others by name (see ``project.letter_files``).
    A file whose name makes no letter
    (``Brev 1.da.md``, a second ``same.da.md``) is returned as its error, apart, so
    that it fails alone."""
    found = letter_files(folder)
    named: list[tuple[str, Path]] = []
    refused: list[CatalogError] = []
    for path in found:
        try:
            named.append((letter_name(path), path))
        except CatalogError as exc:
            refused.append(exc)
    named.sort(key=lambda pair: (pair[0] != DOMAIN, pair[0], str(pair[1])))
    kept, twins = split_by_name([path for _, path in named])
    return kept, sorted([*refused, *twins], key=lambda exc: exc.location or Location("", 0))


def letter_layouts(
    given: list[Path], locales: Path, out: Path
) -> tuple[list[Layout], list[CatalogError]]:
    """One layout per letter a command acts on (those ``given``, or every one in
    ``SOURCES``), and apart the error of each file whose name makes no letter
    (``Brev 1.da.md``, a second letter of one name): that file fails alone, the
    others are acted on. With no letter left, the run fails."""
    sources, refused = split_by_name(given) if given else scan_letters(SOURCES)
    if not sources and refused:
        raise KlpublishError("\n".join(str(exc) for exc in refused))
    if not sources:
        raise KlpublishError(
            f"no letter in {SOURCES}/: expected {SOURCES}/<name>{LETTER_SUFFIX}, or --source PATH"
        )
    return [Project(locales, out).letter(source) for source in sources], refused


@dataclass(frozen=True)
class Letters:
    """The letters one command acts on, and the one rule for saying what became of
    each, whatever the command: with one letter, its lines are said as they are
    and its failure is the run's (there is no other letter to go on with); with
    several, each letter's lines bear its name, and a letter that fails is said
    apart while the others go on. A file whose name makes no letter counts as a
    letter that failed."""

    layouts: tuple[Layout, ...]
    refused: tuple[CatalogError, ...] = ()

    @classmethod
    def given(cls, sources: Sequence[Path], locales: Path, out: Path) -> Letters:
        """The letters named (every one in ``SOURCES`` when none is, see ``letter_layouts``)."""
        layouts, refused = letter_layouts(list(sources), locales, out)
        return cls(tuple(layouts), tuple(refused))

    @property
    def several(self) -> bool:
        return len(self.layouts) + len(self.refused) > 1

    @property
    def out(self) -> Path:
        """The output folder the letters share."""
        return self.layouts[0].out

    def each(self, work: Callable[[Layout], T]) -> Iterator[tuple[Layout, T | KlpublishError]]:
        """Each letter and what ``work`` made of it, or the error it failed with."""
        for layout in self.layouts:
            try:
                done: T | KlpublishError = work(layout)
            except KlpublishError as exc:
                if not self.several:
                    raise
                done = exc
            yield layout, done

    def named(self, layout: Layout, line: str) -> str:
        return f"{layout.name} {line}" if self.several else line

    def heading(self, layout: Layout) -> list[str]:
        """What goes above a letter's own table of lines."""
        return [f"{layout.name} ({display_path(layout.source)}):"] if self.several else []


def one_per_name(sources: list[Path]) -> list[Path]:
    """``sources`` without repeats; two letters of one name are an error, since they
    would share catalogs and outputs."""
    kept, twins = split_by_name(sources)
    if twins:
        raise twins[0]
    return kept


def split_by_name(sources: list[Path]) -> tuple[list[Path], list[CatalogError]]:
    """``sources`` without repeats, and the error of each letter that bears the
    name of one before it (its own name's error when it has none)."""
    seen: dict[str, Path] = {}
    refused: list[CatalogError] = []
    for path in sources:
        try:
            name = letter_name(path)
        except CatalogError as exc:
            refused.append(exc)
            continue
        if name in seen and seen[name].resolve() != path.resolve():
            refused.append(
                CatalogError(
                    f"a second letter named '{name}' (the first is {display_path(seen[name])}): "
                    "expected one file per name, since a name owns its catalogs and outputs",
                    Location(display_path(path), 0),
                )
            )
            continue
        seen.setdefault(name, path)
    return list(seen.values()), refused

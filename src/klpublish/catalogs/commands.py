"""The catalog commands, ``extract``, ``update`` and ``init``: each a request, and
what it says with its exit code (the work itself is ``catalog_tasks``'). A letter,
template or catalog that fails is said under ``failed:``; the others are written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from klpublish.catalogs import tasks
from klpublish.errors import KlpublishError, display_path
from klpublish.letters import Letters
from klpublish.project import DEFAULT_OUT, DEFAULT_SOURCE

Said = tuple[list[str], int]


@dataclass(frozen=True)
class ExtractRequest:
    """Write each letter's template."""

    sources: tuple[Path, ...]
    """The letters (none: every letter in the source folder)."""
    locales: Path
    output: Path | None = None
    """Where the one letter's template goes (None: beside its catalogs)."""

    def run(self, progress: Callable[[str], None]) -> Said:
        return _extract(self)


@dataclass(frozen=True)
class UpdateRequest:
    """Merge each template into its catalog in every language."""

    templates: tuple[Path, ...]
    """The templates (none: every letter's)."""
    locales: Path
    compendia: tuple[Path, ...] = ()

    def run(self, progress: Callable[[str], None]) -> Said:
        new = _new_letters(self.templates, self.locales)
        templates, refused = _templates(self.templates, self.locales)
        outcome = tasks.update_catalogs(templates, self.locales, list(self.compendia))
        said = [str(w) for w in (*new.written, *outcome.written)]
        if not said and not outcome.failed:
            said = ["no catalogs found"]
        return _said(said, [*new.failed, *refused, *outcome.failed])


@dataclass(frozen=True)
class InitRequest:
    """Add a language: a catalog for each template."""

    lang: str
    templates: tuple[Path, ...]
    locales: Path
    compendia: tuple[Path, ...] = ()

    def run(self, progress: Callable[[str], None]) -> Said:
        new = _new_letters(self.templates, self.locales)
        templates, refused = _templates(self.templates, self.locales)
        outcome = tasks.init_language(self.lang, templates, self.locales, list(self.compendia))
        said = [str(w) for w in (*new.written, *outcome.written)]
        return _said(said, [*new.failed, *refused, *outcome.failed])


def _new_letters(given: tuple[Path, ...], locales: Path) -> tasks.Outcome:
    """With no template named, every letter's catalogs are made: a letter that
    has no template yet gets one first (see ``tasks.extract_new_letters``)."""
    return tasks.Outcome() if given else tasks.extract_new_letters(locales)


def _templates(given: tuple[Path, ...], locales: Path) -> tuple[list[Path], list[tasks.Failed]]:
    return (list(given), []) if given else tasks.templates(locales)


def _said(lines: list[str], failed: list[tasks.Failed]) -> Said:
    if failed:
        said = [f"  {line}" for f in failed for line in str(f).splitlines()]
        return [*lines, "failed:", *said], 1
    return lines, 0


def _extract(request: ExtractRequest) -> Said:
    """Each letter's template; a letter that cannot be read fails alone."""
    # --output alone is the single-letter form: the first letter's template.
    alone = (DEFAULT_SOURCE,) if request.output is not None else ()
    letters = Letters.given(request.sources or alone, request.locales, DEFAULT_OUT)
    if request.output is not None and letters.several:
        raise KlpublishError("--output names one template: give one --source with it")
    lines = []
    failed = [
        line for exc in letters.refused for line in (f"  {exc.location}: no template", f"    {exc}")
    ]
    for one, done in letters.each(
        lambda one: tasks.extract_template(one.source, request.output or one.template)
    ):
        if isinstance(done, KlpublishError):
            left = f"{display_path(one.template)} left as it was"
            failed += [f"  {one.name}: no template, {left}", f"    {done}"]
        else:
            lines.append(str(done))
    return ([*lines, "failed:", *failed], 1) if failed else (lines, 0)

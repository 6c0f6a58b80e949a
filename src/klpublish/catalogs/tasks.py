"""The catalog commands' work: extract the template, update and add languages."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog

from klpublish.catalogs import labels
from klpublish.catalogs.memory import TranslationMemory, keys
from klpublish.catalogs.po import (
    drop_format_claims,
    load_catalog,
    merge,
    new_catalog,
    template_catalog,
    write_catalog,
)
from klpublish.errors import CatalogError, KlpublishError, Location, display_path
from klpublish.fileio import write_error
from klpublish.letter.read import front_matter_refusal, read_document
from klpublish.letters import scan_letters
from klpublish.project import Project, check_lang_code, letter_name, package_label_languages
from klpublish.segments.messages import letter_messages


@dataclass(frozen=True)
class Written:
    path: Path
    changed: bool
    notes: tuple[str, ...] = ()
    """What translation memory did (see ``memory.Report``)."""
    warnings: tuple[KlpublishError, ...] = ()
    """What is wrong in the file's source, though it was written (each located)."""

    def __str__(self) -> str:
        state = "updated" if self.changed else "not changed"
        return "\n".join(
            [
                f"{display_path(self.path)}: {state}",
                *(f"  {n}" for n in self.notes),
                *(f"{w.location}: warning: {w.message}" for w in self.warnings),
            ]
        )


def extract_template(source: Path, output: Path) -> Written:
    """The letter's template, written; what publishing will refuse in the
    letter's front matter is said with it, as a warning, at its line."""
    letter = read_document(source)
    catalog = template_catalog(letter_messages(letter), letter.path)
    refusal = front_matter_refusal(letter)
    warnings = () if refusal is None else (_refused_later(refusal),)
    return Written(output, write_catalog(catalog, output), warnings=warnings)


def _refused_later(refusal: KlpublishError) -> KlpublishError:
    said = f"{refusal.message} (publish refuses the letter until this is mended)"
    return KlpublishError(said, refusal.location)


def extract_new_letters(locales: Path) -> Outcome:
    """The template of each letter in ``source/`` that has none yet in
    ``locales``: a letter just added is translated from the next ``update`` on,
    as ``make update`` (extract, then update) would have it. A letter that
    cannot be read fails alone; a file whose name makes no letter is
    ``extract``'s to say."""
    outcome = Outcome()
    found, _ = scan_letters()
    project = Project(locales)
    for source in found:
        template = project.letter(source).template
        if os.path.lexists(template):
            continue
        shown = display_path(source)
        try:
            written = extract_template(source, template)
        except KlpublishError as exc:
            state = f"not made: {shown} is a new letter that cannot be read"
            outcome.failed.append(Failed(template, exc, state))
            continue
        note = f"a new letter: its template extracted from {shown}"
        outcome.written.append(Written(written.path, written.changed, (note,), written.warnings))
    return outcome


@dataclass(frozen=True)
class Failed:
    """A file the run could not use: what it left as it was (``path``) and why."""

    path: Path
    error: KlpublishError
    state: str = "not updated, left as it was"

    def __str__(self) -> str:
        said = (f"  {line}" for line in str(self.error).splitlines())
        return "\n".join([f"{display_path(self.path)}: {self.state}", *said])


@dataclass
class Outcome:
    """What one run of ``update`` or ``init`` did: each catalog written, and each
    file that failed alone (the others went on)."""

    written: list[Written] = field(default_factory=list)
    failed: list[Failed] = field(default_factory=list)


def templates(locales: Path) -> tuple[list[Path], list[Failed]]:
    """Every letter's template in ``locales`` (``locale/<name>.pot``), the first
    letter's first, and apart each file there that is no letter's template."""
    found = Project(locales).templates()
    kept, refused = [], []
    for path in found:  # 'letter.2023.pot' would be merged into letter.po
        if letter_name(path) != path.stem:
            error = CatalogError(
                f"is not a letter's template: expected '<name>.pot', named as its letter "
                f"'<name>.da.md' is (move it out of {display_path(locales)}/)",
                Location(display_path(path), 0),
            )
            refused.append(Failed(path, error, "not used"))
        else:
            kept.append(path)
    if not found:
        raise CatalogError(
            "no translation template: run 'klpublish extract' (or 'make update') first",
            Location(display_path(locales), 0),
        )
    return kept, refused


Merged = tuple[Catalog, Path, tuple[str, ...]]


def update_catalogs(
    template_paths: Sequence[Path], locales: Path, compendia: Sequence[Path] = ()
) -> Outcome:
    """Merge each letter's template into its catalog in every language of the project
    (a language that has no catalog of a letter yet, a new letter, gets one), and fill
    what is new from translation memory (see ``memory``). Each catalog is merged on
    its own: a broken one (or template, or language folder) is left as it was and
    said, and the others are written. Every catalog is merged before any is written,
    so memory reads each as it was. A compendium is the operator's own file: a
    broken one stops the run before anything is written."""
    project = Project(locales)
    outcome = Outcome()
    langs = []
    for lang in project.project_languages():
        folder = project.language_folder(lang)
        try:
            langs.append(check_lang_code(lang, Location(display_path(folder), 0)))
        except KlpublishError as exc:
            outcome.failed.append(Failed(folder, exc, "not a language, left as it was"))
    memory = TranslationMemory(compendia, langs, project)
    merged: list[Merged] = []
    for template_path in template_paths:
        try:
            template = load_catalog(template_path)
        except KlpublishError as exc:
            outcome.failed.append(Failed(template_path, exc, "not used: no catalog updated"))
            continue
        name = template_path.stem  # a letter's template is named as the letter
        for lang in langs:
            try:
                merged.append(_merged(project, project.po_path(name, lang), lang, template, memory))
            except KlpublishError as exc:
                outcome.failed.append(Failed(project.po_path(name, lang), exc))
    for lang in langs:
        try:
            merged.extend(_labels_merged(project, lang))
        except KlpublishError as exc:
            outcome.failed.append(Failed(project.labels_po_path(lang), exc))
    _write(merged, outcome)
    return outcome


def _merged(
    project: Project, po: Path, lang: str, template: Catalog, memory: TranslationMemory
) -> Merged:
    """One language's catalog of one letter, merged with its template and filled
    from memory. Memory that cannot be read (another catalog of the language is
    broken, say) fails this catalog: it is left as it was, and the error names
    the file to mend."""
    if os.path.lexists(po):
        catalog = load_catalog(project.inside(po), locale=lang)
        earlier: set[tuple[str, str | None]] | None = keys(catalog)
        merge(catalog, template)
    else:
        catalog, earlier = new_catalog(template, lang), None
    drop_format_claims(catalog)  # Babel's update flags them again
    return catalog, po, tuple(memory.fill(catalog, po, lang, earlier).lines())


def _labels_merged(project: Project, lang: str) -> list[Merged]:
    words = project.labels_catalog(lang)
    if words is not None:
        catalog = load_catalog(words, locale=lang)
        merge(catalog, labels.catalog_template())
        return [(catalog, words, ())]
    if lang not in package_label_languages():
        # The package cannot show this language's readers its own words:
        # the translator gets them to translate, next to the letter.
        return [(labels_catalog(lang), project.labels_po_path(lang), ())]
    return []


def _write(merged: Sequence[Merged], outcome: Outcome) -> None:
    """Write each catalog; one that cannot be written (or whose file changed, since
    it was read, into one no parser reads: it is never written over) fails alone."""
    for catalog, po, notes in merged:
        try:
            outcome.written.append(Written(po, write_catalog(catalog, po), notes))
        except OSError as exc:
            error = KlpublishError(write_error(exc, po))
            outcome.failed.append(Failed(po, error, "not written"))
        except KlpublishError as exc:
            outcome.failed.append(Failed(po, exc, "not written, left as it was"))


def labels_catalog(lang: str) -> Catalog:
    """A new project catalog of the layout's words, with the package's
    translations where it has them (the translator may then change them)."""
    catalog = new_catalog(labels.catalog_template(), lang)
    shipped = labels.resolve_labels(lang)
    review = labels.resolve_labels(lang, review=True)
    for message in catalog:
        key = str(message.context)
        known = review if key.startswith(labels.REVIEW) else shipped
        if message.id and known[key].lang == lang:
            message.string = known[key].text
    return catalog


def init_language(
    lang: str, template_paths: Sequence[Path], locales: Path, compendia: Sequence[Path] = ()
) -> Outcome:
    """The language's catalog of each letter, filled from translation memory (see
    ``memory``), and of the layout's words. A broken template fails alone."""
    check_lang_code(lang)
    project = Project(locales)
    memory = TranslationMemory(compendia, [lang], project)
    outcome = Outcome()
    pairs = []
    for path in template_paths:
        try:
            pairs.append((load_catalog(path), project.po_path(path.stem, lang)))
        except KlpublishError as exc:
            outcome.failed.append(Failed(path, exc, "not used: no catalog made"))
    words = project.labels_po_path(lang)
    for path in (*(po for _, po in pairs), words):
        if os.path.lexists(path):
            raise CatalogError(
                "a catalog for this language exists already: run 'klpublish update' to merge",
                Location(display_path(path), 0),
            )
    merged: list[Merged] = []
    for template, po in pairs:
        catalog = new_catalog(template, lang)
        drop_format_claims(catalog)
        try:
            merged.append((catalog, po, tuple(memory.fill(catalog, po, lang).lines())))
        except KlpublishError as exc:
            outcome.failed.append(Failed(po, exc, "not made"))
    if merged:  # with no letter's catalog, the language is not there yet: init again
        merged.append((labels_catalog(lang), words, ()))
    _write(merged, outcome)
    return outcome

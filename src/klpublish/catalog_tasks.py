"""The catalog commands' work: extract the template, update and add languages."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog

from . import labels
from .catalog import load_catalog, merge, new_catalog, template_catalog, write_catalog
from .errors import CatalogError, Location, display_path
from .extract import letter_messages
from .layout import DOMAIN, Layout, check_lang_code, letter_name
from .memory import TranslationMemory, keys
from .source import read_document


@dataclass(frozen=True)
class Written:
    path: Path
    changed: bool
    notes: tuple[str, ...] = ()
    """What translation memory did (see ``memory.Report``)."""

    def __str__(self) -> str:
        state = "updated" if self.changed else "not changed"
        return "\n".join([f"{display_path(self.path)}: {state}", *(f"  {n}" for n in self.notes)])


def extract_template(source: Path, output: Path) -> Written:
    letter = read_document(source)
    catalog = template_catalog(letter_messages(letter), letter.path)
    return Written(output, write_catalog(catalog, output))


def templates(locales: Path) -> list[Path]:
    """Every letter's template in ``locales`` (``locale/<name>.pot``), the first
    letter's first."""
    found = sorted(locales.glob("*.pot"), key=lambda p: (p.stem != DOMAIN, p.stem))
    for path in found:  # 'letter.2023.pot' would be merged into letter.po
        if letter_name(path) != path.stem:
            raise CatalogError(
                f"is not a letter's template: expected '<name>.pot', named as its letter "
                f"'<name>.da.md' is (move it out of {display_path(locales)}/)",
                Location(display_path(path), 0),
            )
    if not found:
        raise CatalogError(
            "no translation template: run 'klpublish extract' (or 'make update') first",
            Location(display_path(locales), 0),
        )
    return found


def _letter_layout(template_path: Path, locales: Path) -> Layout:
    """The layout of the letter a template belongs to: its name is the template's."""
    return Layout(source=template_path.with_suffix(".da.md"), locales=locales)


def update_catalogs(
    template_paths: Sequence[Path], locales: Path, compendia: Sequence[Path] = ()
) -> list[Written]:
    """Merge each letter's template into its catalog in every language of the project
    (a language that has no catalog of a letter yet, a new letter, gets one), and fill
    what is new from translation memory (see ``memory``). All catalogs are read and
    checked before any is written, so a broken one stops the run unchanged."""
    project = Layout(locales=locales)
    langs = project.project_languages()
    for lang in langs:
        check_lang_code(lang, Location(display_path(locales / lang), 0))
    memory = TranslationMemory(compendia, langs)
    merged: list[tuple[Catalog, Path, tuple[str, ...]]] = []
    for template_path in template_paths:
        template = load_catalog(template_path)
        layout = _letter_layout(template_path, locales)
        for lang in langs:
            po = layout.po_path(lang)
            if os.path.lexists(po):
                catalog = load_catalog(layout.catalog(lang), locale=lang)
                earlier: set[tuple[str, str | None]] | None = keys(catalog)
                merge(catalog, template)
            else:
                catalog, earlier = new_catalog(template, lang), None
            merged.append((catalog, po, tuple(memory.fill(catalog, po, lang, earlier).lines())))
    for lang in langs:
        words = project.labels_catalog(lang)
        if words is not None:
            catalog = load_catalog(words, locale=lang)
            merge(catalog, labels.template())
            merged.append((catalog, words, ()))
        elif lang not in labels.shipped_languages():
            # The package cannot show this language's readers its own words:
            # the translator gets them to translate, next to the letter.
            merged.append((labels_catalog(lang), project.labels_po_path(lang), ()))
    return [Written(po, write_catalog(catalog, po), notes) for catalog, po, notes in merged]


def labels_catalog(lang: str) -> Catalog:
    """A new project catalog of the layout's words, with the package's
    translations where it has them (the translator may then change them)."""
    catalog = new_catalog(labels.template(), lang)
    shipped = labels.resolve_labels(lang)
    for message in catalog:
        if message.id and shipped[str(message.context)].lang == lang:
            message.string = shipped[str(message.context)].text
    return catalog


def init_language(
    lang: str, template_paths: Sequence[Path], locales: Path, compendia: Sequence[Path] = ()
) -> list[Written]:
    """The language's catalog of each letter, filled from translation memory (see
    ``memory``), and of the layout's words."""
    check_lang_code(lang)
    project = Layout(locales=locales)
    memory = TranslationMemory(compendia, [lang])
    pairs = [
        (load_catalog(path), _letter_layout(path, locales).po_path(lang)) for path in template_paths
    ]
    words = project.labels_po_path(lang)
    for path in (*(po for _, po in pairs), words):
        if path.exists():
            raise CatalogError(
                "a catalog for this language exists already: run 'klpublish update' to merge",
                Location(display_path(path), 0),
            )
    written = []
    for template, po in pairs:
        catalog = new_catalog(template, lang)
        notes = tuple(memory.fill(catalog, po, lang).lines())
        written.append(Written(po, write_catalog(catalog, po), notes))
    return [
        *written,
        Written(words, write_catalog(labels_catalog(lang), words)),
    ]

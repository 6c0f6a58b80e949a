"""The catalog commands' work: extract the template, update and add languages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog

from . import labels
from .catalog import load_catalog, merge, new_catalog, template_catalog, write_catalog
from .errors import CatalogError, Location, display_path
from .extract import letter_messages
from .layout import DOMAIN, Layout, check_lang_code
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


def _po_files(locales: Path, domain: str = DOMAIN) -> list[tuple[str, Path]]:
    """Each language's catalog of ``domain`` (a template's file name, ``letter``
    for ``letter.pot``): every language's for the letter, the languages that
    have one for another domain."""
    layout = Layout(locales=locales)
    found = []
    for lang in layout.languages():
        check_lang_code(lang, Location(display_path(locales / lang), 0))
        po = layout.catalog(lang)
        if domain != DOMAIN:
            po = po.with_name(f"{domain}.po")
            if not po.exists():
                continue
        found.append((lang, po))
    return found


def update_catalogs(
    template_path: Path, locales: Path, compendia: Sequence[Path] = ()
) -> list[Written]:
    """Merge the template into every language's catalog, and fill what is new
    from translation memory (see ``memory``). All catalogs are read and checked
    before any is written, so a broken one stops the run unchanged."""
    template = load_catalog(template_path)
    layout = Layout(locales=locales)
    found = _po_files(locales, template_path.stem)
    memory = TranslationMemory(compendia, [lang for lang, _ in found])
    merged = []
    for lang, po in found:
        catalog = load_catalog(po, locale=lang)
        earlier = keys(catalog)
        merge(catalog, template)
        merged.append((catalog, po, tuple(memory.fill(catalog, po, lang, earlier).lines())))
        words = layout.labels_catalog(lang)
        if words is not None:
            catalog = load_catalog(words, locale=lang)
            merge(catalog, labels.template())
            merged.append((catalog, words, ()))
        elif lang not in labels.shipped_languages():
            # The package cannot show this language's readers its own words:
            # the translator gets them to translate, next to the letter.
            merged.append((labels_catalog(lang), layout.labels_po_path(lang), ()))
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
    lang: str, template_path: Path, locales: Path, compendia: Sequence[Path] = ()
) -> list[Written]:
    """The language's catalog of the letter, filled from translation memory
    (see ``memory``), and of the layout's words."""
    check_lang_code(lang)
    template = load_catalog(template_path)
    memory = TranslationMemory(compendia, [lang])
    po = locales / lang / "LC_MESSAGES" / template_path.with_suffix(".po").name
    words = Layout(locales=locales).labels_po_path(lang)
    for path in (po, words):
        if path.exists():
            raise CatalogError(
                "a catalog for this language exists already: run 'klpublish update' to merge",
                Location(display_path(path), 0),
            )
    catalog = new_catalog(template, lang)
    notes = tuple(memory.fill(catalog, po, lang).lines())
    return [
        Written(po, write_catalog(catalog, po), notes),
        Written(words, write_catalog(labels_catalog(lang), words)),
    ]

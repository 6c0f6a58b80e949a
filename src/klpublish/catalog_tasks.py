"""The catalog commands' work: extract the template, update and add languages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .catalog import load_catalog, merge, new_catalog, template_catalog, write_catalog
from .errors import CatalogError, Location, display_path
from .extract import letter_messages
from .layout import Layout, check_lang_code
from .source import read_document


@dataclass(frozen=True)
class Written:
    path: Path
    changed: bool

    def __str__(self) -> str:
        state = "updated" if self.changed else "not changed"
        return f"{display_path(self.path)}: {state}"


def extract_template(source: Path, output: Path) -> Written:
    letter = read_document(source)
    catalog = template_catalog(letter_messages(letter), letter.path)
    return Written(output, write_catalog(catalog, output))


def _po_files(locales: Path) -> list[tuple[str, Path]]:
    layout = Layout(locales=locales)
    found = []
    for lang in layout.languages():
        check_lang_code(lang, Location(display_path(locales / lang), 0))
        found.append((lang, layout.catalog(lang)))
    return found


def update_catalogs(template_path: Path, locales: Path) -> list[Written]:
    """Merge the template into every language's catalog. All catalogs are read
    and checked before any is written, so a broken one stops the run unchanged."""
    template = load_catalog(template_path)
    merged = []
    for lang, po in _po_files(locales):
        catalog = load_catalog(po, locale=lang)
        merge(catalog, template)
        merged.append((catalog, po))
    return [Written(po, write_catalog(catalog, po)) for catalog, po in merged]


def init_language(lang: str, template_path: Path, locales: Path) -> Written:
    check_lang_code(lang)
    template = load_catalog(template_path)
    po = locales / lang / "LC_MESSAGES" / template_path.with_suffix(".po").name
    if po.exists():
        raise CatalogError(
            "a catalog for this language exists already: run 'klpublish update' to merge",
            Location(display_path(po), 0),
        )
    return Written(po, write_catalog(new_catalog(template, lang), po))

"""Where every file lives: source, template, catalogs, outputs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import CatalogError, Location

DOMAIN = "letter"
LABELS_DOMAIN = "klpublish"
DEFAULT_SOURCE = Path("source/letter.da.md")
DEFAULT_LOCALES = Path("locale")
DEFAULT_TEMPLATE = DEFAULT_LOCALES / f"{DOMAIN}.pot"
DEFAULT_OUT = Path("build")
FORMATS = ("html", "epub", "pdf")
DEFAULT_THRESHOLD = 80.0
"""Percent translated below which a language is not published."""

NOT_A_LANGUAGE = {
    "und": "undetermined",
    "mul": "several languages",
    "zxx": "no linguistic content",
    "mis": "an uncoded language",
}
"""ISO 639's special codes: none names the language a reader reads."""
_LANG = re.compile(r"^[a-z]{2,3}(?:_[A-Z][a-z]{3})?(?:_(?:[A-Z]{2}|[0-9]{3}))?$")


def check_lang_code(code: str, where: Location | None = None) -> str:
    """A language code as used for directories: ``de``, ``pt_BR``, ``sr_Latn``.

    Refuses anything else, so a directory such as ``../x`` never becomes a path.
    """
    from babel import Locale, UnknownLocaleError

    if not _LANG.match(code):
        raise CatalogError(
            f"'{code}' is not a language code: expected e.g. 'de', 'pt_BR' or 'sr_Latn'", where
        )
    special = NOT_A_LANGUAGE.get(code.partition("_")[0])
    if special:
        raise CatalogError(
            f"'{code}' means {special}, not a language a letter can be written in: "
            "expected e.g. 'de', 'pt_BR' or 'sr_Latn'",
            where,
        )
    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError) as exc:
        raise CatalogError(f"'{code}' is not a language Babel knows", where) from exc
    return code


@dataclass(frozen=True)
class Layout:
    source: Path = DEFAULT_SOURCE
    locales: Path = DEFAULT_LOCALES
    template: Path = DEFAULT_TEMPLATE
    out: Path = DEFAULT_OUT

    def po_path(self, lang: str) -> Path:
        return self.locales / lang / "LC_MESSAGES" / f"{DOMAIN}.po"

    def labels_po_path(self, lang: str) -> Path:
        """The project's own catalog of the layout's words (see ``labels``)."""
        return self.locales / lang / "LC_MESSAGES" / f"{LABELS_DOMAIN}.po"

    def languages(self) -> list[str]:
        """Directory names that hold a catalog, sorted. Not yet checked as
        language codes: a bad one is that language's error, not everyone's."""
        if not self.locales.is_dir():
            return []
        return [
            entry.name
            for entry in sorted(self.locales.iterdir())
            if entry.is_dir() and (entry / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()
        ]

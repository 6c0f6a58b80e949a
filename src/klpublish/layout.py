"""Where every file lives: source, template, catalogs, outputs."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import CatalogError, Location, display_path

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

    # -- outputs: every path and link under ``out`` is named here ---------------

    def output_dir(self, lang: str) -> Path:
        return self.out / lang

    def output(self, lang: str, fmt: str) -> Path:
        """``build/de/letter.de.html``."""
        return self.output_dir(lang) / self.output_name(lang, fmt)

    @staticmethod
    def output_name(lang: str, fmt: str) -> str:
        return f"{DOMAIN}.{lang}.{fmt}"

    @staticmethod
    def link_between(lang: str, fmt: str) -> str:
        """The link from one language's page to ``lang``'s output, as the page's
        language switcher writes it (pages sit one folder down)."""
        return f"../{lang}/{DOMAIN}.{lang}.{fmt}"

    @staticmethod
    def link_from_index(lang: str, fmt: str) -> str:
        return f"{lang}/{DOMAIN}.{lang}.{fmt}"

    @property
    def index_page(self) -> Path:
        return self.out / "index.html"

    @property
    def reports(self) -> Path:
        """Where the accessibility gate writes what each checker found."""
        return self.out / "reports"

    def cache_record(self, kind: str, lang: str) -> Path:
        """What the build remembers of one language (see ``build_cache``)."""
        return self.out / ".cache" / f"{kind}.{lang}.json"

    # -- catalogs ---------------------------------------------------------------

    def po_path(self, lang: str) -> Path:
        return self.locales / lang / "LC_MESSAGES" / f"{DOMAIN}.po"

    def labels_po_path(self, lang: str) -> Path:
        """The project's own catalog of the layout's words (see ``labels``)."""
        return self.locales / lang / "LC_MESSAGES" / f"{LABELS_DOMAIN}.po"

    def languages(self) -> list[str]:
        """Directory names that hold a catalog (or something where one should be),
        sorted. Not yet checked as language codes or files: a bad one is that
        language's error (see ``catalog``), not everyone's."""
        if not self.locales.is_dir():
            return []
        return [
            entry.name
            for entry in sorted(self.locales.iterdir())
            if os.path.lexists(entry / "LC_MESSAGES" / f"{DOMAIN}.po")
        ]

    def glossary_path(self, lang: str) -> Path:
        """The language's glossary (TBX, see ``glossary``)."""
        return self.locales / lang / "glossary.tbx"

    def glossary(self, lang: str) -> Path | None:
        """The language's glossary when there is one, once it is known to be a
        file inside the catalogs' folder (as ``catalog`` checks)."""
        path = self.glossary_path(lang)
        return (
            self._inside(path, "a TBX file", "a glossary file") if os.path.lexists(path) else None
        )

    def labels_catalog(self, lang: str) -> Path | None:
        """The project's catalog of the layout's words for ``lang`` when there is
        one, under the same rules as the letter's (see ``catalog``)."""
        path = self.labels_po_path(lang)
        return self._inside(path) if os.path.lexists(path) else None

    def catalog(self, lang: str) -> Path:
        """The catalog of ``lang``, once it is known to be a file inside the
        catalogs' folder: a symlink that leads out of it (to a secret, say) is
        refused before anything reads it, and so is a folder in its place."""
        return self._inside(self.po_path(lang))

    def _inside(self, path: Path, what: str = "a .po file", kind: str = "a catalog file") -> Path:
        where = Location(display_path(path), 0)
        root = self.locales.resolve()
        if not path.resolve().is_relative_to(root):
            raise CatalogError(
                f"leads outside {display_path(self.locales)}/ (a symbolic link): expected "
                f"{kind} inside it",
                where,
            )
        if path.is_dir():
            raise CatalogError(f"is a folder: expected {what}", where)
        if not path.is_file():
            raise CatalogError(f"is not a regular file: expected {what}", where)
        return path

"""Where every file lives: source, template, catalogs, outputs."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import CatalogError, Location, display_path

DOMAIN = "letter"
DEFAULT_SOURCE = Path("source/letter.da.md")
DEFAULT_LOCALES = Path("locale")
DEFAULT_TEMPLATE = DEFAULT_LOCALES / f"{DOMAIN}.pot"
DEFAULT_OUT = Path("build")
FORMATS = ("html", "epub", "pdf")
DEFAULT_THRESHOLD = 80.0
"""Percent translated below which a language is not published."""

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

    def catalog(self, lang: str) -> Path:
        """The catalog of ``lang``, once it is known to be a file inside the
        catalogs' folder: a symlink that leads out of it (to a secret, say) is
        refused before anything reads it, and so is a folder in its place."""
        path = self.po_path(lang)
        where = Location(display_path(path), 0)
        root = self.locales.resolve()
        if not path.resolve().is_relative_to(root):
            raise CatalogError(
                f"leads outside {display_path(self.locales)}/ (a symbolic link): expected a "
                "catalog file inside it",
                where,
            )
        if path.is_dir():
            raise CatalogError("is a folder: expected a .po file", where)
        if not path.is_file():
            raise CatalogError("is not a regular file: expected a .po file", where)
        return path

"""Where every file lives: source, template, catalogs, outputs."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from klpublish.errors import CatalogError, Location, display_path
from klpublish.files import MAX_CATALOG_BYTES, Reading, check_inside

DOMAIN = "letter"
"""The first letter's name, and so its catalogs' domain (``source/letter.da.md``)."""
LABELS_DOMAIN = "klpublish"
SOURCES = Path("source")
DEFAULT_SOURCE = SOURCES / f"{DOMAIN}.da.md"
LETTER_SUFFIX = ".da.md"
DEFAULT_LOCALES = Path("locale")
DEFAULT_TEMPLATE = DEFAULT_LOCALES / f"{DOMAIN}.pot"
DEFAULT_OUT = Path("build")
GLOSSARY_NAME = "glossary.tbx"
FORMATS = ("html", "epub", "pdf")
DEFAULT_THRESHOLD = 80.0
"""Percent translated below which a language is not published."""

PACKAGE = Path(__file__).resolve().parent
"""The installed package: its templates and its catalogs of the layout's words."""
PACKAGE_LOCALE = PACKAGE / "locale"


def package_template(name: str) -> Path:
    """One of the package's templates (``letter.html``, ``letter.css``, ...)."""
    return PACKAGE / "templates" / name


def package_labels_template() -> Path:
    """The template of the layout's words (``klpublish.pot``)."""
    return PACKAGE_LOCALE / f"{LABELS_DOMAIN}.pot"


def package_labels_po(lang: str) -> Path:
    """The package's own catalog of the layout's words in ``lang``."""
    return PACKAGE_LOCALE / lang / "LC_MESSAGES" / f"{LABELS_DOMAIN}.po"


def package_label_languages() -> list[str]:
    """The languages the package has the layout's words in."""
    return sorted(
        p.parent.parent.name for p in PACKAGE_LOCALE.glob(f"*/LC_MESSAGES/{LABELS_DOMAIN}.po")
    )


NOT_A_LANGUAGE = {
    "und": "undetermined",
    "mul": "several languages",
    "zxx": "no linguistic content",
    "mis": "an uncoded language",
}
"""ISO 639's special codes: none names the language a reader reads."""
T = TypeVar("T")

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_LANG = re.compile(r"^[a-z]{2,3}(?:_[A-Z][a-z]{3})?(?:_(?:[A-Z]{2}|[0-9]{3}))?$")


def check_lang_code(code: str, where: Location | None = None) -> str:
    """A language code as used for directories: ``de``, ``pt_BR``, ``sr_Latn``.

    Refuses anything else, so a directory such as ``../x`` never becomes a path.
    """
    from babel import Locale, UnknownLocaleError

    if not _LANG.fullmatch(code):
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


def letter_name(source: Path) -> str:
    """A letter's name: its file's name up to the first dot (``letter`` for
    ``source/letter.da.md``). It names the letter's catalogs (its gettext domain) and
    its outputs, so it is refused unless it is a plain lowercase word."""
    name = source.name.partition(".")[0]
    if not _NAME.fullmatch(name) or name == LABELS_DOMAIN:
        reason = "is the layout's words' domain" if name == LABELS_DOMAIN else "is not a plain name"
        raise CatalogError(
            f"the letter's name '{name}' {reason}: expected a file named like "
            "'welcome-2018.da.md' (lowercase letters, digits, '-' and '_')",
            Location(display_path(source), 0),
        )
    return name


def letter_root(path: Path) -> Path:
    """The tree a letter must lie in: ``source/`` for the project's letters (so a
    letter folder linked out of it is refused), else the folder it was named in."""
    absolute = Path(os.path.abspath(path))
    sources = Path(os.path.abspath(SOURCES))
    return sources if absolute.is_relative_to(sources) else absolute.parent


def letter_files(folder: Path = SOURCES) -> list[Path]:
    """Every ``<name>.da.md`` in ``folder`` or in a folder of its own there
    (``<name>/<name>.da.md``, with the files it uses beside it), unsorted and not
    yet named. Hidden files (an editor's lock file ``.#letter.da.md``, say) are
    not letters."""
    return [
        path
        for path in [*folder.glob(f"*{LETTER_SUFFIX}"), *folder.glob(f"*/*{LETTER_SUFFIX}")]
        if not any(part.startswith(".") for part in path.relative_to(folder).parts)
    ]


def letter_in_folder(name: str, folder: Path = SOURCES) -> Path:
    """Where a letter with files beside it lives: ``source/<name>/<name>.da.md``."""
    return folder / name / f"{name}{LETTER_SUFFIX}"


@dataclass(frozen=True)
class Project:
    """The folders every letter shares: the catalogs' (``locales``) and the
    outputs' (``out``). What is one letter's is its ``Layout``."""

    locales: Path = DEFAULT_LOCALES
    out: Path = DEFAULT_OUT

    def letter(self, source: Path) -> Layout:
        return Layout(source, self.locales, self.out)

    # -- catalogs ---------------------------------------------------------------

    def language_folder(self, lang: str) -> Path:
        """``locale/de``: a language's catalogs and glossary."""
        return self.locales / lang

    def template(self, name: str) -> Path:
        """``locale/<name>.pot``: the translation template of the letter ``name``."""
        return self.locales / f"{name}.pot"

    def templates(self) -> list[Path]:
        """Every ``.pot`` in the catalogs' folder, the first letter's first."""
        return sorted(self.locales.glob("*.pot"), key=lambda p: (p.stem != DOMAIN, p.stem))

    def po_path(self, name: str, lang: str) -> Path:
        """``locale/de/LC_MESSAGES/<name>.po``: the catalog of the letter ``name``."""
        return self.language_folder(lang) / "LC_MESSAGES" / f"{name}.po"

    def labels_po_path(self, lang: str) -> Path:
        """The project's own catalog of the layout's words (see ``labels``)."""
        return self.po_path(LABELS_DOMAIN, lang)

    def letter_catalogs(self, lang: str) -> list[Path]:
        """Every letter's catalog in ``lang``, sorted (not the layout's words)."""
        folder = self.po_path(LABELS_DOMAIN, lang).parent
        return sorted(p for p in folder.glob("*.po") if p.stem != LABELS_DOMAIN)

    def project_languages(self) -> list[str]:
        """Directory names that hold a catalog of any letter, sorted (see
        ``Layout.languages``)."""
        if not self.locales.is_dir():
            return []
        return [
            entry.name
            for entry in sorted(self.locales.iterdir())
            if self.letter_catalogs(entry.name)
        ]

    def glossary_path(self, lang: str) -> Path:
        """The language's glossary (TBX, see ``glossary``)."""
        return self.language_folder(lang) / GLOSSARY_NAME

    def glossary(self, lang: str) -> Path | None:
        """The language's glossary when there is one, once it is known to be a
        file inside the catalogs' folder (as ``catalog`` checks)."""
        path = self.glossary_path(lang)
        return self.inside(path, "a TBX file") if os.path.lexists(path) else None

    def labels_catalog(self, lang: str) -> Path | None:
        """The project's catalog of the layout's words for ``lang`` when there is
        one, under the same rules as a letter's (see ``Layout.catalog``)."""
        path = self.labels_po_path(lang)
        return self.inside(path) if os.path.lexists(path) else None

    def inside(self, path: Path, what: str = "a .po file") -> Path:
        """``path``, once it is known to be a regular file inside the catalogs'
        folder: a symlink that leads out of it (to a secret, say) is refused
        before anything reads it, and so is a folder, a FIFO or a device."""
        check_inside(path, Reading(self.locales, MAX_CATALOG_BYTES, what), CatalogError)
        return path

    # -- outputs ----------------------------------------------------------------

    @property
    def index_page(self) -> Path:
        return self.out / "index.html"

    @property
    def reports(self) -> Path:
        """Where the accessibility gate writes what each checker found."""
        return self.out / "reports"

    def gate_report(self, checker: str) -> Path:
        """What one checker found, on every letter (JSON)."""
        return self.reports / f"{checker}.json"

    @property
    def review_folder(self) -> Path:
        """Where ``klpublish review`` writes each letter's review pages."""
        return self.out / "review"

    @property
    def index_record(self) -> Path:
        """What the build remembers of the index page (see ``build.record``)."""
        return self.out / ".cache" / "index.json"

    @property
    def index_transcript(self) -> Path:
        """What the screen reader said on the index page."""
        return self.reports / "screen-reader" / "index" / f"{self.index_page.stem}.html.txt"


@dataclass(frozen=True)
class Layout:
    """One letter's paths: its source, its catalogs, its outputs. Letters share
    the ``project``'s folders; what is theirs is named after the letter."""

    source: Path
    locales: Path = DEFAULT_LOCALES
    out: Path = DEFAULT_OUT

    @property
    def name(self) -> str:
        return letter_name(self.source)

    @property
    def project(self) -> Project:
        return Project(self.locales, self.out)

    @property
    def template(self) -> Path:
        """``locale/letter.pot``: the letter's translation template."""
        return self.project.template(self.name)

    def for_letter(self, source: Path) -> Layout:
        return self.project.letter(source)

    # -- outputs: every path and link under ``out`` is named here ---------------

    def output_dir(self, lang: str) -> Path:
        return self.out / lang

    def output(self, lang: str, fmt: str) -> Path:
        """``build/de/letter.de.html``."""
        return self.output_dir(lang) / self.output_name(lang, fmt)

    def output_name(self, lang: str, fmt: str) -> str:
        return f"{self.name}.{lang}.{fmt}"

    def has_outputs(self) -> bool:
        """Whether any language's output of this letter is in ``out`` (the index
        lists such a letter, whichever letters a run acts on)."""
        return next(self.out.glob(f"*/{self.output_name('*', '*')}"), None) is not None

    def link_between(self, lang: str, fmt: str) -> str:
        """The link from one language's page to ``lang``'s output, as the page's
        language switcher writes it (pages sit one folder down)."""
        return f"../{lang}/{self.output_name(lang, fmt)}"

    def link_from_index(self, lang: str, fmt: str) -> str:
        return f"{lang}/{self.output_name(lang, fmt)}"

    def review_page(self, lang: str) -> Path:
        """``build/review/letter.de.html``: the Danish and ``lang``'s translation side
        by side, for a reviewer (``klpublish review``)."""
        return self.project.review_folder / self.output_name(lang, "html")

    def review_link_from_index(self, lang: str) -> str:
        return f"{self.project.review_folder.name}/{self.output_name(lang, 'html')}"

    def review_transcript(self, lang: str) -> Path:
        """What the screen reader said on ``lang``'s review page."""
        return self.project.reports / "screen-reader" / "review" / f"{self.name}.{lang}.html.txt"

    # -- the accessibility gate's files, all under the project's ``reports`` ----

    def absolute(self) -> Layout:
        """The same letter with its outputs named by absolute paths: the gate's checkers
        run in another folder (the Node project's) and are given absolute paths."""
        return Layout(self.source, self.locales, self.out.absolute())

    def unpacked_epub(self, lang: str) -> Path:
        """Where the gate unpacks ``lang``'s EPUB for the browser-based checkers."""
        return self.project.reports / "epub" / self.name / lang

    def epub_chapters(self, lang: str) -> list[Path]:
        """The unpacked EPUB's chapters, which hold the letter's text (pandoc writes them
        to ``EPUB/text/``; the navigation documents are elsewhere), in order."""
        return sorted((self.unpacked_epub(lang) / "EPUB" / "text").glob("*.xhtml"))

    def ace_report(self, lang: str) -> Path:
        """The folder of Ace's report on ``lang``'s EPUB."""
        return self.project.reports / "ace" / self.name / lang

    def transcript(self, lang: str, fmt: str, page: Path) -> Path:
        """What the screen reader said on one of the letter's pages (plain text). An
        EPUB's documents have the same names in every letter's book: the letter's name
        tells them apart."""
        stem = page.stem if fmt == "html" else f"{self.name}.{page.stem}"
        return self.project.reports / "screen-reader" / lang / f"{stem}.{fmt}.txt"

    def cache_record(self, kind: str, lang: str) -> Path:
        """What the build remembers of one language (see ``build.cache``)."""
        return self.out / ".cache" / f"{kind}.{self.name}.{lang}.json"

    # -- catalogs ---------------------------------------------------------------

    def po_path(self, lang: str) -> Path:
        return self.project.po_path(self.name, lang)

    def languages(self) -> list[str]:
        """Directory names that hold a catalog (or something where one should be),
        sorted. Not yet checked as language codes or files: a bad one is that
        language's error (see ``catalog``), not everyone's."""
        if not self.locales.is_dir():
            return []
        return [
            entry.name
            for entry in sorted(self.locales.iterdir())
            if os.path.lexists(self.po_path(entry.name))
        ]

    def catalog(self, lang: str) -> Path:
        """The catalog of ``lang``, once it is known to be a file inside the
        catalogs' folder (see ``Project.inside``). Readers read it through
        ``files.read_inside`` again, with the same tree (see ``catalog_tree``)."""
        return self.project.inside(self.po_path(lang))


def catalog_tree(path: Path) -> Path:
    """The tree a catalog must lie in: LOCALES for ``LOCALES/<lang>/LC_MESSAGES/<name>.po``
    and ``LOCALES/<lang>/glossary.tbx`` (so one language's catalog linked to another's
    is a catalog like any other, as ``Layout.catalog`` allows), else the folder it is
    named in (a template, a compendium). Said of the path as given, links unfollowed:
    the link is what is judged."""
    absolute = Path(os.path.abspath(path))
    if absolute.parent.name == "LC_MESSAGES":
        return absolute.parent.parent.parent
    if absolute.name == GLOSSARY_NAME:
        return absolute.parent.parent
    return absolute.parent

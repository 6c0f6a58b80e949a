"""The words the layout adds around the letter (labels, page numbers, the index
page), read from gettext catalogs of the domain ``klpublish``.

As Sphinx ships ``sphinx.po``, the package ships a catalog per language it knows
(``klpublish/locale/<lang>/LC_MESSAGES/klpublish.po``); a project's
``locale/<lang>/LC_MESSAGES/klpublish.po`` overrides it entry by entry. The
template (``klpublish/locale/klpublish.pot``) is the source text, written in the
language its header names; each entry's ``msgctxt`` is the key the layout asks
for. What no catalog translates stays in the template's language, marked so.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from klpublish.errors import Location, TranslationError, display_path
from klpublish.files import MAX_CATALOG_BYTES, Reading, read_inside
from klpublish.project import PACKAGE_LOCALE, package_labels_po, package_labels_template
from klpublish.translation.checkers import (
    WARNING,
    Pair,
    TranslationProblem,
    characters_allowed,
    final_punctuation,
    spaces_consistent,
    visible_text,
)

DOMAIN = "klpublish"


@dataclass(frozen=True)
class Label:
    text: str
    lang: str
    """The language ``text`` is in (gettext form): the catalog's, or the template's."""


@dataclass(frozen=True)
class Labels:
    """One language's layout words, with what became of each entry."""

    lang: str
    items: tuple[tuple[str, Label], ...]
    translated: int = 0
    fuzzy: int = 0
    problems: list[TranslationError] = field(default_factory=list, compare=False)
    warnings: list[TranslationError] = field(default_factory=list, compare=False)

    def __getitem__(self, key: str) -> Label:
        return dict(self.items)[key]

    @property
    def total(self) -> int:
        return len(self.items)


@cache
def template() -> Catalog:
    with package_labels_template().open("rb") as handle:
        return read_po(handle, abort_invalid=True)


def template_lang() -> str:
    """The language the template's msgids are written in (its ``Language`` header)."""
    return str(template().locale)


def template_keys() -> tuple[str, ...]:
    return tuple(str(m.context) for m in template() if m.id)


@cache
def _package_catalog(lang: str) -> Catalog | None:
    """The package's catalog for ``lang``, or for its language alone (``pt`` for
    ``pt_BR``), as gettext looks them up."""
    for code in dict.fromkeys((lang, str(Locale.parse(lang).language))):
        path = package_labels_po(code)
        if path.is_file():
            data = read_inside(path, Reading(PACKAGE_LOCALE, MAX_CATALOG_BYTES, "a .po file"))
            return read_po(io.BytesIO(data), locale=code, abort_invalid=True)
    return None


_PLACEHOLDER = re.compile(r"\{[A-Za-z_]+\}")


def placeholders_kept(pair: Pair) -> None:
    source = sorted(_PLACEHOLDER.findall(pair.msgid))
    ours = sorted(_PLACEHOLDER.findall(pair.msgstr))
    for name in source:
        if name not in ours:
            raise TranslationProblem(f"msgstr drops the placeholder {name}")
    for name in ours:
        if name not in source:
            raise TranslationProblem(f"msgstr has a placeholder {name}, which the source lacks")
    if len(ours) != len(source):
        raise TranslationProblem("msgstr repeats a placeholder")


CHECKERS = (
    placeholders_kept,
    characters_allowed,
    visible_text,
    spaces_consistent,
    final_punctuation,
)


def check_label(msgid: str, msgstr: str) -> list[TranslationProblem]:
    found = []
    for checker in CHECKERS:
        try:
            checker(Pair(msgid, [], msgstr, []))
        except TranslationProblem as problem:
            found.append(problem)
    return found


def _usable(message: Message | None) -> bool:
    return message is not None and bool(message.string) and not message.fuzzy


def resolve_labels(lang: str, project: Catalog | None = None, shown: str = "") -> Labels:
    """``lang``'s layout words: the project's catalog (``project``, read from
    ``shown``) first, then the package's, then the template's own text."""
    source = template_lang()
    package = _package_catalog(lang) if lang != source else None
    items = []
    translated = fuzzy = 0
    problems: list[TranslationError] = []
    warnings: list[TranslationError] = []
    for entry in template():
        if not entry.id:
            continue
        key, msgid = str(entry.context), str(entry.id)
        label = Label(msgid, source)
        ours = project.get(msgid, entry.context) if project is not None else None
        theirs = package.get(msgid, entry.context) if package is not None else None
        if lang == source:
            label = Label(msgid, lang)
        elif _usable(ours):
            assert ours is not None
            found = check_label(msgid, str(ours.string))
            where = Location(shown, ours.lineno or 0)
            errors = [p for p in found if p.severity != WARNING]
            problems += [TranslationError(p.message, where) for p in errors]
            warnings += [TranslationError(p.message, where) for p in found if p not in errors]
            # Characters no font of the PDF has: refused here, so lint and status say so.
            from klpublish.letter.fonts import describe, missing  # render imports this module

            unshown = missing(str(ours.string))
            if unshown:
                problems.append(TranslationError(describe(unshown), where))
            if not errors and not unshown:
                label = Label(str(ours.string), lang)
        elif _usable(theirs):
            assert theirs is not None
            label = Label(str(theirs.string), lang)
        if label.lang == lang and lang != source:
            translated += 1
        elif (ours is not None and ours.fuzzy and ours.string) or (
            theirs is not None and theirs.fuzzy and theirs.string
        ):
            fuzzy += 1
        items.append((key, label))
    return Labels(lang, tuple(items), translated, fuzzy, problems, warnings)


def project_labels(lang: str, po: Path | None) -> Labels:
    """``lang``'s words with the project's catalog ``po`` when there is one
    (see ``Layout.labels_catalog``); a broken catalog raises
    :class:`~klpublish.errors.CatalogError`."""
    if po is None:
        return resolve_labels(lang)
    from klpublish.catalogs.po import check_header, parse_catalog, read_catalog

    shown = display_path(po)
    data = read_catalog(po)  # once: the bytes checked are the bytes used
    labels = resolve_labels(lang, parse_catalog(data, shown, locale=lang), shown)
    header = check_header(data, shown, lang)
    labels.warnings[:0] = [TranslationError(w.message, w.location) for w in header]
    return labels

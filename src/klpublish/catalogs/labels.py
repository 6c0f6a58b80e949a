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

import copy
import io
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from klpublish.catalogs.label import Label as Label
from klpublish.errors import Location, Problem, TranslationError, display_path, located
from klpublish.files import MAX_CATALOG_BYTES, Reading, read_inside
from klpublish.project import PACKAGE_LOCALE, package_labels_po, package_labels_template
from klpublish.translation.checkers import Catalogs, check_pair
from klpublish.translation.pair import Pair

DOMAIN = "klpublish"
REVIEW = "review-"
"""The keys of the review page's words (``klpublish review``): for the reviewer, not
the letter's reader, so they are not counted with the reader's words; a project's
catalog holds them too (see ``catalog_template``) and may override them."""


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
def _whole_template() -> Catalog:
    with package_labels_template().open("rb") as handle:
        return read_po(handle, abort_invalid=True)


def _part(review: bool) -> Catalog:
    part = copy.deepcopy(_whole_template())
    for message in list(part):
        if message.id and str(message.context).startswith(REVIEW) != review:
            part.delete(message.id, message.context)
    return part


@cache
def template() -> Catalog:
    """The words the letter's reader sees around it (and the checks' word lists)."""
    return _part(review=False)


@cache
def review_template() -> Catalog:
    """The review page's words (see ``REVIEW``)."""
    return _part(review=True)


def catalog_template() -> Catalog:
    """What a project's catalog of the layout's words is made and merged from: the
    whole template, review words too, as msgmerge makes it from ``klpublish.pot``
    (a translator's tools then see the same entries ``update`` writes)."""
    return _whole_template()


def template_lang() -> str:
    """The language the template's msgids are written in (its ``Language`` header)."""
    return str(_whole_template().locale)


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


def check_label(msgid: str, msgstr: str) -> list[Problem]:
    """What the checkers of the layout's words find in a translation of them."""
    return check_pair(Pair(msgid, [], msgstr, []), Catalogs.LAYOUT)


def _usable(message: Message | None) -> bool:
    return message is not None and bool(message.string) and not message.fuzzy


def entry_texts(key: str, lang: str, project: Catalog | None = None) -> list[str]:
    """Every usable text of the entry ``key`` in ``lang``, not one chosen: the
    project's, then the package's; in the template's language, the template's own."""
    entry = next((m for m in template() if m.id and m.context == key), None)
    if entry is None:
        return []
    if lang == template_lang():
        return [str(entry.id)]
    found = []
    for catalog in (project, _package_catalog(lang)):
        message = catalog.get(str(entry.id), entry.context) if catalog is not None else None
        if message is not None and _usable(message):
            found.append(str(message.string))
    return list(dict.fromkeys(found))


def resolve_labels(
    lang: str, project: Catalog | None = None, shown: str = "", *, review: bool = False
) -> Labels:
    """``lang``'s layout words: the project's catalog (``project``, read from
    ``shown``) first, then the package's, then the template's own text; with
    ``review``, the review page's words instead (see ``REVIEW``)."""
    source = template_lang()
    package = _package_catalog(lang) if lang != source else None
    items = []
    translated = fuzzy = 0
    problems: list[TranslationError] = []
    warnings: list[TranslationError] = []
    for entry in review_template() if review else template():
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
            # Characters no font of the PDF has: refused here, so lint and status say so.
            from klpublish.letter.fonts import describe, missing  # render imports this module

            if unshown := missing(str(ours.string)):
                found.append(Problem(describe(unshown)))
            errors, warned = located(found, Location(shown, ours.lineno or 0))
            problems += errors
            warnings += warned
            if not errors:
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


def project_labels(lang: str, po: Path | None, *, review: bool = False) -> Labels:
    """``lang``'s words with the project's catalog ``po`` when there is one
    (see ``Layout.labels_catalog``); a broken catalog raises
    :class:`~klpublish.errors.CatalogError`. ``review``: see ``resolve_labels``."""
    if po is None:
        return resolve_labels(lang, review=review)
    from klpublish.catalogs.po import check_header, parse_catalog, read_catalog

    shown = display_path(po)
    data = read_catalog(po)  # once: the bytes checked are the bytes used
    labels = resolve_labels(lang, parse_catalog(data, shown, locale=lang), shown, review=review)
    header = check_header(data, shown, lang)
    labels.warnings[:0] = [TranslationError(w.message, w.location) for w in header]
    return labels

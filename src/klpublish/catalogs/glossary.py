"""A glossary per language: the Danish terms and the translations they require.

The file is TBX (ISO 30042, the ``martif`` form Translate Toolkit, Weblate and
Poedit read), ``locale/<lang>/glossary.tbx``. Translators write it, so it is
untrusted: read without a DTD, entities or the network, size-capped, its frame
(``martif``, ``text``, ``body``) held to TBX's elements, each refusal naming its
line; its entries are read as ``glossary_tbx`` says, an unusable one left out
with its line.

A translation whose Danish holds a term and that uses none of the term's allowed
translations gets a warning (see ``glossary_terms`` for what holds and uses).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog
from lxml import etree

from klpublish.catalogs.glossary_tbx import MAX_ENTRIES as MAX_ENTRIES
from klpublish.catalogs.glossary_tbx import MAX_TERM_CHARS as MAX_TERM_CHARS
from klpublish.catalogs.glossary_tbx import read_entries
from klpublish.catalogs.glossary_terms import SOURCE_LANG as SOURCE_LANG
from klpublish.catalogs.glossary_terms import Entry as Entry
from klpublish.catalogs.glossary_terms import Glossary, missing_terms
from klpublish.catalogs.glossary_terms import Term as Term
from klpublish.catalogs.glossary_terms import (
    terms_held as terms_held,  # the matching, known as the glossary's
)
from klpublish.catalogs.glossary_terms import uses_form as uses_form
from klpublish.errors import CatalogError, KlpublishError, Location, TranslationError, display_path
from klpublish.files import Reading, read_inside
from klpublish.letter.budgets import length_problem
from klpublish.project import Layout, catalog_tree

MAX_BYTES = 1_000_000
"""A glossary of a few thousand terms is far smaller; more is refused unread."""
_SUBSET = re.compile(rb"<!DOCTYPE[^\[>]*\[")
"""A DOCTYPE with declarations in the file (``[...]``)."""


class GlossaryWarning(TranslationError):
    """A translation misses the glossary's translation of a term its Danish holds."""


class GlossaryUnreadable(TranslationError):
    """The glossary file is refused: no glossary checks for its language."""


class GlossaryEntrySkipped(TranslationError):
    """One entry of the glossary cannot be used; the others are."""


MAX_SKIPPED_SAID = 20
"""Skipped entries named one by one; a hostile file's thousands are counted."""


# -- reading (the edge) ---------------------------------------------------------


def check_glossary(
    layout: Layout,
    lang: str,
    catalog: Catalog,
    ids: Iterable[tuple[str, str | None]],
    po: str,
) -> list[TranslationError]:
    """The glossary warnings of ``lang``'s catalog; none without a glossary, and
    one ``GlossaryUnreadable`` (located) when its file is refused."""
    try:
        path = layout.project.glossary(lang)
        if path is None:
            return []
        glossary = read_glossary(path, display_path(path), lang)
    except KlpublishError as exc:
        return [GlossaryUnreadable(exc.message, exc.location)]
    except OSError as exc:
        where = Location(display_path(layout.project.glossary_path(lang)), 0)
        return [GlossaryUnreadable(f"cannot read: {exc.strerror or exc}", where)]
    return [*skipped_warnings(glossary), *glossary_warnings(glossary, catalog, ids, po)]


def skipped_warnings(glossary: Glossary) -> list[TranslationError]:
    """The glossary's entries left out, each at its line (the first ``MAX_SKIPPED_SAID``)."""
    said: list[TranslationError] = [
        GlossaryEntrySkipped(f"glossary entry not used: {e.message}", e.location)
        for e in glossary.skipped[:MAX_SKIPPED_SAID]
    ]
    more = len(glossary.skipped) - MAX_SKIPPED_SAID
    if more > 0:
        where = glossary.skipped[MAX_SKIPPED_SAID].location
        said.append(GlossaryEntrySkipped(f"and {more} more glossary entries not used", where))
    return said


def read_glossary(path: Path, shown: str, lang: str) -> Glossary:
    """Read and check one glossary file (``shown``: its path as users see it):
    a regular file inside the catalogs' folder (see ``layout.catalog_tree``),
    opened without waiting, at most ``MAX_BYTES``; anything else is refused
    before a byte is read."""
    reading = Reading(catalog_tree(path), MAX_BYTES, "a TBX file")
    data = read_inside(path, reading, lambda message, _: CatalogError(message, Location(shown, 0)))
    return parse_glossary(data, shown, lang)


def xml_parser() -> etree.XMLParser:
    """lxml as untrusted XML needs it: no entity expanded or fetched, no DTD or
    network read, lxml's limits on depth and text size kept."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_glossary(data: bytes, shown: str, lang: str) -> Glossary:
    parser = xml_parser()
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 0
        raise CatalogError(
            f"not well-formed XML ({exc.msg}): expected a TBX file", Location(shown, line)
        ) from exc
    # The DOCTYPE Translate Toolkit and Weblate write names an external DTD, which
    # is never loaded; declarations inside the file (entities) are refused.
    subset = getattr(root.getroottree().docinfo, "internalDTD", None)
    declared = subset is not None and (subset.entities() or subset.elements())
    if declared or _SUBSET.search(data):
        line = data.count(b"\n", 0, max(data.find(b"<!DOCTYPE"), 0)) + 1
        raise CatalogError(
            "has a DOCTYPE with declarations: expected TBX without entities or a DTD subset",
            Location(shown, line),
        )
    read = read_entries(root, shown, lang)
    return Glossary(lang, read.entries, read.skipped)


# -- the warnings -----------------------------------------------------------------


def glossary_warnings(
    glossary: Glossary,
    catalog: Catalog,
    ids: Iterable[tuple[str, str | None]],
    po: str,
) -> list[GlossaryWarning]:
    """One warning per term a translated (not fuzzy) entry misses, at the entry's line."""
    found = []
    for key in ids:
        message = catalog.get(*key)
        if message is None or not message.string or message.fuzzy:
            continue
        if length_problem(str(message.id), str(message.string)) is not None:
            continue  # refused as too long by lint and publish: no words to weigh
        for entry in missing_terms(glossary, str(message.id), str(message.string)):
            allowed = " or ".join(f"'{t.text}'" for t in entry.targets)
            found.append(
                GlossaryWarning(
                    f"msgstr does not use the glossary's translation of "
                    f"'{entry.source[0].text}': expected {allowed} (see {entry.location})",
                    Location(po, message.lineno or 0),
                )
            )
    return found

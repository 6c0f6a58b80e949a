"""A glossary per language: the Danish terms and the translations they require.

The file is TBX (ISO 30042, the ``martif`` form Translate Toolkit, Weblate and
Poedit read), ``locale/<lang>/glossary.tbx``. Translators write it, so it is
untrusted: read without a DTD, entities or the network, size-capped, and held to
the few elements used here, each refusal naming its line.

A translation whose Danish holds a term and that uses none of the term's allowed
translations gets a warning (see ``glossary_terms`` for what holds and uses).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from pathlib import Path

from babel.messages.catalog import Catalog
from lxml import etree

from klpublish.catalogs.glossary_terms import (
    SOURCE_LANG,
    Entry,
    Glossary,
    Term,
    missing_terms,
    words_of,
)
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
MAX_ENTRIES = 10_000
MAX_TERM_CHARS = 200
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_NAME = ("partOfSpeech", "properNoun")
_SUBSET = re.compile(rb"<!DOCTYPE[^\[>]*\[")
"""A DOCTYPE with declarations in the file (``[...]``)."""


class GlossaryWarning(TranslationError):
    """A translation misses the glossary's translation of a term its Danish holds."""


class GlossaryUnreadable(TranslationError):
    """The glossary file is refused: no glossary checks for its language."""


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
    return [*glossary_warnings(glossary, catalog, ids, po)]


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
    return Glossary(lang, tuple(_entries(root, shown, lang)))


def _fail(node: etree._Element, shown: str, expected: str) -> CatalogError:
    what = f"<{node.tag}>" if isinstance(node.tag, str) else "entity or other markup"
    return CatalogError(f"unexpected {what}: expected {expected}", _at(shown, node))


def _at(shown: str, node: etree._Element) -> Location:
    line: int = getattr(node, "sourceline", 0) or 0
    return Location(shown, line)


def _children(
    node: etree._Element, shown: str, allowed: Collection[str], expected: str
) -> list[etree._Element]:
    """The element children of ``node``, each one of ``allowed``; text between them
    must be white space."""
    found = []
    for child in node:
        if not isinstance(child.tag, str) or child.tag not in allowed:
            raise _fail(child, shown, expected)
        if (child.tail or "").strip():
            raise _fail(node, shown, f"only elements inside <{node.tag}>")
        found.append(child)
    return found


def _text(node: etree._Element, shown: str, what: str) -> str:
    if len(node):
        raise _fail(node[0], shown, f"only text in {what}")
    text = " ".join((node.text or "").split())
    if not text:
        raise CatalogError(f"{what} is empty: expected its text", _at(shown, node))
    if len(text) > MAX_TERM_CHARS:
        raise CatalogError(
            f"{what} is longer than {MAX_TERM_CHARS} characters: expected a term",
            _at(shown, node),
        )
    return text


def _entries(root: etree._Element, shown: str, lang: str) -> Iterable[Entry]:
    if root.tag != "martif":
        raise _fail(root, shown, "<martif> (TBX) as the root element")
    parts = _children(root, shown, ("martifHeader", "text"), "<martifHeader> and <text>")
    texts = [p for p in parts if p.tag == "text"]
    if len(texts) != 1:
        raise CatalogError("expected one <text> in <martif>", _at(shown, root))
    bodies = _children(texts[0], shown, ("body",), "<body>")
    if len(bodies) != 1:
        raise CatalogError("expected one <body> in <text>", _at(shown, texts[0]))
    entries = _children(bodies[0], shown, ("termEntry",), "<termEntry>")
    if len(entries) > MAX_ENTRIES:
        raise CatalogError(f"more than {MAX_ENTRIES} entries", Location(shown, 0))
    for node in entries:
        yield _entry(node, shown, lang)


def _entry(node: etree._Element, shown: str, lang: str) -> Entry:
    notes: list[str] = []
    terms: dict[str, list[Term]] = {SOURCE_LANG: [], lang: []}
    for child in _children(node, shown, ("langSet", "note", "descrip"), "<langSet> or <note>"):
        if child.tag != "langSet":
            notes.append(_text(child, shown, f"<{child.tag}>"))
            continue
        code = str(child.get(_XML_LANG, "")).replace("-", "_")
        if code not in terms:
            raise _fail(child, shown, f"xml:lang '{SOURCE_LANG}' or '{lang}' on <langSet>")
        for tig in _children(child, shown, ("tig", "note", "descrip"), "<tig>"):
            if tig.tag == "tig":
                terms[code].append(_term(tig, shown))
    where = _at(shown, node)
    if not terms[SOURCE_LANG]:
        raise CatalogError(
            f'entry has no Danish term: expected <langSet xml:lang="{SOURCE_LANG}"> '
            "with a <tig><term>",
            where,
        )
    return Entry(tuple(terms[SOURCE_LANG]), tuple(terms[lang]), " ".join(notes), where)


def _term(tig: etree._Element, shown: str) -> Term:
    text, name = None, False
    for child in _children(tig, shown, ("term", "termNote", "note", "descrip"), "<term>"):
        value = _text(child, shown, f"<{child.tag}>")
        if child.tag == "term":
            if text is not None:
                raise _fail(child, shown, "one <term> in each <tig>")
            if not words_of(value):
                raise CatalogError(
                    "<term> has no letters or digits: expected a word",
                    _at(shown, child),
                )
            text = value
        elif child.tag == "termNote" and (child.get("type"), value) == _NAME:
            name = True
    if text is None:
        raise CatalogError("<tig> has no <term>", _at(shown, tig))
    return Term(text, name)


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

"""A glossary per language: the Danish terms and the translations they require.

The file is TBX (ISO 30042, the ``martif`` form Translate Toolkit, Weblate and
Poedit read), ``locale/<lang>/glossary.tbx``. Translators write it, so it is
untrusted: read without a DTD, entities or the network, size-capped, and held to
the few elements used here, each refusal naming its line.

A segment's Danish *holds* a term when the term's words appear in it in a row,
word by word with the same Danish stem (so every inflection counts); a name
(``properNoun``) only as written, as a whole word. Its translation *uses* the
term when it holds one of the allowed forms: each word of the form begins a word
of the translation (or that word's stem) with the form word's stem, in order,
with at most ``GAP`` other words between (a modifier inside the phrase).
Languages Snowball has no stemmer for take the form word less its final vowels.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from lxml import etree

from .checks import MAX_GROWTH
from .errors import CatalogError, KlpublishError, Location, TranslationError, display_path
from .files import Reading, read_inside
from .layout import Layout, catalog_tree

SOURCE_LANG = "da"
MAX_BYTES = 1_000_000
"""A glossary of a few thousand terms is far smaller; more is refused unread."""
MAX_ENTRIES = 10_000
MAX_TERM_CHARS = 200
GAP = 2
"""Words a translation may put inside an allowed form ("Mitglieder der neuen
Kommunalvertretungen")."""
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_NAME = ("partOfSpeech", "properNoun")
_SUBSET = re.compile(rb"<!DOCTYPE[^\[>]*\[")
"""A DOCTYPE with declarations in the file (``[...]``)."""
_PROCLITICS = {"ar": ("و", "ف")}
"""Conjunctions written joined to the next word ("والتشغيل", "and employment")."""
_VOWELS = "aeiouyæøåäöüáéíóúàèìòùâêîôûąęаеєиіїоуюяыэьй"
"""Dropped from the end of a word where no stemmer knows the language: a
nominative ending, so "громада" also matches "громади", "громад"."""


class GlossaryWarning(TranslationError):
    """A translation misses the glossary's translation of a term its Danish holds."""


class GlossaryUnreadable(TranslationError):
    """The glossary file is refused: no glossary checks for its language."""


@dataclass(frozen=True)
class Term:
    text: str
    name: bool
    """A name: matched as written (case included) in the Danish, never stemmed."""


@dataclass(frozen=True)
class Entry:
    source: tuple[Term, ...]
    targets: tuple[Term, ...]
    """The allowed translations, any of which will do; none: not checked."""
    note: str
    location: Location


@dataclass(frozen=True)
class Glossary:
    lang: str
    entries: tuple[Entry, ...]


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
        path = layout.glossary(lang)
        if path is None:
            return []
        glossary = read_glossary(path, display_path(path), lang)
    except KlpublishError as exc:
        return [GlossaryUnreadable(exc.message, exc.location)]
    except OSError as exc:
        where = Location(display_path(layout.glossary_path(lang)), 0)
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
            if not _words(value):
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


# -- matching (pure) ------------------------------------------------------------

# Each pattern is linear in the text's length: a translator's 1 MB msgstr must not
# make a search try every start against every end. An unclosed link target runs to
# the end of the text (it is no word anyway).
_LINK_TARGET = re.compile(r"\]\([^)]*\)?")
_ADDRESS = ("://", "www.", "@")
_CODE = re.compile(r"`[^`]*`")
_WORD = re.compile(r"[^\W_]+")


def _words(text: str) -> list[str]:
    """The words of a segment's text, as written: link addresses, code and
    combining marks (Arabic vowel signs, the Persian hamza) left out."""
    text = _LINK_TARGET.sub("] ", text)
    text = " ".join(t for t in text.split() if not any(mark in t for mark in _ADDRESS))
    text = _CODE.sub(" ", text)
    text = unicodedata.normalize("NFC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return _WORD.findall(text)


@cache
def _stemmer(lang: str) -> Callable[[str], str] | None:
    """Snowball's stemmer for ``lang``, when it has one."""
    import snowballstemmer
    from babel import Locale

    name = Locale.parse(lang.split("_")[0]).english_name or ""
    algorithm = name.lower().split(" ")[0]
    if algorithm not in snowballstemmer.algorithms():
        return None
    stemmer = snowballstemmer.stemmer(algorithm)
    return cache(stemmer.stemWord)


def _root(word: str, lang: str) -> str:
    """What a word of ``lang`` must begin with to count as ``word``, inflected."""
    word = word.casefold()
    stem = _stemmer(lang)
    root = stem(word) if stem is not None else word.rstrip(_VOWELS)
    return root if len(root) >= 2 else word


def _source_positions(term: Term, words: Sequence[str]) -> Iterable[int]:
    """Where ``term`` starts among the Danish ``words``."""
    wanted = _words(term.text)
    if term.name:

        def same(word: str, want: str, last: bool) -> bool:
            return word == want or (last and word == want + "s")  # Danish genitive
    else:
        stem = _stemmer(SOURCE_LANG)
        assert stem is not None
        wanted = [stem(w.casefold()) for w in wanted]

        def same(word: str, want: str, last: bool) -> bool:
            return stem(word.casefold()) == want

    size = len(wanted)
    for start in range(len(words) - size + 1):
        if all(same(words[start + i], wanted[i], i == size - 1) for i in range(size)):
            yield start


def terms_held(glossary: Glossary, danish: str) -> list[Entry]:
    """The entries whose term the Danish holds. A term inside a longer one that
    is also held does not count ("kommune" in "Kommunernes Landsforening")."""
    words = _words(danish)
    spans: list[tuple[int, int, Entry]] = []
    for entry in glossary.entries:
        for term in entry.source:
            size = len(_words(term.text))
            spans.extend((start, start + size, entry) for start in _source_positions(term, words))
    # Compared by place, not by entry: many entries of one term (a hostile glossary
    # may hold thousands) must not make the comparison quadratic in entries.
    places = set((start, end) for start, end, _ in spans)
    outer = {
        (start, end)
        for start, end in places
        if not any(s <= start and end <= e and e - s > end - start for s, e in places)
    }
    return list(dict.fromkeys(entry for start, end, entry in spans if (start, end) in outer))


def uses_form(form: str, translation: str, lang: str) -> bool:
    """Whether ``translation`` holds ``form``, inflected (see the module's rule)."""
    roots = [_root(w, lang) for w in _words(form)]
    stem = _stemmer(lang)
    clitics = _PROCLITICS.get(lang.split("_")[0], ())
    words = [
        [w, *(w[len(c) :] for c in clitics if w.startswith(c) and len(w) > len(c) + 1)]
        for w in (w.casefold() for w in _words(translation))
    ]
    stems = [[stem(w) for w in forms] if stem else [] for forms in words]

    def fits(i: int, root: str) -> bool:
        if any(w.startswith(root) for w in words[i]):
            return True
        # A stemmer may cut an inflected form a little shorter than the dictionary
        # form ("członków" -> "członk", "członkowie" -> "członkow").
        least = max(4, len(root) - 2)
        return any(s.startswith(root) or (len(s) >= least and root.startswith(s)) for s in stems[i])

    @cache  # each (form word, place) once: a repeated word must not make this exponential
    def rest(k: int, after: int) -> bool:
        if k == len(roots):
            return True
        last = min(len(words), after + GAP + 1)
        return any(fits(i, roots[k]) and rest(k + 1, i + 1) for i in range(after, last))

    return any(fits(i, roots[0]) and rest(1, i + 1) for i in range(len(words)))


def missing_terms(glossary: Glossary, danish: str, translation: str) -> list[Entry]:
    """The entries the Danish holds whose allowed translations the translation lacks."""
    return [
        entry
        for entry in terms_held(glossary, danish)
        if entry.targets
        and not any(uses_form(t.text, translation, glossary.lang) for t in entry.targets)
    ]


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
        if len(message.string) > 5000 and len(message.string) > MAX_GROWTH * len(message.id):
            continue  # refused as too long (see ``checks.length_ratio``): no words to weigh
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

"""A glossary's ``termEntry`` elements read as the tools translators use write them.

Each entry has a ``langSet`` per language, each holding terms: ``tig`` (a
``term`` and its ``termNote``) or ``ntig`` (the same inside a ``termGrp``). The
first term of a ``langSet`` is the preferred one: it is the one Translate
Toolkit's ``unit.target`` and Weblate show, the others are alternatives.

Lenient where TBX allows it: a ``langSet`` of a region (``de-DE``) counts for
its language (``de``), other languages' ``langSet`` and the administrative
elements (``admin``, ``descrip``, ``note``, ``transacGrp`` ...) are passed over
unread, a term marked deprecated or superseded is not an allowed translation.
Translate Toolkit given no languages writes the source as ``en`` and the target
as ``xx`` (no language at all): such an entry is read by place, as that tool
reads it. An entry that still cannot be used is left out and reported with its
line; the rest of the glossary is used.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass

from lxml import etree

from klpublish.catalogs.glossary_terms import SOURCE_LANG, Entry, Term, words_of
from klpublish.errors import CatalogError, Location

MAX_ENTRIES = 10_000
MAX_TERM_CHARS = 200
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_NAME = ("partOfSpeech", "properNoun")
PLACEHOLDER = "xx"
"""The target language Translate Toolkit writes when it was given none."""
IGNORED = frozenset(
    {
        "admin",
        "adminGrp",
        "adminNote",
        "descrip",
        "descripGrp",
        "descripNote",
        "note",
        "ref",
        "xref",
        "transac",
        "transacGrp",
        "transacNote",
        "date",
        "termCompList",
    }
)
"""TBX's auxiliary information: kept in the file for people, never read here."""
_RETIRED = ("deprecated", "superseded")
"""``administrativeStatus`` values (``deprecatedTerm-admn-sts``) of a term not to use."""


@dataclass(frozen=True)
class Entries:
    entries: tuple[Entry, ...]
    skipped: tuple[CatalogError, ...]
    """The entries left out, each with why and its line."""


def read_entries(root: etree._Element, shown: str, lang: str) -> Entries:
    """The entries of a TBX document (``root``), for Danish to ``lang``. The
    document's frame (``martif``, ``text``, ``body``) must hold; each entry
    that cannot be used is skipped with its reason."""
    if root.tag != "martif":
        raise _fail(root, shown, "<martif> (TBX) as the root element")
    parts = _children(root, shown, ("martifHeader", "text"), "<martifHeader> and <text>")
    texts = [p for p in parts if p.tag == "text"]
    if len(texts) != 1:
        raise CatalogError("expected one <text> in <martif>", _at(shown, root))
    bodies = _children(texts[0], shown, ("body", "back"), "<body>")
    bodies = [b for b in bodies if b.tag == "body"]
    if len(bodies) != 1:
        raise CatalogError("expected one <body> in <text>", _at(shown, texts[0]))
    nodes = _children(bodies[0], shown, ("termEntry",), "<termEntry>")
    if len(nodes) > MAX_ENTRIES:
        raise CatalogError(f"more than {MAX_ENTRIES} entries", Location(shown, 0))
    entries, skipped = [], []
    for node in nodes:
        try:
            entries.append(_entry(node, shown, lang))
        except CatalogError as exc:
            skipped.append(exc)
    return Entries(tuple(entries), tuple(skipped))


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


def same_language(tag: str, lang: str) -> bool:
    """Whether a ``langSet``'s ``xml:lang`` is ``lang`` (a gettext code), a region
    or script of it (``de-DE`` for ``de``), or the language of a regional ``lang``
    (``pt`` for ``pt_BR``)."""
    have = tag.replace("_", "-").casefold()
    want = lang.replace("_", "-").casefold()
    return bool(have) and (
        have == want or have.startswith(want + "-") or want.startswith(have + "-")
    )


def _entry(node: etree._Element, shown: str, lang: str) -> Entry:
    notes: list[str] = []
    sets: list[tuple[str, etree._Element]] = []
    for child in _children(node, shown, ("langSet", *IGNORED), "<langSet> or <note>"):
        if child.tag == "langSet":
            sets.append((str(child.get(_XML_LANG, "")), child))
        elif child.tag in ("note", "descrip"):
            notes.append(" ".join("".join(map(str, child.itertext())).split()))
    source, target = _roles(sets, lang)
    if not source:
        found = ", ".join(f"'{code}'" for code, _ in sets) or "none"
        raise CatalogError(
            f'entry has no Danish term: expected <langSet xml:lang="{SOURCE_LANG}"> '
            f"with a <tig><term> (its languages: {found})",
            _at(shown, node),
        )
    danish = [term for s in source for term, _ in _terms(s, shown)]
    if not danish:
        raise CatalogError("entry has no Danish term: expected a <tig><term>", _at(shown, node))
    allowed = [term for s in target for term, retired in _terms(s, shown) if not retired]
    return Entry(tuple(danish), tuple(allowed), " ".join(n for n in notes if n), _at(shown, node))


def _roles(
    sets: list[tuple[str, etree._Element]], lang: str
) -> tuple[list[etree._Element], list[etree._Element]]:
    """The entry's Danish ``langSet`` and its ``lang`` ones; others are ignored."""
    source = [s for code, s in sets if same_language(code, SOURCE_LANG)]
    stand_ins = [s for code, s in sets if code.casefold() == PLACEHOLDER]
    if not source and stand_ins:
        # Written without languages: Translate Toolkit put the source first, as
        # 'en' (its default), and reads the entry by place; so does this.
        return [s for code, s in sets if code.casefold() != PLACEHOLDER][:1], stand_ins
    target = [s for code, s in sets if same_language(code, lang) and s not in source]
    return source, target or stand_ins


def _terms(langset: etree._Element, shown: str) -> Iterator[tuple[Term, bool]]:
    """The terms of a ``langSet`` in order, each with whether it is retired."""
    expected = "<tig> or <ntig>"
    for child in _children(langset, shown, ("tig", "ntig", *IGNORED), expected):
        if child.tag == "tig":
            yield _term(child, (), shown)
        elif child.tag == "ntig":
            parts = _children(child, shown, ("termGrp", "termNote", *IGNORED), "<termGrp>")
            groups = [p for p in parts if p.tag == "termGrp"]
            if len(groups) != 1:
                raise CatalogError("expected one <termGrp> in <ntig>", _at(shown, child))
            yield _term(groups[0], [p for p in parts if p.tag == "termNote"], shown)


def _term(
    group: etree._Element, outer: Collection[etree._Element], shown: str
) -> tuple[Term, bool]:
    """The term of a ``tig`` or ``termGrp``; ``outer``: its ``ntig``'s notes."""
    text, notes = None, list(outer)
    allowed = ("term", "termNote", "termNoteGrp", *IGNORED)
    for child in _children(group, shown, allowed, "<term>"):
        if child.tag == "term":
            if text is not None:
                raise _fail(child, shown, f"one <term> in each <{group.tag}>")
            text = _text(child, shown, "<term>")
            if not words_of(text):
                raise CatalogError(
                    "<term> has no letters or digits: expected a word", _at(shown, child)
                )
        elif child.tag == "termNote":
            notes.append(child)
        elif child.tag == "termNoteGrp":
            notes.extend(n for n in child if n.tag == "termNote")
    if text is None:
        raise CatalogError(f"<{group.tag}> has no <term>", _at(shown, group))
    said = [(n.get("type"), " ".join((n.text or "").split())) for n in notes]
    retired = any(
        kind == "administrativeStatus" and value.casefold().startswith(_RETIRED)
        for kind, value in said
    )
    return Term(text, _NAME in said), retired

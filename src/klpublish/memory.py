"""Translation memory: a catalog's new entries filled from translations made
before, as ``msgmerge --compendium`` does.

The memory of a language is every other letter's catalog of that language (a
sentence translated in one letter need not be translated again in the next), and
the compendia a team brings from its other tools (``--compendium FILE``). An
entry that is untranslated after the merge is filled: with a translation of the
same Danish text as translated, with a translation of similar Danish text as
fuzzy, its previous msgid (``#|``) showing the translator what differs. A
translator comment says where each came from. Fuzzy is never published (see
``translate.translate_letter``), so a near match is a suggestion, never a
reader's text.

The core (``choose``, ``fill``) is a function of data; reading catalogs and
checking the translations they offer (with pandoc) is the edge below it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from . import inline_markdown
from .catalog import load_catalog, parse_catalog, read_catalog
from .checks import ERROR, Pair, check_pair
from .errors import CatalogError, Location, TranslationError, display_path
from .files import MAX_COMPENDIUM_BYTES
from .layout import LABELS_DOMAIN
from .translate import MAX_EXTRA_BRACKETS

NEAR = 0.75
"""Similarity (difflib's ratio of the lower-cased Danish texts, as Babel's own
fuzzy merge compares them) from which a translation is offered as a near match.
Babel and msgmerge take 0.6, for a catalog's own entries, where the candidate is
usually the same sentence edited. Across letters that is too loose: in the
shipped letter, different sentences score up to 0.72 ("Til alle
kommunalbestyrelsesmedlemmer" and "Kære kommunalbestyrelser" 0.69), while one
word changed in a short sentence scores 0.83 ("En ny valgperiode er begyndt." /
"... startet.")."""


# -- the core: data in, data out ----------------------------------------------


@dataclass(frozen=True)
class Unit:
    """One translated entry offered as memory, and where it stands."""

    msgid: str
    context: str | None
    msgstr: str
    origin: Location


@dataclass(frozen=True)
class Match:
    """The memory chosen for one entry of the catalog being filled."""

    msgid: str
    context: str | None
    unit: Unit
    ratio: float

    @property
    def exact(self) -> bool:
        """Same Danish text in the same context. The same text in another
        context is only near: ``msgctxt`` exists because the same words may need
        another translation there (a heading and a sender's name)."""
        return self.unit.msgid == self.msgid and self.unit.context == self.context


@dataclass(frozen=True)
class Filled:
    msgid: str
    context: str | None
    origin: Location
    exact: bool
    ratio: float


def _key(text: str) -> str:
    return text.lower().strip()


def similarity(a: str, b: str) -> float:
    """difflib's ratio of the two texts compared as Babel's fuzzy merge compares
    them; the cheap upper bounds first, so that a long text is never compared
    with a short one (SequenceMatcher is quadratic)."""
    matcher = difflib.SequenceMatcher(None, _key(a), _key(b))
    if matcher.real_quick_ratio() < NEAR or matcher.quick_ratio() < NEAR:
        return 0.0
    return matcher.ratio()


Key = tuple[str, str | None]
"""An entry's (msgid, msgctxt)."""


def keys(catalog: Catalog) -> set[Key]:
    """The keys of a catalog's entries, obsolete ones included: what a
    translator has seen (see ``to_fill``)."""
    found = {(str(m.id), m.context) for m in catalog if m.id}
    return found | {(str(m.id), m.context) for m in catalog.obsolete.values()}


def _guess(message: Message, earlier: Collection[Key] | None) -> bool:
    """A fuzzy entry the merge just made by itself: new, and given the
    translation of a similar entry of the same catalog (Babel's fuzzy matching)."""
    if earlier is None or not message.fuzzy:
        return False
    return (str(message.id), message.context) not in earlier


def to_fill(catalog: Catalog, earlier: Collection[Key] | None = None) -> list[Message]:
    """The entries memory may fill: untranslated and not fuzzy, or fuzzy by the
    merge's own guess (``earlier``: the keys the catalog had before the merge).
    What a translator translated, or marked fuzzy, is theirs."""
    return [
        m
        for m in catalog
        if m.id and not m.pluralizable and ((not m.string and not m.fuzzy) or _guess(m, earlier))
    ]


def choose(
    catalog: Catalog,
    memory: Sequence[Unit],
    earlier: Collection[Key] | None = None,
    every: bool = False,
) -> list[Match]:
    """The best memory for each entry to fill, in catalog order: an exact match
    first, else the most similar at or above ``NEAR`` (and, for the merge's own
    guess, more similar than the guess was). Ties go to the earlier unit in
    ``memory`` (whose order the caller fixes), so the choice is the same at
    every run. With ``every``, each entry's candidates, all of them: what must be
    checked before any is chosen."""
    exact: dict[Key, list[Unit]] = {}
    for unit in memory:
        exact.setdefault((unit.msgid, unit.context), []).append(unit)
    chosen = []
    for message in to_fill(catalog, earlier):
        msgid, context = str(message.id), message.context
        found = exact.get((msgid, context), [])
        chosen += [Match(msgid, context, unit, 1.0) for unit in found[: None if every else 1]]
        if found and not every:
            continue
        guessed = message.previous_id[0] if message.fuzzy and message.previous_id else None
        floor = similarity(msgid, guessed) if guessed else 0.0
        best: Match | None = None
        for unit in memory:
            ratio = similarity(msgid, unit.msgid)
            if ratio < NEAR or ratio <= floor or (ratio == 1.0 and unit.context == context):
                continue
            if every:
                chosen.append(Match(msgid, context, unit, ratio))
            elif best is None or ratio > best.ratio:
                best = Match(msgid, context, unit, ratio)
        if best is not None:
            chosen.append(best)
    return chosen


def comment(match: Match) -> str:
    """The translator comment that says where a filled translation came from."""
    if match.exact:
        return f"memory: exact match from {match.unit.origin}"
    if match.unit.msgid == match.msgid:
        return f"memory: same text in context {match.unit.context!r} from {match.unit.origin}"
    return f"memory: near match ({match.ratio:.0%}) from {match.unit.origin}"


def _is_ours(text: str) -> bool:
    return text.startswith("memory: ")


def fill(
    catalog: Catalog, memory: Sequence[Unit], earlier: Collection[Key] | None = None
) -> list[Filled]:
    """Fill ``catalog``'s untranslated entries (see ``to_fill``) from ``memory``
    (see ``choose``): an exact match as translated, a near one as fuzzy with its
    Danish text as the previous msgid. Returns what was filled."""
    for entry in to_fill(catalog, earlier):
        # The merge's guess is a copy of another entry, with its comments: a
        # "memory:" one there says where that entry's translation came from.
        entry.user_comments = [c for c in entry.user_comments if not _is_ours(c)]
    filled = []
    for match in choose(catalog, memory, earlier):
        message = catalog.get(match.msgid, match.context)
        assert message is not None  # chosen from this catalog's own entries
        message.string = match.unit.msgstr
        message.user_comments = [*message.user_comments, comment(match)]
        if match.exact:
            message.flags.discard("fuzzy")
            message.previous_id = []
        else:
            message.flags.add("fuzzy")
            message.previous_id = [match.unit.msgid]
        filled.append(
            Filled(match.msgid, match.context, match.unit.origin, match.exact, match.ratio)
        )
    return filled


# -- the edge: reading memory, and checking what it offers -------------------------


@dataclass(frozen=True)
class Skipped:
    """A translation memory offered that failed a translation check."""

    unit: Unit
    reason: str

    def __str__(self) -> str:
        return f"{self.unit.origin}: warning: not used as memory: {self.reason}"


@dataclass
class Report:
    """What memory did to one catalog."""

    filled: list[Filled] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    left: int = 0
    """Entries still untranslated after filling."""

    def lines(self) -> list[str]:
        if not (self.filled or self.skipped or self.left):
            return []
        exact = sum(1 for f in self.filled if f.exact)
        near = len(self.filled) - exact
        summary = f"memory: {exact} exact, {near} near (fuzzy), {self.left} left untranslated"
        return [summary, *(str(s) for s in self.skipped)]


def _notes(msgid: str) -> int:
    return len(set(re.findall(r"\[\^(\d+)\]", msgid)))


def screen(matches: Sequence[Match]) -> list[Skipped]:
    """The matches whose translation fails a check a msgstr must pass (see
    ``checks``), checked against the Danish text it translates: memory is
    untrusted (a compendium may come from anywhere), and a translation that
    could not be published is no suggestion either. Warnings do not count."""
    refused: list[Skipped] = []
    pending: dict[Unit, None] = {}  # in order, each once
    for match in matches:
        unit = match.unit
        brackets = max(unit.msgstr.count("["), unit.msgid.count("[")) - match.msgid.count("[")
        if brackets > MAX_EXTRA_BRACKETS:  # refused before pandoc spends minutes on them
            refused.append(Skipped(unit, f"{brackets} more '[' than the source"))
        else:
            pending[unit] = None
    todo = list(pending)
    texts = [u.msgid for u in todo] + [u.msgstr for u in todo]
    notes = [_notes(u.msgid) for u in todo] * 2
    parsed = inline_markdown.parse(texts, notes, "translation memory")
    for n, unit in enumerate(todo):
        source, translation = parsed[n], parsed[len(todo) + n]
        if isinstance(source, TranslationError):
            refused.append(Skipped(unit, f"msgid: {source.message}"))
        elif isinstance(translation, TranslationError):
            refused.append(Skipped(unit, f"msgstr: {translation.message}"))
        else:
            pair = Pair(unit.msgid, source, unit.msgstr, translation)
            errors = [p for p in check_pair(pair) if p.severity == ERROR]
            if errors:
                refused.append(Skipped(unit, errors[0].message))
    return refused


def units_of(catalog: Catalog, shown: str) -> list[Unit]:
    """The entries of a catalog that may serve as memory: translated, neither
    fuzzy nor obsolete (Babel keeps obsolete ones apart), without plural forms."""
    return [
        Unit(str(m.id), m.context, str(m.string), Location(shown, m.lineno or 0))
        for m in catalog
        if m.id and m.string and not m.fuzzy and not m.pluralizable
    ]


_LANGUAGE = re.compile(rb'^"Language: *([^"\\]*)', re.M)


def read_compendium(path: Path, langs: Collection[str]) -> tuple[str, list[Unit]]:
    """A compendium: any ``.po``, read through the same checks as a catalog
    (msgfmt, Babel, its header). Its ``Language`` header says which catalogs it
    may fill, one of ``langs``; plural entries are allowed in it (another tool's
    file may have them) but are never a letter's memory. Read once, as a catalog
    is (see ``catalog.read_catalog``): a regular file in the folder it is named
    in, opened without waiting, at most ``MAX_COMPENDIUM_BYTES``."""
    shown = display_path(path)
    data = read_catalog(path, MAX_COMPENDIUM_BYTES)
    found = _LANGUAGE.search(data)
    lang = found.group(1).decode("utf-8", "replace").strip().replace("-", "_") if found else ""
    if lang not in langs:
        line = data[: found.start()].count(b"\n") + 1 if found else 0
        raise CatalogError(
            f"compendium is for language '{lang or '(none)'}': expected a Language header "
            f"naming one of the catalogs' languages ({', '.join(sorted(langs)) or 'none'})",
            Location(shown, line),
        )
    return lang, units_of(parse_catalog(data, shown, locale=lang, plurals=True), shown)


class TranslationMemory:
    """The memory of one run of ``update`` or ``init``: compendia read (and
    checked) at once, so that a broken one stops the run before anything is
    written; the language's other catalogs read when a catalog first needs
    them, each once."""

    def __init__(self, compendia: Sequence[Path], langs: Collection[str]) -> None:
        self._compendia: dict[str, list[Unit]] = {}
        for path in compendia:
            lang, units = read_compendium(path, langs)
            self._compendia.setdefault(lang, []).extend(units)
        self._read: dict[Path, list[Unit]] = {}

    def sources(self, po: Path, lang: str) -> list[Unit]:
        """``po``'s memory, in order of preference: the language's other letter
        catalogs by name (the project's own translations), then the compendia in
        the order given."""
        folder = po.parent
        others = sorted(
            p for p in folder.glob("*.po") if p.name not in (po.name, f"{LABELS_DOMAIN}.po")
        )
        units: list[Unit] = []
        for path in others:
            if path not in self._read:
                self._read[path] = units_of(self._load_sibling(path, lang), display_path(path))
            units.extend(self._read[path])
        return units + self._compendia.get(lang, [])

    @staticmethod
    def _load_sibling(path: Path, lang: str) -> Catalog:
        # A link that leads out of the folder (to a secret, say) is refused
        # unread, as the catalogs themselves are (see ``Layout.catalog``).
        if not path.resolve().is_relative_to(path.parent.resolve()) or not path.is_file():
            raise CatalogError(
                "is a link or not a regular file: expected a catalog file in this folder",
                Location(display_path(path), 0),
            )
        return load_catalog(path, locale=lang)

    def fill(
        self, catalog: Catalog, po: Path, lang: str, earlier: Collection[Key] | None = None
    ) -> Report:
        """Fill ``catalog`` (to be written to ``po``) from its memory, leaving
        out what fails a translation check (and saying so). ``earlier``: the
        keys the catalog had before the merge (see ``keys``)."""
        report = Report()
        if not to_fill(catalog, earlier):
            return report
        memory = self.sources(po, lang)
        # Every candidate checked at once (one pandoc run), so that a refused one
        # leaves its entry to the next best without another pass over the memory.
        refused = screen(choose(catalog, memory, earlier, every=True))
        report.skipped.extend(refused)
        bad = {s.unit for s in refused}
        memory = [u for u in memory if u not in bad]
        report.filled = fill(catalog, memory, earlier)
        report.left = len(to_fill(catalog))
        return report

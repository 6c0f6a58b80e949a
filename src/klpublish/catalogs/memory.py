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

import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from klpublish.catalogs.memory_index import NEAR as NEAR  # the cutoff, known to callers as memory's
from klpublish.catalogs.memory_index import NearIndex, similarity
from klpublish.catalogs.po import catalog_of, checked_po, load_catalog, read_catalog
from klpublish.errors import CatalogError, Location, TranslationError, display_path, located
from klpublish.files import MAX_COMPENDIUM_BYTES
from klpublish.letter import fonts
from klpublish.letter.budgets import bracket_problem
from klpublish.project import Project
from klpublish.segments import markdown
from klpublish.translation.checkers import check_pair
from klpublish.translation.pair import Pair

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


class Ranking:
    """A memory's units, indexed: each entry's candidates in order of preference."""

    def __init__(self, memory: Sequence[Unit]) -> None:
        self._memory = memory
        self._exact: dict[Key, list[Unit]] = {}
        for unit in memory:
            self._exact.setdefault((unit.msgid, unit.context), []).append(unit)
        self._near: NearIndex | None = None

    def candidates(self, message: Message) -> Iterator[Match]:
        """``message``'s candidates, best first: each exact match (in the order
        of the memory), then each text at least ``NEAR`` alike, most alike first
        (ties: the earlier in the memory) and, for the merge's own guess, more
        alike than the guess was. Near ones are looked for only when asked."""
        msgid, context = str(message.id), message.context
        for unit in self._exact.get((msgid, context), []):
            yield Match(msgid, context, unit, 1.0)
        guessed = message.previous_id[0] if message.fuzzy and message.previous_id else None
        floor = similarity(msgid, guessed) if guessed else 0.0
        if self._near is None:
            self._near = NearIndex([unit.msgid for unit in self._memory])
        for ratio, position in self._near.ranked(msgid):
            if ratio <= floor:
                return  # the rest are no more alike
            unit = self._memory[position]
            if not (ratio == 1.0 and unit.context == context):  # exact, or the same text
                yield Match(msgid, context, unit, ratio)


def choose(
    catalog: Catalog, memory: Sequence[Unit], earlier: Collection[Key] | None = None
) -> list[Match]:
    """The best memory for each entry to fill, in catalog order: an exact match
    first, else the most similar at or above ``NEAR`` (and, for the merge's own
    guess, more similar than the guess was). Ties go to the earlier unit in
    ``memory`` (whose order the caller fixes), so the choice is the same at
    every run."""
    ranking = Ranking(memory)
    found = (next(ranking.candidates(m), None) for m in to_fill(catalog, earlier))
    return [match for match in found if match is not None]


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
    (see ``choose``). Returns what was filled."""
    return apply(catalog, choose(catalog, memory, earlier), earlier)


def apply(
    catalog: Catalog, matches: Sequence[Match], earlier: Collection[Key] | None = None
) -> list[Filled]:
    """Fill ``catalog``'s entries with ``matches`` (chosen among its entries to
    fill): an exact match as translated, a near one as fuzzy with its Danish
    text as the previous msgid."""
    for entry in to_fill(catalog, earlier):
        # The merge's guess is a copy of another entry, with its comments: a
        # "memory:" one there says where that entry's translation came from.
        entry.user_comments = [c for c in entry.user_comments if not _is_ours(c)]
    filled = []
    for match in matches:
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


def _extra_brackets(match: Match) -> str | None:
    """Refused before pandoc spends minutes on them, as ``translate`` refuses
    them in the entry the translation would fill."""
    unit = match.unit
    return bracket_problem(match.msgid, unit.msgstr) or bracket_problem(
        match.msgid, unit.msgid, "msgid"
    )


def refusals(units: Sequence[Unit]) -> dict[Unit, str]:
    """Why each of ``units`` is refused: its translation fails a check a msgstr
    must pass to be published (see ``checks``), checked against the Danish text
    it translates, or has a character no font of the PDF has (see
    ``letter.fonts``). Memory is untrusted (a compendium may come from
    anywhere), and a translation that could not be published is no suggestion
    either. Warnings do not count. One pandoc run for all."""
    refused: dict[Unit, str] = {}
    todo = []
    for unit in dict.fromkeys(units):
        chars = fonts.added_missing(unit.msgstr, unit.msgid)
        if chars:
            refused[unit] = f"msgstr: {fonts.describe(chars)}"
        else:
            todo.append(unit)
    texts = [u.msgid for u in todo] + [u.msgstr for u in todo]
    notes = [_notes(u.msgid) for u in todo] * 2
    parsed = markdown.parse(texts, notes, "translation memory")
    for n, unit in enumerate(todo):
        source, translation = parsed[n], parsed[len(todo) + n]
        if isinstance(source, TranslationError):
            refused[unit] = f"msgid: {source.message}"
        elif isinstance(translation, TranslationError):
            refused[unit] = f"msgstr: {translation.message}"
        else:
            pair = Pair(unit.msgid, source, unit.msgstr, translation)
            errors, _ = located(check_pair(pair), unit.origin)
            if errors:
                refused[unit] = errors[0].message
    return refused


def choose_checked(
    catalog: Catalog, memory: Sequence[Unit], earlier: Collection[Key] | None = None
) -> tuple[list[Match], list[Skipped]]:
    """``choose``, each entry given its first candidate that ``refusals`` and the
    bracket limit accept (a refused one leaves it to the next best, or
    untranslated), and the refused candidates passed over, each once.
    Candidates are checked in rounds of one pandoc run: the best of every entry,
    then the next 4, 16, ... of the entries whose candidates were all refused,
    so that a memory of many refused look-alikes costs a few runs."""
    ranking = Ranking(memory)
    entries = [((str(m.id), m.context), ranking.candidates(m)) for m in to_fill(catalog, earlier)]
    verdicts: dict[Unit, str | None] = {}
    skipped: dict[Skipped, None] = {}
    chosen: dict[Key, Match] = {}
    todo, batch = entries, 1
    while todo:
        pulled = [list(islice(candidates, batch)) for _, candidates in todo]
        # Each unit checked once, and not where its brackets refuse it first.
        new = [m.unit for ms in pulled for m in ms if not _extra_brackets(m)]
        new = [unit for unit in dict.fromkeys(new) if unit not in verdicts]
        found = refusals(new)
        verdicts.update((unit, found.get(unit)) for unit in new)
        left = []
        for (entry, candidates), matches in zip(todo, pulled, strict=True):
            for match in matches:
                reason = _extra_brackets(match) or verdicts[match.unit]
                if reason is None:
                    chosen[entry] = match
                    break
                skipped[Skipped(match.unit, reason)] = None
            else:
                if len(matches) == batch:  # more may come
                    left.append((entry, candidates))
        todo, batch = left, batch * 4
    return [chosen[e] for e, _ in entries if e in chosen], list(skipped)


def units_of(catalog: Catalog, shown: str) -> list[Unit]:
    """The entries of a catalog that may serve as memory: translated, neither
    fuzzy nor obsolete (Babel keeps obsolete ones apart), without plural forms."""
    return [
        Unit(str(m.id), m.context, str(m.string), Location(shown, m.lineno or 0))
        for m in catalog
        if m.id and m.string and not m.fuzzy and not m.pluralizable
    ]


def read_compendium(path: Path, langs: Collection[str]) -> tuple[str, list[Unit]]:
    """A compendium: any ``.po``, read through the same checks as a catalog
    (msgfmt, polib, Babel, its header). Its ``Language`` header says which
    catalogs it may fill, one of ``langs``; plural entries are allowed in it
    (another tool's file may have them) but are never a letter's memory. Read
    once, as a catalog is (see ``catalog.read_catalog``): a regular file in the
    folder it is named in, opened without waiting, at most ``MAX_COMPENDIUM_BYTES``."""
    shown = display_path(path)
    po = checked_po(read_catalog(path, MAX_COMPENDIUM_BYTES), shown)
    lang = (po.header.value("Language") or "").strip().replace("-", "_")
    if lang not in langs:
        raise CatalogError(
            f"compendium is for language '{lang or '(none)'}': expected a Language header "
            f"naming one of the catalogs' languages ({', '.join(sorted(langs)) or 'none'})",
            Location(shown, po.header.lines.get("language", 0)),
        )
    return lang, units_of(catalog_of(po, lang, plurals=True), shown)


class TranslationMemory:
    """The memory of one run of ``update`` or ``init``: compendia read (and
    checked) at once, so that a broken one stops the run before anything is
    written; the language's other catalogs read when a catalog first needs
    them, each once."""

    def __init__(self, compendia: Sequence[Path], langs: Collection[str], project: Project) -> None:
        self._project = project
        self._compendia: dict[str, list[Unit]] = {}
        for path in compendia:
            lang, units = read_compendium(path, langs)
            self._compendia.setdefault(lang, []).extend(units)
        self._read: dict[Path, list[Unit]] = {}

    def sources(self, po: Path, lang: str) -> list[Unit]:
        """``po``'s memory, in order of preference: the language's other letter
        catalogs by name (the project's own translations), then the compendia in
        the order given."""
        others = [path for path in self._project.letter_catalogs(lang) if path.name != po.name]
        units: list[Unit] = []
        for path in others:
            if path not in self._read:
                self._read[path] = units_of(self._load_sibling(path, lang), display_path(path))
            units.extend(self._read[path])
        return units + self._compendia.get(lang, [])

    def _load_sibling(self, path: Path, lang: str) -> Catalog:
        # A link that leads out of the catalogs' folder (to a secret, say) is
        # refused unread, as the catalogs themselves are.
        return load_catalog(self._project.inside(path), locale=lang)

    def fill(
        self, catalog: Catalog, po: Path, lang: str, earlier: Collection[Key] | None = None
    ) -> Report:
        """Fill ``catalog`` (to be written to ``po``) from its memory, leaving
        out what fails a translation check (and saying so). ``earlier``: the
        keys the catalog had before the merge (see ``keys``)."""
        report = Report()
        if not to_fill(catalog, earlier):
            return report
        matches, report.skipped = choose_checked(catalog, self.sources(po, lang), earlier)
        report.filled = apply(catalog, matches, earlier)
        report.left = len(to_fill(catalog))
        return report

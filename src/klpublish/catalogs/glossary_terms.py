"""A glossary's terms, and where a segment holds one and its translation uses it.

A segment's Danish *holds* a term when the term's words appear in it in a row,
word by word with the same Danish stem (so every inflection counts); a name
(``properNoun``) only as written, as a whole word. Its translation *uses* the
term when it holds one of the allowed forms: each word of the form begins a word
of the translation (or that word's stem) with the form word's stem, in order,
with at most ``GAP`` other words between (a modifier inside the phrase).
Languages Snowball has no stemmer for take the form word less its final vowels.

The Danish terms are split and stemmed once per glossary, and indexed by their
first stem; a segment's words are stemmed once and looked up, so that the cost
of a segment does not grow with the size of the glossary.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property

from klpublish.errors import KlpublishError, Location

SOURCE_LANG = "da"
GAP = 2
"""Words a translation may put inside an allowed form ("Mitglieder der neuen
Kommunalvertretungen")."""
_PROCLITICS = {"ar": ("و", "ف")}
"""Conjunctions written joined to the next word ("والتشغيل", "and employment")."""
_VOWELS = "aeiouyæøåäöüáéíóúàèìòùâêîôûąęаеєиіїоуюяыэьй"
"""Dropped from the end of a word where no stemmer knows the language: a
nominative ending, so "громада" also matches "громади", "громад"."""


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
    skipped: tuple[KlpublishError, ...] = ()
    """Entries of the file that could not be used, each with why and its line."""

    @cached_property
    def terms(self) -> Terms:
        """The Danish terms, prepared once for every segment (see ``Terms``)."""
        return _prepare(self)


# Each pattern is linear in the text's length: a translator's 1 MB msgstr must not
# make a search try every start against every end. An unclosed link target runs to
# the end of the text (it is no word anyway).
_LINK_TARGET = re.compile(r"\]\([^)]*\)?")
_ADDRESS = ("://", "www.", "@")
_CODE = re.compile(r"`[^`]*`")
_WORD = re.compile(r"[^\W_]+")


def words_of(text: str) -> list[str]:
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


Phrase = tuple[int, tuple[str, ...]]
"""An entry's place in its glossary and one of its Danish terms as matched: the
term's stems, or a name's words as written."""


@dataclass(frozen=True)
class Terms:
    """A glossary's Danish terms prepared once (split and stemmed), each indexed
    by its first stem (a name by its first word), so that a segment is looked up
    word by word instead of being matched against every term."""

    stems: dict[str, list[Phrase]]
    names: dict[str, list[Phrase]]
    empty: tuple[int, ...]
    """Entries with a term of no words (held everywhere; never read from a file)."""


def _prepare(glossary: Glossary) -> Terms:
    stem = _stemmer(SOURCE_LANG)
    assert stem is not None
    stems: dict[str, list[Phrase]] = {}
    names: dict[str, list[Phrase]] = {}
    empty = []
    for n, entry in enumerate(glossary.entries):
        for term in entry.source:
            words = words_of(term.text)
            if not words:
                empty.append(n)
            elif term.name:
                names.setdefault(words[0], []).append((n, tuple(words)))
            else:
                wanted = tuple(stem(w.casefold()) for w in words)
                stems.setdefault(wanted[0], []).append((n, wanted))
    return Terms(stems, names, tuple(empty))


def _spans(terms: Terms, words: Sequence[str]) -> Iterable[tuple[int, int, int]]:
    """(entry, start, end) of each term of ``terms`` among the Danish ``words``."""
    stem = _stemmer(SOURCE_LANG)
    assert stem is not None
    stems = [stem(w.casefold()) for w in words]
    for start, word in enumerate(words):
        for n, wanted in terms.stems.get(stems[start], ()):
            end = start + len(wanted)
            if tuple(stems[start:end]) == wanted:
                yield n, start, end
        # A name as written, its last word also with the Danish genitive s.
        for n, wanted in terms.names.get(word, ()):
            end = start + len(wanted)
            last = words[end - 1] if end <= len(words) else ""
            if tuple(words[start : end - 1]) == wanted[:-1] and last in (
                wanted[-1],
                wanted[-1] + "s",
            ):
                yield n, start, end
        if word.endswith("s"):
            for n, wanted in terms.names.get(word[:-1], ()):
                if len(wanted) == 1:
                    yield n, start, start + 1
    for n in terms.empty:
        yield from ((n, start, start) for start in range(len(words) + 1))


def terms_held(glossary: Glossary, danish: str) -> list[Entry]:
    """The entries whose term the Danish holds, in the glossary's order. A term
    inside a longer one that is also held does not count ("kommune" in
    "Kommunernes Landsforening")."""
    spans = list(_spans(glossary.terms, words_of(danish)))
    # Compared by place, not by entry: many entries of one term (a hostile glossary
    # may hold thousands) must not make the comparison quadratic in entries.
    places = set((start, end) for _, start, end in spans)
    outer = {
        (start, end)
        for start, end in places
        if not any(s <= start and end <= e and e - s > end - start for s, e in places)
    }
    held = sorted({n for n, start, end in spans if (start, end) in outer})
    return list(dict.fromkeys(glossary.entries[n] for n in held))


@dataclass(frozen=True)
class Translation:
    """A translation's words as ``uses_form`` weighs them, made once per segment:
    each word casefolded (with its forms less a joined conjunction) and stemmed."""

    words: list[list[str]]
    stems: list[list[str]]


def translationwords_of(translation: str, lang: str) -> Translation:
    stem = _stemmer(lang)
    clitics = _PROCLITICS.get(lang.split("_")[0], ())
    words = [
        [w, *(w[len(c) :] for c in clitics if w.startswith(c) and len(w) > len(c) + 1)]
        for w in (w.casefold() for w in words_of(translation))
    ]
    stems = [[stem(w) for w in forms] if stem else [] for forms in words]
    return Translation(words, stems)


@cache
def _roots(form: str, lang: str) -> tuple[str, ...]:
    return tuple(_root(w, lang) for w in words_of(form))


def uses_form(form: str, translation: str, lang: str) -> bool:
    """Whether ``translation`` holds ``form``, inflected (see the module's rule)."""
    return _uses(_roots(form, lang), translationwords_of(translation, lang))


def _uses(roots: Sequence[str], translation: Translation) -> bool:
    words, stems = translation.words, translation.stems

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
    held = [entry for entry in terms_held(glossary, danish) if entry.targets]
    if not held:
        return []
    words = translationwords_of(translation, glossary.lang)
    return [
        entry
        for entry in held
        if not any(_uses(_roots(t.text, glossary.lang), words) for t in entry.targets)
    ]

"""Whether each block of a letter is in the language it is marked in.

A Danish paragraph left in the German page with no mark of its own is read by a
screen reader with a German voice. An offline language identifier (py3langid: its
model is in its wheel, it has no code that fetches one) says which language each
block reads as; a block whose mark the identifier finds all but impossible is a
problem, said at the ``.po`` line or the source line its text came from.

The identifier chooses only among the languages that matter (:data:`CANDIDATES`:
the project's and the neighbours a reader could mistake them for), so on a short
or odd block it spreads its belief among them and the check says nothing. What
is judged, and when it says nothing (``bench/language_id.py`` measured it):

- a block's text in each language it is marked with: the page's (or its
  container's ``lang``), and each ``lang`` span's apart; footnotes, code and
  link targets are not text of the block;
- without numbers, addresses, abbreviations and names (a capitalised word that
  the source segment has too: ``Kommunernes Landsforening`` kept in a German
  sentence is not Danish text);
- only with at least :data:`LEAST_WORDS` words left;
- a problem only when the mark's language keeps at most :data:`MOST_SHARE` of
  the identifier's belief."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from babel import Locale

from klpublish.errors import Location, ToolError, TranslationError
from klpublish.letter.nodes import Inlines
from klpublish.letter.read import Letter
from klpublish.segments.messages import letter_messages
from klpublish.translation.translate import Placed, mark_language

OURS = ("da", "en", "de", "uk", "ar", "tr", "pl", "fa")
NEIGHBOURS = ("no", "nn", "sv", "nl", "ru", "be", "bg", "az", "ur", "cs", "sk")
"""Languages a reader could take ours for: Norwegian and Swedish for Danish, Dutch
for German, Russian, Belarusian and Bulgarian for Ukrainian, Azerbaijani for
Turkish, Urdu for Persian and Arabic, Czech and Slovak for Polish."""
CANDIDATES = (*OURS, *NEIGHBOURS)
SAME = {"nn": "no", "nb": "no"}
"""Labels the identifier keeps apart that are one language to a reader's voice."""

LEAST_WORDS = 4
"""Fewer words are not judged. On the sample (``bench/language_id.py``, names
taken out) a text in its own language kept at least 0.19 of the belief at 3
words and 0.39 from 4 words on; a lone word can fall far lower ("Hotel" in the
English page: 0.017, the rest Norwegian)."""
MOST_SHARE = 0.02
"""A block is in another language than its mark when the mark keeps at most this
share of the identifier's belief: 19 times below the least any block of 4 words
or more in its own language kept on the sample. At 4 words or more it found
Danish marked German, English or Polish 97-100% of the time, Russian marked
Ukrainian 77%, Arabic marked Persian 100%."""


class WrongLanguage(TranslationError):
    """A block reads as another language than the one it is marked in."""


class NoIdentifier(TranslationError):
    """The language identifier could not be loaded: nothing was judged."""


@dataclass(frozen=True)
class Block:
    """A segment as an output has it, and where its text came from."""

    inlines: Inlines
    source: Inlines
    """The source segment: its capitalised words are names, never judged."""
    mark: str
    """The language its container marks it in; "" for the page's."""
    where: Location


@dataclass(frozen=True)
class Heard:
    """What the identifier believes a text is: its likeliest languages, best first,
    with their shares, as many as make up most of its belief (Danish and Norwegian
    often split it)."""

    shares: tuple[tuple[str, float], ...]

    @property
    def lang(self) -> str:
        return self.shares[0][0]

    def __str__(self) -> str:
        names = " or ".join(english_name(lang) for lang, _ in self.shares)
        return f"{names} ({', '.join(f'{lang} {share:.0%}' for lang, share in self.shares)})"


class Identifier:
    """py3langid's model, choosing among :data:`CANDIDATES` and the page's language."""

    def __init__(self, model: Any, known: frozenset[str]) -> None:
        self._model = model
        self._known = known
        self._chosen: tuple[str, ...] = ()

    def shares(self, text: str, mark: str) -> dict[str, float]:
        """Each candidate's share of the belief that ``text`` is in it (``mark``
        is a candidate too, when the model knows it)."""
        chosen = tuple(sorted({*CANDIDATES, *({mark} & self._known)}))
        if chosen != self._chosen:
            self._model.set_languages(list(chosen))
            self._chosen = chosen
        found: dict[str, float] = {}
        for lang, share in self._model.rank(text):
            key = SAME.get(lang, lang)
            found[key] = found.get(key, 0.0) + float(share)
        return found

    def knows(self, lang: str) -> bool:
        return SAME.get(lang, lang) in self._known

    def other_language(self, text: str, mark: str) -> Heard | None:
        """The language ``text`` reads as when it is surely not ``mark``, else None."""
        shares = self.shares(text, mark)
        if shares.get(SAME.get(mark, mark), 0.0) > MOST_SHARE:
            return None
        likeliest: list[tuple[str, float]] = []
        for lang, share in sorted(shares.items(), key=lambda item: -item[1])[:3]:
            if sum(s for _, s in likeliest) >= 0.9:
                break
            likeliest.append((lang, share))
        return Heard(tuple(likeliest))


@cache
def load_identifier() -> Identifier:
    """The identifier, loaded once per process; a :class:`ToolError` when it cannot
    be (the check then fails, it never passes unjudged)."""
    try:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        model = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    except Exception as exc:  # a missing or broken install: any error means no verdict
        raise ToolError(f"the language identifier (py3langid) could not load: {exc}") from exc
    return Identifier(model, frozenset(model.labels))


def primary(tag: str) -> str:
    """The language of a BCP 47 tag or a gettext code: ``da-DK``, ``pt_BR`` -> ``da``, ``pt``."""
    return tag.replace("_", "-").split("-")[0].lower()


def texts_by_language(inlines: Inlines, mark: str) -> dict[str, str]:
    """The readable text of a segment in each language it is marked in: spans with
    ``lang`` apart; not footnotes (segments of their own), code, maths, raw markup
    or link targets. A stack, not recursion: nesting is the author's to choose."""
    found: dict[str, list[str]] = {}
    stack: list[tuple[Any, str]] = [(inlines, mark)]
    while stack:
        item, lang = stack.pop()
        if isinstance(item, list):
            stack.extend((value, lang) for value in reversed(item))
            continue
        if not isinstance(item, dict) or "t" not in item:
            continue
        kind = item["t"]
        if kind == "Str":
            found.setdefault(lang, []).append(str(item["c"]))
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            found.setdefault(lang, []).append(" ")
        elif kind == "Span":
            attr, content = item["c"]
            marked = dict(attr[2]).get("lang")
            stack.append((content, primary(marked) if marked else lang))
        elif kind in ("Link", "Image"):
            stack.append((item["c"][1], lang))  # the link's text, the image's alt
        elif kind not in ("Note", "Code", "Math", "RawInline"):
            stack.extend((value, lang) for value in reversed(list(item.values())))
    return {lang: "".join(pieces) for lang, pieces in found.items()}


def _core(token: str) -> str:
    """A word without the punctuation and symbols around it."""
    start, end = 0, len(token)
    while start < end and unicodedata.category(token[start])[0] in "PSZ":
        start += 1
    while end > start and unicodedata.category(token[end - 1])[0] in "PSZ":
        end -= 1
    return token[start:end]


def names_in(source: Inlines) -> frozenset[str]:
    """The source segment's capitalised words: names, when a translation keeps them."""
    words = (_core(t) for text in texts_by_language(source, "").values() for t in text.split())
    return frozenset(w for w in words if w[:1].isupper())


def judged_words(text: str, names: frozenset[str]) -> list[str]:
    """The words of ``text`` that say which language it is: not numbers, addresses
    (``www.kl.dk``, ``a@b.dk``), abbreviations (``KL``, ``bl.a.``), or ``names``."""
    out = []
    for token in text.split():
        word = _core(token)
        if not any(ch.isalpha() for ch in word) or any(ch.isdigit() for ch in word):
            continue
        if any(ch in word for ch in "./@:") or word in names:
            continue
        letters = [ch for ch in word if ch.isalpha()]
        if len(letters) > 1 and all(ch.isupper() for ch in letters):
            continue
        out.append(word)
    return out


def english_name(lang: str) -> str:
    return str(Locale.parse("en").languages.get(lang, lang))


def _said(text: str, heard: Heard, mark: str, where: Location) -> str:
    words = text.split()
    quoted = " ".join(words[:8]) + (" …" if len(words) > 8 else "")
    advice = (
        "translate it, or leave the msgstr empty: the source text then stands, marked as such"
        if where.path.endswith(".po")
        else f"mark its language, as in [text]{{lang={heard.lang}}}"
    )
    return (
        f"text in {heard} is marked "
        f"{english_name(mark)} ({mark}), so a screen reader reads it with a "
        f"{english_name(mark)} voice: “{quoted}”; {advice}"
    )


def language_problems(
    placed: Iterable[Block], page: str, identifier: Identifier
) -> Iterator[WrongLanguage]:
    """Each block of ``placed`` that reads as another language than its mark, said
    at the line its text came from. ``page`` is the page's language. A mark the
    identifier does not know is a problem too: it cannot be judged."""
    for one in placed:
        names = names_in(one.source)
        for lang, text in texts_by_language(one.inlines, primary(one.mark or page)).items():
            words = judged_words(text, names)
            if len(words) < LEAST_WORDS:
                continue
            if not identifier.knows(lang):
                yield WrongLanguage(
                    f"text marked {lang}: the language identifier does not know "
                    f"{english_name(lang)}, so its language is not checked",
                    one.where,
                )
                continue
            heard = identifier.other_language(" ".join(words), lang)
            if heard is not None:
                yield WrongLanguage(_said(text, heard, lang, one.where), one.where)


def translated_blocks(placed: Iterable[Placed], source_lang: str) -> list[Block]:
    """A translated letter's segments as the outputs mark them: a fallback to the
    source's text is marked as the source's language (``mark_language``)."""
    return [
        Block(
            one.inlines if one.translated else mark_language(one.inlines, source_lang),
            one.site.inlines,
            one.site.lang,
            one.where,
        )
        for one in placed
    ]


def language_warnings(
    placed: Iterable[Placed], page: str, po_path: str, source_lang: str
) -> list[TranslationError]:
    """What lint and status say of a translation's blocks: each block in another
    language than its mark, or that the identifier could not load (fail closed:
    lint counts that as an error)."""
    try:
        identifier = load_identifier()
    except ToolError as exc:
        return [NoIdentifier(f"language of each block not checked: {exc}", Location(po_path, 0))]
    return list(language_problems(translated_blocks(placed, source_lang), page, identifier))


def source_blocks(letter: Letter) -> list[Block]:
    """The source letter's own segments, each at its source line."""
    return [
        Block(m.site.inlines, m.site.inlines, m.site.lang, Location(letter.path, m.line))
        for m in letter_messages(letter)
    ]

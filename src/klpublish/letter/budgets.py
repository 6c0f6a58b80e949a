"""Budgets before parsing: a text whose reading would cost pandoc seconds or
minutes is refused, at its line, before pandoc sees it (see ``reading_cost``
for what costs what). Refusing bad input then costs little.

- A letter may cost at most ``LETTER_BUDGET``, and its markup at most
  ``LETTER_MARKUP_BUDGET`` of that.
- A msgstr may hold at most ``MAX_EXTRA_BRACKETS`` more ``[`` than its source,
  be at most ``MAX_LENGTH`` characters (more when its source is longer) and
  ``MAX_GROWTH`` times its source, and its markup may cost at most four times
  its source's plus ``TRANSLATION_BUDGET``; a catalog's msgstrs together at
  most ``CATALOG_BUDGET`` beyond their sources'.
- Any text for the translations' reader (a compendium's, say) costs at most
  ``TEXT_BUDGET``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from klpublish.errors import Location, SourceError
from klpublish.letter.reading_cost import Estimate, estimate

LETTER_BUDGET = 4_000_000
"""Units (characters read once, about 4 µs each) a letter may cost: about 15 s,
what two megabytes of prose cost (the size cap of ``files``). The shipped
letter costs 11,000."""

LETTER_MARKUP_BUDGET = 1_000_000
"""Units that a letter's markup may add to reading its text: about 4 s."""

TRANSLATION_BUDGET = 60_000
"""Units a msgstr may cost beyond four times its msgid: about 0.25 s. The
shipped translations cost at most a thousand."""

CATALOG_BUDGET = 120_000
"""Units a catalog's msgstrs may cost together beyond four times their msgids."""

TEXT_BUDGET = 250_000
"""Units any one text given to the translations' reader may cost."""

MAX_GROWTH = 50
"""Beyond this, a msgstr is not a translation of its msgid but something else."""

MAX_EXTRA_BRACKETS = 20
"""Pandoc's reading of links and spans is worse than quadratic in nested
brackets (1,600 took 35 s); a translation needs few more than its source."""

MAX_LENGTH = 20_000
"""Characters in a msgstr, unless its msgid is longer than a third of this: the
longest shipped msgstr has 700; 20,000 is a chapter, not a paragraph."""

_SAID = {
    "length": ("{count} characters", "shorter text"),
    "lines": ("{count} line breaks", "fewer lines"),
    "nesting": (
        "brackets or <span> nested {detail} deep",
        "links and spans, not brackets in brackets",
    ),
    "unclosed": (
        "{detail} '[' never closed",
        "links and footnote references closed with ']'; \\[ for a bracket that is text",
    ),
    "angle": ("{count} '<'", "autolinks such as <https://...>; \\< for a '<' that is text"),
    "amp": ("{count} '&' inside words", "words, with a space after '&'"),
    "ticks": (
        "{count} runs of backticks of {detail} different lengths",
        "code spans, each closed with as many backticks as it opens with",
    ),
    "long run": ("a run of {detail} backticks", "code spans opened with a few backticks"),
    "parens": ("{count} '(' never closed in a link's address", "link addresses with their ')'"),
    "tex": ("{count} '\\begin{{' without '\\end{{'", "text without TeX"),
    "markers": (
        "block markers nested {detail} deep at the start of a line",
        "running text, not quotes or lists in lists",
    ),
    "headings": ("{detail} heading lines", "fewer headings"),
    "grid": ("a grid table {detail} columns wide", "a table of fewer columns"),
}
"""Each kind of cost, as its writer would say it, and what to write instead."""

K = TypeVar("K")


def _said(found: Estimate, *, linear: bool = True) -> tuple[str, int]:
    """What costs most in words, with what to write instead; and where it begins."""
    worst = found.worst(linear=linear)
    what, instead = _SAID[worst.kind]
    return (
        f"{what.format(count=f'{worst.count:,}', detail=worst.detail)}: expected {instead}",
        max(worst.offset, 0),
    )


def line_of(text: str, offset: int) -> int:
    """The 1-based line of ``offset`` in ``text``."""
    return text.count("\n", 0, offset) + 1


def check_letter(text: str, path: str, body_start: int = 0) -> None:
    """Refuse, at its line, a letter whose reading would keep pandoc busy longer
    than any letter needs. Its front matter (the lines before ``body_start``,
    whose values pandoc reads as Markdown) and its body are measured apart, as
    pandoc reads them, so that the front matter's ``---`` is no heading."""
    lines = text.split("\n")
    parts = [("\n".join(lines[:body_start]), 0), ("\n".join(lines[body_start:]), body_start)]
    found = [(estimate(part, stop=LETTER_MARKUP_BUDGET), part, first) for part, first in parts]
    extra = sum(e.extra for e, _, _ in found)
    markup = extra > LETTER_MARKUP_BUDGET
    if not markup and sum(e.total for e, _, _ in found) <= LETTER_BUDGET:
        return
    worst, part, first = max(found, key=lambda f: f[0].worst(linear=not markup).cost)
    said, offset = _said(worst, linear=not markup)
    raise SourceError(
        f"the letter is too costly to read: {said}",
        Location(path, first + line_of(part, offset)),
    )


def bracket_problem(msgid: str, text: str, what: str = "msgstr") -> str | None:
    """Why ``text`` (a msgstr; for memory, also the msgid read with it) holds
    too many ``[`` beyond ``msgid``'s to be read, or None."""
    extra = text.count("[") - msgid.count("[")
    if extra <= MAX_EXTRA_BRACKETS:
        return None
    return (
        f"{what} has {extra} more '[' than the source: expected the source's links and "
        "footnote references, not brackets nested in brackets"
    )


def length_problem(msgid: str, msgstr: str) -> str | None:
    """Why ``msgstr`` is too long for a translation of ``msgid``, or None."""
    source, ours = len(msgid), len(msgstr)
    if ours > MAX_LENGTH and ours > 3 * source:
        return (
            f"msgstr is {ours:,} characters, {ours // max(source, 1)} times as long as the "
            f"source: expected at most {max(MAX_LENGTH, 3 * source):,}"
        )
    if ours > 5000 and ours > MAX_GROWTH * source:
        return (
            f"msgstr is {ours:,} characters, {ours // max(source, 1)} times as long as the "
            f"source: expected at most {MAX_GROWTH} times"
        )
    return None


def _beyond_source(msgid: str, msgstr: str, reader: str) -> tuple[float, Estimate]:
    """What ``msgstr`` costs beyond four times its source, and its estimate."""
    citations = "+citations" in reader
    allowed = 4 * estimate(msgid, citations=citations, stop=TEXT_BUDGET).total
    ours = estimate(msgstr, citations=citations, stop=allowed + TRANSLATION_BUDGET)
    return ours.total - allowed, ours


def translation_problem(msgid: str, msgstr: str, reader: str) -> str | None:
    """Why ``msgstr`` is refused before pandoc reads it with ``reader``, or None:
    brackets in brackets, too long, or markup that costs more than its source's
    allows."""
    too_long = bracket_problem(msgid, msgstr) or length_problem(msgid, msgstr)
    if too_long is not None:
        return too_long
    beyond, ours = _beyond_source(msgid, msgstr, reader)
    if beyond <= TRANSLATION_BUDGET and ours.total <= TEXT_BUDGET:
        return None
    return f"msgstr is too costly to read: {_said(ours)[0]}"


def catalog_problems(pairs: Mapping[K, tuple[str, str]], reader: str) -> dict[K, str]:
    """Of (msgid, msgstr) pairs each within its own budget, those refused
    because together they cost more than ``CATALOG_BUDGET`` beyond their
    sources: the costliest first, until the others fit. (Pandoc reads a
    language's translations in one request; each near its budget, a catalog
    of them would still cost seconds.)"""
    costs = {key: _beyond_source(msgid, msgstr, reader) for key, (msgid, msgstr) in pairs.items()}
    total = sum(max(beyond, 0.0) for beyond, _ in costs.values())
    refused: dict[K, str] = {}
    for key in sorted(costs, key=lambda k: -costs[k][0]):
        if total <= CATALOG_BUDGET:
            break
        beyond, ours = costs[key]
        total -= beyond
        refused[key] = (
            f"msgstr is too costly to read with this catalog's other costly msgstrs: "
            f"{_said(ours)[0]}"
        )
    return refused


def text_problem(text: str, reader: str) -> str | None:
    """Why a text is refused before the translations' reader reads it, or None."""
    if len(text) > 10 * MAX_LENGTH:
        return f"text is {len(text):,} characters: expected at most {10 * MAX_LENGTH:,}"
    found = estimate(text, citations="+citations" in reader, stop=TEXT_BUDGET)
    if found.total <= TEXT_BUDGET:
        return None
    return f"text is too costly to read: {_said(found)[0]}"
